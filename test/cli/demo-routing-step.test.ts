import { describe, expect, it } from '@jest/globals';
import { DEMO_CONTACTS } from '../../src/cli/demo/contacts.ts';
import type { DemoContext } from '../../src/cli/demo/context.ts';
import { Narrator } from '../../src/cli/demo/narrator.ts';
import type { CaughtMail, SlackSimMessage } from '../../src/cli/demo/owner-inboxes.ts';
import type { AssignmentEntry, RecordView, SimLead } from '../../src/cli/demo/sandbox-clients.ts';
import { ownersHearAtOnce } from '../../src/cli/demo/steps-routing.ts';
import { DemoStepFailed } from '../../src/cli/demo/wait.ts';

const LEAD_ID = '00QHs0000000004MAA';
const RILEY = { Id: '005Hs0000000002IAA', Name: 'Riley Rep', Email: 'riley.rep@sales.example' };
const CREATED = '2026-12-07T13:00:00.000+0000';
const REASON = 'Existing account owner: owner of Account Acme (acme.example)';
const LINK = `http://127.0.0.1:1/lightning/r/Lead/${LEAD_ID}/view`;
const tomas = DEMO_CONTACTS.find((c) => c.role === 'accept')!;

const lead: SimLead = {
  Id: LEAD_ID,
  Handoff_HubSpot_Id__c: '102',
  Status: 'Open - Not Contacted',
  OwnerId: RILEY.Id,
  CreatedDate: CREATED,
};

function assignment(ownerId: string): AssignmentEntry {
  return {
    leadId: LEAD_ID,
    kind: 'initial',
    state: 'assigned',
    ruleId: 'existing-account',
    strategy: 'existing-owner',
    ownerId,
    decision: { reason: REASON },
    notifications: [{ channel: 'slack', recipientId: RILEY.Id, state: 'delivered', deliveredAt: '2026-12-07T13:00:01.200Z' }],
  };
}

/** The sandbox as the step reads it; `mail` and `ownerId` vary per test. */
function context(options: { mail: CaughtMail[]; ownerId?: string }) {
  const out = {
    text: '',
    write(chunk: string) {
      this.text += chunk;
    },
  };
  const view: RecordView = {
    hubspotContactId: '102',
    history: [{ action: 'routed', reason: REASON, score: null, definitionVersion: null, salesforceId: LEAD_ID, detail: {}, at: CREATED }],
    routing: [assignment(options.ownerId ?? RILEY.Id)],
  };
  const dm: SlackSimMessage = {
    channel: 'D0SANDBOX1',
    user: 'U0SANDBOX1',
    text: `New MQL: Tomas Brandt\nOpen Lead: ${LINK}`,
    ts: '1796648401.000001',
  };
  const ctx = {
    narrator: new Narrator(out),
    people: new Map([['accept', { contact: tomas, contactId: '102', createdAt: new Date(CREATED), lead }]]),
    waits: { handoffMs: 300, pollMs: 300, breachGraceMs: 300 },
    admin: { record: async () => view },
    salesforce: {
      lead: async () => lead,
      users: async () => [RILEY],
      notifications: async () => [{ at: '2026-12-07T13:00:00.900+0000', recipientIds: [RILEY.Id], title: 'New MQL', targetId: LEAD_ID }],
    },
    slack: { messages: async () => [dm] },
    mail: { messages: async () => options.mail },
  } as unknown as DemoContext;
  return { ctx, out };
}

const email: CaughtMail = {
  to: [RILEY.Email],
  subject: 'New MQL: Tomas Brandt',
  text: `Open Lead: ${LINK}`,
  receivedAt: '2026-12-07T13:00:01.500Z',
};

describe('demo step "The right rep hears at once"', () => {
  it("names the owner and why, and times each message from the Lead's creation", async () => {
    const { ctx, out } = context({ mail: [email] });
    await ownersHearAtOnce(ctx);
    expect(out.text).toContain(`✓ Tomas's Lead → Riley Rep. Why: ${REASON}`);
    expect(out.text).toContain('Slack DM 1.2 s, e-mail 1.5 s, Salesforce notification 0.9 s after the Lead was created');
    expect(out.text).toContain("Riley Rep's Slack DM about Tomas:");
    expect(out.text).toContain(`│ Open Lead: ${LINK}`);
  });

  it('fails, naming what did not arrive, when the owner gets no e-mail (one to someone else does not count)', async () => {
    const { ctx } = context({ mail: [{ ...email, to: ['sam.seller@sales.example'] }] });
    const failure = ownersHearAtOnce(ctx);
    await expect(failure).rejects.toBeInstanceOf(DemoStepFailed);
    await expect(failure).rejects.toThrow(
      "timed out after 0.3 s waiting for Riley Rep's Slack DM, e-mail and Salesforce notification about Tomas's Lead (last error: still missing: the e-mail)",
    );
  });

  it("fails when Handoff's recorded owner is not the Lead's owner in Salesforce", async () => {
    const { ctx } = context({ mail: [email], ownerId: '005Hs0000000003IAA' });
    await expect(ownersHearAtOnce(ctx)).rejects.toThrow(
      `Handoff recorded 005Hs0000000003IAA as the owner of Tomas's Lead, Salesforce shows ${RILEY.Id}`,
    );
  });
});
