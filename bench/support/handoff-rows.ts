import type { HandoffResults } from '../scenarios/handoff.ts';
import type { HandoffPhase, HandoffPhaseName } from './handoff-phase.ts';
import type { ReportRow, Verdict } from './report-row.ts';
import { stageRows } from './stage-figures.ts';

/** Issue 21's handoff targets (report.ts's TARGETS holds the values). */
export interface HandoffTargets {
  slowOverheadP95Ms: number;
  steadyOverheadP95Ms: number;
  /** Share of the portal's burst window the 50/s phase's HubSpot calls may fill at their peak. */
  realtimeShareOfWindow: number;
  starterRawP95Ms: number;
  callsPerThousand: number;
  burstRawP95Ms: number;
}

const num = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
const atMost = (value: number, limit: number): Verdict => (Number.isFinite(value) && value <= limit ? 'PASS' : 'MISS');
const complete = (phase: HandoffPhase) => phase.handedOff === phase.leads;
/** A judged figure of a phase that did not hand off every lead is a MISS whatever its value. */
const judged = (phase: HandoffPhase, value: number, limit: number): Verdict => (complete(phase) ? atMost(value, limit) : 'MISS');

const PHASE_NAMES: Record<HandoffPhaseName, string> = {
  slow: 'steady 5 leads/s',
  steady: 'steady 50 leads/s, 190-per-10 s portal',
  starter: 'steady 50 leads/s, 100-per-10 s portal (Starter)',
  calls: 'steady 20 leads/s, no fixed window',
  burst: 'burst',
  windowed: 'fixed window (explicit override, information)',
};

/** One block per phase, in the order: each judged figure beside its target, the rest as information. */
export function handoffRows(handoff: HandoffResults, targets: HandoffTargets): ReportRow[] {
  const { slow, steady, starter, calls, burst, windowed } = handoff;
  return [
    overheadRow(slow, targets.slowOverheadP95Ms),
    latencyRow(slow),
    ...stageRows(slow.stages, PHASE_NAMES.slow),
    overheadRow(steady, targets.steadyOverheadP95Ms),
    peakWindowRow(steady, targets.realtimeShareOfWindow),
    latencyRow(steady),
    ...callRows(steady, targets.callsPerThousand),
    ...stageRows(steady.stages, PHASE_NAMES.steady),
    {
      figure: `HubSpot 429 answers from the simulator, ${PHASE_NAMES.starter}`,
      value: String(starter.hubspot429s),
      target: '0',
      verdict: starter.hubspot429s === 0 ? 'PASS' : 'MISS',
    },
    {
      figure: `leads handed off / sent, ${PHASE_NAMES.starter}`,
      value: `${starter.handedOff}/${starter.leads}`,
      target: 'all',
      verdict: complete(starter) ? 'PASS' : 'MISS',
    },
    {
      figure: `handoff raw p95, ${PHASE_NAMES.starter} (${starter.load})`,
      value: ms(starter.latency.rawMs.p95),
      target: `≤ ${num(targets.starterRawP95Ms)} ms`,
      verdict: judged(starter, starter.latency.rawMs.p95, targets.starterRawP95Ms),
    },
    latencyRow(starter),
    peakWindowRow(starter),
    ...callRows(starter),
    ...callRows(calls, targets.callsPerThousand),
    latencyRow(calls),
    peakWindowRow(calls),
    burstRow(burst, targets.burstRawP95Ms),
    latencyRow(burst),
    ...callRows(burst),
    latencyRow(windowed),
    ...callRows(windowed),
    {
      figure: 'CPU of service + database per lead: 5/s, 50/s, Starter, 20/s, burst, fixed window (diagnostic)',
      value: `${[slow, steady, starter, calls, burst, windowed].map((phase) => num(phase.serviceCpuMsPerLead, 1)).join(' / ')} ms`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'peak RSS, handoff service processes alone (VmHWM), largest',
      value: `${num(handoff.peakRssMiB)} MiB`,
      target: '—',
      verdict: 'info',
    },
  ];
}

function overheadRow(phase: HandoffPhase, limitMs: number): ReportRow {
  return {
    figure: `handoff overhead p95, ${PHASE_NAMES[phase.name]} (${phase.load})`,
    value: ms(phase.latency.overheadMs.p95),
    target: `≤ ${limitMs} ms`,
    verdict: judged(phase, phase.latency.overheadMs.p95, limitMs),
  };
}

const triple = (s: { p50: number; p95: number; p99: number }) => `${num(s.p50)} / ${num(s.p95)} / ${num(s.p99)}`;

/** Raw and overhead p50/p95/p99 and how many leads were handed off; information, or a MISS if some were not. */
function latencyRow(phase: HandoffPhase): ReportRow {
  const { rawMs, overheadMs } = phase.latency;
  return {
    figure: `handoff raw | overhead p50/p95/p99, ${PHASE_NAMES[phase.name]} (leads handed off)`,
    value: `${triple(rawMs)} | ${triple(overheadMs)} ms (${phase.handedOff}/${phase.leads})`,
    target: '—',
    verdict: complete(phase) ? 'info' : 'MISS',
  };
}

/** The fullest rolling window of HubSpot calls in the phase, as a share of the portal's limit; judged with `share`. */
function peakWindowRow(phase: HandoffPhase, share?: number): ReportRow {
  const { max, windowMs } = phase.portal;
  const seconds = windowMs / 1000;
  const limit = share === undefined ? undefined : Math.floor(max * share);
  return {
    figure: `HubSpot calls, most in any ${seconds} s of the phase, ${PHASE_NAMES[phase.name]}`,
    value: `${phase.hubspotPeakInWindow} (${num((phase.hubspotPeakInWindow / max) * 100)} % of ${max})`,
    target: limit === undefined ? `≤ ${max} (the portal's limit)` : `≤ ${limit} (${num(share! * 100)} % of ${max})`,
    verdict: limit === undefined ? 'info' : judged(phase, phase.hubspotPeakInWindow, limit),
  };
}

/** Judged only at the size (the full profile's 5,000); the quick profile's smaller burst is information. */
function burstRow(burst: HandoffResults['burst'], limitMs: number): ReportRow {
  return {
    figure: `handoff raw p95, burst (${burst.load})`,
    value: ms(burst.latency.rawMs.p95),
    target: burst.judged ? `≤ ${num(limitMs)} ms` : `≤ ${num(limitMs)} ms (judged at 5,000 events: --full)`,
    verdict: burst.judged ? judged(burst, burst.latency.rawMs.p95, limitMs) : complete(burst) ? 'info' : 'MISS',
  };
}

/** Calls per 1,000 handed-off leads beside the floor; judged against `limit` when given, else information. */
function callRows(phase: HandoffPhase, limit?: number): ReportRow[] {
  return (['hubspot', 'salesforce'] as const).map((provider) => ({
    figure: `${provider === 'hubspot' ? 'HubSpot' : 'Salesforce'} API calls per 1,000 leads, ${PHASE_NAMES[phase.name]} (floor ${phase.floorPerThousand[provider]})`,
    value: num(phase.callsPerThousand[provider], 1),
    target: limit === undefined ? '—' : `≤ ${limit}`,
    verdict: limit === undefined ? 'info' : judged(phase, phase.callsPerThousand[provider], limit),
  }));
}
