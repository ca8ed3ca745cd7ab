import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createHubSpotAdapter } from '../../src/adapters/hubspot/adapter.ts';
import { createListIdResolver } from '../../src/adapters/hubspot/list-ids.ts';
import { createSalesforceAdapter } from '../../src/adapters/salesforce/adapter.ts';
import { loadMappings } from '../../src/config/mappings.ts';
import { keptFromRead } from '../../src/core/handoff/kept-values.ts';
import type { MappingsBundle } from '../../src/core/mappings/bundle.ts';
import { type HandoffDeps, handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { contactReadPlan } from '../../src/jobs/handoff/read-contacts.ts';
import { silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { insertEvents } from '../../src/store/inbox.ts';
import { keepReadValues } from '../../src/store/kept-values.ts';
import { useFreshDatabase } from '../support/databases.ts';

const HUBSPOT = 'https://api.hubapi.com';
const READ = '/crm/v3/objects/contacts/batch/read';
/** A contact the shipped definition does not qualify: no read or write of Salesforce follows its decision. */
const VALUES = { email: 'student@mail.example', firstname: 'Sam', lastname: 'Student', jobtitle: 'Student' };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('kept values over HTTP (nock): no read for a known contact, a read for one never read', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });
  let bundle: MappingsBundle;
  let names: string[];
  beforeAll(async () => {
    bundle = await loadMappings('mappings');
    names = [...new Set([...bundle.hubspotProperties, bundle.fieldMapping.hubspot.recycleAfterProperty])];
  });

  function deps(): HandoffDeps {
    const logger = silentLogger();
    const fastRetry = { retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, sleep: async () => {} };
    const hubspot = createHubSpotAdapter({ accessToken: 'pat-kept', baseUrl: HUBSPOT, logger, ...fastRetry });
    const salesforce = createSalesforceAdapter({
      loginUrl: 'https://login.salesforce.example',
      instanceUrl: 'https://kept.my.salesforce.example',
      apiVersion: '66.0',
      clientId: 'c',
      clientSecret: 's',
      refreshToken: 'r',
      logger,
      ...fastRetry,
    });
    const lists = createListIdResolver(hubspot);
    return { db, hubspot, lists, salesforce, mappings: () => bundle, logger, now: () => new Date(), keptValues: { maxAgeMs: 600_000 } };
  }

  /** HubSpot's propertyChange webhook (webhooks v3 guide, "Webhook payloads": one property, its new value, occurredAt). */
  async function jobtitleChange(contactId: string, value: string) {
    await insertEvents(db, [
      {
        dedupeKey: `kept-nock:${contactId}:${value}`,
        source: 'hubspot',
        eventType: 'contact.propertyChange',
        objectType: 'contact',
        objectId: contactId,
        propertyName: 'jobtitle',
        propertyValue: value,
        changeSource: 'CRM_UI',
        occurredAt: new Date(),
        payload: {},
      },
    ]);
  }

  async function notQualifiedReason(contactId: string): Promise<string | null> {
    const history = await db.query<{ reason: string | null }>(
      `SELECT reason FROM handoff_history WHERE hubspot_contact_id = $1 AND action = 'not_qualified'`,
      [contactId],
    );
    return history.rows[0]?.reason ?? null;
  }

  it('decides a known contact’s change from kept values with no HubSpot call, as a read of the same values decides', async () => {
    const known = { id: '901', properties: VALUES };
    await keepReadValues(db, [{ contactId: '901', values: keptFromRead(known, names, new Date(Date.now() - 60_000)) }]);
    await jobtitleChange('901', 'Intern');
    // No interceptor: any call to HubSpot or Salesforce fails the batch.
    expect((await handoffContacts(['901'], deps())).outcomes).toEqual({ not_qualified: 1 });

    await jobtitleChange('902', 'Intern');
    const record = { id: '902', properties: { hs_object_id: '902', ...VALUES, jobtitle: 'Intern' }, archived: false };
    const scope = nock(HUBSPOT)
      .post(READ, { inputs: [{ id: '902' }], properties: contactReadPlan(names).contact, propertiesWithHistory: [] })
      .reply(200, { status: 'COMPLETE', results: [record], startedAt: new Date().toISOString(), completedAt: new Date().toISOString() });
    expect((await handoffContacts(['902'], deps())).outcomes).toEqual({ not_qualified: 1 });
    scope.done();

    expect(await notQualifiedReason('901')).not.toBeNull();
    expect(await notQualifiedReason('901')).toBe(await notQualifiedReason('902'));
  });
});
