import type { HubSpotProperties } from '../contact.ts';
import { isForwardLifecycleMove } from '../lifecycle.ts';
import type { MappingsBundle } from '../mappings/bundle.ts';
import type { LeadChangeDecision, LeadState } from '../sales/lead-change-types.ts';

/** What a resync does for one linked contact, decided from its Lead by the poll's own decision code. */
export type ResyncPlan =
  | { kind: 'in_sync'; stage: string | null }
  /** Nothing to bring in line: the Lead waits for its rep (a flag), or its status is not in the status map. */
  | { kind: 'skipped'; stage: string | null; reason: string }
  | {
      kind: 'update';
      stage: string | null;
      properties: Record<string, string>;
      lifecyclestage?: { value: string; backward: boolean };
      lists: { add: string[]; remove: string[] };
      /** Why: the Lead's decision, and what was found out of line. */
      reason: string;
    };

/** Stages the handoff itself sets: a recycle may move a contact back from these, never from a later one. */
const RECYCLABLE_FROM = new Set(['marketingqualifiedlead', 'salesqualifiedlead']);

/**
 * Compares what the Lead says HubSpot should hold with what it holds. Values stamped when something
 * happened (rejected at, rejected by, recycle after) are kept when HubSpot has one: a resync corrects
 * statuses, it does not re-date history. The lifecycle stage only moves forward, except that a recycled
 * Lead brings back a contact the handoff itself moved (MQL or SQL), as the poll does.
 */
export function planResync(current: HubSpotProperties, lead: LeadState, decision: LeadChangeDecision, bundle: MappingsBundle): ResyncPlan {
  const stage = decision.stage;
  const outcome = decision.outcome;
  if (outcome.kind === 'none') return { kind: 'skipped', stage, reason: outcome.reason };
  if (outcome.kind === 'flag') return { kind: 'skipped', stage, reason: `waiting for the rep: ${outcome.message}` };
  const hs = bundle.fieldMapping.hubspot;
  const stamped = new Set([hs.rejectedAtProperty, hs.rejectedByProperty, hs.recycleAfterProperty]);
  const wanted = { ...handoffFieldsOf(lead, bundle), ...outcome.hubspot.properties };
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(wanted)) {
    const now = current[name] ?? '';
    if (now === value) continue;
    if (stamped.has(name) && now !== '' && value !== '') continue;
    properties[name] = value;
  }
  const lifecyclestage = lifecycleMove(current.lifecyclestage ?? null, outcome.hubspot.lifecyclestage, outcome.history.action);
  if (Object.keys(properties).length === 0 && !lifecyclestage) return { kind: 'in_sync', stage };
  const changed = [...Object.keys(properties), ...(lifecyclestage ? ['lifecyclestage'] : [])].sort();
  return {
    kind: 'update',
    stage,
    properties,
    ...(lifecyclestage ? { lifecyclestage } : {}),
    lists: outcome.hubspot.lists,
    reason: `Lead ${lead.id} says ${stage ?? 'no stage'} (${outcome.history.reason}); HubSpot differed in ${changed.join(', ')}`,
  };
}

function lifecycleMove(
  current: string | null,
  target: string | undefined,
  action: string,
): { value: string; backward: boolean } | undefined {
  if (!target || current === target) return undefined;
  if (isForwardLifecycleMove(current, target)) return { value: target, backward: false };
  if (action === 'recycled' && current !== null && RECYCLABLE_FROM.has(current)) return { value: target, backward: true };
  return undefined;
}

/** What the handoff wrote on the contact, as the Lead now holds it: its id, score and definition version. */
export function handoffFieldsOf(lead: LeadState, bundle: MappingsBundle): Record<string, string> {
  const hs = bundle.fieldMapping.hubspot;
  const sf = bundle.fieldMapping.salesforce.fields;
  const fields: Record<string, string> = { [hs.salesforceIdProperty]: lead.id };
  const score = lead.fields[sf.score];
  const version = lead.fields[sf.definitionVersion];
  if (hs.mqlScoreProperty && score !== null && score !== undefined) fields[hs.mqlScoreProperty] = String(Number(score));
  if (hs.definitionVersionProperty && version) fields[hs.definitionVersionProperty] = version;
  return fields;
}
