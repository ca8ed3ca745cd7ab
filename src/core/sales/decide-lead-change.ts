import type { FunnelStage } from '../contact.ts';
import { type ToHubSpotResult, toHubSpot } from '../field-mapping/apply-mapping.ts';
import type { MappingsBundle } from '../mappings/bundle.ts';
import { type HubSpotStageValues, hubspotValuesFor, stageForSalesforceStatus } from '../status-map/status-map.ts';
import { evaluateBant } from './bant.ts';
import { bantFlag, fitText, invalidReasonFlag, missingNoteFlag, missingReasonFlag } from './flags.ts';
import type { LeadChangeDecision, LeadChangeHistoryAction, LeadChangeOutcome, LeadMemory, LeadState } from './lead-change-types.ts';
import { fieldValue, fingerprintOf, parseFingerprint } from './lead-fields.ts';
import { findReason, type RejectionReason } from './rejection-schema.ts';

export { leadFieldsToRead } from './lead-fields.ts';

type Outcome = LeadChangeOutcome;
type Propagate = Extract<Outcome, { kind: 'propagate' }>;

/** Per Lead field, the values Handoff itself wrote or is about to write there. */
export type OurLeadValues = Readonly<Record<string, ReadonlyArray<string | null>>>;

const DAY_MS = 86_400_000;

/**
 * Decides what a changed Salesforce Lead means for HubSpot. Pure: `memory` is what was last acted on, `now` stamps
 * rejections. A rejection without a valid reason (or note) and an SQL without BANT are flagged, never propagated.
 * `ours` holds, per field, the values Handoff wrote (or is writing) to the Lead: a mapped field still holding one
 * of them is the echo of our own write (its value came from HubSpot), so it is not copied back, where it could
 * overwrite a newer HubSpot value.
 */
export function decideLeadChange(
  lead: LeadState,
  memory: LeadMemory | undefined,
  bundle: MappingsBundle,
  now: Date,
  ours: OurLeadValues = {},
): LeadChangeDecision {
  const fingerprint = fingerprintOf(lead, bundle);
  const stage = stageOf(lead, bundle);
  const decide = (outcome: Outcome): LeadChangeDecision => ({ fingerprint, stage: stage ?? null, outcome });
  if (memory?.fingerprint === fingerprint) return decide({ kind: 'none', reason: 'no change since last processed' });
  if (!stage) {
    const reason = lead.status ? `Lead Status "${lead.status}" is not in the status map` : 'the Lead has no status';
    return decide({ kind: 'none', reason });
  }
  const mapped = toHubSpot(withoutOurEchoes(lead.fields, ours), bundle.fieldMapping);
  if (onlyMappedFieldsChanged(memory, fingerprint, stage)) return decide(fieldsSynced(mapped, stage));
  return decide(decideStage(stage, lead, bundle, now, mapped));
}

/** The Lead's fields less those that still hold exactly a value we wrote. */
function withoutOurEchoes(fields: LeadState['fields'], ours: OurLeadValues): LeadState['fields'] {
  return Object.fromEntries(Object.entries(fields).filter(([field, value]) => !(ours[field]?.includes(value) ?? false)));
}

/** A converted Lead is an opportunity when conversion created one, else an SQL; otherwise the status map decides. */
function stageOf(lead: LeadState, bundle: MappingsBundle): FunnelStage | undefined {
  if (lead.isConverted) return lead.convertedOpportunityId ? 'opportunity' : 'sql';
  return stageForSalesforceStatus(lead.status, bundle.statusMap);
}

function decideStage(stage: FunnelStage, lead: LeadState, bundle: MappingsBundle, now: Date, mapped: ToHubSpotResult): Outcome {
  if (lead.isConverted) return converted(stage, lead, bundle, mapped);
  switch (stage) {
    case 'rejected':
      return rejected(lead, bundle, now, mapped);
    case 'sql':
      return sqlQualified(lead, bundle, mapped);
    case 'opportunity':
      return converted(stage, lead, bundle, mapped);
    default: {
      const values = hubspotValuesFor(stage, bundle.statusMap);
      return propagate(mapped, values, {}, 'status_synced', `Lead Status "${lead.status}" → ${stage}`, { stage }, stage);
    }
  }
}

function rejected(lead: LeadState, bundle: MappingsBundle, now: Date, mapped: ToHubSpotResult): Outcome {
  const sf = bundle.fieldMapping.salesforce.fields;
  const status = lead.status ?? '';
  const code = fieldValue(lead, sf.rejectionReason)?.trim() ?? '';
  if (code === '') return missingReasonFlag(bundle, status);
  const reason = findReason(bundle.rejection, code);
  if (!reason) return invalidReasonFlag(bundle, status, code);
  const note = fieldValue(lead, sf.rejectionNote)?.trim() ?? '';
  if (reason.requiresNote && note === '') return missingNoteFlag(bundle, status, reason);
  return rejectionFeedback(lead, reason, note, bundle, now, mapped);
}

/**
 * A valid rejection: lifecycle per the reason's rule, the reason's fields, and the list moves.
 * Note and recycle-after are cleared ('' clears a HubSpot property) when absent, so an earlier rejection's
 * values never linger on the contact.
 */
function rejectionFeedback(
  lead: LeadState,
  reason: RejectionReason,
  note: string,
  bundle: MappingsBundle,
  now: Date,
  mapped: ToHubSpotResult,
): Propagate {
  const hs = bundle.fieldMapping.hubspot;
  const recycle = reason.feedback.lifecycle === 'recycle';
  const values = hubspotValuesFor(recycle ? 'recycled' : 'rejected', bundle.statusMap);
  const days = reason.feedback.recycleAfterDays;
  const recycleAfter = days === undefined ? '' : new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
  const rejectedBy = lead.lastModifiedById ?? lead.ownerId;
  const extra: Record<string, string> = {
    [hs.rejectionReasonProperty]: reason.code,
    [hs.rejectionNoteProperty]: note,
    [hs.rejectedAtProperty]: now.toISOString(),
    [hs.recycleAfterProperty]: recycleAfter,
    ...(rejectedBy ? { [hs.rejectedByProperty]: rejectedBy } : {}),
  };
  const lists = { add: [reason.feedback.nurtureList], remove: [bundle.rejection.salesReadyList] };
  const detail = {
    reasonCode: reason.code,
    reasonLabel: reason.label,
    lifecycle: reason.feedback.lifecycle,
    nurtureList: reason.feedback.nurtureList,
    salesReadyList: bundle.rejection.salesReadyList,
    ...(recycleAfter ? { recycleAfter } : {}),
    ...(rejectedBy ? { rejectedBy } : {}),
  };
  const action = recycle ? 'recycled' : 'rejected';
  const why = `Rejected by sales: ${reason.label} (${reason.code}); ${recycle ? `recycled${recycleAfter ? ` after ${recycleAfter}` : ''}` : 'held'}`;
  return propagate(mapped, values, extra, action, why, detail, `rejected (${reason.code})`, lists);
}

function sqlQualified(lead: LeadState, bundle: MappingsBundle, mapped: ToHubSpotResult): Outcome {
  const bant = evaluateBant(bundle.sql, lead.fields);
  if (!bant.qualified) return bantFlag(bundle, lead.status ?? '', bant);
  const extra = { [bundle.fieldMapping.hubspot.sqlCriteriaProperty]: bant.metLabels.join(', ') };
  const detail = {
    criteria: bant.criteria.filter((c) => c.met).map(({ key, label, detail }) => ({ key, label, detail })),
    sqlVersion: bundle.versions.sql,
  };
  return propagate(
    mapped,
    hubspotValuesFor('sql', bundle.statusMap),
    extra,
    'sql_qualified',
    `BANT met: ${bant.metLabels.join(', ')}`,
    detail,
    'sql',
  );
}

/**
 * Conversion is final: a converted Lead is read-only in Salesforce (CANNOT_UPDATE_CONVERTED_LEAD), so it can
 * never be flagged. Converted without an opportunity is an SQL; the BANT criteria met are still recorded.
 */
function converted(stage: FunnelStage, lead: LeadState, bundle: MappingsBundle, mapped: ToHubSpotResult): Propagate {
  const metLabels = stage === 'sql' ? evaluateBant(bundle.sql, lead.fields).metLabels : [];
  const extra = metLabels.length > 0 ? { [bundle.fieldMapping.hubspot.sqlCriteriaProperty]: metLabels.join(', ') } : {};
  const detail = { convertedContactId: lead.convertedContactId, convertedOpportunityId: lead.convertedOpportunityId };
  const why = lead.convertedOpportunityId ? 'Lead converted with an opportunity' : 'Lead converted without an opportunity';
  return propagate(mapped, hubspotValuesFor(stage, bundle.statusMap), extra, 'converted', why, detail, stage);
}

/** Only fields mapped back to HubSpot changed (same stage, same decision values, nothing flagged): copy just those. */
function onlyMappedFieldsChanged(memory: LeadMemory | undefined, fingerprint: string, stage: FunnelStage): boolean {
  if (!memory || memory.flagged || memory.stage !== stage) return false;
  const before = parseFingerprint(memory.fingerprint);
  const now = parseFingerprint(fingerprint);
  return before !== undefined && now !== undefined && JSON.stringify(before.decision) === JSON.stringify(now.decision);
}

function fieldsSynced(mapped: ToHubSpotResult, stage: FunnelStage): Propagate {
  const detail = { fields: Object.keys(mapped.properties).sort(), ...problemsDetail(mapped) };
  return {
    kind: 'propagate',
    hubspot: { properties: mapped.properties, lists: { add: [], remove: [] } },
    syncStatus: fitText(`Synced to HubSpot: ${stage}`),
    history: { action: 'fields_synced', reason: 'Lead fields mapped to HubSpot changed', detail },
  };
}

/** Mapped fields go first: the cross-file checks keep them off the stage and feedback properties anyway. */
function propagate(
  mapped: ToHubSpotResult,
  values: HubSpotStageValues,
  extra: Record<string, string>,
  action: LeadChangeHistoryAction,
  reason: string,
  detail: Record<string, unknown>,
  shown: string,
  lists: Propagate['hubspot']['lists'] = { add: [], remove: [] },
): Propagate {
  return {
    kind: 'propagate',
    hubspot: {
      properties: { ...mapped.properties, hs_lead_status: values.hs_lead_status, ...extra },
      lifecyclestage: values.lifecyclestage,
      lists,
    },
    syncStatus: fitText(`Synced to HubSpot: ${shown}`),
    history: {
      action,
      reason,
      detail: { ...detail, lifecyclestage: values.lifecyclestage, hs_lead_status: values.hs_lead_status, ...problemsDetail(mapped) },
    },
  };
}

/** A value a reverse transform could not convert was left out; the history says which. */
function problemsDetail(mapped: ToHubSpotResult): Record<string, unknown> {
  return mapped.problems.length > 0 ? { mappingProblems: mapped.problems.map((p) => `${p.field}: ${p.message}`) } : {};
}
