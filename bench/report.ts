import type { BackfillPhase, BackfillResults } from './scenarios/backfill.ts';
import type { BacktestResults } from './scenarios/backtest.ts';
import type { ChangesResults } from './scenarios/changes.ts';
import type { FeedbackResults } from './scenarios/feedback.ts';
import type { HandoffResults } from './scenarios/handoff.ts';
import type { IngestResults } from './scenarios/ingest.ts';
import type { NotifyResults } from './scenarios/notify.ts';
import type { RedactResults } from './scenarios/redact.ts';
import type { StartupResults } from './scenarios/startup.ts';
import { backtestRows } from './support/backtest-rows.ts';
import { changesRows } from './support/changes-rows.ts';
import { handoffRows } from './support/handoff-rows.ts';
import type { MemoryFigure } from './support/memory.ts';
import { notifyRows } from './support/notify-rows.ts';
import type { BenchOptions } from './support/options.ts';
import { formatSize } from './support/redact-inputs.ts';

export interface BenchResults {
  startup?: StartupResults;
  handoff?: HandoffResults;
  ingest?: IngestResults;
  feedback?: FeedbackResults;
  changes?: ChangesResults;
  backfill?: BackfillResults;
  redact?: RedactResults;
  notify?: NotifyResults;
  backtest?: BacktestResults;
}

import type { ReportRow, Verdict } from './support/report-row.ts';

export type { ReportRow, Verdict };

/** The issue's targets, in one place. */
export const TARGETS = {
  /** Issue 21, handoff at 5 leads/s: overhead (webhook sent → Lead committed, less the simulated API time) p95. */
  slowOverheadP95Ms: 25,
  /** Issue 21, handoff at 50 leads/s on the 190-per-10 s portal: overhead p95 ... */
  steadyOverheadP95Ms: 60,
  /** ... while its HubSpot calls fill at most this share of the portal's rolling window at their peak. */
  realtimeShareOfWindow: 0.5,
  /** Issue 21, handoff at 50 leads/s on a 100-per-10 s (Starter) portal: raw p95, with no 429 and every lead handed off. */
  starterRawP95Ms: 2_000,
  /** Issue 21, a burst of 5,000: raw p95. */
  burstRawP95Ms: 5_000,
  ingestEventsPerSecond: 8_000,
  ingestAckP99Ms: 30,
  /** Service plus its database processes, idle and at peak. */
  memoryMiB: 300,
  /** HubSpot and Salesforce calls per 1,000 leads at any steady rate ≥ 20 leads/s, without the fixed window. */
  callsPerThousand: 30,
  feedbackSlackMs: 1_000,
  /** Rep's change in Salesforce → HubSpot write done, with change events on (issue 19). */
  changesCdcFeedbackP95Ms: 1_000,
  backfillShareOfCeiling: 0.9,
  /**
   * `redact` on a string, per 64 KiB of it, scaled with the length (800 ms at 1 MiB): linear time. It runs
   * synchronously on every log line, on the event loop that also acknowledges webhooks (p99 target 30 ms), so a
   * pathological line holds up everything else while it runs. 64 KiB is far past an ordinary line (a few hundred
   * bytes), so such a line may cost about one acknowledgement's budget, never seconds. The linear scan takes
   * 0–3 ms at 64 KiB and 15–45 ms at 1 MiB on the two-core bench machine: more than ten times headroom for a busy
   * machine. The backtracking pattern it replaced is quadratic: 2.2 s at 64 KiB in this bench (6.3 s when it was
   * replaced), 0.15 s at 16 KiB, and past the 20 s limit at 1 MiB.
   */
  redactMsPer64KiB: 50,
  /** Webhook received → owner notified (issue 17), judged on each channel and on the last of the three. */
  notifyP95Ms: 1_000,
  /** POST /api/config/versions/:id/backtest over 100,000 stored evaluations, embedded database (issue 18). */
  backtestMs: 5_000,
} as const;

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
const num = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const atMost = (value: number, limit: number): Verdict => (Number.isFinite(value) && value <= limit ? 'PASS' : 'MISS');
const atLeast = (value: number, limit: number): Verdict => (Number.isFinite(value) && value >= limit ? 'PASS' : 'MISS');

export function reportRows(results: BenchResults, engine: BenchOptions['engine']): ReportRow[] {
  const rows: ReportRow[] = [];
  if (results.startup) rows.push(...startupRows(results.startup, engine));
  if (results.handoff)
    rows.push(...handoffRows(results.handoff, TARGETS), ...memoryRows('peak, handoff', results.handoff.peakMemory, engine));
  if (results.ingest) rows.push(...ingestRows(results.ingest, engine));
  if (results.feedback) rows.push(...feedbackRows(results.feedback), ...memoryRows('peak, feedback', results.feedback.peakMemory, engine));
  if (results.changes) {
    rows.push(...changesRows(results.changes, TARGETS.changesCdcFeedbackP95Ms, TARGETS.feedbackSlackMs));
    for (const service of results.changes.services) rows.push(...memoryRows(`peak, changes (${service.name})`, service.peakMemory, engine));
  }
  if (results.backfill) rows.push(...backfillRows(results.backfill, engine));
  if (results.redact) rows.push(...redactRows(results.redact));
  if (results.notify)
    rows.push(...notifyRows(results.notify, TARGETS.notifyP95Ms), ...memoryRows('peak, notify', results.notify.peakMemory, engine));
  if (results.backtest) {
    rows.push(...backtestRows(results.backtest, TARGETS.backtestMs));
    if (results.backtest.measured) rows.push(...memoryRows('peak, backtest', results.backtest.peakMemory, engine));
  }
  return rows;
}

const mib = (value: number) => `${num(value)} MiB`;

/**
 * The target covers the service and its database together. An external server (engine postgres) is not the
 * service's, so only the service counts and the figure is information. A baseline with PGlite has its database
 * in the service process: one process is the whole.
 */
function memoryRows(when: string, memory: MemoryFigure, engine: BenchOptions['engine']): ReportRow[] {
  const processes = `${memory.processes} process${memory.processes === 1 ? '' : 'es'}`;
  const judged = engine === 'embedded';
  const target = judged ? `≤ ${TARGETS.memoryMiB} MiB` : '— (external database not counted)';
  const verdict = (value: number): Verdict => (judged ? atMost(value, TARGETS.memoryMiB) : 'info');
  const whose = judged ? 'service + database' : 'service only';
  return [
    { figure: `memory ${when}: RSS sum, ${whose}`, value: `${mib(memory.rssMiB)} (${processes})`, target, verdict: verdict(memory.rssMiB) },
    {
      figure: `memory ${when}: PSS sum, ${whose}`,
      value: `${mib(memory.pssMiB)} (service ${num(memory.servicePssMiB)}; ${processes})`,
      target,
      verdict: verdict(memory.pssMiB),
    },
  ];
}

/** Printed under the table and kept in the results: what the two memory sums are. */
export const MEMORY_LEGEND = [
  "RSS sum: VmRSS (/proc/<pid>/status) of the service + the postmaster + its children; PostgreSQL's shared buffers count once in every process that touched them, so this overstates.",
  'PSS sum: Pss (/proc/<pid>/smaps_rollup) of the same processes; each shared page split between the processes mapping it, so this is what the group takes.',
  "Peaks: the largest sums of samples every 250 ms from spawn to stop. Engine postgres: the service alone (the server is not the service's). PGlite: in the service process.",
];

function startupRows(startup: StartupResults, engine: BenchOptions['engine']): ReportRow[] {
  const store = engine === 'embedded' ? 'DATA_DIR' : 'database';
  return [
    { figure: `start to ready (spawn → /readyz 200), fresh ${store}`, value: ms(startup.fresh.readyMs), target: '—', verdict: 'info' },
    { figure: `start to ready, existing ${store} after a clean stop`, value: ms(startup.existing.readyMs), target: '—', verdict: 'info' },
    ...memoryRows(`idle, ${startup.idleSeconds} s after ready (fresh ${store})`, startup.fresh.idle, engine),
    ...memoryRows(`idle, ${startup.idleSeconds} s after ready (existing ${store})`, startup.existing.idle, engine),
  ];
}

function ingestRows(ingest: IngestResults, engine: BenchOptions['engine']): ReportRow[] {
  const { atTargetRate: paced, saturated } = ingest;
  const lost = (phase: { storedEvents: number; eventsAccepted: number; warmUpEventsAccepted: number }) => {
    const acknowledged = phase.eventsAccepted + phase.warmUpEventsAccepted;
    return phase.storedEvents >= acknowledged ? '' : ` — ONLY ${phase.storedEvents} OF ${acknowledged} STORED`;
  };
  // At the target rate every scheduled delivery must be answered 200 and stored, or the rate was not sustained.
  const pacedShort = paced.requests.failed > 0 || lost(paced) !== '';
  const offered = num(paced.offeredEventsPerSecond);
  return [
    {
      figure: `webhook ingest, as fast as taken (${saturated.connections} connections, ${ingest.eventsPerRequest} events/request; loader shares the cores)`,
      value: `${num(saturated.eventsPerSecond)} events/s${lost(saturated)}`,
      target: `≥ ${TARGETS.ingestEventsPerSecond}`,
      verdict: lost(saturated) ? 'MISS' : atLeast(saturated.eventsPerSecond, TARGETS.ingestEventsPerSecond),
    },
    {
      figure: `webhook ack p99 at ${offered} events/s offered on a schedule (judged only if all answered 200 and stored)`,
      value: ms(paced.ackMs.p99),
      target: `≤ ${TARGETS.ingestAckP99Ms} ms`,
      verdict: pacedShort ? 'MISS' : atMost(paced.ackMs.p99, TARGETS.ingestAckP99Ms),
    },
    {
      figure: `deliveries at ${offered} events/s: events/s taken (ok / failed)`,
      value: `${num(paced.eventsPerSecond)} (${paced.requests.ok} / ${paced.requests.failed})${lost(paced)}`,
      target: '—',
      verdict: pacedShort ? 'MISS' : 'info',
    },
    {
      figure: 'webhook ack p50 / max at the target rate',
      value: `${ms(paced.ackMs.p50)} / ${ms(paced.ackMs.max)}`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'load generator lag p50 / p99 at the target rate (sent − scheduled; counted in the ack times)',
      value: `${ms(paced.sendLagMs.p50)} / ${ms(paced.sendLagMs.p99)}`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'webhook ack p50 / p99 when saturated (≈ connections ÷ throughput; failed)',
      value: `${ms(saturated.ackMs.p50)} / ${ms(saturated.ackMs.p99)} (${saturated.requests.failed})`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'CPU of service + database per 1,000 events ingested, at target / saturated (diagnostic)',
      value: `${ms(paced.serviceCpuMsPerThousandEvents)} / ${ms(saturated.serviceCpuMsPerThousandEvents)}`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'peak RSS, ingest service process alone (VmHWM), at target / saturated',
      value: `${num(paced.peakRssMiB)} / ${mib(saturated.peakRssMiB)}`,
      target: '—',
      verdict: 'info',
    },
    ...memoryRows(`peak, ingest at ${offered} events/s`, paced.peakMemory, engine),
    ...memoryRows('peak, ingest saturated', saturated.peakMemory, engine),
  ];
}

function feedbackRows(feedback: FeedbackResults): ReportRow[] {
  const limit = feedback.pollSeconds * 1000 + TARGETS.feedbackSlackMs;
  return [
    {
      figure: `feedback latency p50/p95, poll every ${feedback.pollSeconds} s (rejections seen)`,
      value: `${num(feedback.latencyMs.p50)} / ${num(feedback.latencyMs.p95)} ms (${feedback.latencyMs.count}/${feedback.rejections})`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'feedback latency max',
      value: ms(feedback.latencyMs.max),
      target: `≤ ${limit} ms (poll + 1 s)`,
      verdict: feedback.latencyMs.count === feedback.rejections ? atMost(feedback.latencyMs.max, limit) : 'MISS',
    },
  ];
}

function backfillRows(backfill: BackfillResults, engine: BenchOptions['engine']): ReportRow[] {
  const target = `≥ ${TARGETS.backfillShareOfCeiling * 100}% of ceiling`;
  if (!backfill.measured)
    return [{ figure: 'backfill throughput', value: `not measured: ${backfill.reason}`, target, verdict: 'NOT MEASURED' }];
  const { alone, withHandoffs } = backfill;
  const rows = [...backfillPhaseRows(alone, backfill.ceilingCallsPerSecond, target)];
  if (withHandoffs) rows.push(...backfillPhaseRows(withHandoffs, backfill.ceilingCallsPerSecond, '—'));
  rows.push(
    { figure: 'peak RSS, backfill service process alone (VmHWM)', value: mib(backfill.peakRssMiB), target: '—', verdict: 'info' },
    ...memoryRows('peak, backfill alone', backfill.peakMemory, engine),
  );
  return rows;
}

function backfillPhaseRows(phase: BackfillPhase, ceiling: number, target: string): ReportRow[] {
  const { exactness } = phase;
  const exact = exactness.exact
    ? 'exact'
    : `${exactness.qualifyingWithoutLead} missing, ${exactness.qualifyingWithSeveralLeads} duplicated, ${exactness.leadsForOtherContacts} unwanted`;
  const over = `${phase.contacts} contacts, ${phase.qualifying} qualify, ${phase.regime}`;
  const done = phase.status === 'done' && exactness.exact;
  const rows: ReportRow[] = [
    {
      figure: `backfill ${phase.handoffLatencyMs ? 'and real-time ' : ''}HubSpot calls/s as share of ${num(ceiling)}/s ceiling (${over})`,
      value: `${num(phase.hubspotCallsPerSecond, 1)}/s = ${num(phase.shareOfCeiling * 100, 1)}%`,
      target,
      verdict: !done ? 'MISS' : target === '—' ? 'info' : atLeast(phase.shareOfCeiling, TARGETS.backfillShareOfCeiling),
    },
    {
      figure: `backfill contacts/s, ${phase.regime} (run status, duration, Leads)`,
      value: `${num(phase.contactsPerSecond)} (${phase.status}, ${num(phase.durationMs / 1000, 1)} s, ${exact})`,
      target: 'exactly one Lead each',
      verdict: done ? 'info' : 'MISS',
    },
    {
      figure: `backfill calls HubSpot / Salesforce, ${phase.regime}`,
      value: `${phase.calls.hubspot} / ${phase.calls.salesforce}`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: `backfill HubSpot peak in a 10 s window; first call after start; last call before end, ${phase.regime}`,
      value: `${phase.peakCallsInWindow}; ${ms(phase.edgesMs.firstCall)}; ${ms(phase.edgesMs.afterLastCall)}`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: `CPU of service + database per 1,000 contacts backfilled, ${phase.regime} (diagnostic)`,
      value: ms(phase.serviceCpuMsPerThousandContacts),
      target: '—',
      verdict: 'info',
    },
  ];
  const latency = phase.handoffLatencyMs;
  if (latency) {
    rows.push({
      figure: 'handoff raw p50/p95/max during the backfill (leads handed off)',
      value: `${num(latency.p50)} / ${num(latency.p95)} / ${num(latency.max)} ms (${latency.count}/${latency.sent})`,
      target: '—',
      verdict: latency.count === latency.sent ? 'info' : 'MISS',
    });
  }
  return rows;
}

/**
 * One row per input and size: the median call, judged against the target scaled to the length. A call that was
 * cut off at the hard limit, an output that kept an address (or changed a string without one) is a MISS.
 */
function redactRows(redact: RedactResults): ReportRow[] {
  return redact.runs.map((run) => {
    const limit = (TARGETS.redactMsPer64KiB * run.chars) / 65_536;
    const figure = `redact, ${formatSize(run.chars)}: ${run.label} (median of up to ${redact.repetitions} calls)`;
    const target = `≤ ${num(limit)} ms`;
    if (run.error) return { figure, value: `not measured: ${run.error}`, target, verdict: 'NOT MEASURED' as const };
    const msOf = (value: number) => `${num(value, value < 1 ? 2 : 1)} ms`;
    const calls = `${run.callsMs.length} call${run.callsMs.length === 1 ? '' : 's'}`;
    const time = run.timedOut
      ? `over ${redact.timeoutSeconds} s (stopped; ${calls} finished${run.callsMs.length ? `, median ${msOf(run.medianMs)}` : ''})`
      : `${msOf(run.medianMs)} (${calls})`;
    const value = run.problem ? `${time} — ${run.problem}` : time;
    return { figure, value, target, verdict: run.timedOut || run.problem ? 'MISS' : atMost(run.medianMs, limit) };
  });
}
