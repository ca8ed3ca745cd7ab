import type { AccountOwner, EmailMatches, LeadAssignment, SalesforcePort, SaveResult } from '../../adapters/salesforce/salesforce-port.ts';
import { buildLead, type LeadFields, withLeadId, withLeadOwner, withoutLeadId } from '../../core/handoff/build-lead.ts';
import { emailsOf, foreignLeadMessage, matchInSalesforce } from '../../core/handoff/salesforce-match.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { WriteIntent } from '../../store/write-intents.ts';
import { accountDomainsToAsk } from '../routing/routing-facts.ts';
import { asWrittenValues, type ContactResult, parkResult } from './contact-result.ts';
import { parkableOrThrow } from './failure.ts';
import type { HandoffCandidate, LeadRefresh } from './handoff-candidate.ts';
import { type HandoffRouting, recordAssignments } from './record-assignments.ts';
import { headerKey, type RoutedCreate, routeCreates } from './route-creates.ts';
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
type CreateWrite = Write & {
  record: LeadFields;
  candidate: HandoffCandidate;
  header?: LeadAssignment;
  /** The Lead already existed (a retried create): it kept the owner it has, which is read back, not ours. */
  ownerKept?: boolean;
  /** The Lead's owner as read back with the create (see createLeads' readOwners). */
  ownerRead?: string;
};
type UpdateWrite = Write & { record: LeadFields & { Id: string } };

/** Called with every record about to be written, before anything is sent (see store/writeIntents.ts). */
export type RecordIntents = (intents: WriteIntent[]) => Promise<void>;

/**
 * Writes qualified contacts and field changes to Salesforce. New MQLs are matched by e-mail first: our own Lead
 * is updated, an existing open Lead is adopted (keeping the rep's status), an existing Contact is linked, and only
 * otherwise a Lead is created, with the owner routing.yaml chooses (`routing`; without it, the org's active assignment
 * rule). A Lead's owner never changes after creation through our writes: only creates may run an assignment rule;
 * every update sends Sforce-Auto-Assign: FALSE (the port's updateRecords). What is about to be written is handed to
 * `recordIntents` first, so our values are known as ours even if the process dies between Salesforce's commit and ours.
 */
export async function writeToSalesforce(
  candidates: HandoffCandidate[],
  refreshes: LeadRefresh[],
  salesforce: SalesforcePort,
  bundle: MappingsBundle,
  recordIntents: RecordIntents,
  routing?: HandoffRouting,
): Promise<void> {
  const sf = bundle.fieldMapping.salesforce;
  const emails = emailsOf(candidates.map((c) => c.contact));
  let matches: EmailMatches = { leads: [], contacts: [] };
  // The Accounts routing looks up by domain travel with the e-mail match: no call or round trip of their own.
  const accountDomains = routing
    ? accountDomainsToAsk(
        candidates.map((c) => c.contact),
        bundle.routing,
      )
    : undefined;
  try {
    if (emails.length > 0) matches = await salesforce.findByEmails(emails, accountDomains ? { accountDomains } : {});
  } catch (error) {
    // Refused (by the API budget, refused credentials, or Salesforce itself): park, to be replayed later.
    const refused = parkableOrThrow(error, { salesforceDone: false });
    for (const { result } of [...candidates, ...refreshes])
      parkResult(result, 'handoff', 'salesforce', refused.message, { code: refused.code, ...refused.waiting });
    return;
  }

  const planned = planWrites(candidates, refreshes, matches, bundle);
  const { updates } = planned;
  const routed = routing ? await routeOrPark(planned.creates, bundle, routing, matches.accounts) : undefined;
  const creates = routed ? routed.creates : planned.creates;
  const writes = [...creates, ...updates];
  if (writes.length > 0)
    await recordIntents(writes.map((write) => ({ contactId: write.contactId, values: asWrittenValues(withoutLeadId(write.record)) })));
  try {
    await createLeads(creates, salesforce, sf.externalIdField, routing !== undefined);
    if (routing && routed) await recordAssignments(creates, routed.routed, bundle, routing);
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
        candidate,
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
  readOwners: boolean,
): Promise<void> {
  const groups = new Map<string, CreateWrite[]>();
  for (const write of creates) {
    const key = headerKey(write.header ?? DEFAULT_HEADER);
    groups.set(key, [...(groups.get(key) ?? []), write]);
  }
  for (const group of groups.values()) await createGroup(group, salesforce, externalIdField, readOwners);
}

/** Without routing (tests of the write path alone): the org's active assignment rule, as Salesforce's default. */
const DEFAULT_HEADER: LeadAssignment = { kind: 'active-rule' };

async function createGroup(
  creates: CreateWrite[],
  salesforce: SalesforcePort,
  externalIdField: string,
  readOwners: boolean,
): Promise<void> {
  // Routed creates read their owners back in the same call: the owner is told who without another round trip.
  const saves = await salesforce.createLeads(
    creates.map((w) => w.record),
    creates[0]?.header ?? DEFAULT_HEADER,
    readOwners ? { readOwners } : undefined,
  );
  const existing: CreateWrite[] = [];
  creates.forEach((write, index) => {
    const save = saves[index] ?? missingResult();
    if (save.ownerId) write.ownerRead = save.ownerId;
    if (holdsOurExternalId(save, externalIdField)) existing.push(write);
    else settle(write, save.success ? { ...save, created: true } : save);
  });
  if (existing.length > 0) {
    // An existing Lead keeps its owner: the routed OwnerId is not sent again (a rep may have taken it since).
    for (const write of existing) write.ownerKept = true;
    settleAll(
      existing,
      await salesforce.upsertLeads(
        existing.map((w) => withoutOwner(w.record)),
        externalIdField,
        { kind: 'none' },
      ),
    );
  }
}

function withoutOwner(record: LeadFields): LeadFields {
  const { OwnerId: _owner, ...rest } = record;
  return rest;
}

/**
 * Routes the creates (routing.yaml) and sets each one's owner and header. A refused read on the way (Salesforce or
 * HubSpot) parks the creates, to be replayed later; the pools' turns are reserved, so a replay takes no new turn.
 */
async function routeOrPark(
  creates: CreateWrite[],
  bundle: MappingsBundle,
  routing: HandoffRouting,
  accounts: AccountOwner[] | undefined,
): Promise<{ creates: CreateWrite[]; routed: Awaited<ReturnType<typeof routeCreates>> } | undefined> {
  if (creates.length === 0) return undefined;
  try {
    const routed = await routeCreates(
      creates.map((w) => ({ contact: w.candidate.contact, qualification: w.candidate.qualification })),
      bundle,
      routing,
      accounts ? { accounts } : {},
    );
    return { creates: creates.map((write) => withRoute(write, routed.routed.get(write.contactId))), routed };
  } catch (error) {
    const refused = parkableOrThrow(error, { salesforceDone: false });
    for (const { result } of creates)
      parkResult(result, 'handoff', refused.provider, refused.message, { step: 'route', code: refused.code, ...refused.waiting });
    return { creates: [], routed: { routed: new Map(), directory: { users: new Map(), queues: new Map(), people: new Map() } } };
  }
}

function withRoute(write: CreateWrite, route: RoutedCreate | undefined): CreateWrite {
  if (!route) return write;
  return { ...write, header: route.header, record: route.ownerId ? withLeadOwner(write.record, route.ownerId) : write.record };
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
