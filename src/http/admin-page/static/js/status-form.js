// status-map.yaml as a form: per funnel stage the Salesforce Lead Status written and the ones read back, the HubSpot
// lifecycle stage and lead status; the useSal switch. Adding or removing a stage stays in the code editor.
import { h } from './dom.js';
import { readAfterWriteChange, splitStatuses } from './form-values.js';
import { LIFECYCLE_STAGES } from './vocabulary.js';
import { readValue, setValue } from './yaml-edit.js';

/** Suggestions only: portals can add lead statuses, so any value may be typed. */
const LEAD_STATUSES = ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'];
const RESOLVES_TO = [
  ['mql', 'MQL (stays in sales’ MQL queue)'],
  ['sql', 'SQL'],
];

export function statusForm({ edit }) {
  const root = h('div', { className: 'form status-form' });

  function input(id, label, value, onChange, props = {}) {
    const element = h('input', { id, value: value ?? '', 'aria-label': label, ...props });
    element.addEventListener('change', () => onChange(element.value));
    return element;
  }

  function select(id, label, current, choices) {
    const known = choices.some(([value]) => value === current);
    return h(
      'select',
      { id, 'aria-label': label },
      !known && h('option', { value: current ?? '', selected: true }, current ?? '—'),
      ...choices.map(([value, text]) => h('option', { value, selected: value === current }, text)),
    );
  }

  function row(stage, mapping) {
    const id = (part) => `status-${part}-${stage}`;
    const path = ['stages', stage];
    const hubspot = mapping?.hubspot ?? {};
    const salesforce = mapping?.salesforce ?? {};
    const read = Array.isArray(salesforce.read) ? salesforce.read : [];
    const set = (keys, value, focus) => edit((text) => setValue(text, [...path, ...keys], value), focus);
    const lifecycle = select(
      id('lifecycle'),
      `${stage}: HubSpot lifecycle stage`,
      hubspot.lifecyclestage,
      LIFECYCLE_STAGES.map((s) => [s, s]),
    );
    lifecycle.addEventListener('change', () => set(['hubspot', 'lifecyclestage'], lifecycle.value, id('lifecycle')));
    const writeStatus = (value) =>
      edit((text) => {
        const next = setValue(text, [...path, 'salesforce', 'write'], value.trim());
        return setValue(next, [...path, 'salesforce', 'read'], readAfterWriteChange(read, String(salesforce.write ?? ''), value.trim()));
      }, id('write'));
    return h(
      'tr',
      { dataset: { stage } },
      h('th', { scope: 'row' }, stage),
      h('td', {}, input(id('write'), `${stage}: Salesforce status written`, salesforce.write, writeStatus)),
      h(
        'td',
        {},
        input(id('read'), `${stage}: Salesforce statuses read back (comma-separated)`, read.join(', '), (v) =>
          set(['salesforce', 'read'], splitStatuses(v), id('read')),
        ),
      ),
      h('td', {}, lifecycle),
      h(
        'td',
        {},
        input(
          id('lead-status'),
          `${stage}: HubSpot lead status`,
          hubspot.hs_lead_status,
          (v) => set(['hubspot', 'hs_lead_status'], v.trim(), id('lead-status')),
          {
            list: 'hubspot-lead-statuses',
          },
        ),
      ),
    );
  }

  function switches(map) {
    const useSal = h('input', { type: 'checkbox', id: 'status-useSal', checked: map.useSal === true });
    useSal.addEventListener('change', () => edit((text) => setValue(text, ['useSal'], useSal.checked), 'status-useSal'));
    const resolves = select('status-salDisabledResolvesTo', undefined, map.salDisabledResolvesTo ?? 'mql', RESOLVES_TO);
    resolves.disabled = map.useSal === true;
    resolves.addEventListener('change', () =>
      edit((text) => setValue(text, ['salDisabledResolvesTo'], resolves.value), 'status-salDisabledResolvesTo'),
    );
    return h(
      'div',
      { className: 'row switches' },
      h('label', {}, useSal, ' Use the SAL stage (sales accepted lead)'),
      h('label', { htmlFor: 'status-salDisabledResolvesTo' }, 'Without SAL, an accepted Lead counts as'),
      resolves,
    );
  }

  function render(text) {
    let map;
    try {
      map = readValue(text, []) ?? {};
    } catch (error) {
      root.replaceChildren(h('p', { className: 'error' }, `The form shows again once the YAML parses: ${error.message}`));
      return;
    }
    const stages = map.stages && typeof map.stages === 'object' ? map.stages : {};
    const head = ['Stage', 'Salesforce status written', 'Salesforce statuses read back', 'HubSpot lifecycle stage', 'HubSpot lead status'];
    root.replaceChildren(
      h('h4', {}, 'Status map: funnel stages ⇄ HubSpot lifecycle and lead status ⇄ Salesforce Lead Status'),
      h(
        'div',
        { className: 'row' },
        h('label', { htmlFor: 'status-version' }, 'Version'),
        input('status-version', undefined, map.version, (v) => edit((t) => setValue(t, ['version'], v), 'status-version')),
      ),
      switches(map),
      map.useSal === true && !stages.sal ? h('p', { className: 'error' }, 'useSal is on: add the sal stage in the code editor.') : '',
      h(
        'div',
        { className: 'table-scroll' },
        h(
          'table',
          { className: 'list status-map', id: 'status-table' },
          h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, ...Object.entries(stages).map(([stage, mapping]) => row(stage, mapping))),
        ),
      ),
      h('datalist', { id: 'hubspot-lead-statuses' }, ...LEAD_STATUSES.map((s) => h('option', { value: s }))),
      h('p', { className: 'meta' }, 'Every status read back must exist in the Salesforce Lead Status picklist and mean one stage only.'),
    );
  }

  return { element: root, render };
}
