// Record look-up: a contact or Lead, its link and every step with its reason.
import { api } from './api.js';
import { $, formatTime, h } from './dom.js';

export function setUpRecords() {
  $('#record-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = $('#record-key').value.trim();
    const out = $('#record-result');
    out.hidden = false;
    try {
      out.replaceChildren(...recordView(await api('GET', `/api/records/${encodeURIComponent(key)}`)));
    } catch (error) {
      out.replaceChildren(h('p', { className: 'error' }, error.message));
    }
  });
}

function recordView(r) {
  const link = r.link
    ? `${r.link.salesforceObject} ${r.link.salesforceId} (linked ${formatTime(r.link.createdAt)})`
    : 'not linked to Salesforce';
  return [
    h('h2', {}, `Contact ${r.hubspotContactId}`),
    h('p', {}, link),
    h(
      'table',
      { className: 'list' },
      h(
        'thead',
        {},
        h('tr', {}, ...['When', 'Action', 'Stage', 'Reason', 'Score', 'Definition', 'Salesforce id'].map((t) => h('th', {}, t))),
      ),
      h(
        'tbody',
        {},
        ...r.history.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, formatTime(e.at)),
            h('td', {}, e.action),
            h('td', {}, e.stage ?? ''),
            h('td', {}, e.reason ?? ''),
            h('td', {}, e.score ?? ''),
            h('td', {}, e.definitionVersion ?? ''),
            h('td', {}, e.salesforceId ?? ''),
          ),
        ),
      ),
    ),
    ...routingView(r.routing ?? []),
  ];
}

/** Each routing decision (initial and re-routes) with why, and how the owner was told (never the message). */
function routingView(assignments) {
  if (assignments.length === 0) return [];
  return [
    h('h3', {}, 'Routing'),
    ...assignments.map((a) => {
      const d = a.decision ?? {};
      const passed = Array.isArray(d.passed) ? d.passed : [];
      const skipped = Array.isArray(d.skipped) ? d.skipped : [];
      return h(
        'section',
        { className: 'assignment', dataset: { assignment: a.id } },
        h('h4', {}, `${a.kind === 'reroute' ? 'Re-routed' : 'Routed'} by ${d.rule?.label ?? a.ruleId} (${a.strategy}) — ${a.state}`),
        h(
          'dl',
          { className: 'kpi-facts' },
          h('dt', {}, 'Owner'),
          h(
            'dd',
            {},
            `${a.ownerKind} ${a.ownerId ?? '(chosen by the assignment rule)'}${a.previousOwnerId ? `, from ${a.previousOwnerId}` : ''}`,
          ),
          h('dt', {}, 'Pool and member'),
          h('dd', {}, [a.poolId, a.member].filter(Boolean).join(' → ') || '—'),
          h('dt', {}, 'Reason'),
          h('dd', {}, d.reason ?? '—'),
          h('dt', {}, 'Decided / assigned'),
          h('dd', {}, `${formatTime(a.decidedAt)} / ${formatTime(a.assignedAt)} (routing ${a.routingVersion})`),
        ),
        passed.length ? h('p', {}, 'Rules passed: ', passed.map((p) => `${p.ruleId} (${p.reason})`).join('; ')) : null,
        skipped.length ? h('p', {}, 'Members skipped: ', skipped.map((k) => `${k.user} in ${k.pool}: ${k.reason}`).join('; ')) : null,
        a.notifications.length
          ? h(
              'table',
              { className: 'list notifications' },
              h('caption', { className: 'meta' }, 'Notifications'),
              h(
                'thead',
                {},
                h('tr', {}, ...['Channel', 'Kind', 'State', 'Attempts', 'Last error'].map((t) => h('th', { scope: 'col' }, t))),
              ),
              h(
                'tbody',
                {},
                ...a.notifications.map((n) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, n.channel),
                    h('td', {}, n.kind),
                    h('td', {}, n.state),
                    h('td', {}, n.attempts),
                    h('td', {}, n.lastError ?? ''),
                  ),
                ),
              ),
            )
          : h('p', { className: 'meta' }, 'No notifications.'),
      );
    }),
  ];
}
