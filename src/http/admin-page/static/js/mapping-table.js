// field-mapping.yaml as a table: each row a HubSpot property ⇄ Salesforce field picked from the live schemas,
// with direction, transforms (the closed set), required and default, flagged inline as the admin picks.
import { h, say } from './dom.js';
import { rowFlags } from './mapping-checks.js';
import { describeField, describeProperty, liveSchemas } from './schemas.js';
import { SIMPLE_TRANSFORMS } from './vocabulary.js';
import { appendItem, appendToList, moveItem, readValue, removeFromList, removeItem, setValue } from './yaml-edit.js';

const DIRECTIONS = [
  ['to_salesforce', 'HubSpot → Salesforce'],
  ['to_hubspot', 'Salesforce → HubSpot'],
  ['both', 'Both ways'],
];
/** The transforms a picker can add; truncate and picklist take parameters: the code editor writes those. */

const transformLabel = (t) =>
  typeof t === 'string'
    ? t
    : 'truncate' in t
      ? `truncate to ${t.truncate.max}`
      : `picklist (${Object.keys(t.picklist.values ?? {}).length} values)`;

function select(id, label, current, choices) {
  const known = choices.some(([value]) => value === current);
  const options = [
    !known &&
      current !== undefined &&
      h(
        'option',
        { value: current, selected: true },
        `${current} (${current.startsWith('company.') ? 'company property' : 'not in the live schema'})`,
      ),
    ...choices.map(([value, text]) => h('option', { value, selected: value === current }, text)),
  ];
  return h('select', { id, 'aria-label': label }, ...options);
}

/**
 * The form for one field-mapping file. `edit(change, focusId)` applies `change(text) → text` to the file and
 * redraws; `focusId` keeps the keyboard where it was.
 */
export function mappingTable({ edit }) {
  const root = h('div', { className: 'form mapping-form' });
  let schemas = { properties: [], fields: [], problems: [] };
  let lastText = '';
  let object;

  const propertyChoices = () => schemas.properties.map((p) => [p.name, describeProperty(p)]);
  const fieldChoices = () => schemas.fields.map((f) => [f.name, describeField(f)]);

  function row(field, i, count) {
    const id = (part) => `map-${part}-${i}`;
    const n = i + 1;
    const property = schemas.properties.find((p) => p.name === field.hubspot);
    const target = schemas.fields.find((f) => f.name === field.salesforce);
    const listKey = field.direction === 'to_hubspot' ? 'reverseTransforms' : 'transforms';
    const transforms = field[listKey] ?? [];
    const flags = rowFlags(field, property, target);
    const set = (key, value, focus) => edit((text) => setValue(text, ['fields', i, key], value), focus);
    const hubspot = select(id('hs'), `Row ${n}: HubSpot property`, field.hubspot, propertyChoices());
    hubspot.addEventListener('change', () => set('hubspot', hubspot.value, id('hs')));
    const salesforce = select(id('sf'), `Row ${n}: Salesforce field`, field.salesforce, fieldChoices());
    salesforce.addEventListener('change', () => set('salesforce', salesforce.value, id('sf')));
    const direction = select(id('dir'), `Row ${n}: direction`, field.direction, DIRECTIONS);
    direction.addEventListener('change', () => set('direction', direction.value, id('dir')));
    const addTransform = select(id('tr-add'), `Row ${n}: add a transform`, '', [['', 'Add…'], ...SIMPLE_TRANSFORMS.map((t) => [t, t])]);
    addTransform.addEventListener('change', () => {
      if (addTransform.value) edit((text) => appendToList(text, ['fields', i, listKey], addTransform.value), id('tr-add'));
    });
    const chips = transforms.map((t, k) =>
      h(
        'span',
        { className: 'chip' },
        transformLabel(t),
        h(
          'button',
          {
            type: 'button',
            className: 'quiet',
            'aria-label': `Remove transform ${transformLabel(t)} from row ${n}`,
            onclick: () => edit((text) => removeFromList(text, ['fields', i, listKey], k), id('tr-add')),
          },
          '✕',
        ),
      ),
    );
    const required = h('input', { type: 'checkbox', id: id('req'), checked: field.required === true, 'aria-label': `Row ${n}: required` });
    required.addEventListener('change', () => set('required', required.checked ? true : undefined, id('req')));
    const fallback = h('input', { id: id('def'), value: field.default ?? '', 'aria-label': `Row ${n}: default when the Lead is created` });
    fallback.addEventListener('change', () => set('default', fallback.value === '' ? undefined : fallback.value, id('def')));
    // After a move the keyboard follows the row it moved.
    const button = (part, text, label, change, disabled, focus = id(part)) =>
      h('button', { type: 'button', id: id(part), 'aria-label': label, disabled, onclick: () => edit(change, focus) }, text);
    return h(
      'tr',
      { dataset: { row: i, hubspot: field.hubspot, salesforce: field.salesforce } },
      h('td', {}, String(n)),
      h('td', {}, hubspot),
      h('td', {}, direction),
      h('td', {}, salesforce),
      h('td', { className: 'flags' }, ...flags.map((f) => h('div', { className: `flag ${f.kind}` }, f.text))),
      h('td', { className: 'transforms' }, ...chips, addTransform),
      h('td', {}, required),
      h('td', {}, fallback),
      h(
        'td',
        { className: 'row-actions' },
        button('up', '↑', `Move row ${n} up`, (text) => moveItem(text, ['fields'], i, -1), i === 0, `map-up-${i - 1}`),
        button('down', '↓', `Move row ${n} down`, (text) => moveItem(text, ['fields'], i, 1), i === count - 1, `map-down-${i + 1}`),
        button('remove', 'Remove', `Remove row ${n}`, (text) => removeItem(text, ['fields'], i)),
      ),
    );
  }

  function addForm() {
    const hubspot = select('map-new-hs', 'New row: HubSpot property', '', [['', 'HubSpot property…'], ...propertyChoices()]);
    const salesforce = select('map-new-sf', 'New row: Salesforce field', '', [['', 'Salesforce field…'], ...fieldChoices()]);
    const direction = select('map-new-dir', 'New row: direction', 'to_salesforce', DIRECTIONS);
    const add = () => {
      if (!hubspot.value || !salesforce.value) {
        say('Pick a HubSpot property and a Salesforce field first.', 'error');
        (hubspot.value ? salesforce : hubspot).focus();
        return;
      }
      edit(
        (text) => appendItem(text, ['fields'], { hubspot: hubspot.value, salesforce: salesforce.value, direction: direction.value }),
        'map-new-hs',
      );
    };
    return h(
      'div',
      { className: 'row add-row' },
      h('strong', {}, 'Add a field:'),
      hubspot,
      direction,
      salesforce,
      h('button', { type: 'button', id: 'map-add', onclick: add }, 'Add field'),
    );
  }

  function render(text) {
    lastText = text;
    let fields;
    try {
      fields = readValue(text, ['fields']) ?? [];
      object = readValue(text, ['salesforce', 'object']) ?? 'Lead';
    } catch (error) {
      root.replaceChildren(h('p', { className: 'error' }, `The table shows again once the YAML parses: ${error.message}`));
      return;
    }
    const head = ['#', 'HubSpot property', 'Direction', 'Salesforce field', 'Checks', 'Transforms', 'Required', 'Default', 'Order'];
    root.replaceChildren(
      h('h4', {}, `Field mapping: HubSpot contact ⇄ Salesforce ${object}`),
      ...(schemas.problems.length > 0 ? [h('p', { className: 'error' }, `Live schemas unavailable: ${schemas.problems.join('; ')}`)] : []),
      h(
        'div',
        { className: 'table-scroll' },
        h(
          'table',
          { className: 'list mapping', id: 'mapping-table' },
          h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, ...fields.map((f, i) => row(f, i, fields.length))),
        ),
      ),
      addForm(),
    );
  }

  liveSchemas(object ?? 'Lead').then((loaded) => {
    schemas = loaded;
    render(lastText);
  });
  return { element: root, render };
}
