import { describe, expect, it } from '@jest/globals';
import { CHANGE_TOPICS } from '../../../src/core/sales/change-events/change-event-types.ts';
import { readReplayId } from '../../../src/store/cdc-lease.ts';
import {
  type CdcWorld,
  eventually,
  handedOffLead,
  historyActions,
  LEAD_TOPIC,
  leadStreams,
  rejectionReached,
  storedLeadReplayId,
  untilLive,
  useCdcWorld,
} from './support/cdc-world.ts';

/**
 * Where a stream resumes: after the replay id stored with the effects it stands for (exactly once across a dropped
 * stream and a restart), or, when Salesforce refuses that id, at the tip after the poll caught up from its watermark
 * ("Pub/Sub API Developer Guide", "Event Message Durability": events are kept 72 hours).
 */
describe('the change-event subscriber across reconnects and restarts', () => {
  let world: CdcWorld;
  useCdcWorld((created) => {
    world = created;
  });

  it('resumes after the stored replay id when the stream drops and after a restart: each change applied once', async () => {
    const { contactId, leadId } = await handedOffLead(world, 'resumed');
    const sim = world.w.salesforce;
    const first = world.start();
    await untilLive(world);
    const rounds = first.rounds.count;

    sim.updateRecord('Lead', leadId, { Status: 'Working - Contacted' });
    await eventually('the first change applied', () => first.metrics.count('Lead', 'reread') >= 1);
    // The catch-up round's first sighting of the Lead, then the rep's status.
    const afterFirst = await historyActions(world, leadId);
    expect(afterFirst).toEqual(['status_synced', 'status_synced']);

    // The org drops every stream; the next change commits while none is open.
    const streams = leadStreams(world).length;
    expect(sim.pubSub?.endStreams('UNAVAILABLE')).toBeGreaterThanOrEqual(1);
    sim.updateRecord('Lead', leadId, { Title: 'Head of Data' });
    await eventually('the change made while disconnected applied', () => first.metrics.count('Lead', 'reread') >= 2);
    expect(world.w.hubspot.contacts.get(contactId)?.properties.jobtitle).toBe('Head of Data');
    expect(first.metrics.reconnects).toContain('unavailable');
    expect(leadStreams(world).length).toBeGreaterThan(streams);
    expect(first.subscriptions.filter((s) => s.topic === LEAD_TOPIC).at(-1)?.from).toBeInstanceOf(Buffer);
    expect(first.metrics.count('Lead', 'reread')).toBe(2);
    expect(first.rounds.count).toBe(rounds);
    const afterDrop = await historyActions(world, leadId);
    expect(afterDrop).toEqual([...afterFirst, 'fields_synced']);

    // A restart: the process stops, a rep rejects the Lead meanwhile, a new subscriber resumes where the last left off.
    await first.subscriber.stop();
    const stored = await storedLeadReplayId(world);
    sim.updateRecord('Lead', leadId, { Status: 'Rejected', Rejection_Reason__c: 'bad_timing' });
    const second = world.start();
    await eventually('the rejection applied after the restart', () => second.metrics.count('Lead', 'reread') >= 1);
    expect(rejectionReached(world, contactId, 'bad_timing')).toBe(true);
    expect(second.subscriptions.find((s) => s.topic === LEAD_TOPIC)?.from).toEqual(stored);
    expect(second.rounds.count).toBe(0);
    expect(second.metrics.count('Lead', 'reread')).toBe(1);
    expect(await historyActions(world, leadId)).toEqual([...afterDrop, 'recycled']);
  });

  it('catches up through the poll when the stored replay id is refused, then follows the stream from the tip', async () => {
    const { contactId, leadId } = await handedOffLead(world, 'stale');
    const sim = world.w.salesforce;
    const first = world.start();
    await untilLive(world);
    // Both topics hold a position (keep-alives store it), so both resume with a replay id the org then refuses.
    await eventually('both positions stored', async () => {
      const ids = await Promise.all(Object.values(CHANGE_TOPICS).map((topic) => readReplayId(world.w.fresh.db, topic)));
      return ids.every((id) => id !== undefined);
    });
    await first.subscriber.stop();
    sim.pubSub?.rejectReplayIds(Object.keys(CHANGE_TOPICS).length);
    sim.updateRecord('Lead', leadId, { Status: 'Rejected', Rejection_Reason__c: 'bad_timing' });

    const second = world.start();
    // Each topic's refusal is followed by its own catch-up: a round when it subscribes at the tip, and one more once
    // the stream's first message proves its position (so nothing committed in between waits for the drift check).
    await eventually('both catch-ups done', () => second.rounds.count >= 4 && second.metrics.fallbacks.length >= 2);
    await untilLive(world);
    expect(second.metrics.fallbacks).toEqual(['replay-rejected', 'replay-rejected']);
    expect(second.rounds.count).toBe(4);
    expect(rejectionReached(world, contactId, 'bad_timing')).toBe(true);
    expect(second.metrics.count('Lead', 'reread')).toBe(0);
    const leadSubscriptions = second.subscriptions.filter((s) => s.topic === LEAD_TOPIC);
    expect(leadSubscriptions.map((s) => (s.from instanceof Buffer ? 'stored' : s.from))).toEqual(['stored', 'LATEST']);

    // From the tip on, the stream carries changes without the poll.
    sim.updateRecord('Lead', leadId, { Title: 'Head of Data' });
    await eventually('a change after the catch-up applied', () => second.metrics.count('Lead', 'reread') >= 1);
    expect(world.w.hubspot.contacts.get(contactId)?.properties.jobtitle).toBe('Head of Data');
    expect(second.rounds.count).toBe(4);
  });
});
