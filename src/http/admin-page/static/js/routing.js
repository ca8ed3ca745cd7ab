// Routing: the active configuration's pools, their members (caps used today, pauses, Salesforce status), who is
// next, pause/resume per member, and a routing dry run for one contact.
import { api } from './api.js';
import { $, formatTime, h, say } from './dom.js';

const AVAILABILITY = {
  eligible: 'takes leads',
  paused: 'paused',
  outside_working_hours: 'outside working hours',
  daily_cap_reached: 'daily cap reached',
  inactive_in_salesforce: 'inactive in Salesforce',
  not_in_salesforce: 'not found in Salesforce',
  current_owner: 'current owner',
};

export function setUpRouting() {
  $('#routing-dry-run-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const out = $('#routing-dry-run-result');
    out.hidden = false;
    out.replaceChildren(h('p', { className: 'meta' }, 'Routing…'));
    try {
      const answer = await api('POST', '/api/routing/dry-run', { contactId: $('#routing-contact').value.trim() });
      out.replaceChildren(...decisionView(answer.decision ?? answer));
    } catch (error) {
      out.replaceChildren(h('p', { className: 'error', role: 'alert' }, error.message));
    }
  });
}

export async function showRouting() {
  const list = await api('GET', '/api/routing/pools');
  $('#routing-version').textContent = list.routingVersion;
  $('#routing-directory').textContent = list.directory.available
    ? ''
    : `Salesforce did not answer (${list.directory.message}): users' status and who is next are unknown.`;
  $('#routing-pools').replaceChildren(
    ...(list.pools.length ? list.pools.map(poolView) : [h('p', { className: 'meta' }, 'The active routing.yaml defines no pools.')]),
  );
}

function poolView(pool) {
  const heading = `${pool.label} (${pool.id})`;
  const facts = [
    pool.timeZone ? `working hours in ${pool.timeZone}` : 'any time, UTC days',
    pool.manager ? `manager ${pool.manager}` : null,
  ].filter(Boolean);
  if (pool.kind === 'queue') {
    const queue = pool.queue.exists === false ? `${pool.queue.name} (not found in Salesforce)` : pool.queue.name;
    return h(
      'section',
      { className: 'pool', dataset: { pool: pool.id } },
      h('h3', {}, heading),
      h('p', {}, `Every Lead goes to queue ${queue}.`),
    );
  }
  return h(
    'section',
    { className: 'pool', dataset: { pool: pool.id }, 'aria-label': heading },
    h('h3', {}, heading),
    h('p', { className: 'meta' }, facts.join(' · ')),
    h(
      'p',
      { className: 'next' },
      'Next lead goes to: ',
      h('strong', {}, pool.next ? pool.next.member : 'nobody (every member would be passed over)'),
    ),
    h(
      'table',
      { className: 'list' },
      h('caption', { className: 'meta' }, `Members of ${pool.label}`),
      h('thead', {}, h('tr', {}, ...['Member', 'Salesforce', 'Weight', 'Today', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...pool.members.map((m) => memberRow(pool, m))),
    ),
  );
}

function memberRow(pool, m) {
  const who = m.name ? `${m.name} <${m.user}>` : m.user;
  const salesforce =
    m.salesforce === null ? 'unknown' : m.salesforce.userId === null ? 'not found' : m.salesforce.active ? 'active' : 'inactive';
  const today = `${m.assignedToday}${m.dailyCap === null ? '' : ` of ${m.dailyCap}`} on ${m.day}`;
  const status = m.paused
    ? `paused by ${m.pausedBy ?? 'an admin'} at ${formatTime(m.pausedAt)}`
    : (AVAILABILITY[m.availability] ?? m.availability);
  const action = m.paused ? 'resume' : 'pause';
  return h(
    'tr',
    { dataset: { member: m.user }, className: m.paused ? 'paused' : undefined },
    h('th', { scope: 'row' }, who),
    h('td', {}, salesforce),
    h('td', {}, m.weight),
    h('td', {}, today),
    h('td', { className: 'member-status' }, status),
    h(
      'td',
      {},
      h(
        'button',
        {
          type: 'button',
          className: `member-${action}`,
          'aria-label': `${action === 'pause' ? 'Pause' : 'Resume'} ${m.user} in ${pool.label}`,
          onclick: () => toggle(pool.id, m.user, action),
        },
        action === 'pause' ? 'Pause' : 'Resume',
      ),
    ),
  );
}

async function toggle(poolId, member, action) {
  try {
    const result = await api(
      'POST',
      `/api/routing/pools/${encodeURIComponent(poolId)}/members/${encodeURIComponent(member)}/${action}`,
      {},
    );
    say(`${result.member} ${result.paused ? 'paused' : 'resumed'} in ${result.pool}${result.changed ? '' : ' (no change)'}`);
  } catch (error) {
    say(error.message, 'error');
  }
  await showRouting();
}

/** The dry run's decision: whatever shape it has, the rule, owner and reasons are shown as text. */
function decisionView(d) {
  const owner = d.owner ? [d.owner.kind, d.owner.name, d.owner.id, d.owner.ruleId].filter(Boolean).join(' ') : '—';
  const passed = Array.isArray(d.passed) ? d.passed : [];
  const skipped = Array.isArray(d.skipped) ? d.skipped : [];
  return [
    h('h3', {}, 'Decision'),
    h(
      'dl',
      { className: 'kpi-facts', id: 'routing-decision' },
      h('dt', {}, 'Rule'),
      h('dd', {}, d.rule ? `${d.rule.label ?? ''} (${d.rule.id ?? ''})` : '—'),
      h('dt', {}, 'Strategy'),
      h('dd', {}, d.strategy ?? '—'),
      h('dt', {}, 'Owner'),
      h('dd', {}, owner),
      h('dt', {}, 'Pool and member'),
      h('dd', {}, [d.pool, d.member].filter(Boolean).join(' → ') || '—'),
      h('dt', {}, 'Reason'),
      h('dd', {}, d.reason ?? '—'),
    ),
    h('h4', {}, 'Rules passed'),
    passed.length
      ? h('ul', { id: 'routing-passed' }, ...passed.map((p) => h('li', {}, `${p.ruleId}: ${p.reason}`)))
      : h('p', { className: 'meta' }, 'None: the first rule tried gave the owner.'),
    h('h4', {}, 'Members skipped'),
    skipped.length
      ? h(
          'ul',
          { id: 'routing-skipped' },
          ...skipped.map((s) => h('li', {}, `${s.pool} · ${s.user}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`)),
        )
      : h('p', { className: 'meta' }, 'None.'),
  ];
}
