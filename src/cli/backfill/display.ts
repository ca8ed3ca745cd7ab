import cliProgress from 'cli-progress';
import { COUNT_KEYS } from '../../core/backfill/counts.ts';
import type { BackfillRunView } from '../../jobs/backfill/backfill-service.ts';

/** How a run's progress reaches the terminal: a live bar on a TTY, a plain line now and then otherwise. */
export interface ProgressDisplay {
  update(run: BackfillRunView): void;
  stop(): void;
}

function formatRate(run: BackfillRunView): string {
  return run.progress.ratePerSecond === null ? '— /s' : `${run.progress.ratePerSecond.toFixed(1)} /s`;
}

/** `run 12 running · 1,200/5,000 (24%) · 85.0 /s · ETA 45 s` (total and ETA "unknown" until HubSpot says). */
export function formatProgressLine(run: BackfillRunView): string {
  const { read, total, percent } = run.progress;
  const count =
    total === null ? `${read.toLocaleString('en')}/unknown` : `${read.toLocaleString('en')}/${total.toLocaleString('en')} (${percent}%)`;
  return `run ${run.id} ${run.status}${run.cancelRequested ? ' (cancel asked)' : ''} · ${count} · ${formatRate(run)} · ETA ${run.progress.eta}`;
}

/** The counts that are not zero, one line, in a fixed order. */
function formatCounts(run: BackfillRunView): string {
  const parts = COUNT_KEYS.filter((key) => run.counts[key] > 0).map((key) => `${key} ${run.counts[key].toLocaleString('en')}`);
  return parts.length > 0 ? parts.join(' · ') : 'nothing read yet';
}

export function formatSummary(run: BackfillRunView): string {
  const what = `${run.mode}${run.dryRun ? ' (dry run: nothing was written)' : ''}`;
  const lines = [`backfill run ${run.id} ${run.status}: ${what}`, `  ${formatCounts(run)}`];
  if (run.error) lines.push(`  error: ${run.error}`);
  if (run.dryRun && run.sample.length > 0) {
    lines.push('  sample:');
    for (const entry of run.sample.slice(0, 20)) {
      lines.push(
        `    contact ${entry.contactId}: ${entry.verdict}${entry.salesforce ? ` → ${entry.salesforce}` : ''}${entry.reasons.length > 0 ? ` (${entry.reasons.join('; ')})` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function createDisplay(
  out: NodeJS.WritableStream & { isTTY?: boolean },
  options: { lineEveryMs: number; now?: () => number },
): ProgressDisplay {
  return out.isTTY ? barDisplay(out) : lineDisplay(out, options.lineEveryMs, options.now ?? Date.now);
}

function barDisplay(out: NodeJS.WritableStream): ProgressDisplay {
  const bar = new cliProgress.SingleBar(
    {
      stream: out as NodeJS.WriteStream,
      format: 'run {id} {status} |{bar}| {value}/{totalText} · {rate} · ETA {etaText}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(run) {
      const total = run.progress.total ?? Math.max(run.progress.read, 1);
      const payload = {
        id: run.id,
        status: run.status,
        totalText: run.progress.total ?? 'unknown',
        rate: formatRate(run),
        etaText: run.progress.eta,
      };
      if (!started) bar.start(total, run.progress.read, payload);
      else {
        bar.setTotal(total);
        bar.update(run.progress.read, payload);
      }
      started = true;
    },
    stop: () => bar.stop(),
  };
}

/** Not a terminal (a log, CI): a line at the first update, then at most one per `everyMs`, and the last one. */
function lineDisplay(out: NodeJS.WritableStream, everyMs: number, now: () => number): ProgressDisplay {
  let lastAt = -Infinity;
  let last: BackfillRunView | undefined;
  let lastPrinted: BackfillRunView | undefined;
  return {
    update(run) {
      last = run;
      if (now() - lastAt < everyMs) return;
      lastAt = now();
      lastPrinted = run;
      out.write(`${formatProgressLine(run)}\n`);
    },
    stop() {
      if (last && last !== lastPrinted) out.write(`${formatProgressLine(last)}\n`);
    },
  };
}
