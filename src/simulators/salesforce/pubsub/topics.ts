import type { ChangeEventSchema } from './change-event-schema.ts';
import { LEAD_CHANGE, LEAD_CHANGE_TOPIC } from './lead-change-event.ts';
import { OPPORTUNITY_CHANGE, OPPORTUNITY_CHANGE_TOPIC } from './opportunity-change-event.ts';

/** The objects the simulated org can select for Change Data Capture (Setup > Change Data Capture). */
export type CdcEntity = 'Lead' | 'Opportunity';
export const CDC_ENTITIES: readonly CdcEntity[] = ['Lead', 'Opportunity'];

/** A change event channel: "/data/<Standard_Object_Name>ChangeEvent" (Platform Events Developer Guide, "Change Data Capture Events"). */
export interface ChangeTopic {
  name: string;
  schema: ChangeEventSchema;
}

export const CHANGE_TOPICS: Record<CdcEntity, ChangeTopic> = {
  Lead: { name: LEAD_CHANGE_TOPIC, schema: LEAD_CHANGE },
  Opportunity: { name: OPPORTUNITY_CHANGE_TOPIC, schema: OPPORTUNITY_CHANGE },
};
