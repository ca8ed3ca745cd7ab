// Entry point: sign-in, navigation between the views.
import { api, whenUnauthorized } from './api.js';
import { showChangePath } from './change-path.js';
import { $, say } from './dom.js';
import { setUpFunnel, showFunnel } from './funnel.js';
import { setUpParked, showParked } from './parked.js';
import { setUpRecords } from './records.js';
import { setUpRouting, showRouting } from './routing.js';
import { showVersions } from './versions.js';

const views = { versions: showVersions, records: async () => {}, parked: showParked, funnel: showFunnel, routing: showRouting };

/** Who the history will name for this session's changes. */
async function showSignedIn() {
  try {
    const { name } = await api('GET', '/admin/session');
    $('#signed-in-as').textContent = `Signed in as ${name}`;
  } catch {
    $('#signed-in-as').textContent = '';
  }
}

function showLogin() {
  $('#nav').hidden = true;
  for (const view of document.querySelectorAll('.view')) view.hidden = true;
  $('#login').hidden = false;
  $('#admin-name').focus();
}

async function open(name) {
  $('#login').hidden = true;
  $('#nav').hidden = false;
  for (const [key] of Object.entries(views)) $(`#view-${key}`).hidden = key !== name;
  for (const button of document.querySelectorAll('#nav [data-view]')) button.classList.toggle('current', button.dataset.view === name);
  void showChangePath();
  try {
    await views[name]();
  } catch (error) {
    if (error.status !== 401) say(error.message, 'error');
  }
}

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('POST', '/admin/session', { token: $('#token').value, name: $('#admin-name').value });
    $('#token').value = '';
    void showSignedIn();
    $('#login-error').textContent = '';
    await open('versions');
  } catch (error) {
    $('#login-error').textContent = error.status === 401 ? 'That token is not right.' : error.message;
  }
});

$('#logout').addEventListener('click', async () => {
  try {
    await api('POST', '/admin/logout');
    showLogin();
  } catch (error) {
    // The session still stands on the server: say so rather than look signed out.
    say(`Not signed out: ${error.message}`, 'error');
  }
});

for (const button of document.querySelectorAll('#nav [data-view]')) button.addEventListener('click', () => open(button.dataset.view));
whenUnauthorized(showLogin);
setUpRecords();
setUpParked();
setUpFunnel();
setUpRouting();
// The cookie is HttpOnly, so the page learns whether it is signed in by asking the API.
open('versions');
void showSignedIn();
