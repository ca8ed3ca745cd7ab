import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { HUBSPOT_LIMITS } from '../../../src/adapters/hubspot/limits.ts';
import type { PropertySpec } from '../../../src/core/setup-spec.ts';
import { ProviderError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';

const BASE = 'https://api.hubapi.com';
const TOKEN = 'pat-test-token';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const PROPERTIES = '/crm/v3/properties/contacts';

function adapter(waits: number[] = []) {
  return createHubSpotAdapter({
    accessToken: TOKEN,
    baseUrl: BASE,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 1000 },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
}

function hubspotError(category: string, message: string) {
  return { status: 'error', message, correlationId: 'c-1', category };
}

function listAnswer(listId: string, name: string) {
  return { list: { listId, name, objectTypeId: '0-1', processingType: 'MANUAL', listVersion: 1, size: 0 } };
}

const reasonProperty: PropertySpec = {
  name: 'handoff_rejection_reason',
  label: 'Rejection reason',
  type: 'enumeration',
  fieldType: 'select',
  groupName: 'handoff',
  description: 'Why sales rejected the lead',
  options: [
    { label: 'Bad fit', value: 'bad_fit' },
    { label: 'No budget', value: 'no_budget' },
  ],
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('properties', () => {
  it('lists contact properties with their type and options', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get(PROPERTIES)
      .reply(
        200,
        {
          results: [
            {
              name: 'email',
              label: 'Email',
              type: 'string',
              fieldType: 'text',
              groupName: 'contactinformation',
              options: [],
              modificationMetadata: { readOnlyValue: false, readOnlyDefinition: true, archivable: false },
            },
            {
              name: 'hs_lead_status',
              label: 'Lead Status',
              type: 'enumeration',
              fieldType: 'radio',
              groupName: 'contactinformation',
              options: [{ label: 'New', value: 'NEW', displayOrder: 0, hidden: false }],
            },
          ],
        },
        JSON_HEADERS,
      );
    const properties = await adapter().listProperties();
    scope.done();
    // CRM Properties API, "Read all properties": label, fieldType and modificationMetadata.readOnlyValue pass through.
    expect(properties).toEqual([
      { name: 'email', type: 'string', label: 'Email', fieldType: 'text', readOnly: false },
      { name: 'hs_lead_status', type: 'enumeration', label: 'Lead Status', fieldType: 'radio', options: [{ label: 'New', value: 'NEW' }] },
    ]);
  });

  it('creates a property with HubSpot option fields filled in', async () => {
    const scope = nock(BASE)
      .post(PROPERTIES, {
        name: 'handoff_rejection_reason',
        label: 'Rejection reason',
        type: 'enumeration',
        fieldType: 'select',
        groupName: 'handoff',
        description: 'Why sales rejected the lead',
        options: [
          { label: 'Bad fit', value: 'bad_fit', displayOrder: 0, hidden: false },
          { label: 'No budget', value: 'no_budget', displayOrder: 1, hidden: false },
        ],
      })
      .reply(
        201,
        { name: 'handoff_rejection_reason', label: 'Rejection reason', type: 'enumeration', fieldType: 'select', groupName: 'handoff' },
        JSON_HEADERS,
      );
    expect(await adapter().createProperty(reasonProperty)).toBe('created');
    scope.done();
  });

  it('answers "exists" for a 409, without retrying', async () => {
    const waits: number[] = [];
    const scope = nock(BASE)
      .post(PROPERTIES)
      .reply(409, hubspotError('OBJECT_ALREADY_EXISTS', "A property named 'handoff_rejection_reason' already exists."), JSON_HEADERS);
    expect(await adapter(waits).createProperty(reasonProperty)).toBe('exists');
    scope.done();
    expect(waits).toEqual([]);
  });

  it('throws a permanent ProviderError for a 400, and retries a 503', async () => {
    const waits: number[] = [];
    const scope = nock(BASE)
      .post(PROPERTIES)
      .reply(503, hubspotError('INTERNAL_ERROR', 'try later'), JSON_HEADERS)
      .post(PROPERTIES)
      .reply(400, hubspotError('VALIDATION_ERROR', 'Property group handoff does not exist'), JSON_HEADERS);
    const error = (await adapter(waits)
      .createProperty(reasonProperty)
      .catch((e: unknown) => e)) as ProviderError;
    scope.done();
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, retryable: false, code: 'VALIDATION_ERROR' });
    expect(error.message).toContain('Property group handoff does not exist');
    expect(waits).toHaveLength(1);
  });
});

describe('lists', () => {
  it('finds a contact list by name (URL-encoded) and answers undefined for a 404', async () => {
    const scope = nock(BASE)
      .get('/crm/v3/lists/object-type-id/0-1/name/Nurture%20%E2%80%94%20bad%20timing')
      .reply(200, listAnswer('42', 'Nurture — bad timing'), JSON_HEADERS)
      .get('/crm/v3/lists/object-type-id/0-1/name/Nowhere')
      .reply(404, hubspotError('OBJECT_NOT_FOUND', 'List with name Nowhere does not exist.'), JSON_HEADERS);
    expect(await adapter().findListByName('Nurture — bad timing')).toEqual({ listId: '42', name: 'Nurture — bad timing' });
    expect(await adapter().findListByName('Nowhere')).toBeUndefined();
    scope.done();
  });

  it('creates a MANUAL contact list', async () => {
    const scope = nock(BASE)
      .post('/crm/v3/lists', { name: 'Sales ready', objectTypeId: '0-1', processingType: 'MANUAL' })
      .reply(200, listAnswer('7', 'Sales ready'), JSON_HEADERS);
    expect(await adapter().createList('Sales ready')).toEqual({ listId: '7', name: 'Sales ready' });
    scope.done();
  });

  it(`adds members in chunks of at most ${HUBSPOT_LIMITS.listMembershipMaxIds}, once per id`, async () => {
    const max = HUBSPOT_LIMITS.listMembershipMaxIds;
    const ids = Array.from({ length: max + 1 }, (_, i) => String(1000 + i));
    const scope = nock(BASE)
      .put('/crm/v3/lists/42/memberships/add', ids.slice(0, max))
      .reply(200, { recordsIdsAdded: ['1000', '1001'], recordIdsRemoved: [], recordIdsMissing: ['1002'] }, JSON_HEADERS)
      .put('/crm/v3/lists/42/memberships/add', ids.slice(max))
      .reply(200, { recordsIdsAdded: [ids[max]], recordIdsRemoved: [], recordIdsMissing: [] }, JSON_HEADERS);
    const result = await adapter().addToList('42', [...ids, '1000', '1001']);
    scope.done();
    expect(result).toEqual({ changed: ['1000', '1001', ids[max]], missing: ['1002'] });
  });

  it('removes members and reports the removed and missing ids', async () => {
    const scope = nock(BASE)
      .put('/crm/v3/lists/42/memberships/remove', ['5', '6'])
      .reply(200, { recordsIdsAdded: [], recordIdsRemoved: ['5'], recordIdsMissing: ['6'] }, JSON_HEADERS);
    expect(await adapter().removeFromList('42', ['5', '6'])).toEqual({ changed: ['5'], missing: ['6'] });
    scope.done();
  });

  it('retries a rate-limited membership call and makes no call for no ids', async () => {
    const waits: number[] = [];
    const scope = nock(BASE)
      .put('/crm/v3/lists/42/memberships/add', ['5'])
      .reply(
        429,
        {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: 'c',
          policyName: 'TEN_SECONDLY_ROLLING',
        },
        { ...JSON_HEADERS, 'Retry-After': '1' },
      )
      .put('/crm/v3/lists/42/memberships/add', ['5'])
      .reply(200, { recordsIdsAdded: ['5'], recordIdsRemoved: [], recordIdsMissing: [] }, JSON_HEADERS);
    const client = adapter(waits);
    expect(await client.addToList('42', ['5'])).toEqual({ changed: ['5'], missing: [] });
    expect(await client.addToList('42', [])).toEqual({ changed: [], missing: [] });
    scope.done();
    expect(waits).toEqual([1000]);
  });

  it('does not retry a membership call on a list that is not MANUAL', async () => {
    const waits: number[] = [];
    const scope = nock(BASE)
      .put('/crm/v3/lists/9/memberships/add')
      .reply(400, hubspotError('VALIDATION_ERROR', 'List 9 is not a MANUAL or SNAPSHOT list.'), JSON_HEADERS);
    const error = (await adapter(waits)
      .addToList('9', ['5'])
      .catch((e: unknown) => e)) as ProviderError;
    scope.done();
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect(waits).toEqual([]);
  });
});
