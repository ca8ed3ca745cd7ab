import { addCounts, type BackfillCounts } from '../../core/backfill/counts.ts';
import { addToSample } from '../../core/backfill/sample.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { Logger } from '../../log.ts';
import { type BackfillRun, claimRun, commitProgress, getRun, type Progress, releaseRun } from '../../store/backfill-runs.ts';
import type { Queryable } from '../../store/database.ts';
import { countPending } from '../../store/inbox.ts';
import { persistResults } from '../handoff/persist-results.ts';
import { type ContactSource, contactSource } from './contact-source.ts';
import { dryRunHandoffUnit, handOffUnit } from './handoff-unit.ts';
import { prefetch, runInOrder, type Unit, unitsOf } from './pipeline.ts';
import { dryRunResyncUnit, resyncUnit } from './resync-unit.ts';
import { BACKFILL_TUNING, type BackfillTuning } from './tuning.ts';
import type { UnitDeps, UnitOutcome, UnitWork } from './unit-outcome.ts';

export type BackfillDeps = UnitDeps & { tuning?: Partial<BackfillTuning> };

export interface RunControl {
  /** This worker's fencing token: commits under any other token change nothing. */
  token: string;
  /** True once the service stops (or the job was taken away): finish the units in flight, then pause. */
  stopping(): boolean;
}

/** How a worker's turn on a run ended; `continued` and `paused` want a new job to carry on. */
export type TurnEnd = 'done' | 'cancelled' | 'paused' | 'continued' | 'failed' | 'lost' | 'not active';

/** Another worker holds the run now (this one was presumed dead): its commits must change nothing. */
class LostRunError extends Error {}

const UNIT_WORK: Record<BackfillRun['mode'], Record<'real' | 'dry', UnitWork>> = {
  handoff: { real: handOffUnit, dry: dryRunHandoffUnit },
  resync: { real: resyncUnit, dry: dryRunResyncUnit },
};

/**
 * One worker's turn on a run: claim it, walk HubSpot from the checkpoint with pages read ahead and units
 * worked on concurrently, and commit each unit's effects together with the checkpoint and counts, in page
 * order. The turn ends when the contacts run out, the run is cancelled, the service stops, or the slice ends.
 */
export async function runBackfill(runId: string, deps: BackfillDeps, control: RunControl): Promise<TurnEnd> {
  const log = deps.logger.child({ module: 'backfill', runId });
  const run = await claimRun(deps.db, runId, control.token);
  if (!run) return 'not active';
  const release = async (status: 'done' | 'cancelled' | 'paused' | 'failed', error?: string) => {
    await releaseRun(deps.db, runId, control.token, status, error ?? null);
    log.info('backfill run released', { status, counts: nonZero(run.counts), ...(error ? { error } : {}) });
  };
  if (run.cancelRequested) return release('cancelled').then(() => 'cancelled');
  // A crash after the last page's commit but before the run was marked done: nothing is left to read.
  if (run.checkpoint.pages > 0 && run.checkpoint.after === null) return release('done').then(() => 'done');
  log.info('backfill turn starts', {
    mode: run.mode,
    dryRun: run.dryRun,
    source: run.source,
    attempt: run.attempts,
    pagesDone: run.checkpoint.pages,
  });
  try {
    const end = await walk(run, deps, control, { ...BACKFILL_TUNING, ...deps.tuning }, log);
    if (end === 'continued') return end;
    await release(end);
    return end;
  } catch (error) {
    if (error instanceof LostRunError) {
      log.warn('backfill run taken over by another worker; this turn stops');
      return 'lost';
    }
    const message = error instanceof Error ? error.message : String(error);
    log.error('backfill run failed; resume it once the cause is fixed', { error });
    await release('failed', message);
    return 'failed';
  }
}

async function walk(
  run: BackfillRun,
  deps: BackfillDeps,
  control: RunControl,
  tuning: BackfillTuning,
  log: Logger,
): Promise<Exclude<TurnEnd, 'failed' | 'lost' | 'not active'>> {
  const bundle = deps.mappings();
  const source = contactSource(run.source, run.filter, propertiesToRead(bundle), deps);
  const state = { checkpoint: run.checkpoint, counts: run.counts, sample: run.sample };
  const commit = (db: Queryable, progress: Progress) =>
    commitProgress(db, run.id, control.token, progress).then((ok) => {
      if (!ok) throw new LostRunError(run.id);
    });
  // Counting is one more HubSpot call: the walk does not wait for it. The first commit after it answers records
  // the total; a run shorter than the count records it at the end of the turn.
  const counting = run.total === null ? countOf(source, log) : undefined;
  let total: number | null | undefined;
  void counting?.then((counted) => (total = counted));
  const withTotal = (progress: Progress): Progress => {
    if (total === undefined || total === null) return progress;
    const recorded = { ...progress, total };
    total = undefined;
    return recorded;
  };
  const work = UNIT_WORK[run.mode][run.dryRun ? 'dry' : 'real'];
  const sliceEndsAt = Date.now() + tuning.sliceMs;
  let stop: 'cancelled' | 'paused' | 'continued' | undefined;
  let started = 0;
  const pages = prefetch(source.pages(run.checkpoint.after), tuning.prefetchPages);
  // Real-time handoffs keep priority: a unit does not start while webhook events wait in the inbox (for at most
  // yieldMaxMs, so a busy intake slows a run but never stalls it), and past that one unit at a time: they share the
  // database and the APIs' windows.
  let realTimeWaiting = false;
  const end = await runInOrder<Unit, UnitOutcome>(unitsOf(pages, run.checkpoint, tuning.unitSize), {
    concurrency: () => (realTimeWaiting ? 1 : tuning.concurrentUnits),
    // Read per unit, as the real-time path reads it per batch: a publish applies from the next unit on.
    work: (unit) => work(run, unit, deps.mappings(), deps),
    async commit(unit, outcome) {
      const progress = withTotal({
        checkpoint: unit.checkpoint,
        counts: addCounts({ ...state.counts }, outcome.counts),
        sample: addToSample(state.sample, outcome.sample),
      });
      if (run.dryRun) await commit(deps.db, progress);
      else {
        await persistResults(deps.db, outcome.results, new Map(), (tx) => commit(tx, progress));
        // The unit's HubSpot write-backs are in the outbox now; the flusher sends them (at the backfill's priority).
        const queued = outcome.results.filter((result) => result.writeBack).length;
        if (queued > 0) deps.onWriteBacksQueued?.(queued);
      }
      Object.assign(state, { checkpoint: progress.checkpoint, counts: progress.counts, sample: progress.sample });
    },
    async shouldStop() {
      // A turn always takes on at least one unit, so a short slice still moves the run on.
      stop = await stopReason(run.id, deps, control, started > 0 ? sliceEndsAt : Infinity);
      started += stop === undefined ? 1 : 0;
      realTimeWaiting = stop === undefined && !(await realTimeSettled(deps.db, tuning.yieldMaxMs));
      return stop !== undefined;
    },
  });
  if (counting) {
    await counting;
    if (total !== undefined && total !== null)
      await commit(deps.db, withTotal({ checkpoint: state.checkpoint, counts: state.counts, sample: state.sample }));
  }
  run.counts = state.counts; // for the release log line
  return end === 'finished' ? 'done' : stop!;
}

/** How many contacts the walk covers; null (no ETA) when HubSpot would not say. */
async function countOf(source: ContactSource, log: Logger): Promise<number | null> {
  try {
    return await source.total();
  } catch (error) {
    log.warn('could not count the contacts to go through; progress shows no ETA', { error });
    return null;
  }
}

/** Waits while real-time events are pending, up to `maxMs`; true once none are. */
async function realTimeSettled(db: Queryable, maxMs: number): Promise<boolean> {
  const until = Date.now() + maxMs;
  for (;;) {
    if ((await countPending(db)) === 0) return true;
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopReason(
  runId: string,
  deps: BackfillDeps,
  control: RunControl,
  sliceEndsAt: number,
): Promise<'cancelled' | 'paused' | 'continued' | undefined> {
  if (control.stopping()) return 'paused';
  const current = await getRun(deps.db, runId);
  if (!current || current.cancelRequested) return 'cancelled';
  if (Date.now() >= sliceEndsAt) return 'continued';
  return undefined;
}

/** Everything either mode reads from a contact: the definition's and mapping's inputs and the handoff fields. */
function propertiesToRead(bundle: MappingsBundle): string[] {
  const hs = bundle.fieldMapping.hubspot;
  const feedback = [
    hs.salesforceIdProperty,
    hs.mqlScoreProperty,
    hs.definitionVersionProperty,
    hs.rejectionReasonProperty,
    hs.rejectionNoteProperty,
    hs.rejectedAtProperty,
    hs.rejectedByProperty,
    hs.recycleAfterProperty,
    hs.sqlCriteriaProperty,
  ].filter((name): name is string => Boolean(name));
  const toHubSpot = bundle.fieldMapping.fields.filter((field) => field.direction !== 'to_salesforce').map((field) => field.hubspot);
  return [...new Set([...bundle.hubspotProperties, ...feedback, ...toHubSpot, 'lifecyclestage', 'hs_lead_status'])].sort();
}

function nonZero(counts: BackfillCounts): Partial<BackfillCounts> {
  return Object.fromEntries(Object.entries(counts).filter(([, value]) => value !== 0));
}
