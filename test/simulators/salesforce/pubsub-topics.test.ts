import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from '@jest/globals';
import { LEAD_CHANGE_SCHEMA_ID } from '../../../src/simulators/salesforce/pubsub/lead-change-event.ts';
import { type CdcEntity, REP_USER_ID } from '../../../src/simulators/salesforce/server.ts';
import { eventually, unary } from './support/pubsub-client.ts';
import { openPubSubSession, type PubSubSession } from './support/pubsub-session.ts';

const LEADS = '/data/LeadChangeEvent';
const DEALS = '/data/OpportunityChangeEvent';

let session: PubSubSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function open(pubSub: { entities?: CdcEntity[]; retainEvents?: number } = {}) {
  session = await openPubSubSession({ pubSub });
  return session;
}

const newDeal = (s: PubSubSession, name: string) =>
  String(s.sim.createRecord('Opportunity', { Name: name, StageName: 'Prospecting', CloseDate: '2026-12-31' }).Id);

describe('simulated CDC channels: /data/LeadChangeEvent and /data/OpportunityChangeEvent', () => {
  it('answers GetTopic and GetSchema for each channel with its own Avro schema', async () => {
    const s = await open();
    const leads = await unary(s.client, 'GetTopic', { topic_name: LEADS }, s.credentials);
    const deals = await unary(s.client, 'GetTopic', { topic_name: DEALS }, s.credentials);
    expect(deals).toMatchObject({ topic_name: DEALS, can_subscribe: true, can_publish: false });
    expect(deals.schema_id).not.toBe(leads.schema_id);
    const schema = await unary(s.client, 'GetSchema', { schema_id: deals.schema_id }, s.credentials);
    const parsed = JSON.parse(String(schema.schema_json)) as { name: string; fields: Array<{ name: string }> };
    expect(parsed.name).toBe('com.sforce.eventbus.OpportunityChangeEvent');
    expect(parsed.fields.map((field) => field.name)).toEqual(
      expect.arrayContaining([
        'ChangeEventHeader',
        'StageName',
        'Amount',
        'CloseDate',
        'IsClosed',
        'IsWon',
        'ForecastCategoryName',
        'OwnerId',
      ]),
    );
  });

  it("delivers each object's changes on its own channel, replay ids counted per channel, one transaction's key shared", async () => {
    const s = await open();
    const leadStream = await s.subscribe(LEADS, { num_requested: 10 });
    const dealStream = await s.subscribe(DEALS, { num_requested: 10 });
    const leadId = String(s.sim.createRecord('Lead', { LastName: 'Hopper', Company: 'Navy' }).Id);
    const converted = s.sim.convertLead(leadId);
    const dealId = String(converted.ConvertedOpportunityId);
    s.sim.updateRecord('Opportunity', dealId, { StageName: 'Closed Lost', Handoff_Loss_Reason__c: 'budget' }, { userId: REP_USER_ID });

    await leadStream.stream.until(() => leadStream.stream.events().length === 2, 'the Lead create and conversion');
    await dealStream.stream.until(() => dealStream.stream.events().length === 2, 'the Opportunity create and loss');
    expect(leadStream.stats()).toMatchObject({ topic: LEADS, delivered: 2 });
    expect(dealStream.stats()).toMatchObject({ topic: DEALS, delivered: 2 });
    const leads = await s.decoded(LEADS, leadStream.stream);
    const deals = await s.decoded(DEALS, dealStream.stream);
    expect(leads.map((event) => event.ChangeEventHeader.entityName)).toEqual(['Lead', 'Lead']);
    expect(deals.map((event) => [event.ChangeEventHeader.entityName, event.ChangeEventHeader.changeType])).toEqual([
      ['Opportunity', 'CREATE'],
      ['Opportunity', 'UPDATE'],
    ]);
    expect(leads.map((event) => event.replayId)).toEqual([1n, 2n]);
    expect(deals.map((event) => event.replayId)).toEqual([1n, 2n]);
    // Conversion is one transaction: the Opportunity's create and the Lead's update share its key.
    expect(deals[0]?.ChangeEventHeader.transactionKey).toBe(leads[1]?.ChangeEventHeader.transactionKey);
    expect(deals[0]).toMatchObject({ ChangeEventHeader: { recordIds: [dealId] }, StageName: 'Prospecting', IsClosed: false });
    expect(deals[1]).toMatchObject({
      StageName: 'Closed Lost',
      IsClosed: true,
      IsWon: null,
      Handoff_Loss_Reason__c: 'budget',
      Amount: null,
    });
    expect(deals[1]?.ChangeEventHeader.changedFields).toEqual(expect.arrayContaining(['StageName', 'IsClosed', 'Handoff_Loss_Reason__c']));
  });
});

describe('simulated CDC: a channel the org does not have (NOT_FOUND, as a real org answers GetTopic for a CDC channel not selected)', () => {
  it('answers a Lead channel NOT_FOUND when Lead is not selected for CDC, and publishes no Lead change', async () => {
    const s = await open({ entities: ['Opportunity'] });
    const refused = { code: grpc.status.NOT_FOUND, details: expect.stringContaining(`topic ${LEADS} not found`) };
    await expect(unary(s.client, 'GetTopic', { topic_name: LEADS }, s.credentials)).rejects.toMatchObject(refused);
    await expect(unary(s.client, 'GetSchema', { schema_id: LEAD_CHANGE_SCHEMA_ID }, s.credentials)).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    const { stream, stats } = await s.subscribe(LEADS, { num_requested: 1 });
    await stream.until(() => stream.error !== undefined, 'the refusal');
    expect(stream.error).toMatchObject(refused);
    expect(stats()).toMatchObject({ open: false, topic: undefined });

    const deals = await s.subscribe(DEALS, { num_requested: 5 });
    s.sim.createRecord('Lead', { LastName: 'Unheard', Company: 'Acme' });
    newDeal(s, 'Heard');
    await deals.stream.until(() => deals.stream.events().length === 1, 'the Opportunity event');
    const [event] = await s.decoded(DEALS, deals.stream);
    expect(event?.ChangeEventHeader.entityName).toBe('Opportunity');
    expect(deals.stats()?.delivered).toBe(1);
  });

  it('answers a topic no org has NOT_FOUND', async () => {
    const s = await open();
    await expect(unary(s.client, 'GetTopic', { topic_name: '/data/NopeChangeEvent' }, s.credentials)).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });
});

describe('simulated Pub/Sub faults on the Opportunity channel', () => {
  it('refuses a stale or rejected replay id, goes silent, and ends its streams', async () => {
    const s = await open({ retainEvents: 2 });
    const all = await s.subscribe(DEALS, { replay_preset: 'EARLIEST', num_requested: 10 });
    for (const name of ['A', 'B', 'C', 'D']) newDeal(s, name);
    await all.stream.until(() => all.stream.events().length === 4, 'four events');
    const [oldest, , third] = all.stream.events();
    const corrupted = { code: grpc.status.INVALID_ARGUMENT };
    for (const [fault, replayId] of [
      [false, oldest?.replay_id],
      [true, third?.replay_id],
    ] as const) {
      if (fault) s.pubSub.rejectReplayIds(1);
      const { stream } = await s.subscribe(DEALS, { replay_preset: 'CUSTOM', replay_id: replayId, num_requested: 1 });
      await stream.until(() => stream.error !== undefined, 'the refusal');
      expect(stream.error).toMatchObject(corrupted);
    }

    const quiet = await s.subscribe(DEALS, { num_requested: 5 });
    s.pubSub.goSilent();
    newDeal(s, 'Unheard');
    await eventually(() => (quiet.stats()?.withheld ?? 0) >= 1, 'the server to hold back the event');
    expect(quiet.stats()).toMatchObject({ delivered: 0, open: true });

    expect(s.pubSub.endStreams('UNAVAILABLE')).toBe(2);
    await quiet.stream.until(() => quiet.stream.error !== undefined, 'the stream to end');
    expect(quiet.stream.error?.code).toBe(grpc.status.UNAVAILABLE);
  });
});
