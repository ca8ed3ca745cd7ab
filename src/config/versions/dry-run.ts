import type { HubSpotContact } from '../../core/contact.ts';
import { formatBreakdown } from '../../core/definitions/format-breakdown.ts';
import { decideHandoff } from '../../core/handoff/decide-handoff.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { ValidationError } from '../../errors.ts';
import { type ContactReader, readContactsWithCompanies } from '../../jobs/handoff/read-contacts.ts';
import type { DryRunResult, DryRunSide } from './config-versions-port.ts';

export interface DryRunInput {
  contactId?: string;
  sample?: Record<string, string>;
}

/** The id a pasted sample is handed off under when it names none (it shows in the payload's external id). */
export const SAMPLE_CONTACT_ID = 'sample';

/**
 * Scores one contact under the active and the draft bundles and shows what the draft would write.
 * Reads HubSpot at most once (both bundles' properties together) and writes nothing anywhere.
 */
export async function dryRun(
  input: DryRunInput,
  bundles: { active: MappingsBundle; draft: MappingsBundle },
  deps: { hubspot: ContactReader; now: Date },
): Promise<DryRunResult> {
  const contact = await contactFor(
    input,
    [...new Set([...bundles.active.hubspotProperties, ...bundles.draft.hubspotProperties])].sort(),
    deps.hubspot,
  );
  return {
    contactId: input.contactId !== undefined ? contact.id : null,
    active: dryRunSide(contact, bundles.active, deps.now),
    draft: dryRunSide(contact, bundles.draft, deps.now),
  };
}

/** What the handoff would decide for this contact under `bundle` (pure). */
function dryRunSide(contact: HubSpotContact, bundle: MappingsBundle, now: Date): DryRunSide {
  const decision = decideHandoff(contact, bundle, now);
  const q = decision.qualification;
  return {
    version: q.version,
    qualified: q.qualified,
    score: q.score,
    breakdown: formatBreakdown(q),
    reasons: decision.action === 'skip' ? decision.reasons : q.reasons,
    salesforcePayload: decision.action === 'handoff' ? { ...decision.lead } : null,
  };
}

async function contactFor(input: DryRunInput, properties: string[], hubspot: ContactReader): Promise<HubSpotContact> {
  const { contactId, sample } = input;
  if ((contactId === undefined) === (sample === undefined)) {
    throw new ValidationError('a dry run needs a HubSpot contact id or a sample record (one of them)', [
      { path: 'contactId', message: 'give contactId or sample, not both or neither' },
    ]);
  }
  if (sample !== undefined) return { id: sample.hs_object_id ?? SAMPLE_CONTACT_ID, properties: { ...sample } };
  const read = await readContactsWithCompanies(hubspot, [contactId ?? ''], properties);
  const contact = read.contacts.find((c) => c.id === contactId) ?? read.contacts[0];
  if (!contact)
    throw new ValidationError(`HubSpot has no contact ${contactId}`, [
      { path: 'contactId', message: `HubSpot has no contact ${contactId}` },
    ]);
  return contact;
}
