import { describe, expect, it } from '@jest/globals';
import {
  type CdcWorld,
  eventually,
  handedOffLead,
  historyActions,
  LEAD_TOPIC,
  leaseHolder,
  rejectionReached,
  storedLeadReplayId,
  untilLive,
  useCdcWorld,
} from './support/cdc-world.ts';

/** One subscriber per deployment: the replica holding the lease streams; a standby takes over when it stops. */
describe('two replicas running the change-event subscriber on one database', () => {
  let world: CdcWorld;
  useCdcWorld((created) => {
    world = created;
  });

  it('lets only the lease holder open streams, and hands over to the standby, which resumes after the stored replay id', async () => {
    const { contactId, leadId } = await handedOffLead(world, 'handover');
    const sim = world.w.salesforce;
    const a = world.start('a');
    await untilLive(world);
    const b = world.start('b');
    // Three of b's tries for the lease, each refused while a holds it: the events this waits on, not a clock.
    await eventually('three tries by the standby', () => b.claims.count >= 3);
    expect(b.subscriptions).toEqual([]);
    expect(await leaseHolder(world)).toMatchObject({ holder: 'a' });

    sim.updateRecord('Lead', leadId, { Status: 'Working - Contacted' });
    await eventually('the change applied by a', () => a.metrics.count('Lead', 'reread') >= 1);
    const beforeHandover = await historyActions(world, leadId);
    const { epoch } = (await leaseHolder(world)) ?? { epoch: 0 };

    await a.subscriber.stop();
    const stored = await storedLeadReplayId(world);
    sim.updateRecord('Lead', leadId, { Status: 'Rejected', Rejection_Reason__c: 'bad_timing' });
    await eventually('the rejection applied by b', () => b.metrics.count('Lead', 'reread') >= 1);

    expect(await leaseHolder(world)).toEqual({ holder: 'b', epoch: epoch + 1 });
    expect(rejectionReached(world, contactId, 'bad_timing')).toBe(true);
    expect(b.subscriptions.find((s) => s.topic === LEAD_TOPIC)?.from).toEqual(stored);
    expect(b.rounds.count).toBe(0);
    // Only the change made after the handover reached b: the one a applied was not delivered again.
    expect(b.metrics.count('Lead', 'reread')).toBe(1);
    expect(a.metrics.count('Lead', 'reread')).toBe(1);
    expect(await historyActions(world, leadId)).toEqual([...beforeHandover, 'recycled']);
  });
});
