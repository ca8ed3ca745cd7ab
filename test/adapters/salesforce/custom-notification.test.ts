import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createSalesforceAdapter } from '../../../src/adapters/salesforce/adapter.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { countedPort } from '../../../src/metrics/counted-port.ts';

/**
 * Actions Developer Guide (also in the REST API Developer Guide's Actions), "Custom Notification Actions":
 * POST /services/data/vXX.X/actions/standard/customNotificationAction with { inputs: [{ customNotifTypeId,
 * recipientIds, title, body, targetId }] }; each input is answered { actionName, errors, isSuccess, outputValues },
 * a refused one with isSuccess false and errors [{ statusCode, message, fields }].
 */
const ORG = 'https://handoff-test.my.salesforce.com';
const PATH = '/services/data/v66.0/actions/standard/customNotificationAction';
const TYPE_ID = '0MLHs1000000001AAA';
const LEAD_ID = '00QHs0000000001AAA';
const REP = '005Hs0000000002AAA';
const INPUT = { notificationTypeId: TYPE_ID, recipientIds: [REP], title: 'New lead: Lee', body: 'Routed to you.', targetId: LEAD_ID };
const SENT = {
  inputs: [{ customNotifTypeId: TYPE_ID, recipientIds: [REP], title: 'New lead: Lee', body: 'Routed to you.', targetId: LEAD_ID }],
};
const refused = (statusCode: string, message: string) => [
  { actionName: 'customNotificationAction', errors: [{ statusCode, message, fields: [] }], isSuccess: false, outputValues: null },
];

let sleeps: number[] = [];
const adapter = () =>
  createSalesforceAdapter({
    loginUrl: ORG,
    clientId: 'client',
    clientSecret: 'secret',
    refreshToken: 'refresh',
    apiVersion: '66.0',
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });

function org(): nock.Scope {
  return nock(ORG).post('/services/oauth2/token').reply(200, { access_token: 'token', instance_url: ORG, token_type: 'Bearer' });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  sleeps = [];
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('sendCustomNotification (Custom Notification Actions)', () => {
  it('posts one input in the action names and resolves on isSuccess', async () => {
    const scope = org()
      .post(PATH, SENT)
      .reply(200, [{ actionName: 'customNotificationAction', errors: null, isSuccess: true, outputValues: { SuccessMessage: 'ok' } }]);
    await expect(adapter().sendCustomNotification(INPUT)).resolves.toBeUndefined();
    scope.done();
  });

  it('turns isSuccess false in a 200 answer into a permanent provider error with the message', async () => {
    const scope = org().post(PATH, SENT).reply(200, refused('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'));
    const error = await adapter()
      .sendCustomNotification(INPUT)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: 'INVALID_CROSS_REFERENCE_KEY',
      retryable: false,
      message: 'INVALID_CROSS_REFERENCE_KEY: invalid cross reference id',
    });
    expect(sleeps).toEqual([]);
    scope.done();
  });

  it('reads the refusal out of a 400 answer body too, keeping the status', async () => {
    const scope = org().post(PATH, SENT).reply(400, refused('REQUIRED_FIELD_MISSING', 'Missing required input parameter: title'));
    const error = await adapter()
      .sendCustomNotification(INPUT)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'REQUIRED_FIELD_MISSING',
      status: 400,
      retryable: false,
      message: 'REQUIRED_FIELD_MISSING: Missing required input parameter: title',
    });
    scope.done();
  });

  it('retries a transient refusal in the answer (UNKNOWN_EXCEPTION) and succeeds', async () => {
    const scope = org()
      .post(PATH, SENT)
      .reply(200, refused('UNKNOWN_EXCEPTION', 'An unexpected error occurred'))
      .post(PATH, SENT)
      .reply(200, [{ actionName: 'customNotificationAction', errors: null, isSuccess: true, outputValues: null }]);
    await expect(adapter().sendCustomNotification(INPUT)).resolves.toBeUndefined();
    expect(sleeps).toHaveLength(1);
    scope.done();
  });

  it('a whole-request error keeps its own code (REST API errors: 503 SERVER_UNAVAILABLE is retried)', async () => {
    const scope = org()
      .post(PATH, SENT)
      .reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' }])
      .post(PATH, SENT)
      .reply(200, [{ actionName: 'customNotificationAction', errors: null, isSuccess: true, outputValues: null }]);
    await adapter().sendCustomNotification(INPUT);
    expect(sleeps).toHaveLength(1);
    scope.done();
  });
});

describe('customNotificationTypeId (Object Reference: CustomNotificationType)', () => {
  const soql = "SELECT Id FROM CustomNotificationType WHERE DeveloperName = 'Handoff_Lead_Assigned' LIMIT 1";

  it('queries the type by DeveloperName', async () => {
    const scope = org()
      .get('/services/data/v66.0/query')
      .query({ q: soql })
      .reply(200, { totalSize: 1, done: true, records: [{ attributes: { type: 'CustomNotificationType' }, Id: TYPE_ID }] });
    await expect(adapter().customNotificationTypeId('Handoff_Lead_Assigned')).resolves.toBe(TYPE_ID);
    scope.done();
  });

  it('is undefined when the org has no such type', async () => {
    const scope = org().get('/services/data/v66.0/query').query({ q: soql }).reply(200, { totalSize: 0, done: true, records: [] });
    await expect(adapter().customNotificationTypeId('Handoff_Lead_Assigned')).resolves.toBeUndefined();
    scope.done();
  });

  it('escapes the name as a SOQL literal', async () => {
    const scope = org()
      .get('/services/data/v66.0/query')
      .query({ q: "SELECT Id FROM CustomNotificationType WHERE DeveloperName = 'x\\' OR Id != \\'' LIMIT 1" })
      .reply(200, { totalSize: 0, done: true, records: [] });
    await expect(adapter().customNotificationTypeId("x' OR Id != '")).resolves.toBeUndefined();
    scope.done();
  });
});

describe('counted port', () => {
  it('counts both new operations under their names', async () => {
    const scope = org()
      .post(PATH, SENT)
      .reply(200, [{ actionName: 'customNotificationAction', errors: null, isSuccess: true, outputValues: null }])
      .get('/services/data/v66.0/query')
      .query(true)
      .reply(200, { totalSize: 0, done: true, records: [] });
    const seen: string[] = [];
    const port = countedPort(adapter(), 'salesforce', { apiCall: (_provider, operation) => void seen.push(operation) });
    await port.sendCustomNotification(INPUT);
    await port.customNotificationTypeId('Handoff_Lead_Assigned');
    expect(seen).toEqual(['sendCustomNotification', 'customNotificationTypeId']);
    scope.done();
  });
});

describe('sendCustomNotifications (Custom Notification Actions: `inputs` is a list, one answer per input)', () => {
  const ok = { actionName: 'customNotificationAction', errors: null, isSuccess: true, outputValues: { SuccessMessage: 'ok' } };
  const second = { ...INPUT, recipientIds: ['005Hs0000000003AAA'] };
  const sentBoth = { inputs: [SENT.inputs[0], { ...SENT.inputs[0], recipientIds: ['005Hs0000000003AAA'] }] };

  it('posts every input in one request and answers each in order', async () => {
    const scope = org().post(PATH, sentBoth).reply(200, [ok, ok]);
    await expect(adapter().sendCustomNotifications([INPUT, second])).resolves.toEqual([{ ok: true }, { ok: true }]);
    scope.done();
  });

  it('a 400 whose body answers every input: the refused one fails alone, nothing is sent again', async () => {
    const scope = org()
      .post(PATH, sentBoth)
      .reply(400, [ok, ...refused('INVALID_CROSS_REFERENCE_KEY', 'recipientIds: invalid')]);
    const results = await adapter().sendCustomNotifications([INPUT, second]);
    expect(results[0]).toEqual({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'INVALID_CROSS_REFERENCE_KEY', retryable: false } });
    expect(sleeps).toEqual([]);
    scope.done();
  });

  it('more inputs than one request carries go in requests of at most 50', async () => {
    const inputs = Array.from({ length: 51 }, () => INPUT);
    const scope = org()
      .post(PATH, (body: { inputs: unknown[] }) => body.inputs.length === 50)
      .reply(
        200,
        Array.from({ length: 50 }, () => ok),
      )
      .post(PATH, (body: { inputs: unknown[] }) => body.inputs.length === 1)
      .reply(200, [ok]);
    expect(await adapter().sendCustomNotifications(inputs)).toHaveLength(51);
    scope.done();
  });

  it('an answer that does not match the inputs is a permanent error, never taken as delivered', async () => {
    const scope = org().post(PATH, sentBoth).reply(200, [ok]);
    await expect(adapter().sendCustomNotifications([INPUT, second])).rejects.toMatchObject({ code: 'UNEXPECTED_ANSWER', retryable: false });
    scope.done();
  });
});
