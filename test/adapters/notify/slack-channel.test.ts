import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createSlackChannel } from '../../../src/adapters/notify/slack-channel.ts';
import { slackMessageOf } from '../../../src/adapters/notify/slack-message.ts';
import { silentLogger } from '../../../src/log.ts';
import { capturingLogger, OWNER, sampleNotification } from './fixtures.ts';

const API = 'https://slack.com';
const TOKEN = 'xoxb-1111-2222-secretsecret';
const notification = sampleNotification();
const message = slackMessageOf(notification);
/** chat.postMessage takes `blocks` "as a URL-encoded string" of JSON; the WebClient posts form-encoded. */
const postBody = (channel: string) => ({ channel, text: message.text, blocks: JSON.stringify(message.blocks) });
const FOUND = { ok: true, user: { id: 'U0OWNER1', team_id: 'T1', name: 'olga', profile: { email: OWNER.email } } };
const POSTED = { ok: true, channel: 'D0DM1', ts: '1764000000.000100', message: { text: message.text } };

const networkError = (code: string, text: string) => Object.assign(new Error(text), { code });
const slack = () => nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
const channel = (logger = silentLogger()) => createSlackChannel({ token: TOKEN, logger });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('Slack channel: where the message goes', () => {
  it('users.lookupByEmail finds the owner, and chat.postMessage to the user id sends the DM (docs: users.lookupByEmail, chat.postMessage "channel")', async () => {
    const scope = slack()
      .post('/api/users.lookupByEmail', { email: OWNER.email })
      .reply(200, FOUND)
      .post('/api/chat.postMessage', postBody('U0OWNER1'))
      .reply(200, POSTED);
    const outcome = await channel().deliver(notification, OWNER);
    expect(outcome).toEqual({ status: 'delivered', detail: 'Slack dm D0DM1 ts 1764000000.000100' });
    scope.done();
  });

  it('users.lookupByEmail answering users_not_found falls back to the pool channel (docs: users.lookupByEmail errors)', async () => {
    const scope = slack()
      .post('/api/users.lookupByEmail', { email: OWNER.email })
      .reply(200, { ok: false, error: 'users_not_found' })
      .post('/api/chat.postMessage', postBody('#inbound'))
      .reply(200, { ...POSTED, channel: 'C0INBOUND' });
    expect(await channel().deliver(notification, OWNER)).toEqual({
      status: 'delivered',
      detail: 'Slack channel C0INBOUND ts 1764000000.000100',
    });
    scope.done();
  });

  it('a deactivated Slack account (user.deleted, docs: users.lookupByEmail response) gets no DM: the pool channel does', async () => {
    const scope = slack()
      .post('/api/users.lookupByEmail', { email: OWNER.email })
      .reply(200, { ...FOUND, user: { ...FOUND.user, deleted: true } })
      .post('/api/chat.postMessage', postBody('#inbound'))
      .reply(200, { ...POSTED, channel: 'C0INBOUND' });
    expect(await channel().deliver(notification, OWNER)).toMatchObject({
      status: 'delivered',
      detail: expect.stringContaining('channel C0INBOUND'),
    });
    scope.done();
  });

  it('a recipient without an e-mail goes straight to the channel, with no lookup', async () => {
    const scope = slack()
      .post('/api/chat.postMessage', postBody('C0QUEUE'))
      .reply(200, { ...POSTED, channel: 'C0QUEUE' });
    const outcome = await channel().deliver(notification, { salesforceId: '00G000000000001AAA', slackChannel: 'C0QUEUE' });
    expect(outcome.status).toBe('delivered');
    scope.done();
  });

  it('users_not_found and no channel is undeliverable', async () => {
    const scope = slack().post('/api/users.lookupByEmail', { email: OWNER.email }).reply(200, { ok: false, error: 'users_not_found' });
    const outcome = await channel().deliver(notification, { ...OWNER, slackChannel: undefined });
    expect(outcome).toEqual({
      status: 'undeliverable',
      reason: 'no Slack user has the recipient’s e-mail address and the recipient has no Slack channel',
    });
    scope.done();
  });

  it('a recipient with neither e-mail nor channel is undeliverable without any call', async () => {
    const outcome = await channel().deliver(notification, { salesforceId: '005000000000002AAA' });
    expect(outcome).toEqual({ status: 'undeliverable', reason: 'the recipient has neither an e-mail address nor a Slack channel' });
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('Slack channel: what an answer means', () => {
  it('HTTP 429 with Retry-After comes back as a retry after that many seconds, without the client waiting (docs: "Rate limits")', async () => {
    // One hour: were the client to sleep it out or retry, the test would time out or find no second reply.
    const scope = slack().post('/api/chat.postMessage').once().reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '3600' });
    const outcome = await channel().deliver(notification, { salesforceId: 'x', slackChannel: 'C1' });
    expect(outcome).toEqual({ status: 'retry', reason: 'Slack chat.postMessage: rate limited (HTTP 429)', retryAfterMs: 3_600_000 });
    scope.done();
  });

  it.each([
    ['ratelimited', 'retry'],
    ['internal_error', 'retry'],
    ['fatal_error', 'retry'],
    ['service_unavailable', 'retry'],
    ['channel_not_found', 'undeliverable'],
    ['not_in_channel', 'undeliverable'],
    ['is_archived', 'undeliverable'],
    ['invalid_auth', 'undeliverable'],
    ['account_inactive', 'undeliverable'],
    ['token_revoked', 'undeliverable'],
    ['missing_scope', 'undeliverable'],
  ])('chat.postMessage { ok: false, error: %s } with HTTP 200 is %s (docs: chat.postMessage "Errors")', async (code, status) => {
    const scope = slack().post('/api/chat.postMessage').reply(200, { ok: false, error: code });
    const outcome = await channel().deliver(notification, { salesforceId: 'x', slackChannel: 'C1' });
    expect(outcome.status).toBe(status);
    expect(outcome).toMatchObject({ reason: expect.stringContaining(`Slack chat.postMessage: ${code}`) });
    scope.done();
  });

  it('a refused token on users.lookupByEmail stops there: undeliverable, nothing posted', async () => {
    const scope = slack().post('/api/users.lookupByEmail').reply(200, { ok: false, error: 'invalid_auth' });
    const outcome = await channel().deliver(notification, OWNER);
    expect(outcome).toEqual({
      status: 'undeliverable',
      reason: 'Slack users.lookupByEmail: invalid_auth (the bot token is refused or lacks a scope; fix the Slack app)',
    });
    scope.done();
  });

  it('HTTP 503 and a dropped connection are retries; HTTP 404 (wrong API URL) is undeliverable', async () => {
    const scope = slack()
      .post('/api/chat.postMessage')
      .reply(503, 'unavailable')
      .post('/api/chat.postMessage')
      .replyWithError(networkError('ECONNRESET', 'socket hang up'))
      .post('/api/chat.postMessage')
      .reply(404, 'not found');
    const to = { salesforceId: 'x', slackChannel: 'C1' };
    const slackChannel = channel();
    expect(await slackChannel.deliver(notification, to)).toEqual({ status: 'retry', reason: 'Slack chat.postMessage: HTTP 503' });
    expect(await slackChannel.deliver(notification, to)).toEqual({
      status: 'retry',
      reason: 'Slack chat.postMessage: network error ECONNRESET',
    });
    expect(await slackChannel.deliver(notification, to)).toEqual({
      status: 'undeliverable',
      reason: 'Slack chat.postMessage: HTTP 404 (check SLACK_API_URL)',
    });
    scope.done();
  });

  it('neither the token nor the e-mail address reaches a log line or an outcome', async () => {
    const { logger, lines } = capturingLogger();
    const scope = slack()
      .post('/api/users.lookupByEmail')
      .replyWithError(networkError('ECONNREFUSED', `connect refused Bearer ${TOKEN}`))
      .post('/api/users.lookupByEmail')
      .reply(200, FOUND)
      .post('/api/chat.postMessage')
      .reply(200, { ok: false, error: 'invalid_auth' })
      .post('/api/users.lookupByEmail')
      .reply(200, FOUND)
      .post('/api/chat.postMessage')
      .reply(200, POSTED);
    const slackChannel = channel(logger);
    const outcomes = [
      await slackChannel.deliver(notification, OWNER),
      await slackChannel.deliver(notification, OWNER),
      await slackChannel.deliver(notification, OWNER),
    ];
    expect(outcomes.map((o) => o.status)).toEqual(['retry', 'undeliverable', 'delivered']);
    const written = (await lines()).join('\n') + JSON.stringify(outcomes);
    expect(written).toContain('Slack notification not delivered');
    expect(written).not.toContain('secretsecret');
    expect(written).not.toContain(OWNER.email);
    scope.done();
  });

  it('a custom apiUrl is where the calls go (the sandbox points it at the Slack simulator)', async () => {
    const scope = nock('http://slack.internal:8080').post('/api/chat.postMessage').reply(200, POSTED);
    const custom = createSlackChannel({ token: TOKEN, apiUrl: 'http://slack.internal:8080/api', logger: silentLogger() });
    expect((await custom.deliver(notification, { salesforceId: 'x', slackChannel: 'C1' })).status).toBe('delivered');
    scope.done();
  });
});

describe('slackMessageOf (Block Kit)', () => {
  it('has the title as header, the facts as mrkdwn fields and an "Open Lead" button, plus a plain fallback', () => {
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: notification.title, emoji: true } },
      {
        type: 'section',
        fields: notification.facts.map((fact) => ({ type: 'mrkdwn', text: `*${fact.label}*\n${fact.value}` })),
      },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open Lead' }, url: notification.leadUrl, action_id: 'open_lead' }],
      },
    ]);
    expect(message.text).toBe(
      [notification.title, ...notification.facts.map((f) => `${f.label}: ${f.value}`), `Open Lead: ${notification.leadUrl}`].join('\n'),
    );
  });

  it('escapes &, < and > in mrkdwn ("Formatting text for app surfaces") so a value cannot inject a link or mention', () => {
    const tricky = slackMessageOf(sampleNotification({ facts: [{ label: 'Company', value: 'A&B <!channel> <https://evil|click>' }] }));
    expect(tricky.blocks[1]).toEqual({
      type: 'section',
      fields: [{ type: 'mrkdwn', text: '*Company*\nA&amp;B &lt;!channel&gt; &lt;https://evil|click&gt;' }],
    });
    expect(tricky.text).not.toContain('<!channel>');
  });

  it('keeps to Block Kit limits: header at most 150 characters, at most 10 fields per section', () => {
    const long = slackMessageOf(
      sampleNotification({
        title: 'x'.repeat(400),
        facts: Array.from({ length: 13 }, (_, i) => ({ label: `L${i}`, value: 'v' })),
      }),
    );
    const header = (long.blocks[0]?.text as { text: string } | undefined)?.text ?? '';
    expect(Array.from(header)).toHaveLength(150);
    expect(header.endsWith('…')).toBe(true);
    expect(long.blocks.filter((b) => b.type === 'section').map((b) => (b.fields as unknown[]).length)).toEqual([10, 3]);
  });
});
