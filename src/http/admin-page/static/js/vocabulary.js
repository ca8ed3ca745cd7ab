// The closed sets the page's forms offer, as core defines them (test/unit/http/admin-page/vocabulary-parity.test.ts
// holds each equal to core's, so a value core adds or drops cannot be missed here).

/** Operators and the operands each takes (core/definitions/conditions.ts). */
export const OPERANDS = {
  eq: ['value'],
  neq: ['value'],
  contains: ['value'],
  matches: ['value'],
  gt: ['value'],
  gte: ['value'],
  lt: ['value'],
  lte: ['value'],
  in: ['values'],
  notIn: ['values'],
  emailDomainIn: ['values'],
  between: ['min', 'max'],
  exists: [],
  isEmpty: [],
  isTrue: [],
};

/** The transforms that take no parameter (core/field-mapping/transforms.ts). */
export const SIMPLE_TRANSFORMS = ['trim', 'lower', 'upper', 'number', 'integer', 'boolean', 'date', 'datetime'];

/** HubSpot's built-in lifecycle stage internal values (core/status-map/status-schema.ts). */
export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
];
