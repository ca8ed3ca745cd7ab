import { cpus } from 'node:os';
import autocannon from 'autocannon';
import type { MemoryFigure } from '../support/memory.ts';
import type { BenchOptions } from '../support/options.ts';
import { pacedLoad } from '../support/paced-load.ts';
import type { ServiceProcess } from '../support/service.ts';
import { summarize } from '../support/stats.ts';
import { propertyChangeEvent, signedHeaders, type WebhookTarget } from '../support/webhooks.ts';
import { type BenchWorld, createBenchWorld } from '../support/world.ts';

interface IngestPhase {
  seconds: number;
  requests: { ok: number; failed: number };
  eventsAccepted: number;
  eventsPerSecond: number;
  ackMs: { p50: number; p99: number; max: number };
  /** Events acknowledged during the warm-up before the measured load (not in the figures, but stored too). */
  warmUpEventsAccepted: number;
  /** Rows in the inbox after the phase: every acknowledged event, warm-up included, must be there. */
  storedEvents: number;
  /** CPU time of the service and its database processes per 1,000 accepted events during the load (ingest plus the worker's share). */
  serviceCpuMsPerThousandEvents: number;
  peakRssMiB: number;
  /** Service + its database processes, summed: the peak from spawn to the end of the load. */
  peakMemory: MemoryFigure;
}

export interface IngestResults {
  eventsPerRequest: number;
  /** Open loop: requests on a fixed schedule at the target rate; ack time counted from each scheduled start. */
  atTargetRate: IngestPhase & { offeredEventsPerSecond: number; maxSockets: number; sendLagMs: { p50: number; p99: number } };
  /** Closed loop: autocannon as fast as the service answers; its latency is connections ÷ throughput. */
  saturated: IngestPhase & { connections: number };
  note: string;
}

/**
 * Signed webhook deliveries of `eventsPerRequest` property changes about a pool of existing contacts that do
 * not qualify, so the handoff worker reads them and records verdicts while the load runs, as in production.
 * Two phases, each on a fresh service and database: the target rate on a fixed schedule (the acknowledgement
 * time a sender sees at that rate), then as fast as the service takes them (its capacity). The load generator
 * runs in this process on the same two cores as the service.
 */
export async function runIngest(options: BenchOptions): Promise<IngestResults> {
  const { seconds, connections, eventsPerRequest, targetEventsPerSecond } = options.sizes.ingest;
  const maxSockets = connections;
  let sendLagMs = { p50: Number.NaN, p99: Number.NaN };
  const atTargetRate = await withIngestService(options, async (service, nextBody) => {
    const run = await pacedLoad({
      url: service.url,
      requestsPerSecond: targetEventsPerSecond / eventsPerRequest,
      seconds,
      maxSockets,
      timeoutMs: 10_000,
      next: () => {
        const { body, headers } = nextBody();
        return { path: '/webhooks/hubspot', body, headers };
      },
    });
    const ack = summarize(run.latenciesMs);
    const lag = summarize(run.sendLagMs);
    sendLagMs = { p50: lag.p50, p99: lag.p99 };
    return { ok: run.ok, failed: run.failed, durationMs: run.durationMs, ackMs: { p50: ack.p50, p99: ack.p99, max: ack.max } };
  });
  const saturated = await withIngestService(options, async (service, nextBody) => {
    const result = await autocannon({
      url: service.url,
      connections,
      duration: seconds,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          path: '/webhooks/hubspot',
          setupRequest: (request) => {
            const { body, headers } = nextBody();
            return { ...request, body, headers };
          },
        },
      ],
    });
    return {
      ok: result['2xx'],
      failed: result.non2xx + result.errors + result.timeouts,
      durationMs: result.duration * 1000,
      ackMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    };
  });
  return {
    eventsPerRequest,
    atTargetRate: { ...atTargetRate, offeredEventsPerSecond: targetEventsPerSecond, maxSockets, sendLagMs },
    saturated: { ...saturated, connections },
    note: `load generator runs in the bench process on the same ${cpus().length} cores as the service`,
  };
}

const WARM_UP_SECONDS = 2;

type NextBody = () => { body: string; headers: Record<string, string> };
interface LoadOutcome {
  ok: number;
  failed: number;
  durationMs: number;
  ackMs: IngestPhase['ackMs'];
}

/** A fresh world and service for one phase; measures CPU, memory and the stored events around `load`. */
async function withIngestService(
  options: BenchOptions,
  load: (service: ServiceProcess, nextBody: NextBody) => Promise<LoadOutcome>,
): Promise<IngestPhase> {
  const { seconds, connections, eventsPerRequest, contacts, targetEventsPerSecond } = options.sizes.ingest;
  const world = await createBenchWorld(options);
  try {
    const pool: string[] = [];
    for (let i = 0; i < contacts; i++) {
      pool.push(
        world.hubspot.createContact({ email: `reader${i}@gmail.com`, firstname: 'Pool', lastname: `Reader ${i}`, company: 'Home' }),
      );
    }
    const service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: '3600', SLA_TICK_SECONDS: '3600' });
    let outcome: LoadOutcome;
    let warmUpEventsAccepted = 0;
    let cpuSeconds: number;
    let peakRssMiB: number;
    let peakMemory: MemoryFigure;
    try {
      const target: WebhookTarget = { serviceUrl: service.url, publicBaseUrl: world.publicBaseUrl, clientSecret: world.clientSecret };
      let sequence = 0;
      const nextBody: NextBody = () => {
        const events = Array.from({ length: eventsPerRequest }, () => {
          sequence += 1;
          return propertyChangeEvent(pool[sequence % pool.length]!, 'pricing_page_views', String(sequence));
        });
        const body = JSON.stringify(events);
        return { body, headers: signedHeaders(target, body) };
      };
      // Cold paths (JIT, first statements, the HubSpot client's first batch read) are warmed at the target rate,
      // as the handoff scenario warms up with 20 handoffs; the measured load follows at once, so the flood goes on.
      const warmUp = await pacedLoad({
        url: service.url,
        requestsPerSecond: targetEventsPerSecond / eventsPerRequest,
        seconds: WARM_UP_SECONDS,
        maxSockets: connections,
        timeoutMs: 10_000,
        next: () => ({ path: '/webhooks/hubspot', ...nextBody() }),
      });
      warmUpEventsAccepted = warmUp.ok * eventsPerRequest;
      const cpuBefore = await service.cpuSeconds();
      outcome = await load(service, nextBody);
      cpuSeconds = (await service.cpuSeconds()) - cpuBefore;
      peakRssMiB = await service.peakRssMiB();
      peakMemory = service.peakMemory();
    } finally {
      await service.stop();
    }
    const eventsAccepted = outcome.ok * eventsPerRequest;
    return {
      seconds,
      requests: { ok: outcome.ok, failed: outcome.failed },
      eventsAccepted,
      eventsPerSecond: eventsAccepted / (outcome.durationMs / 1000),
      ackMs: outcome.ackMs,
      warmUpEventsAccepted,
      storedEvents: await countInbox(world),
      serviceCpuMsPerThousandEvents: eventsAccepted === 0 ? Number.NaN : (cpuSeconds * 1_000_000) / eventsAccepted,
      peakRssMiB,
      peakMemory,
    };
  } finally {
    await world.close();
  }
}

async function countInbox(world: BenchWorld): Promise<number> {
  const db = await world.openDb();
  try {
    const rows = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM webhook_inbox');
    return rows.rows[0]?.count ?? 0;
  } finally {
    await db.close();
  }
}
