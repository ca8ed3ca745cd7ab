import autocannon from 'autocannon';
import type { BenchOptions } from '../support/options.ts';
import { propertyChangeEvent, signedHeaders, type WebhookTarget } from '../support/webhooks.ts';
import { createBenchWorld } from '../support/world.ts';

export interface IngestResults {
  connections: number;
  eventsPerRequest: number;
  seconds: number;
  requests: { ok: number; other: number; errors: number; timeouts: number };
  eventsAccepted: number;
  eventsPerSecond: number;
  ackMs: { p50: number; p99: number; max: number };
  /** Rows in the inbox after the run: every acknowledged event must be there. */
  storedEvents: number;
  /** Service CPU time per 1,000 accepted events during the load (ingest plus the worker's share). */
  serviceCpuMsPerThousandEvents: number;
  peakRssMiB: number;
  note: string;
}

/**
 * Signed webhook deliveries as fast as the service takes them, from autocannon in this process (which shares
 * the machine's cores with the service). Each request carries `eventsPerRequest` property changes about a
 * pool of existing contacts that do not qualify, so the handoff worker reads them and records verdicts
 * while the load runs, as it would in production.
 */
export async function runIngest(options: BenchOptions): Promise<IngestResults> {
  const { seconds, connections, eventsPerRequest, contacts } = options.sizes.ingest;
  const world = await createBenchWorld(options);
  try {
    const pool: string[] = [];
    for (let i = 0; i < contacts; i++) {
      pool.push(world.hubspot.createContact({ email: `reader${i}@gmail.com`, firstname: 'Pool', lastname: `Reader ${i}`, company: 'Home' }));
    }
    const service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: '3600', SLA_TICK_SECONDS: '3600' });
    let result: autocannon.Result;
    let peakRssMiB: number;
    let cpuSeconds: number;
    try {
      const target: WebhookTarget = { serviceUrl: service.url, publicBaseUrl: world.publicBaseUrl, clientSecret: world.clientSecret };
      let sequence = 0;
      const nextBody = () => {
        const events = Array.from({ length: eventsPerRequest }, () => {
          sequence += 1;
          return propertyChangeEvent(pool[sequence % pool.length]!, 'pricing_page_views', String(sequence));
        });
        return JSON.stringify(events);
      };
      const cpuBefore = await service.cpuSeconds();
      result = await autocannon({
        url: service.url,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [{
          method: 'POST',
          path: '/webhooks/hubspot',
          setupRequest: (request) => {
            const body = nextBody();
            return { ...request, body, headers: signedHeaders(target, body) };
          },
        }],
      });
      cpuSeconds = (await service.cpuSeconds()) - cpuBefore;
      peakRssMiB = await service.peakRssMiB();
    } finally {
      await service.stop();
    }
    const storedEvents = await countInbox(world);
    const ok = result['2xx'];
    return {
      connections, eventsPerRequest, seconds,
      requests: { ok, other: result.non2xx, errors: result.errors, timeouts: result.timeouts },
      eventsAccepted: ok * eventsPerRequest,
      eventsPerSecond: (ok * eventsPerRequest) / result.duration,
      ackMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      storedEvents,
      serviceCpuMsPerThousandEvents: ok === 0 ? Number.NaN : (cpuSeconds * 1000 * 1000) / (ok * eventsPerRequest),
      peakRssMiB,
      note: `load generator (autocannon, ${connections} connections) runs in the bench process on the same 2 cores as the service`,
    };
  } finally {
    await world.close();
  }
}

async function countInbox(world: Awaited<ReturnType<typeof createBenchWorld>>): Promise<number> {
  const db = await world.openDb();
  try {
    const rows = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM webhook_inbox');
    return rows.rows[0]?.count ?? 0;
  } finally {
    await db.close();
  }
}
