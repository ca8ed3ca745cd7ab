import type { Database } from '../../src/store/database.ts';
import type { Action, PlannedContact } from './crash-load.ts';

type Row = Record<string, unknown>;

/** What the run did to each contact: its actions in order, and whether each one's event was accepted. */
export interface ContactTrace {
  contact: PlannedContact;
  actions: { action: Action; eventId: number; accepted: boolean }[];
}

export interface Verdict {
  acceptedEvents: number;
  leadsExpected: number;
  leadsFound: number;
  /** Accepted contacts that must have a Lead and have none. */
  lost: number;
  /** More than one Lead per contact id, or per e-mail. */
  duplicateLeadsPerContact: number;
  duplicateLeadsPerEmail: number;
  notQualifyingWithLead: number;
  /** Any contact with a Lead it should not have (not qualifying, or never accepted). */
  unexpectedLeads: number;
  /** Upgraded contacts whose demo request event was never accepted: a Lead or none are both right. */
  undetermined: number;
  /** Leads whose Title is not the contact's last title although the last change was accepted. */
  staleLeads: number;
  /** Contacts with a Lead whose HubSpot record does not carry that Lead's id. */
  missingWriteBack: number;
  pendingInbox: number;
  /** Contacts with a Lead whose audit holds other than exactly one handed_off row, and rows for contacts without a Lead. */
  auditNotExactlyOnce: number;
  /** Handoffs that found the Lead already in Salesforce: a crash fell between Salesforce's commit and ours. */
  replayedHandoffs: number;
  /** Leads with other than exactly one link, or one set of SLA clocks. */
  linkOrClockMismatch: number;
  parked: number;
  outcomes: Record<string, number>;
  problems: string[];
}

export interface VerifyInput {
  traces: ContactTrace[];
  leads: Row[];
  hubspotContact: (id: string) => Record<string, string> | undefined;
  /** For diagnosis: the Title values written to a Lead, and the job titles written to a contact (with who wrote them). */
  titleHistory: (leadId: string, contactId: string) => string;
  db: Database;
}

function expectation(trace: ContactTrace): 'lead' | 'none' | 'either' {
  const { kind } = trace.contact;
  if (kind === 'not_qualifying') return 'none';
  if (kind === 'qualifying') return trace.actions.some((a) => a.accepted) ? 'lead' : 'none';
  const upgradeAt = trace.actions.findIndex((a) => a.action.type === 'change' && a.action.property === 'demo_requested');
  if (trace.actions.slice(upgradeAt).some((a) => a.accepted)) return 'lead';
  return trace.actions.some((a) => a.accepted) ? 'either' : 'none';
}

const countBy = <T>(items: T[], key: (item: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

/** Compares the world after the run with what every accepted webhook should have produced, exactly once. */
export async function verifyCrashRun(input: VerifyInput): Promise<Verdict> {
  const problems: string[] = [];
  const problem = (message: string) => {
    if (problems.length < 20) problems.push(message);
  };
  const leadsByContact = new Map<string, Row[]>();
  for (const lead of input.leads) {
    const id = String(lead.Handoff_HubSpot_Id__c);
    leadsByContact.set(id, [...(leadsByContact.get(id) ?? []), lead]);
  }
  const perEmail = countBy(input.leads, (lead) => String(lead.Email).toLowerCase());
  const audit = await auditCounts(input.db);
  const verdict: Verdict = {
    acceptedEvents: input.traces.reduce((sum, t) => sum + t.actions.filter((a) => a.accepted).length, 0),
    leadsExpected: 0,
    leadsFound: input.leads.length,
    lost: 0,
    duplicateLeadsPerContact: [...leadsByContact.values()].filter((leads) => leads.length > 1).length,
    duplicateLeadsPerEmail: [...perEmail.values()].filter((n) => n > 1).length,
    notQualifyingWithLead: 0,
    unexpectedLeads: 0,
    undetermined: 0,
    staleLeads: 0,
    missingWriteBack: 0,
    pendingInbox: audit.pending,
    auditNotExactlyOnce: 0,
    replayedHandoffs: audit.replayed,
    linkOrClockMismatch: 0,
    parked: audit.parked,
    outcomes: audit.outcomes,
    problems,
  };
  for (const trace of input.traces) {
    const id = trace.contact.id!;
    const leads = leadsByContact.get(id) ?? [];
    const expected = expectation(trace);
    if (expected === 'lead') verdict.leadsExpected += 1;
    if (expected === 'either') verdict.undetermined += 1;
    if (expected === 'lead' && leads.length === 0) {
      verdict.lost += 1;
      problem(`contact ${id} (${trace.contact.kind}): accepted, no Lead`);
    }
    if (expected === 'none' && leads.length > 0) {
      verdict.unexpectedLeads += 1;
      if (trace.contact.kind === 'not_qualifying') verdict.notQualifyingWithLead += 1;
      problem(`contact ${id} (${trace.contact.kind}): a Lead it should not have`);
    }
    const handedOff = audit.handedOff.get(id) ?? 0;
    if ((leads.length > 0 && handedOff !== 1) || (leads.length === 0 && handedOff > 0)) {
      verdict.auditNotExactlyOnce += 1;
      problem(`contact ${id}: ${leads.length} Lead(s), ${handedOff} handed_off rows`);
    }
    const lead = leads[0];
    if (!lead) continue;
    const last = trace.actions.at(-1);
    if (last?.accepted && lead.Title !== trace.contact.jobtitle) {
      verdict.staleLeads += 1;
      problem(
        `contact ${id}: Lead Title ${String(lead.Title)}, last title ${trace.contact.jobtitle}; ${input.titleHistory(String(lead.Id), id)}`,
      );
    }
    if (input.hubspotContact(id)?.handoff_salesforce_id !== lead.Id) verdict.missingWriteBack += 1;
    if (audit.links.get(id) !== lead.Id || audit.clockSets.get(String(lead.Id)) !== 1) {
      verdict.linkOrClockMismatch += 1;
      problem(
        `contact ${id}: link ${audit.links.get(id) ?? 'none'}, Lead ${String(lead.Id)}, clock sets ${audit.clockSets.get(String(lead.Id)) ?? 0}`,
      );
    }
  }
  return verdict;
}

async function auditCounts(db: Database) {
  const history = await db.query<{ id: string; handedOff: number; replayed: number }>(
    `SELECT hubspot_contact_id AS id, count(*)::int AS "handedOff",
       count(*) FILTER (WHERE detail->>'created' = 'false')::int AS replayed
     FROM handoff_history WHERE action = 'handed_off' GROUP BY 1`,
  );
  const links = await db.query<{ id: string; salesforceId: string }>(
    `SELECT hubspot_contact_id AS id, salesforce_id AS "salesforceId" FROM record_links WHERE salesforce_object = 'Lead'`,
  );
  // One handoff starts one clock of each kind; "sets" counts how many handoffs started clocks for a Lead.
  const clocks = await db.query<{ leadId: string; sets: number }>(
    `SELECT lead_id AS "leadId", max(n)::int AS sets FROM (SELECT lead_id, kind, count(*) AS n FROM sla_timers GROUP BY 1, 2) k GROUP BY 1`,
  );
  const outcomes = await db.query<{ outcome: string | null; n: number }>(
    'SELECT outcome, count(*)::int AS n FROM webhook_inbox GROUP BY 1',
  );
  const pending = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_inbox WHERE processed_at IS NULL');
  const parked = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM parked_work');
  return {
    handedOff: new Map(history.rows.map((row) => [row.id, row.handedOff])),
    replayed: history.rows.reduce((sum, row) => sum + row.replayed, 0),
    links: new Map(links.rows.map((row) => [row.id, row.salesforceId])),
    clockSets: new Map(clocks.rows.map((row) => [row.leadId, row.sets])),
    outcomes: Object.fromEntries(outcomes.rows.map((row) => [row.outcome ?? 'pending', row.n])),
    pending: pending.rows[0]?.n ?? 0,
    parked: parked.rows[0]?.n ?? 0,
  };
}

/** True when every exactly-once figure holds. */
export function passed(verdict: Verdict): boolean {
  return (
    verdict.lost === 0 &&
    verdict.duplicateLeadsPerContact === 0 &&
    verdict.duplicateLeadsPerEmail === 0 &&
    verdict.unexpectedLeads === 0 &&
    verdict.staleLeads === 0 &&
    verdict.missingWriteBack === 0 &&
    verdict.pendingInbox === 0 &&
    verdict.auditNotExactlyOnce === 0 &&
    verdict.linkOrClockMismatch === 0 &&
    verdict.parked === 0
  );
}
