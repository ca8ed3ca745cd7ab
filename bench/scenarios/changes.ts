import {
  type BulkFigures,
  type FeedbackFigures,
  handOff,
  type IdleWindow,
  idleWindow,
  leadIdsByContact,
  measureBulk,
  measureFeedback,
  pubSubDeliveries,
  type Rejection,
  waitForChangeEvents,
} from '../support/changes-measure.ts';
import { waitForHandoffs } from '../support/handoff-measure.ts';
import type { MemoryFigure } from '../support/memory.ts';
import { nurtureListFor } from '../support/nurture-watch.ts';
import type { BenchOptions } from '../support/options.ts';
import { sleep } from '../support/stats.ts';
import { type BenchWorld, createBenchWorld, createQualifyingContacts } from '../support/world.ts';

/** The three services, one after another, each in a world of its own. */
export type ChangesVariantName = 'change-events' | 'poll-2s' | 'poll-15s';

interface Variant {
  name: ChangesVariantName;
  changeEvents: boolean;
  /** Unset: the service's default (15 s), as a CDC deployment keeps it. */
  pollSeconds?: number;
}

const VARIANTS: readonly Variant[] = [
  { name: 'change-events', changeEvents: true },
  { name: 'poll-2s', changeEvents: false, pollSeconds: 2 },
  { name: 'poll-15s', changeEvents: false, pollSeconds: 15 },
];

/** SALESFORCE_POLL_INTERVAL_SECONDS's default (src/config/env.ts). */
const DEFAULT_POLL_SECONDS = 15;
const REJECTION: Rejection = { status: 'Rejected', reason: 'bad_timing' };
/** Bounds: the subscriber's first Subscribe (login, GetTopic, GetSchema), and the handoffs of the quick/full sizes. */
const CHANGE_EVENTS_LIVE_TIMEOUT_MS = 30_000;
const HANDOFF_TIMEOUT_MS = 180_000;

export interface ChangesServiceResults {
  name: ChangesVariantName;
  changeEvents: boolean;
  pollSeconds: number;
  /** Service ready → /readyz says change events carry changes; null when it never did (or CDC is off). */
  changeEventsLiveAfterMs: number | null;
  /** Still the live path just before the rejections (CDC only). */
  changeEventsLiveBeforeRejections: boolean | null;
  feedback: FeedbackFigures;
  idle: IdleWindow;
  bulk: BulkFigures;
  pubSub: { streams: number; delivered: number; keepAlives: number };
  peakMemory: MemoryFigure;
}

export interface ChangesResults {
  reason: string;
  nurtureList: string;
  services: ChangesServiceResults[];
}

/**
 * Salesforce changes reaching HubSpot through change events against the poll at 2 s and 15 s (issue 19): for each
 * service, hand off contacts, let them settle, count an idle window's API calls, time the rep's rejections to the
 * nurture list, then change many Leads at a fixed pace and count the calls until every change reached HubSpot.
 */
export async function runChanges(options: BenchOptions): Promise<ChangesResults> {
  const services: ChangesServiceResults[] = [];
  let nurtureList = '';
  for (const variant of VARIANTS) {
    console.log(`bench: changes, ${variant.name}…`);
    const world = await createBenchWorld(options, { changeEvents: true });
    try {
      nurtureList = nurtureListFor(world, REJECTION.reason);
      services.push(await runVariant(world, variant, nurtureList, options.sizes.changes));
    } finally {
      await world.close();
    }
  }
  return { reason: REJECTION.reason, nurtureList, services };
}

async function runVariant(
  world: BenchWorld,
  variant: Variant,
  list: string,
  sizes: BenchOptions['sizes']['changes'],
): Promise<ChangesServiceResults> {
  const pollSeconds = variant.pollSeconds ?? DEFAULT_POLL_SECONDS;
  const feedbackIds = createQualifyingContacts(world.hubspot, sizes.rejections, `changes-feedback-${variant.name}`);
  const bulkIds = createQualifyingContacts(world.hubspot, sizes.leadChanges, `changes-bulk-${variant.name}`);
  const service = await world.start({
    ...world.changeEventsEnv(variant.changeEvents),
    ...(variant.pollSeconds ? { SALESFORCE_POLL_INTERVAL_SECONDS: String(variant.pollSeconds) } : {}),
    SLA_TICK_SECONDS: '3600',
  });
  try {
    const liveAfterMs = variant.changeEvents ? await waitForChangeEvents(service.url, CHANGE_EVENTS_LIVE_TIMEOUT_MS) : null;
    const target = { serviceUrl: service.url, publicBaseUrl: world.publicBaseUrl, clientSecret: world.clientSecret };
    const ids = [...feedbackIds, ...bulkIds];
    await handOff(target, ids);
    if (!(await waitForHandoffs(world, service.url, ids, HANDOFF_TIMEOUT_MS)))
      throw new Error(`changes, ${variant.name}: handoffs did not complete`);
    // One poll interval, so a poll has seen the fresh Leads (our own, settled without HubSpot writes) before the count.
    await sleep(pollSeconds * 1000 + 500);
    const idle = await idleWindow(world, sizes.idleSeconds);
    const liveBeforeRejections = variant.changeEvents ? (await waitForChangeEvents(service.url, 5_000)) !== null : null;
    const leads = leadIdsByContact(world);
    const feedback = await measureFeedback(
      world,
      { ids: feedbackIds, leads, rejection: REJECTION, list },
      sizes.spacingMs,
      sizes.rejections * sizes.spacingMs + pollSeconds * 1000 + 30_000,
    );
    const bulkTimeoutMs = (sizes.leadChanges / sizes.changesPerSecond) * 1000 + pollSeconds * 1000 + 120_000;
    const bulk = await measureBulk(world, { ids: bulkIds, leads, rejection: REJECTION, list }, sizes.changesPerSecond, bulkTimeoutMs);
    return {
      name: variant.name,
      changeEvents: variant.changeEvents,
      pollSeconds,
      changeEventsLiveAfterMs: liveAfterMs,
      changeEventsLiveBeforeRejections: liveBeforeRejections,
      feedback,
      idle,
      bulk,
      pubSub: pubSubDeliveries(world),
      peakMemory: service.peakMemory(),
    };
  } finally {
    await service.stop();
  }
}
