import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WebClient } from '@slack/web-api';
import { createSlackChannel } from '../../src/adapters/notify/slack-channel.ts';
import { slackMessageOf } from '../../src/adapters/notify/slack-message.ts';
import { silentLogger } from '../../src/log.ts';
import { type SlackSimulator, startSlackSimulator } from '../../src/simulators/slack/server.ts';
import { OWNER, sampleNotification } from '../adapters/notify/fixtures.ts';

const TOKEN = 'xoxb-sim-0000-token';
const notification = sampleNotification();
let sim: SlackSimulator;

beforeAll(async () => {
  sim = await startSlackSimulator({
    host: '127.0.0.1',
    token: TOKEN,
    users: [{ id: 'U0OWNER1', email: OWNER.email as string, name: 'Olga Owner' }],
    channels: [
      { id: 'C0INBOUND', name: 'inbound' },
      { id: 'C0PRIVATE', name: 'private-pool', member: false },
    ],
    now: () => Date.parse('2026-12-07T12:00:00Z'),
  });
});
beforeEach(() => sim.reset());
afterAll(async () => sim.close());

const channel = (token = TOKEN) => createSlackChannel({ token, apiUrl: sim.apiUrl, logger: silentLogger() });
const call = async (method: string, init: RequestInit) => (await fetch(`${sim.apiUrl}${method}`, { method: 'POST', ...init })).json();

describe('Slack simulator with @slack/web-api (slackApiUrl pointed at it)', () => {
  it('answers auth.test as Slack does', async () => {
    const answer = await new WebClient(TOKEN, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } }).auth.test();
    expect(answer).toMatchObject({ ok: true, team_id: 'T0HANDOFF', user_id: 'U0HANDOFFBOT', bot_id: 'B0HANDOFF' });
  });

  it('finds the owner by e-mail (case-insensitive) and keeps the DM, blocks and all (form-encoded body)', async () => {
    const outcome = await channel().deliver(notification, { ...OWNER, email: OWNER.email?.toUpperCase() });
    expect(outcome).toEqual({ status: 'delivered', detail: 'Slack dm D0OWNER1 ts 1796644800.000001' });
    const message = slackMessageOf(notification);
    expect(sim.messages()).toEqual([
      { channel: 'D0OWNER1', user: 'U0OWNER1', text: message.text, blocks: message.blocks, ts: '1796644800.000001' },
    ]);
    const listed = (await (await fetch(`${sim.url}/_sim/messages`)).json()) as { messages: unknown[] };
    expect(listed.messages).toEqual(sim.messages());
  });

  it('falls back to the pool channel by name when no user has the e-mail (users_not_found)', async () => {
    const outcome = await channel().deliver(notification, { ...OWNER, email: 'nobody@acme.example.com' });
    expect(outcome.status).toBe('delivered');
    expect(sim.messages().map((m) => m.channel)).toEqual(['C0INBOUND']);
  });

  it('answers channel_not_found and not_in_channel, which the channel reports as undeliverable', async () => {
    const slack = channel();
    expect(await slack.deliver(notification, { salesforceId: 'x', slackChannel: '#no-such' })).toEqual({
      status: 'undeliverable',
      reason: 'Slack chat.postMessage: channel_not_found',
    });
    expect(await slack.deliver(notification, { salesforceId: 'x', slackChannel: 'C0PRIVATE' })).toEqual({
      status: 'undeliverable',
      reason: 'Slack chat.postMessage: not_in_channel',
    });
    expect(sim.messages()).toEqual([]);
  });

  it('refuses a wrong token with invalid_auth (HTTP 200), undeliverable for the channel', async () => {
    const outcome = await channel('xoxb-wrong').deliver(notification, OWNER);
    expect(outcome).toMatchObject({ status: 'undeliverable', reason: expect.stringContaining('users.lookupByEmail: invalid_auth') });
    const raw = await fetch(`${sim.apiUrl}auth.test`, { method: 'POST', headers: { authorization: 'Bearer xoxb-wrong' } });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({ ok: false, error: 'invalid_auth' });
  });

  it('rate limits on demand with HTTP 429 and Retry-After, which comes back as a retry, then answers again', async () => {
    sim.injectFaults({ rateLimited: { count: 1, retryAfterSec: 7 } });
    const slack = channel();
    const to = { salesforceId: 'x', slackChannel: '#inbound' };
    expect(await slack.deliver(notification, to)).toEqual({
      status: 'retry',
      reason: 'Slack chat.postMessage: rate limited (HTTP 429)',
      retryAfterMs: 7000,
    });
    expect((await slack.deliver(notification, to)).status).toBe('delivered');
  });

  it('fails on demand with a Slack error code or an HTTP status', async () => {
    const slack = channel();
    const to = { salesforceId: 'x', slackChannel: '#inbound' };
    sim.injectFaults({ failing: { count: 1, error: 'internal_error' } });
    expect(await slack.deliver(notification, to)).toEqual({ status: 'retry', reason: 'Slack chat.postMessage: internal_error' });
    sim.injectFaults({ failing: { count: 1, error: 503 } });
    expect(await slack.deliver(notification, to)).toEqual({ status: 'retry', reason: 'Slack chat.postMessage: HTTP 503' });
    expect(sim.messages()).toEqual([]);
  });
});

describe('Slack simulator: the Web API contract ("Using the Web API")', () => {
  it('takes a JSON body with the token in the Authorization header', async () => {
    const answer = await call('chat.postMessage', {
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'inbound', text: 'hi', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] }),
    });
    expect(answer).toMatchObject({ ok: true, channel: 'C0INBOUND', message: { text: 'hi' } });
    expect(sim.messages()[0]?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }]);
  });

  it('takes the token as a form parameter, but not in a JSON body', async () => {
    const form = await call('chat.postMessage', { body: new URLSearchParams({ token: TOKEN, channel: 'C0INBOUND', text: 'form' }) });
    expect(form).toMatchObject({ ok: true });
    const json = await call('chat.postMessage', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TOKEN, channel: 'C0INBOUND', text: 'json' }),
    });
    expect(json).toEqual({ ok: false, error: 'not_authed' });
  });

  it.each([
    [{ channel: 'C0INBOUND' }, 'no_text'],
    [{ channel: 'C0INBOUND', blocks: 'not json' }, 'invalid_blocks'],
    [{ text: 'x' }, 'channel_not_found'],
  ])('chat.postMessage with %j answers %s', async (args, error) => {
    const answer = await call('chat.postMessage', {
      headers: { authorization: `Bearer ${TOKEN}` },
      body: new URLSearchParams(args as Record<string, string>),
    });
    expect(answer).toEqual({ ok: false, error });
  });

  it('answers unknown_method for a method it does not simulate, and 400 naming the path for a bad fault plan', async () => {
    expect(await call('conversations.list', { headers: { authorization: `Bearer ${TOKEN}` } })).toEqual({
      ok: false,
      error: 'unknown_method',
    });
    const bad = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimited: { count: 0 } }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string[] }).error[0]).toMatch(/^rateLimited\.count: /);
  });
});
