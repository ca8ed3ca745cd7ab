import { afterEach, describe, expect, it } from '@jest/globals';
import { INTEGRATION_USER_ID, REP_USER_ID } from '../../../src/simulators/salesforce/server.ts';
import { openPubSubSession, type PubSubSession } from './support/pubsub-session.ts';

const LEADS = '/data/LeadChangeEvent';
const lead = (fields: Record<string, unknown>) => ({ attributes: { type: 'Lead' }, Company: 'Acme', ...fields });
const HANDOFF = { 'Sforce-Call-Options': 'client=Handoff' };

let session: PubSubSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function open(options: { stampPerRequest?: boolean } = {}) {
  session = await openPubSubSession(options);
  return session;
}

const latest = (s: PubSubSession) => s.pubSub.latestReplayId(LEADS).readBigUInt64BE();

describe('simulated CDC publishes a request\'s changes once it commits (ChangeEventHeader Fields: "committed transaction")', () => {
  it('publishes nothing for an allOrNone collection that rolled back; one transaction shares a key, sequence counting up', async () => {
    const s = await open({ stampPerRequest: true });
    const { stream } = await s.subscribe(LEADS, { num_requested: 10 });
    const rolledBack = await s.api.call(
      'POST',
      '/composite/sobjects',
      { allOrNone: true, records: [lead({ LastName: 'Gone' }), lead({})] },
      HANDOFF,
    );
    expect(rolledBack.body).toEqual([
      expect.objectContaining({ success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })] }),
      expect.objectContaining({ success: false }),
    ]);
    const saved = await s.api.call(
      'POST',
      '/composite/sobjects',
      { allOrNone: true, records: [lead({ LastName: 'A' }), lead({ LastName: 'B' })] },
      HANDOFF,
    );
    const ids = (saved.body as Array<{ id: string }>).map((result) => result.id);

    await stream.until(() => stream.events().length === 2, 'the two committed creates');
    const events = await s.decoded(LEADS, stream);
    expect(events.map((event) => event.ChangeEventHeader.recordIds)).toEqual([[ids[0]], [ids[1]]]);
    expect(events.map((event) => event.ChangeEventHeader.sequenceNumber)).toEqual([1, 2]);
    expect(new Set(events.map((event) => event.ChangeEventHeader.transactionKey)).size).toBe(1);
    // The rolled-back save would have taken replay id 1: the channel holds the two committed events only.
    expect(latest(s)).toBe(2n);
  });

  it('drops a rolled-back collection subrequest of a composite request and publishes the subrequest that saved', async () => {
    const s = await open();
    const { stream } = await s.subscribe(LEADS, { num_requested: 10 });
    const answer = await s.api.call('POST', '/composite', {
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v66.0/composite/sobjects',
          referenceId: 'batch',
          body: { allOrNone: true, records: [lead({ LastName: 'Gone' }), lead({})] },
        },
        { method: 'POST', url: '/services/data/v66.0/sobjects/Lead', referenceId: 'solo', body: { LastName: 'Solo', Company: 'Acme' } },
      ],
    });
    const solo = (answer.body as { compositeResponse: Array<{ body: { id?: string } }> }).compositeResponse[1]?.body.id;

    await stream.until(() => stream.events().length === 1, 'the saved subrequest');
    const [event] = await s.decoded(LEADS, stream);
    expect(event?.ChangeEventHeader).toMatchObject({ recordIds: [solo], changeType: 'CREATE' });
    expect(latest(s)).toBe(1n);
  });
});

describe('simulated CDC changeOrigin (ChangeEventHeader Fields; REST API Developer Guide, "Call Options Header")', () => {
  it("names the REST API, its version and the Sforce-Call-Options client; a rep's UI edit has none", async () => {
    const s = await open();
    const { stream } = await s.subscribe(LEADS, { num_requested: 10 });
    const created = await s.api.call('POST', '/sobjects/Lead', { LastName: 'Origin', Company: 'Acme' }, HANDOFF);
    const id = (created.body as { id: string }).id;
    await s.api.call('PATCH', `/sobjects/Lead/${id}`, { Company: 'Acme Corp' });
    s.sim.updateRecord('Lead', id, { Status: 'Working - Contacted' }, { userId: REP_USER_ID });

    await stream.until(() => stream.events().length === 3, 'three changes');
    const headers = (await s.decoded(LEADS, stream)).map((event) => event.ChangeEventHeader);
    expect(headers.map((header) => [header.changeOrigin, header.commitUser])).toEqual([
      ['com/salesforce/api/rest/66.0;client=Handoff', INTEGRATION_USER_ID],
      ['com/salesforce/api/rest/66.0', INTEGRATION_USER_ID],
      ['', REP_USER_ID],
    ]);
  });
});
