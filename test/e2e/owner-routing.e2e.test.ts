import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { silentLogger } from '../../src/log.ts';
import { REP_USER_ID, SALES_REP_IDS } from '../../src/simulators/salesforce/server.ts';
import { stopLeftoverServer } from '../../src/store/embedded/embedded-cluster.ts';
import { freshDataDir } from '../support/databases.ts';
import { eventually, type RunningService, startServiceProcess } from './support/service-process.ts';

/**
 * Issue 17 end to end, in sandbox mode as a newcomer runs it (the real service process, its simulators, the local
 * Slack workspace and mail catcher): a new MQL's Lead is created with the owner routing.yaml chooses, and that
 * owner hears of it on every channel within seconds.
 */
const ADMIN_TOKEN = 'owner-routing-e2e-admin-token-0123456789abcdef';
let service: RunningService;
let dataDir: string;
let urls: { hubspot: string; salesforce: string; slack: string; mail: string };

beforeAll(async () => {
  dataDir = await freshDataDir();
  service = await startServiceProcess({ DATA_DIR: dataDir, ADMIN_TOKEN }, { port: 0 });
  const started = service.output
    .map((line) => JSON.parse(line) as Record<string, string>)
    .find((l) => l.message === 'sandbox simulators started');
  if (!started) throw new Error('no sandbox simulators line');
  urls = {
    hubspot: started.hubspotSimulator as string,
    salesforce: started.salesforceSimulator as string,
    slack: started.slackMessages as string,
    mail: started.mailCaught as string,
  };
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await stopLeftoverServer(dataDir, silentLogger());
  await rm(dataDir, { recursive: true, force: true });
});

async function createContact(properties: Record<string, string>): Promise<string> {
  const created = await fetch(`${urls.hubspot}/_sim/contacts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ properties: { demo_requested: 'true', ...properties } }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

async function leadOf(contactId: string): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const leads = (await (await fetch(`${urls.salesforce}/_sim/records/Lead`)).json()) as Record<string, unknown>[];
      return leads.find((row) => row.Handoff_HubSpot_Id__c === contactId);
    },
    15_000,
    `the Lead of contact ${contactId}`,
  );
}

const json = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

describe('owner routing and notification in the sandbox', () => {
  it('a contact of a known account goes to the Account owner, who is told on Slack, by e-mail and in Salesforce', async () => {
    const contactId = await createContact({ email: 'grace@acme.example', firstname: 'Grace', lastname: 'Hopper', company: 'Acme' });
    const lead = await leadOf(contactId);
    // The sandbox's Acme account (https://www.acme.example) is Riley Rep's: routing.yaml's existing-account rule.
    expect(lead.OwnerId).toBe(REP_USER_ID);

    const push = await eventually(async () => {
      const sent = await json<Array<{ recipientIds: string[]; targetId: string; title: string }>>(`${urls.salesforce}/_sim/notifications`);
      return sent.find((n) => n.targetId === lead.Id);
    });
    expect(push.recipientIds).toEqual([REP_USER_ID]);
    expect(push.title).toContain('New MQL: Grace Hopper, Acme');

    const dm = await eventually(async () => {
      const { messages } = await json<{ messages: Array<{ channel: string; text?: string }> }>(urls.slack);
      return messages.find((m) => m.text?.includes('Grace Hopper'));
    });
    expect(dm.channel).toMatch(/^D/);

    const mail = await eventually(async () => {
      const { messages: caught } = await json<{ messages: Array<{ to: string[]; subject?: string; text?: string }> }>(urls.mail);
      return caught.find((m) => m.subject?.includes('Grace Hopper'));
    });
    expect(mail.to).toEqual(['riley.rep@sales.example']);
    expect(mail.text).toContain(`/lightning/r/Lead/${String(lead.Id)}/view`);
  });

  it("a contact of no known account falls back to the org's assignment rule, and whoever it picks is told", async () => {
    const contactId = await createContact({
      email: 'alan@unknown-company.example',
      firstname: 'Alan',
      lastname: 'Turing',
      company: 'Bletchley',
    });
    const lead = await leadOf(contactId);
    expect([REP_USER_ID, ...SALES_REP_IDS]).toContain(lead.OwnerId);
    const push = await eventually(async () => {
      const sent = await json<Array<{ recipientIds: string[]; targetId: string }>>(`${urls.salesforce}/_sim/notifications`);
      return sent.find((n) => n.targetId === lead.Id);
    });
    expect(push.recipientIds).toEqual([lead.OwnerId]);
  });

  it('the admin dry run says where a contact would go and why; a malformed contact id is a 400 naming it', async () => {
    const contactId = await createContact({ email: 'linus@globex.example', firstname: 'Linus', lastname: 'T', company: 'Globex' });
    const answer = await fetch(`${service.url}/api/routing/dry-run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contactId }),
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as {
      qualified: boolean;
      decision: { rule: { id: string }; owner: { id?: string }; reason: string };
    };
    // globex.example is Sam Seller's Account in the sandbox org.
    expect(body).toMatchObject({ qualified: true, decision: { rule: { id: 'existing-account' }, owner: { id: SALES_REP_IDS[0] } } });
    expect(body.decision.reason).toContain('Globex');
    const unknown = await fetch(`${service.url}/api/routing/dry-run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contactId: 'not-a-contact' }),
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain('contactId');
  });
});
