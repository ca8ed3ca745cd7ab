import { type ContactWrite, writeContactChanges } from '../../adapters/hubspot/contact-writes.ts';
import { SALESFORCE_LIMITS } from '../../adapters/salesforce/limits.ts';
import { chunk, soqlIn, soqlName } from '../../adapters/salesforce/soql.ts';
import type { BackfillCounts } from '../../core/backfill/counts.ts';
import { planResync, type ResyncPlan } from '../../core/backfill/resync-plan.ts';
import type { SampleEntry } from '../../core/backfill/sample.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import { outcomeText } from '../../core/handoff/outcomes.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { decideLeadChange, leadFieldsToRead } from '../../core/sales/decide-lead-change.ts';
import type { LeadState } from '../../core/sales/lead-change-types.ts';
import { linksForContacts } from '../../store/links.ts';
import { type ContactResult, parkResult } from '../handoff/contact-result.ts';
import { applyListChanges } from '../salesforce-poll/hubspot-feedback.ts';
import { toLeadState } from '../salesforce-poll/lead-state.ts';
import { markViaBackfill, missingContacts, resultFor, tally, type UnitDeps, type UnitWork } from './unit-outcome.ts';

type Update = Extract<ResyncPlan, { kind: 'update' }>;
interface Planned {
  contact: HubSpotContact;
  lead: LeadState;
  plan: Update;
}

/** Resync mode: for linked contacts, HubSpot's handoff fields and statuses brought in line with the Lead. */
export const resyncUnit: UnitWork = (run, unit, bundle, deps) => resync(run.id, unit.contacts, unit.missing, bundle, deps, true);
/** Resync mode, dry run: what would change, read from both sides; nothing written. */
export const dryRunResyncUnit: UnitWork = (run, unit, bundle, deps) => resync(run.id, unit.contacts, unit.missing, bundle, deps, false);

async function resync(
  runId: string,
  contacts: HubSpotContact[],
  missing: string[],
  bundle: MappingsBundle,
  deps: UnitDeps,
  write: boolean,
) {
  const counts: Partial<BackfillCounts> = { read: contacts.length + missing.length };
  const sample: SampleEntry[] = [];
  const results = missingContacts(missing, counts, sample, write);
  const links = await linksForContacts(
    deps.db,
    contacts.map((contact) => contact.id),
  );
  const linked = contacts.filter((contact) => links.has(contact.id));
  for (const contact of contacts.filter((c) => !links.has(c.id))) {
    tally(counts, 'notLinked');
    sample.push({ contactId: contact.id, verdict: 'not linked', reasons: ['never handed off: nothing to resync'] });
  }
  const leads = await leadsFor(
    linked.map((contact) => contact.id),
    bundle,
    deps,
  );
  const planned: Planned[] = [];
  for (const contact of linked) {
    const link = links.get(contact.id)!;
    const lead = leads.get(contact.id);
    if (!lead && link.salesforceObject === 'Lead') {
      tally(counts, 'errors');
      sample.push({
        contactId: contact.id,
        verdict: 'Lead not found',
        reasons: [`linked Lead ${link.salesforceId} is not in Salesforce (deleted or merged)`],
      });
      continue;
    }
    if (!lead) {
      tally(counts, 'skipped');
      sample.push({
        contactId: contact.id,
        verdict: 'skipped',
        reasons: [`linked to Salesforce Contact ${link.salesforceId}, with no Lead of ours to follow`],
      });
      continue;
    }
    const plan = planResync(contact.properties, lead, decideLeadChange(lead, undefined, bundle, deps.now()), bundle);
    if (plan.kind === 'update') planned.push({ contact, lead, plan });
    else {
      tally(counts, plan.kind === 'in_sync' ? 'inSync' : 'skipped');
      sample.push({
        contactId: contact.id,
        verdict: plan.kind === 'in_sync' ? 'in sync' : 'skipped',
        reasons: plan.kind === 'skipped' ? [plan.reason] : [],
        salesforce: `Lead ${lead.id}`,
      });
    }
  }
  if (!write) {
    for (const { contact, lead, plan } of planned) {
      tally(counts, 'resynced');
      sample.push({ contactId: contact.id, verdict: 'would resync', reasons: [plan.reason], salesforce: `Lead ${lead.id}` });
    }
    return { results: [], counts, sample };
  }
  results.push(...(await applyPlans(planned, deps)));
  for (const result of results) {
    markViaBackfill(result, runId);
    if (result.outcome === 'resynced' || result.outcome === 'resynced_list_membership_parked') tally(counts, 'resynced');
    if (result.park) tally(counts, 'parked');
    if (result.outcome !== 'contact_not_found') {
      sample.push({
        contactId: result.contactId,
        verdict: outcomeText(result),
        reasons: result.history.map((h) => h.reason ?? '').filter(Boolean),
      });
    }
  }
  return { results, counts, sample };
}

/** Our Leads for these contacts, by the external id that holds the HubSpot contact id (converted ones too). */
async function leadsFor(
  contactIds: string[],
  bundle: MappingsBundle,
  deps: Pick<UnitDeps, 'salesforce' | 'leadReads'>,
): Promise<Map<string, LeadState>> {
  const sf = bundle.fieldMapping.salesforce;
  const salesforce = deps.salesforce;
  const wanted = [...new Set([...leadFieldsToRead(bundle), sf.fields.score, sf.fields.definitionVersion])];
  const fields = (deps.leadReads ? await deps.leadReads.available(wanted) : wanted).map(soqlName);
  const leads = new Map<string, LeadState>();
  for (const part of chunk(contactIds, SALESFORCE_LIMITS.collectionBatchSize)) {
    const rows = await salesforce.query<Record<string, unknown>>(
      `SELECT ${fields.join(', ')} FROM Lead WHERE ${soqlName(sf.externalIdField)} IN ${soqlIn(part)}`,
    );
    for (const row of rows) {
      const lead = toLeadState(row, sf.externalIdField, sf.statusField);
      if (lead.hubspotContactId) leads.set(lead.hubspotContactId, lead);
    }
  }
  return leads;
}

/** Writes the planned changes (a backward lifecycle move in two steps), then the list moves of those that took. */
async function applyPlans(planned: Planned[], deps: UnitDeps): Promise<ContactResult[]> {
  if (planned.length === 0) return [];
  const writes: ContactWrite[] = planned.map(({ contact, plan }) => ({
    id: contact.id,
    properties: plan.properties,
    ...(plan.lifecyclestage ? { lifecyclestage: plan.lifecyclestage } : {}),
  }));
  const outcome = await writeContactChanges(deps.hubspot, writes);
  const failed = new Map(outcome.failed.map((failure) => [failure.id, failure.message]));
  const moved = planned.filter(
    ({ contact, plan }) => !failed.has(contact.id) && (plan.lists.add.length > 0 || plan.lists.remove.length > 0),
  );
  const membership = await applyListChanges(
    moved.map(({ contact, plan }) => ({ contactId: contact.id, feedback: { properties: {}, lists: plan.lists } })),
    deps.hubspot,
    deps.lists,
  );
  return planned.map(({ contact, lead, plan }) => {
    const result = resultFor(contact.id);
    const failure = failed.get(contact.id);
    if (failure) {
      parkResult(result, 'resync', 'hubspot', failure, { properties: plan.properties, leadId: lead.id });
      return result;
    }
    const written = { ...plan.properties, ...(plan.lifecyclestage ? { lifecyclestage: plan.lifecyclestage.value } : {}) };
    result.outcome = 'resynced';
    result.hubspotUpdate = written;
    result.history.push({
      hubspotContactId: contact.id,
      salesforceId: lead.id,
      action: 'resynced',
      stage: plan.stage,
      reason: plan.reason,
      detail: { hubspotWritten: written, listsAdded: plan.lists.add, listsRemoved: plan.lists.remove },
    });
    const listFailure = membership.failed.get(contact.id);
    if (listFailure) parkResult(result, 'resync', 'hubspot', listFailure, { lists: plan.lists, leadId: lead.id });
    if (listFailure) result.outcome = 'resynced_list_membership_parked';
    return result;
  });
}
