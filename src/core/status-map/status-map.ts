import type { FunnelStage } from '../contact.ts';
import { definedStages, type StageMapping, type StatusMap } from './status-schema.ts';

export interface HubSpotStageValues {
  lifecyclestage: string;
  hs_lead_status: string;
}

/** With useSal false, SAL is not a stage of its own: it resolves to the stage the file names (salDisabledResolvesTo). */
function effectiveStage(stage: FunnelStage, map: StatusMap): FunnelStage {
  return stage === 'sal' && !map.useSal ? map.salDisabledResolvesTo : stage;
}

function mappingFor(stage: FunnelStage, map: StatusMap): StageMapping {
  const effective = effectiveStage(stage, map);
  const mapping = map.stages[effective];
  if (!mapping) throw new Error(`status map has no ${effective} stage (the schema should have refused it)`);
  return mapping;
}

/** The Lead Status to write for a stage. */
export function salesforceStatusFor(stage: FunnelStage, map: StatusMap): string {
  return mappingFor(stage, map).salesforce.write;
}

/** The HubSpot lifecycle stage and lead status to write for a stage. */
export function hubspotValuesFor(stage: FunnelStage, map: StatusMap): HubSpotStageValues {
  const { lifecyclestage, hs_lead_status } = mappingFor(stage, map).hubspot;
  return { lifecyclestage, hs_lead_status };
}

/** The stage a Salesforce Lead Status means (trimmed, case-insensitive); undefined for a status the map does not list. */
export function stageForSalesforceStatus(status: string | null | undefined, map: StatusMap): FunnelStage | undefined {
  const wanted = status?.trim().toLowerCase();
  if (!wanted) return undefined;
  for (const [stage, mapping] of definedStages(map.stages)) {
    if (mapping.salesforce.read.some((s) => s.toLowerCase() === wanted)) return effectiveStage(stage, map);
  }
  return undefined;
}

/**
 * The stage HubSpot values mean: the stage with exactly this lifecycle stage and lead status; failing that,
 * the first stage in funnel order with this lifecycle stage (lead status unknown or edited by hand).
 */
export function stageForHubSpot(
  lifecyclestage: string | null | undefined,
  leadStatus: string | null | undefined,
  map: StatusMap,
): FunnelStage | undefined {
  const lifecycle = lifecyclestage?.trim().toLowerCase();
  if (!lifecycle) return undefined;
  const status = leadStatus?.trim().toLowerCase() ?? '';
  const candidates = definedStages(map.stages)
    .filter(([stage]) => map.useSal || stage !== 'sal')
    .filter(([, mapping]) => mapping.hubspot.lifecyclestage === lifecycle);
  const exact = candidates.find(([, mapping]) => mapping.hubspot.hs_lead_status.toLowerCase() === status);
  return (exact ?? candidates[0])?.[0];
}
