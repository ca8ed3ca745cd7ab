import { type CarriedField, changeEventSchema } from './change-event-schema.ts';

export const OPPORTUNITY_CHANGE_TOPIC = '/data/OpportunityChangeEvent';

/**
 * Opportunity fields the event carries: what the service's poll reads (core/revenue/opportunity-reads.ts: stage,
 * what the stage sets, amount, close date, owner) plus the package's loss reason, the name and the account; set on
 * create, changed on update, else null. Dates go as text, as LastModifiedDate does in LeadChangeEvent.
 */
const OPPORTUNITY_FIELDS: CarriedField[] = [
  { name: 'Name', type: 'string' },
  { name: 'AccountId', type: 'string' },
  { name: 'StageName', type: 'string' },
  { name: 'Amount', type: 'double' },
  { name: 'CloseDate', type: 'string' },
  { name: 'IsClosed', type: 'boolean' },
  { name: 'IsWon', type: 'boolean' },
  { name: 'ForecastCategoryName', type: 'string' },
  { name: 'OwnerId', type: 'string' },
  { name: 'Handoff_Loss_Reason__c', type: 'string' },
  { name: 'LastModifiedDate', type: 'string' },
];

export const OPPORTUNITY_CHANGE = changeEventSchema('Opportunity', OPPORTUNITY_FIELDS);
export const OPPORTUNITY_CHANGE_SCHEMA_ID = OPPORTUNITY_CHANGE.schemaId;
