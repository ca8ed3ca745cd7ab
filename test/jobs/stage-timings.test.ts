import { describe, expect, it } from '@jest/globals';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { sendDueWriteBacks } from '../../src/jobs/hubspot-writeback/send-writebacks.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { HANDOFF_STAGES } from '../../src/metrics/stage-metrics.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/** `handoff_stage_seconds_count` per stage, as /metrics exposes it. */
async function stageCounts(metrics: ReturnType<typeof createMetrics>): Promise<Record<string, number>> {
  const text = await metrics.registry.metrics();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^handoff_stage_seconds_count\{stage="([a-z_]+)"\} (\d+)$/gm)) counts[match[1]!] = Number(match[2]);
  return counts;
}

describe('stage timings of a handoff batch', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));

  it('observes each stage once per contact that went through it: all of them for a handed-off contact', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const qualified = ['one', 'two'].map((name) =>
      w.hubspot.createContact({ email: `${name}@stages.example`, lastname: name, company: `${name} Co`, demo_requested: 'true' }),
    );
    const unqualified = w.hubspot.createContact({ email: 'three@stages.example', lastname: 'three', company: 'Three Co' });
    for (const id of [...qualified, unqualified]) await w.webhook(id);

    const summary = await handoffContacts([...qualified, unqualified], { ...w.handoff, metrics });

    expect(summary.outcomes).toEqual({ handed_off: 2, not_qualified: 1 });
    // Ingest is timed by the webhook route (test/http), not by the batch.
    const counts = await stageCounts(metrics);
    expect(counts).toEqual({
      queue: 3,
      read: 3,
      decide: 3,
      salesforce: 2,
      writeback: 2,
      commit: 3,
    });
    // The HubSpot round trips are the write-back flusher's, off the batch (next test).
    expect(HANDOFF_STAGES.filter((stage) => !(stage in counts))).toEqual(['ingest', 'writeback_send']);
  });

  it("times the flusher's HubSpot sends as writeback_send, once per contact a send carried", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const ids = ['four', 'five'].map((name) =>
      w.hubspot.createContact({ email: `${name}@stages.example`, lastname: name, company: `${name} Co`, demo_requested: 'true' }),
    );
    for (const id of ids) await w.webhook(id);
    await handoffContacts(ids, w.handoff);
    const sent = await sendDueWriteBacks(
      {
        db: w.fresh.db,
        hubspotFor: () => w.handoff.hubspot,
        lists: w.handoff.lists,
        logger: w.handoff.logger,
        now: () => new Date(),
        metrics,
      },
      { leaseMs: 60_000 },
    );
    expect(sent.sent).toBeGreaterThanOrEqual(2);
    expect(await stageCounts(metrics)).toEqual({ writeback_send: sent.claimed });
  });

  it('observes nothing for a batch that throws after its Salesforce write (its retry is timed instead)', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const id = w.hubspot.createContact({ email: 'fails@stages.example', lastname: 'Fails', company: 'Fails Co', demo_requested: 'true' });
    await w.webhook(id);
    // Reads and the write intents go through, the bookkeeping transactions after the Salesforce write do not.
    const db = Object.assign(Object.create(w.handoff.db) as typeof w.handoff.db, {
      transaction: () => Promise.reject(new Error('database gone')),
    });
    await expect(handoffContacts([id], { ...w.handoff, metrics, db })).rejects.toThrow('database gone');
    expect(w.leadsFor(id)).toHaveLength(1);
    expect(await stageCounts(metrics)).toEqual({});
  });
});
