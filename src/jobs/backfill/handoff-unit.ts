import type { BackfillCounts } from '../../core/backfill/counts.ts';
import type { SampleEntry } from '../../core/backfill/sample.ts';
import { decideHandoff } from '../../core/handoff/decide-handoff.ts';
import { OUTCOME_TEXTS, outcomeText } from '../../core/handoff/outcomes.ts';
import { emailsOf, foreignLeadMessage, matchInSalesforce } from '../../core/handoff/salesforce-match.ts';
import { linksForContacts } from '../../store/links.ts';
import type { ContactResult } from '../handoff/contact-result.ts';
import { decideAndWrite } from '../handoff/handoff-contacts.ts';
import { prepareWriteBack } from '../handoff/hubspot-writeback.ts';
import { markViaBackfill, missingContacts, resultFor, tally, type UnitOutcome, type UnitWork } from './unit-outcome.ts';

/**
 * Handoff mode: the real-time path's own decideAndWrite on already-read contacts, leaving linked ones alone.
 * Same decisions, same idempotent writes (upsert by external id), same audit entries marked `via: backfill`.
 */
export const handOffUnit: UnitWork = async (run, unit, bundle, deps) => {
  const counts: Partial<BackfillCounts> = { read: unit.contacts.length + unit.missing.length };
  const sample: SampleEntry[] = [];
  const results: ContactResult[] = missingContacts(unit.missing, counts, sample, true);
  const newResult = (id: string) => {
    const result = resultFor(id);
    results.push(result);
    return result;
  };
  const writeBack = await decideAndWrite(unit.contacts, newResult, bundle, deps, new Map(), { linked: 'skip' });
  // Queued in the outbox with the unit's commit, like the real-time path's, and sent at the backfill's `bulk` priority.
  prepareWriteBack(writeBack, bundle, 'bulk');
  for (const result of results) {
    markViaBackfill(result, run.id);
    if (result.outcome === 'contact_not_found') continue;
    countOutcome(result, counts);
    sample.push(sampleOf(result));
  }
  return { results, counts, sample };
};

function countOutcome({ outcome, writeBackParked }: ContactResult, counts: Partial<BackfillCounts>): void {
  const parked = writeBackParked ? ['parked' as const] : [];
  if (outcome === 'already_linked') tally(counts, 'alreadyLinked');
  else if (outcome === 'not_qualified') tally(counts, 'notQualified');
  else if (outcome === 'handed_off') tally(counts, 'qualified', 'handedOff', ...parked);
  else if (outcome === 'linked_existing_contact') tally(counts, 'qualified', 'linkedExisting', ...parked);
  else if (outcome === 'parked') tally(counts, 'qualified', 'parked');
  else if (outcome === 'lead_converted') tally(counts, 'qualified', 'skipped');
  else tally(counts, 'errors');
}

function sampleOf(result: ContactResult): SampleEntry {
  const reasons = result.history.map((entry) => entry.reason).filter((reason): reason is string => Boolean(reason));
  return {
    contactId: result.contactId,
    verdict: outcomeText(result),
    reasons,
    score: result.score ?? null,
    ...(result.link ? { salesforce: `${result.link.salesforceObject} ${result.link.salesforceId}` } : {}),
  };
}

/**
 * Handoff mode, dry run: the same decisions and the same Salesforce matching (read-only), reported as what
 * would happen. Nothing is written anywhere but the run record.
 */
export const dryRunHandoffUnit: UnitWork = async (_run, unit, bundle, deps) => {
  const counts: Partial<BackfillCounts> = { read: unit.contacts.length + unit.missing.length };
  const sample: SampleEntry[] = [];
  missingContacts(unit.missing, counts, sample, false);
  const links = await linksForContacts(
    deps.db,
    unit.contacts.map((contact) => contact.id),
  );
  const qualified = [];
  for (const contact of unit.contacts) {
    const link = links.get(contact.id);
    if (link) {
      tally(counts, 'alreadyLinked');
      sample.push({
        contactId: contact.id,
        verdict: OUTCOME_TEXTS.already_linked,
        reasons: [],
        salesforce: `${link.salesforceObject} ${link.salesforceId}`,
      });
      continue;
    }
    const decision = decideHandoff(contact, bundle, deps.now());
    if (decision.action === 'skip') {
      tally(counts, 'notQualified');
      sample.push({ contactId: contact.id, verdict: 'not_qualified', reasons: decision.reasons, score: decision.qualification.score });
    } else qualified.push({ contact, decision });
  }
  const emails = emailsOf(qualified.map((q) => q.contact));
  const matches = emails.length > 0 ? await deps.salesforce.findByEmails(emails) : { leads: [], contacts: [] };
  for (const { contact, decision } of qualified) {
    const match = matchInSalesforce(contact, matches);
    const base = { contactId: contact.id, reasons: decision.qualification.reasons, score: decision.qualification.score };
    if (match.kind === 'create' || match.kind === 'ours') {
      tally(counts, 'qualified', 'handedOff');
      sample.push({
        ...base,
        verdict: 'would hand off',
        salesforce: match.kind === 'create' ? 'would create its Lead' : `would update its own Lead ${match.leadId}`,
      });
    } else if (match.kind === 'adopt') {
      tally(counts, 'qualified', 'handedOff');
      sample.push({ ...base, verdict: 'would hand off', salesforce: `would adopt Lead ${match.leadId} (same e-mail)` });
    } else if (match.kind === 'foreign') {
      tally(counts, 'qualified', 'parked');
      sample.push({ ...base, verdict: 'would park', salesforce: foreignLeadMessage(match) });
    } else if (match.kind === 'contact') {
      tally(counts, 'qualified', 'linkedExisting');
      sample.push({ ...base, verdict: 'would link an existing Contact', salesforce: `Contact ${match.contactId}` });
    }
  }
  return { results: [], counts, sample } satisfies UnitOutcome;
};
