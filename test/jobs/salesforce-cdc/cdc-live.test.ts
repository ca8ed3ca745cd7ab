import { describe, expect, it } from '@jest/globals';
import { timedPollRound } from '../../../src/jobs/salesforce-poll-worker.ts';
import { readCdcState } from '../../../src/store/cdc-lease.ts';
import {
  CDC_NAME,
  type CdcWorld,
  eventually,
  handedOffLead,
  historyActions,
  rejectionReached,
  storedLeadReplayId,
  untilLive,
  useCdcWorld,
} from './support/cdc-world.ts';

/**
 * The change-event subscriber against the simulated org's Pub/Sub API over loopback gRPC, the HubSpot simulator over
 * HTTP and a fresh database: a rep's change reaches HubSpot through the stream alone, our own saves are dropped
 * unread, and the timed poll only drift-checks while the stream is live.
 */
describe('the change-event subscriber while its stream is live', () => {
  let world: CdcWorld;
  useCdcWorld((created) => {
    world = created;
  });

  it("carries a rep's rejection to HubSpot through the stream, with no poll round once live, and moves the replay id", async () => {
    const { contactId, leadId } = await handedOffLead(world, 'rejected');
    const a = world.start();
    await untilLive(world);
    const roundsWhenLive = a.rounds.count;
    // The catch-up round (subscribed at the tip with nothing stored) already saw the Lead as handed off.
    expect(roundsWhenLive).toBeGreaterThanOrEqual(1);
    const before = await eventually('a stored position (a keep-alive)', () => storedLeadReplayId(world));

    world.w.salesforce.updateRecord('Lead', leadId, { Status: 'Rejected', Rejection_Reason__c: 'bad_timing' });
    // The batch is counted once its transaction (effects and replay id) has committed.
    await eventually('the rejection applied', () => a.metrics.count('Lead', 'reread') >= 1);

    expect(rejectionReached(world, contactId, 'bad_timing')).toBe(true);
    expect(a.rounds.count).toBe(roundsWhenLive);
    expect(a.metrics.count('Lead', 'reread')).toBe(1);
    const after = await storedLeadReplayId(world);
    expect(after).toEqual(world.w.salesforce.pubSub?.latestReplayId());
    expect(after?.compare(before)).toBe(1);
    expect(await historyActions(world, leadId)).toContain('recycled');
  });

  // "ChangeEventHeader Fields" (Change Data Capture Developer Guide): commitUser is the user whose transaction made the
  // change, so a save by our integration user comes back as an event we must not act on.
  it('drops the event of our own save unread, and re-reads the same kind of change made by a rep', async () => {
    const { contactId, leadId } = await handedOffLead(world, 'echoed');
    const a = world.start();
    await untilLive(world);
    const queries = () => world.w.salesforce.calls.query ?? 0;
    const queriesWhenLive = queries();

    await world.w.poll.salesforce.updateRecords('Lead', [{ Id: leadId, Title: 'Staff Engineer' }]);
    await eventually('the echo counted', () => a.metrics.count('Lead', 'echo') >= 1);
    expect(a.metrics.count('Lead', 'echo')).toBe(1);
    expect(a.metrics.count('Lead', 'reread')).toBe(0);
    expect(queries()).toBe(queriesWhenLive);

    // The control: a rep's save of the same field is re-read (one query) and carried to HubSpot.
    world.w.salesforce.updateRecord('Lead', leadId, { Title: 'Head of Data' });
    await eventually('the rep’s change applied', () => a.metrics.count('Lead', 'reread') >= 1);
    expect(world.w.hubspot.contacts.get(contactId)?.properties.jobtitle).toBe('Head of Data');
    expect(a.metrics.count('Lead', 'reread')).toBe(1);
    expect(queries()).toBe(queriesWhenLive + 1);
  });

  it('skips the timed poll while events are live and the last round is recent; runs it once the drift check is due', async () => {
    const driftCheckMs = 60_000;
    const a = world.start();
    await untilLive(world);
    expect(a.rounds.count).toBeGreaterThanOrEqual(1);
    expect(await timedPollRound(world.poll, driftCheckMs)).toEqual({ skipped: 'change-events-live' });

    world.clock.offsetMs = driftCheckMs;
    const due = await timedPollRound(world.poll, driftCheckMs);
    expect(due).not.toHaveProperty('skipped');
    expect(due).toHaveProperty('leads');
    // That round is now the last one: the next is skipped again.
    expect(await timedPollRound(world.poll, driftCheckMs)).toEqual({ skipped: 'change-events-live' });

    // Once the subscriber stops, the path says so and every timed round runs again.
    await a.subscriber.stop();
    expect(await readCdcState(world.w.fresh.db, CDC_NAME)).toMatchObject({ status: 'stopped', held: false });
    expect(await timedPollRound(world.poll, driftCheckMs)).toHaveProperty('leads');
  });

  it('follows the Opportunity topic once a publish starts following deals, without a restart', async () => {
    const following = world.poll.mappings();
    let active = { ...following, revenue: { ...following.revenue, enabled: false } };
    const a = world.start('replica-a', () => active);
    await untilLive(world);
    expect(a.subscriptions.map((s) => s.topic)).toEqual(['/data/LeadChangeEvent']);
    active = following;
    await eventually('the Opportunity topic subscribed', () => a.subscriptions.some((s) => s.topic === '/data/OpportunityChangeEvent'));
    expect((await readCdcState(world.w.fresh.db, CDC_NAME))?.held).toBe(true);
  });
});
