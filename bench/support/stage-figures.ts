import type { LoggedCall } from './call-log.ts';
import { type Bucket, bucketQuantile, bucketsBetween, histogramBuckets } from './histogram-quantile.ts';
import type { ReportRow } from './report-row.ts';

/** The service's per-stage histogram (src/metrics/stage-metrics.ts), in the order a contact goes through it. */
const STAGE_METRIC = 'handoff_stage_seconds';
const STAGES = ['ingest', 'queue', 'read', 'decide', 'salesforce', 'writeback', 'commit'] as const;

export type StageBuckets = Map<string, Bucket[]>;

export interface StageFigure {
  stage: (typeof STAGES)[number];
  /** Observations in the phase: one per contact that went through the stage. */
  count: number;
  p50Ms: number;
  p95Ms: number;
  /**
   * Simulated latency a batch spent waiting on the providers in this stage (read, salesforce, writeback; 0 for the
   * others): the time covered by the stage's calls' latency intervals (calls in parallel count once), per batch.
   */
  providerMsPerBatch: number;
}

export async function scrapeStageBuckets(serviceUrl: string): Promise<StageBuckets> {
  const response = await fetch(`${serviceUrl}/metrics`);
  return histogramBuckets(await response.text(), STAGE_METRIC, 'stage');
}

/**
 * Which calls belong to which stage. HubSpot: batch reads are `read`, the rest (update, list add) `writeback`.
 * Salesforce: the composite requests (e-mail match, Lead writes) are `salesforce`; the owner notifications
 * (`action`) are sent by the notify worker after the batch, and token requests are no stage's.
 */
function stageOfCall(call: LoggedCall): StageFigure['stage'] | undefined {
  if (call.provider === 'hubspot') return call.endpoint.includes('/batch/read') ? 'read' : 'writeback';
  return call.endpoint === 'action' || call.endpoint.includes('oauth2') ? undefined : 'salesforce';
}

/** The time covered by the calls' latency intervals [at, at + latencyMs], overlaps counted once. */
function coveredMs(calls: readonly LoggedCall[], latencyMs: number): number {
  let total = 0;
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.at - b.at)) {
    const start = Math.max(call.at, coveredUntil);
    const end = call.at + latencyMs;
    if (end > start) {
      total += end - start;
      coveredUntil = end;
    }
  }
  return total;
}

/**
 * p50/p95 of each stage between two scrapes, interpolated within the histogram's buckets, with the simulated latency
 * a batch spent waiting on the providers in that stage, from the calls made between the scrapes (a batch is counted
 * by its contacts batch read).
 */
export function stageFigures(before: StageBuckets, after: StageBuckets, calls: readonly LoggedCall[], latencyMs: number): StageFigure[] {
  const batches = calls.filter((call) => call.provider === 'hubspot' && call.endpoint.includes('/contacts/batch/read')).length;
  return STAGES.map((stage) => {
    const buckets = bucketsBetween(before.get(stage), after.get(stage) ?? []);
    return {
      stage,
      count: buckets.at(-1)?.count ?? 0,
      p50Ms: bucketQuantile(buckets, 0.5) * 1000,
      p95Ms: bucketQuantile(buckets, 0.95) * 1000,
      providerMsPerBatch:
        batches > 0
          ? coveredMs(
              calls.filter((call) => stageOfCall(call) === stage),
              latencyMs,
            ) / batches
          : 0,
    };
  });
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)}` : 'n/a');

/** One info row per stage: p50/p95, and the same less the providers' simulated latency where a stage calls them. */
export function stageRows(stages: StageFigure[] | undefined, phase: string): ReportRow[] {
  return STAGES.map((stage) => {
    const figure = `handoff stage ${stage} p50/p95 (own share: less the simulated latency per batch), ${phase}`;
    const s = stages?.find((candidate) => candidate.stage === stage);
    if (!s || s.count === 0) return { figure, value: '— (not exposed)', target: '—', verdict: 'info' };
    const own = s.providerMsPerBatch > 0 ? ` (${ms(s.p50Ms - s.providerMsPerBatch)} / ${ms(s.p95Ms - s.providerMsPerBatch)})` : '';
    return { figure, value: `${ms(s.p50Ms)} / ${ms(s.p95Ms)} ms${own}, n=${s.count}`, target: '—', verdict: 'info' };
  });
}
