// What the field-mapping table flags as the admin picks: a value that cannot land in the target's type, a target
// nobody may write, picklist values the target does not offer. Pure: the page and jest both import it.

const SF_NUMBER = new Set(['double', 'int', 'long', 'currency', 'percent']);
const SF_TEXT = new Set(['string', 'textarea', 'email', 'phone', 'url', 'id', 'reference', 'encryptedstring', 'combobox']);
const SF_PICKLIST = new Set(['picklist', 'multipicklist']);

const transformNames = (transforms) => (transforms ?? []).map((t) => (typeof t === 'string' ? t : Object.keys(t)[0]));
const picklistOf = (transforms) => (transforms ?? []).find((t) => t && typeof t === 'object' && 'picklist' in t)?.picklist;

/** The kind of value a HubSpot property carries once the row's transforms have run. */
function kindAfter(hubspotType, transforms) {
  const names = transformNames(transforms);
  for (const name of names.toReversed()) {
    if (name === 'number' || name === 'integer') return 'number';
    if (name === 'boolean') return 'boolean';
    if (name === 'date') return 'date';
    if (name === 'datetime') return 'datetime';
    if (name === 'picklist') return 'text';
  }
  return { number: 'number', bool: 'boolean', date: 'date', datetime: 'datetime' }[hubspotType] ?? 'text';
}

function typeProblem(kind, sfType) {
  if (SF_NUMBER.has(sfType) && kind !== 'number') return `Salesforce ${sfType} needs a number: add the number or integer transform`;
  if (sfType === 'boolean' && kind !== 'boolean') return 'Salesforce checkbox needs true/false: add the boolean transform';
  if (sfType === 'date' && kind !== 'date' && kind !== 'datetime') return 'Salesforce date needs a date: add the date transform';
  if (sfType === 'datetime' && kind !== 'datetime' && kind !== 'date') return 'Salesforce date/time needs one: add the datetime transform';
  if ((SF_TEXT.has(sfType) || SF_PICKLIST.has(sfType)) && kind === 'boolean') return `Salesforce ${sfType} gets "true"/"false" as text`;
  return undefined;
}

/** HubSpot values as they reach Salesforce, through a picklist transform's map and fallback. */
function valuesSent(options, transforms) {
  const picklist = picklistOf(transforms);
  return options.map((o) => picklist?.values?.[o.value] ?? picklist?.fallback ?? o.value);
}

/**
 * Flags for one row. `property` and `field` are the live schemas' entries (undefined when not found); company
 * properties (company.<name>) are not in the contact list and are not flagged as missing.
 */
export function rowFlags(row, property, field) {
  const flags = [];
  const toSalesforce = row.direction !== 'to_hubspot';
  const toHubSpot = row.direction !== 'to_salesforce';
  if (!property && !String(row.hubspot ?? '').startsWith('company.'))
    flags.push({ kind: 'unknown', text: `HubSpot has no contact property ${row.hubspot}` });
  if (!field) flags.push({ kind: 'unknown', text: `Salesforce has no field ${row.salesforce}` });
  if (field && toSalesforce && !field.createable && !field.updateable)
    flags.push({ kind: 'read-only', text: `${field.name} is read-only in Salesforce` });
  else if (field && toSalesforce && !field.updateable)
    flags.push({ kind: 'read-only', text: `${field.name} can be set only when the Lead is created` });
  if (property && toHubSpot && property.readOnly)
    flags.push({ kind: 'read-only', text: `HubSpot computes ${property.name}: it cannot be written` });
  if (property && field && toSalesforce) {
    const problem = typeProblem(kindAfter(property.type, row.transforms), field.type);
    if (problem) flags.push({ kind: 'type', text: problem });
  }
  if (property && field && toSalesforce && SF_PICKLIST.has(field.type) && property.options.length > 0) {
    const offered = new Set(field.picklistValues.filter((p) => p.active).map((p) => p.value));
    const missing = [...new Set(valuesSent(property.options, row.transforms))].filter((v) => !offered.has(v));
    if (missing.length > 0) flags.push({ kind: 'picklist', text: `Salesforce's ${field.name} does not offer ${missing.join(', ')}` });
  }
  if (property && field && toHubSpot && property.options.length > 0 && SF_PICKLIST.has(field.type)) {
    const offered = new Set(property.options.map((o) => o.value));
    const missing = field.picklistValues.filter((p) => p.active && !offered.has(p.value)).map((p) => p.value);
    if (missing.length > 0) flags.push({ kind: 'picklist', text: `HubSpot's ${property.name} does not offer ${missing.join(', ')}` });
  }
  return flags;
}
