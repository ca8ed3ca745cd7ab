import { describe, expect, it } from '@jest/globals';
import { timedPollRound } from '../../../src/jobs/salesforce-poll-worker.ts';
import { readCdcState } from '../../../src/store/cdc-lease.ts';
import {
  CDC_NAME,
  type CdcWorld,
  eventually,
  handedOffLead,
  leadStreams,
  rejectionReached,
  storedLeadReplayId,
  untilLive,
  useCdcWorld,
} from './support/cdc-world.ts';

/**
 * Failures known to go silent: a stream that stops answering (Salesforce sends a keep-alive at least every 270 s,
 * "Pub/Sub API Developer Guide", "Subscribe RPC Method"), and an org that offers no Lead change events.
 */
describe('the change-event subscriber when its stream goes silent', () => {
  let world: CdcWorld;
  useCdcWorld((created) => {
    world = created;
  });

  it('takes a silent stream for dead and reopens it, and a change arrives once the org speaks again', async () => {
    const { contactId, leadId } = await handedOffLead(world, 'silenced');
    const pubSub = world.w.salesforce.pubSub!;
    const a = world.start();
    await untilLive(world);
    // A stored position first (a keep-alive's): without one, a reopened stream starts at the tip and the poll catches up.
    await eventually('a stored position', () => storedLeadReplayId(world));
    const rounds = a.rounds.count;
    const streams = leadStreams(world).length;

    pubSub.goSilent();
    await eventually('the silent stream reopened twice', () => leadStreams(world).length >= streams + 2);
    expect(a.metrics.reconnects).toContain('silence');
    expect(
      leadStreams(world)
        .slice(0, streams + 1)
        .every((stream) => !stream.open),
    ).toBe(true);

    pubSub.speak();
    world.w.salesforce.updateRecord('Lead', leadId, { Title: 'Head of Data' });
    await eventually('the change applied', () => a.metrics.count('Lead', 'reread') >= 1);
    expect(world.w.hubspot.contacts.get(contactId)?.properties.jobtitle).toBe('Head of Data');
    expect(a.rounds.count).toBe(rounds);
  });
});

describe('the change-event subscriber in an org without Lead change events', () => {
  let world: CdcWorld;
  useCdcWorld(
    (created) => {
      world = created;
    },
    { entities: [] },
  );

  it("says 'unavailable', and the timed poll runs and carries a rep's change", async () => {
    const { contactId, leadId } = await handedOffLead(world, 'nocdc');
    const a = world.start();
    // Each topic first catches up through the poll (subscribed at the tip), then its stream is refused.
    const state = await eventually('both topics unavailable', async () => {
      const current = await readCdcState(world.w.fresh.db, CDC_NAME);
      return current?.detail?.includes('Lead: unavailable') && current.detail.includes('Opportunity: unavailable') ? current : undefined;
    });
    expect(state).toMatchObject({ status: 'unavailable', held: true });
    expect(a.metrics.fallbacks).toContain('unavailable');
    expect(leadStreams(world)).toEqual([]);

    world.w.salesforce.updateRecord('Lead', leadId, { Status: 'Rejected', Rejection_Reason__c: 'bad_timing' });
    const round = await timedPollRound(world.poll, 60_000);
    expect(round).not.toHaveProperty('skipped');
    expect(rejectionReached(world, contactId, 'bad_timing')).toBe(true);
  });
});
