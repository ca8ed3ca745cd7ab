import type { EmailMatches, LeadAssignment, SalesforcePort, SaveResult } from '../../adapters/salesforce/salesforce-port.ts';
import { buildLead, type LeadFields, withLeadId, withoutLeadId } from '../../core/handoff/build-lead.ts';
import { emailsOf, foreignLeadMessage, matchInSalesforce } from '../../core/handoff/salesforce-match.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { WriteIntent } from '../../store/write-intents.ts';
import { asWrittenValues, type ContactResult, parkResult } from './contact-result.ts';
import { parkableOrThrow } from './failure.ts';
import type { HandoffCandidate, LeadRefresh } from './handoff-candidate.ts';
import { CONVERTED_LEAD_ERROR, convertedNotDue, handedOff, linkExistingContact, refreshed } from './salesforce-outcomes.ts';

export { emailsOf, type SalesforceMatch } from '../../core/handoff/salesforce-match.ts';
export type { HandoffCandidate, LeadRefresh } from './handoff-candidate.ts';

interface Write {
  contactId: string;
  result: ContactResult;
  onSaved: (save: SaveResult) => void;
  /** Salesforce answered CANNOT_UPDATE_CONVERTED_LEAD: the Lead was converted before the write reached it. */
  onConverted: (save: SaveResult) => void;
}
type CreateWrite = Write & { record: LeadFields };
type UpdateWrite = Write & { record: LeadFields & { Id: string } };

/** Called with every record about to be written, before anything is sent (see store/writeIntents.ts). */
export type RecordIntents = (intents: WriteIntent[]) => Promise<void>;

/**
 * Writes qualified contacts and field changes to Salesforce. New MQLs are matched by e-mail first: our own Lead
 * is updated, an existing open Lead is adopted (keeping the rep's status), an existing Contact is linked, and only
 * otherwise a Lead is created. A Lead's owner never changes after creation through our writes: only creates may
 * run an assignment rule (`assignment`, from SALESFORCE_LEAD_ASSIGNMENT); every update sends Sforce-Auto-Assign:
 * FALSE (the port's updateRecords). What is about to be written is handed to `recordIntents` first, so our values
 * are known as ours even if the process dies between Salesforce's commit and ours.
 */
export async function writeToSalesforce(
  candidates: HandoffCandidate[],
  refreshes: LeadRefresh[],
  salesforce: SalesforcePort,
  bundle: MappingsBundle,
  recordIntents: RecordIntents,
  assignment: LeadAssignment = { kind: 'active-rule' },
): Promise<void> {
  const sf = bundle.fieldMapping.salesforce;
  const emails = emailsOf(candidates.map((c) => c.contact));
  let matches: EmailMatches = { leads: [], contacts: [] };
  try {
    if (emails.length > 0) matches = await salesforce.findByEmails(emails);
  } catch (error) {
    // Refused (by the API budget, refused credentials, or Salesforce itself): park, to be replayed later.
    const refused = parkableOrThrow(error, { salesforceDone: false });
    for (const { result } of [...candidates, ...refreshes])
      parkResult(result, 'handoff', 'salesforce', refused.message, { code: refused.code, ...refused.waiting });
    return;
  }

  const { creates, updates } = planWrites(candidates, refreshes, matches, bundle);
  const writes = [...creates, ...updates];
  if (writes.length > 0)
    await recordIntents(writes.map((write) => ({ contactId: write.contactId, values: asWrittenValues(withoutLeadId(write.record)) })));
  try {
    await createLeads(creates, salesforce, sf.externalIdField, assignment);
    if (updates.length > 0)
      settleAll(
        updates,
        await salesforce.updateRecords(
          'Lead',
          updates.map((w) => w.record),
        ),
      );
  } catch (error) {
    // A whole-call refusal (bad field, budget exhausted): park every record that was waiting on it.
    const refused = parkableOrThrow(error, { salesforceDone: false });
    for (const { result } of writes)
      if (result.outcome === 'pending')
        parkResult(result, 'handoff', 'salesforce', refused.message, { code: refused.code, ...refused.waiting });
  }
}

/** Which contacts get a new Lead, which Leads are updated (adopted, ours, refreshed); the rest are linked or parked here. */
function planWrites(
  candidates: HandoffCandidate[],
  refreshes: LeadRefresh[],
  matches: EmailMatches,
  bundle: MappingsBundle,
): { creates: CreateWrite[]; updates: UpdateWrite[] } {
  const sf = bundle.fieldMapping.salesforce;
  const creates: CreateWrite[] = [];
  const updates: UpdateWrite[] = [];
  for (const candidate of candidates) {
    const match = matchInSalesforce(candidate.contact, matches, candidate.leadId);
    const base = { contactId: candidate.contact.id, result: candidate.result };
    if (match.kind === 'create') {
      const how = 'created by external id';
      creates.push({
        ...base,
        record: candidate.lead,
        onSaved: (save) => handedOff(candidate, save, how),
        onConverted: (save) => convertedNotDue(candidate.result, save.id, 'handoff'),
      });
    } else if (match.kind === 'ours') {
      const how = candidate.requalified ? 're-qualified after recycling: the same Lead back to MQL' : 'our own Lead updated';
      const record = withLeadId(candidate.lead, match.leadId);
      updates.push({
        ...base,
        record,
        onSaved: (save) => handedOff(candidate, { ...save, id: match.leadId, created: false }, how),
        onConverted: () => convertedNotDue(candidate.result, match.leadId, 'handoff'),
      });
    } else if (match.kind === 'adopt') {
      const record = withLeadId(buildLead({ kind: 'adopt', update: candidate.updateFields, sent: candidate.lead }, sf), match.leadId);
      updates.push({
        ...base,
        record,
        onSaved: (save) => handedOff(candidate, { ...save, id: match.leadId }, 'existing Lead with the same e-mail adopted'),
        onConverted: () => convertedNotDue(candidate.result, match.leadId, 'handoff'),
      });
    } else if (match.kind === 'foreign') {
      parkResult(candidate.result, 'handoff', 'salesforce', foreignLeadMessage(match), { leadId: match.leadId });
    } else {
      linkExistingContact(candidate, match.contactId, match.convertedLeadId);
    }
  }
  for (const refresh of refreshes) {
    const record = withLeadId(refresh.lead, refresh.leadId);
    updates.push({
      contactId: refresh.contact.id,
      result: refresh.result,
      record,
      onSaved: (save) => refreshed(refresh, save),
      onConverted: () => convertedNotDue(refresh.result, refresh.leadId, 'refresh'),
    });
  }
  return { creates, updates };
}

/**
 * New Leads are sent as creates (the one place an assignment rule may run), never as upserts: an upsert that hits
 * an existing Lead is an update, and with the active rule on it would re-route that Lead. A create that meets a
 * Lead already holding this contact's external id (a retry after a crash between Salesforce's commit and ours; the
 * field is unique) fails with DUPLICATE_VALUE and changes nothing; only those records go again as an upsert with
 * no assignment rule, which updates our Lead and leaves its owner alone. That costs one more call only in that
 * rare case; the usual batch of new MQLs is one call per 200 as before.
 */
async function createLeads(
  creates: CreateWrite[],
  salesforce: SalesforcePort,
  externalIdField: string,
  assignment: LeadAssignment,
): Promise<void> {
  if (creates.length === 0) return;
  const saves = await salesforce.createLeads(
    creates.map((w) => w.record),
    assignment,
  );
  const existing: CreateWrite[] = [];
  creates.forEach((write, index) => {
    const save = saves[index] ?? missingResult();
    if (holdsOurExternalId(save, externalIdField)) existing.push(write);
    else settle(write, save.success ? { ...save, created: true } : save);
  });
  if (existing.length > 0)
    settleAll(
      existing,
      await salesforce.upsertLeads(
        existing.map((w) => w.record),
        externalIdField,
        { kind: 'none' },
      ),
    );
}

function holdsOurExternalId(save: SaveResult, externalIdField: string): boolean {
  return (
    !save.success &&
    save.errors.some(
      (e) => e.statusCode === 'DUPLICATE_VALUE' && (e.fields.includes(externalIdField) || e.message.includes(externalIdField)),
    )
  );
}

function settleAll(writes: Write[], saves: SaveResult[]): void {
  writes.forEach((write, index) => {
    settle(write, saves[index] ?? missingResult());
  });
}

/** A converted Lead is never a reason to park: the write is no longer due (see convertedNotDue). */
function settle(write: Write, save: SaveResult): void {
  if (!save.success && save.errors.some((e) => e.statusCode === CONVERTED_LEAD_ERROR)) write.onConverted(save);
  else write.onSaved(save);
}

const missingResult = (): SaveResult => ({
  success: false,
  errors: [{ statusCode: 'NO_RESULT', message: 'Salesforce returned no result for this record', fields: [] }],
});
