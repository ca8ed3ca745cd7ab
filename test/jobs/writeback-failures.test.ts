import { beforeEach, describe, expect, it } from '@jest/globals';
import { ProviderError } from '../../src/errors.ts';
import { handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { sendDueWriteBacks } from '../../src/jobs/hubspot-writeback/send-writebacks.ts';
import type { Logger } from '../../src/log.ts';
import { waitingWriteBacks } from '../../src/store/hubspot-writebacks.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/**
 * The HubSpot write-back is sent by the outbox's flusher after the batch committed. A provider's permanent refusal is
 * parked for replay; anything else is a bug in our code: logged as an error and kept in the outbox (tried again after
 * a backoff), never turned into parked work.
 */
describe('failures in the HubSpot write-back', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));
  let errors: string[];

  beforeEach(async () => {
    errors = [];
    await w.fresh.db.query('DELETE FROM hubspot_writebacks');
  });

  const parkedFor = async (contactId: string) =>
    (await w.fresh.db.query<{ kind: string; message: string }>('SELECT kind, message FROM parked_work WHERE record_key = $1', [contactId]))
      .rows;

  /** Hands a fresh MQL off (the batch only queues its write-back), then runs one flusher pass against `hubspot`. */
  async function handOffThenFlush(name: string, hubspot: typeof w.handoff.hubspot) {
    const contactId = w.hubspot.createContact({
      email: `${name}@writeback.example`,
      lastname: name,
      company: 'Bug Co',
      jobtitle: 'Engineer',
      demo_requested: 'true',
    });
    await w.webhook(contactId);
    const summary = await handoffContacts([contactId], { ...w.handoff, hubspot });
    const logger = {
      child: () => logger,
      error: (message: string) => void errors.push(message),
      warn: () => undefined,
      info: () => undefined,
    } as unknown as Logger;
    const counts = await sendDueWriteBacks(
      { db: w.fresh.db, hubspotFor: () => hubspot, lists: w.handoff.lists, logger, now: () => new Date() },
      { leaseMs: 60_000 },
    );
    return { contactId, summary, counts };
  }

  it('a bug in the property write-back is logged as an error and kept for another try; nothing is parked', async () => {
    const hubspot = Object.create(w.handoff.hubspot) as typeof w.handoff.hubspot;
    hubspot.updateContacts = async () => {
      throw new TypeError('cannot read properties of undefined');
    };
    const { contactId, summary, counts } = await handOffThenFlush('bug', hubspot);
    expect(summary.outcomes).toEqual({ handed_off: 1 });
    expect(counts).toMatchObject({ claimed: 1, sent: 0, parked: 0, retried: 1 });
    expect(errors).toEqual(['HubSpot write-back send failed: not a HubSpot answer']);
    expect(await parkedFor(contactId)).toEqual([]);
    // The list add went through; only the properties wait.
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([expect.objectContaining({ contactId, listName: null, attempts: 1 })]);
  });

  it('a bug in the sales-ready list add is logged as an error and kept for another try; nothing is parked', async () => {
    const hubspot = Object.create(w.handoff.hubspot) as typeof w.handoff.hubspot;
    hubspot.addToList = async () => {
      throw new RangeError('list id out of range');
    };
    const { contactId, counts } = await handOffThenFlush('listbug', hubspot);
    expect(counts).toMatchObject({ claimed: 1, parked: 0, retried: 1 });
    expect(errors).toHaveLength(1);
    expect(await parkedFor(contactId)).toEqual([]);
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([
      expect.objectContaining({ contactId, properties: {}, listName: w.bundle.rejection.salesReadyList }),
    ]);
  });

  it('a provider refusal of the property write-back is parked with its message', async () => {
    const hubspot = Object.create(w.handoff.hubspot) as typeof w.handoff.hubspot;
    hubspot.updateContacts = async () => {
      throw new ProviderError('hubspot', 'HubSpot answered 400', { status: 400, retryable: false });
    };
    const { contactId, counts } = await handOffThenFlush('refused', hubspot);
    expect(counts).toMatchObject({ claimed: 1, parked: 1, retried: 0 });
    expect(await parkedFor(contactId)).toEqual([{ kind: 'hubspot_writeback', message: 'HubSpot answered 400' }]);
    expect(await waitingWriteBacks(w.fresh.db)).toEqual([]);
  });
});
