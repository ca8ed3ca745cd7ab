import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, type World } from './support/world.ts';

/**
 * Work refused for lack of API budget or of a valid login is parked with what it waits for, and resumes by
 * itself once that is back: nothing lost, nothing twice, and no hammering of a Salesforce that said no.
 */
const CONTACTS = 8;

interface ParkedItem {
  id: string;
  kind: string;
  recordKey: string;
  waitingFor: string | null;
  context: Record<string, unknown>;
}

/** A loopback receiver standing in for the team's operations alert webhook. */
async function alertReceiver(): Promise<{ url: string; received: Record<string, unknown>[]; close(): Promise<void> }> {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ops`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('parked for a budget or a login, resumed on its own', () => {
  let world: World;
  let service: RunningService | undefined;
  let alerts: Awaited<ReturnType<typeof alertReceiver>>;
  const admin = (path: string) =>
    fetch(`${service!.url}${path}`, { headers: { authorization: `Bearer ${world.env.ADMIN_TOKEN}` } }).then((r) => r.json());
  const openParked = async () => ((await admin('/api/parked?open=true')) as { items: ParkedItem[] }).items;
  const leadsFor = (ids: string[]) =>
    (world.salesforce.records('Lead') as Record<string, unknown>[]).filter((lead) => ids.includes(String(lead.Handoff_HubSpot_Id__c)));

  afterAll(async () => {
    await service?.kill();
    await world?.close();
    await alerts?.close();
  });

  it('REQUEST_LIMIT_EXCEEDED parks the handoffs; once the org has calls again they land exactly once', async () => {
    world = await createWorld();
    alerts = await alertReceiver();
    service = await world.start({
      SALESFORCE_BUDGET_PROBE_SECONDS: '10',
      SALESFORCE_AUTH_RECHECK_SECONDS: '5',
      PARKED_RESUME_SECONDS: '1',
      OPS_ALERT_WEBHOOK_URL: alerts.url,
    });
    const ids = Array.from({ length: CONTACTS }, (_, i) =>
      world.hubspot.createContact({ email: `b${i}@budget.example`, lastname: `B${i}`, company: 'Budget', demo_requested: 'true' }),
    );
    // The org has spent its daily API requests (as another integration might have done).
    world.salesforce.setApiUsage({ used: 1_000, limit: 1_000 });
    expect((await deliverWebhook(service.url, world, JSON.stringify(ids.map((id) => creationEvent(id))))).status).toBe(200);

    const parked = await eventually(
      async () => {
        const items = (await openParked()).filter((item) => ids.includes(item.recordKey));
        return items.length === CONTACTS ? items : undefined;
      },
      30_000,
      'every handoff parked',
    );
    expect(parked.every((item) => item.kind === 'handoff' && item.waitingFor === 'salesforce_budget')).toBe(true);
    expect(leadsFor(ids)).toHaveLength(0);
    // Refused once, the replicas stop calling: over a few seconds at most the one probe goes out.
    const quietFrom = world.salesforce.calls.total ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((world.salesforce.calls.total ?? 0) - quietFrom).toBeLessThanOrEqual(1);

    // A new day: the org's budget is back. The probe sees it and the parked handoffs resume.
    world.salesforce.setApiUsage({ used: 0, limit: 15_000 });
    await eventually(async () => (leadsFor(ids).length === CONTACTS ? true : undefined), 60_000, 'every Lead after the budget returned');
    await eventually(
      async () => ((await openParked()).some((item) => ids.includes(item.recordKey)) ? undefined : true),
      30_000,
      'the parked items resolved',
    );
    const leads = leadsFor(ids);
    expect(new Set(leads.map((lead) => lead.Handoff_HubSpot_Id__c)).size).toBe(CONTACTS);
    expect(leads).toHaveLength(CONTACTS);
  }, 150_000);

  it('a refused refresh token alerts once and parks; restored credentials resume the work', async () => {
    const id = world.hubspot.createContact({ email: 'auth@budget.example', lastname: 'Auth', company: 'Budget', demo_requested: 'true' });
    const other = world.hubspot.createContact({
      email: 'auth2@budget.example',
      lastname: 'Auth2',
      company: 'Budget',
      demo_requested: 'true',
    });
    // Someone revoked the connected app's refresh token; the current access token is gone too.
    world.salesforce.revokeRefreshToken();
    const alertsBefore = alerts.received.length;
    expect((await deliverWebhook(service!.url, world, JSON.stringify([creationEvent(id)]))).status).toBe(200);
    await eventually(
      async () => ((await openParked()).find((item) => item.recordKey === id && item.waitingFor === 'salesforce_auth') ? true : undefined),
      30_000,
      'the handoff parked for the login',
    );
    expect((await deliverWebhook(service!.url, world, JSON.stringify([creationEvent(other)]))).status).toBe(200);
    await eventually(
      async () =>
        (await openParked()).find((item) => item.recordKey === other && item.waitingFor === 'salesforce_auth') ? true : undefined,
      30_000,
      'the second handoff parked',
    );
    const opsAlerts = alerts.received.slice(alertsBefore);
    expect(opsAlerts).toHaveLength(1);
    expect(JSON.stringify(opsAlerts[0])).not.toContain('e2e-sf-refresh');
    expect(leadsFor([id, other])).toHaveLength(0);

    world.salesforce.restoreRefreshToken();
    await eventually(async () => (leadsFor([id, other]).length === 2 ? true : undefined), 60_000, 'both Leads once the login works again');
    expect(alerts.received.slice(alertsBefore)).toHaveLength(1);
    await eventually(
      async () => ((await openParked()).some((item) => [id, other].includes(item.recordKey)) ? undefined : true),
      30_000,
      'the parked items resolved',
    );
  }, 150_000);
});
