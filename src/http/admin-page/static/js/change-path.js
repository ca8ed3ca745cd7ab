// Which path carries Salesforce changes to HubSpot: a live change-event stream, or the poll (and why).
import { api } from './api.js';
import { $ } from './dom.js';

const LABELS = {
  'change-events': 'Salesforce changes: live (change events)',
  poll: 'Salesforce changes: polling',
};

export async function showChangePath() {
  const line = $('#change-path');
  try {
    const path = await api('GET', '/api/status/salesforce-changes');
    line.textContent = `${LABELS[path.path]} — ${path.status}${path.detail ? `: ${path.detail}` : ''}`;
    line.dataset.path = path.path;
    line.hidden = false;
  } catch {
    // Not signed in, or the route is absent: say nothing rather than something wrong.
    line.hidden = true;
  }
}
