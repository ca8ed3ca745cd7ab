// mql-definition.yaml as a form: fit and behaviour rules (property, operator, value(s), points or per unit with a
// cap), segments with their thresholds, fast tracks and exclusions with their switches. A compound condition
// (all/any) is shown as text and edited in the code editor below.
import { h } from './dom.js';
import { describeProperty, liveSchemas } from './schemas.js';
import { OPERANDS } from './vocabulary.js';
import { appendItem, readValue, removeItem, setValue } from './yaml-edit.js';

const NUMERIC = new Set(['gt', 'gte', 'lt', 'lte']);
const isSingle = (when) => when && typeof when === 'object' && 'property' in when;
const asNumber = (text) => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

function conditionText(when) {
  if (!when) return '';
  if (isSingle(when)) {
    const operand = when.values ? when.values.join(', ') : (when.value ?? (when.min !== undefined ? `${when.min}–${when.max}` : ''));
    return `${when.property} ${when.op} ${operand}`.trim();
  }
  const [joiner, list] = 'all' in when ? ['and', when.all] : ['or', when.any];
  return list.map(conditionText).join(` ${joiner} `);
}

/** Changes the operator and fixes the operands it needs: unused ones go, missing ones get a starting value. */
function changeOperator(text, path, op) {
  let next = setValue(text, [...path, 'op'], op);
  const current = readValue(next, path);
  for (const key of ['value', 'values', 'min', 'max']) {
    const needed = OPERANDS[op].includes(key);
    if (!needed && current[key] !== undefined) next = setValue(next, [...path, key], undefined);
    if (needed && current[key] === undefined)
      next = setValue(next, [...path, key], key === 'values' ? ['x'] : key === 'value' && !NUMERIC.has(op) ? 'x' : 0);
  }
  return next;
}

export function mqlForm({ edit }) {
  const root = h('div', { className: 'form mql-form' });
  let properties = [];
  let lastText = '';

  const input = (id, label, value, onChange, props = {}) => {
    const element = h('input', { id, value: value ?? '', 'aria-label': label, ...props });
    element.addEventListener('change', () => onChange(element.value));
    return element;
  };

  function conditionCells(path, when, idBase, n) {
    if (!isSingle(when)) return [h('td', { colSpan: 3, className: 'meta' }, conditionText(when), ' (edit in the code editor)')];
    const set = (key, value, focus) => edit((text) => setValue(text, [...path, key], value), focus);
    const choices = properties.some((p) => p.name === when.property) ? [] : [h('option', { value: when.property }, when.property)];
    const property = h(
      'select',
      { id: `${idBase}-prop`, 'aria-label': `${n}: property` },
      ...choices,
      ...properties.map((p) => h('option', { value: p.name, selected: p.name === when.property }, describeProperty(p))),
    );
    property.value = when.property;
    property.addEventListener('change', () => set('property', property.value, `${idBase}-prop`));
    const op = h(
      'select',
      { id: `${idBase}-op`, 'aria-label': `${n}: operator` },
      ...Object.keys(OPERANDS).map((o) => h('option', { value: o, selected: o === when.op }, o)),
    );
    op.addEventListener('change', () => edit((text) => changeOperator(text, path, op.value), `${idBase}-op`));
    const operands = OPERANDS[when.op].map((key) =>
      key === 'values'
        ? input(`${idBase}-values`, `${n}: values, comma-separated`, (when.values ?? []).join(', '), (v) =>
            set(
              'values',
              v
                .split(',')
                .map((s) => asNumber(s.trim()))
                .filter((s) => s !== ''),
              `${idBase}-values`,
            ),
          )
        : input(`${idBase}-${key}`, `${n}: ${key}`, when[key], (v) => set(key, asNumber(v), `${idBase}-${key}`), { size: 12 }),
    );
    return [h('td', {}, property), h('td', {}, op), h('td', {}, ...operands)];
  }

  function scoringRow(section, rule, i) {
    const path = [section, i];
    const idBase = `${section}-${i}`;
    const n = `${section} rule ${rule.label ?? rule.id}`;
    const number = (key, value, label, paths) =>
      input(`${idBase}-${key}`, `${n}: ${label}`, value, (v) => edit((text) => setValue(text, paths, asNumber(v)), `${idBase}-${key}`), {
        type: 'number',
        size: 5,
      });
    const scoring = rule.perUnit
      ? h(
          'td',
          { className: 'per-unit' },
          `per unit of ${rule.perUnit.property}: `,
          number('unit', rule.perUnit.points, 'points per unit', [...path, 'perUnit', 'points']),
          ' up to ',
          number('cap', rule.perUnit.max, 'cap', [...path, 'perUnit', 'max']),
        )
      : h('td', {}, number('points', rule.points, 'points', [...path, 'points']));
    return h(
      'tr',
      { dataset: { rule: rule.id } },
      h('th', { scope: 'row' }, rule.label ?? rule.id),
      ...(rule.perUnit ? [h('td', { colSpan: 3, className: 'meta' }, '—')] : conditionCells([...path, 'when'], rule.when, idBase, n)),
      scoring,
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            id: `${idBase}-remove`,
            'aria-label': `Remove ${n}`,
            onclick: () => edit((t) => removeItem(t, [section], i), `add-${section}`),
          },
          'Remove',
        ),
      ),
    );
  }

  function scoringTable(section, title, rules) {
    const count = rules.length;
    const add = () =>
      edit(
        (text) =>
          appendItem(text, [section], {
            id: `new-${section}-${count + 1}`,
            label: 'New rule',
            points: 5,
            when: { property: 'jobtitle', op: 'exists' },
          }),
        `${section}-${count}-prop`,
      );
    return h(
      'section',
      { className: 'rules' },
      h('h4', {}, title),
      h(
        'div',
        { className: 'table-scroll' },
        h(
          'table',
          { className: 'list', id: `mql-${section}` },
          h(
            'thead',
            {},
            h('tr', {}, ...['Rule', 'Property', 'Operator', 'Value(s)', 'Points', ''].map((t) => h('th', { scope: 'col' }, t))),
          ),
          h('tbody', {}, ...rules.map((rule, i) => scoringRow(section, rule, i))),
        ),
      ),
      h('button', { type: 'button', id: `add-${section}`, onclick: add }, `Add a ${section} rule`),
    );
  }

  function segmentsTable(segments) {
    const rows = segments.map((segment, i) => {
      const cell = (key) =>
        h(
          'td',
          {},
          input(
            `segment-${segment.id}-${key}`,
            `Segment ${segment.label}: ${key}`,
            segment.threshold?.[key],
            (v) =>
              edit(
                (text) => setValue(text, ['segments', i, 'threshold', key], v === '' ? undefined : asNumber(v)),
                `segment-${segment.id}-${key}`,
              ),
            { type: 'number', size: 5 },
          ),
        );
      return h(
        'tr',
        { dataset: { segment: segment.id } },
        h('th', { scope: 'row' }, segment.label, segment.default ? ' (default)' : ''),
        h('td', { className: 'meta' }, segment.default ? 'when no other matches' : conditionText(segment.when)),
        cell('total'),
        cell('minFit'),
        cell('minBehaviour'),
      );
    });
    return h(
      'section',
      {},
      h('h4', {}, 'Segments and thresholds'),
      h(
        'div',
        { className: 'table-scroll' },
        h(
          'table',
          { className: 'list', id: 'mql-segments' },
          h(
            'thead',
            {},
            h('tr', {}, ...['Segment', 'When', 'Threshold', 'Min. fit', 'Min. behaviour'].map((t) => h('th', { scope: 'col' }, t))),
          ),
          h('tbody', {}, ...rows),
        ),
      ),
    );
  }

  function switchList(section, title, rules) {
    const items = rules.map((rule, i) => {
      const id = `${section}-${rule.id}-enabled`;
      const toggle = h('input', { type: 'checkbox', id, checked: rule.enabled !== false });
      toggle.addEventListener('change', () => edit((text) => setValue(text, [section, i, 'enabled'], toggle.checked), id));
      return h(
        'li',
        { dataset: { rule: rule.id } },
        toggle,
        h('label', { htmlFor: id }, rule.label),
        h('span', { className: 'meta' }, ` — ${conditionText(rule.when)}`),
      );
    });
    return h('section', {}, h('h4', {}, title), h('ul', { className: 'switches', id: `mql-${section}` }, ...items));
  }

  function render(text) {
    lastText = text;
    let definition;
    try {
      definition = readValue(text, []) ?? {};
    } catch (error) {
      root.replaceChildren(h('p', { className: 'error' }, `The form shows again once the YAML parses: ${error.message}`));
      return;
    }
    root.replaceChildren(
      h('h4', {}, 'MQL definition ', h('span', { className: 'meta' }, `version ${definition.version ?? '?'}`)),
      segmentsTable(definition.segments ?? []),
      scoringTable('fit', 'Fit rules', definition.fit ?? []),
      scoringTable('behaviour', 'Behaviour rules', definition.behaviour ?? []),
      switchList('fastTrack', 'Fast tracks (MQL at once)', definition.fastTrack ?? []),
      switchList('exclusions', 'Exclusions (never an MQL)', definition.exclusions ?? []),
    );
  }

  liveSchemas().then((loaded) => {
    properties = loaded.properties;
    render(lastText);
  });
  return { element: root, render };
}
