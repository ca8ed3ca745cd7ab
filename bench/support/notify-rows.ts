import type { NotifyResults } from '../scenarios/notify.ts';
import { NOTIFY_CHANNELS } from './receivers.ts';
import type { ReportRow, Verdict } from './report-row.ts';
import type { Summary } from './stats.ts';

const num = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const atMost = (value: number, limit: number): Verdict => (Number.isFinite(value) && value <= limit ? 'PASS' : 'MISS');

const CHANNEL_NAMES = { slack: 'Slack message', email: 'e-mail', salesforce: 'Salesforce notification', all: 'all channels (the last)' };

/**
 * Webhook sent → notification arrived, every time in the bench process's clock (bench/README.md says how each is
 * taken). A version without owner notifications shows '—' (NOT MEASURED); a channel that missed a Lead is a MISS.
 */
export function notifyRows(notify: NotifyResults, targetP95Ms: number): ReportRow[] {
  const { latency, timeline, pushWaves: waves } = notify;
  const target = `p95 ≤ ${targetP95Ms} ms`;
  const spread = (s: Summary) => `${num(s.p50)} / ${num(s.p95)} / ${num(s.max)} ms`;
  const channels = [...NOTIFY_CHANNELS, 'all'] as const;
  const rows: ReportRow[] = channels.map((channel) => {
    const figure = `notify: webhook sent → ${CHANNEL_NAMES[channel]}, p50/p95/max (notified/handed off; ${notify.load})`;
    const s = latency.sentToArrival[channel];
    if (!notify.notifies) return { figure, value: '— (no owner notifications in this version)', target, verdict: 'NOT MEASURED' };
    const all = s.count === notify.handedOff && notify.handedOff === notify.contacts;
    return {
      figure,
      value: `${spread(s)} (${s.count}/${notify.handedOff})`,
      target,
      verdict: all ? atMost(s.p95, targetP95Ms) : 'MISS',
    };
  });
  const { undelivered } = latency;
  const missing = NOTIFY_CHANNELS.map((channel) => `${channel} ${undelivered[channel]}`).join(', ');
  const exact = NOTIFY_CHANNELS.every((channel) => undelivered[channel] === 0) && latency.duplicates === 0;
  const complete = notify.handedOff === notify.contacts;
  rows.push(
    {
      figure: 'notify: undelivered per channel; duplicates (handed off/sent)',
      value: notify.notifies
        ? `${missing}; ${latency.duplicates} (${notify.handedOff}/${notify.contacts})`
        : `— (${notify.handedOff}/${notify.contacts})`,
      target: 'none; exactly once',
      verdict: !complete ? 'MISS' : !notify.notifies ? 'info' : exact ? 'PASS' : 'MISS',
    },
    {
      figure: 'notify split: webhook sent → Lead committed, p50/p95/max',
      value: spread(latency.sentToCommit),
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'notify split: Lead committed → first channel, p50/p95/max',
      value: notify.notifies ? spread(latency.commitToFirst) : '—',
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'notify split: Lead committed → last channel, p50/p95/max',
      value: notify.notifies ? spread(latency.commitToLast) : '—',
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'notify batches: Lead commit → HubSpot write-back done → first arrival → last arrival, p50/p95 of each step',
      value: notify.notifies
        ? [timeline.commitToWriteBackEnd, timeline.writeBackEndToFirstArrival, timeline.firstToLastArrival]
            .map((s) => `${num(s.p50)}/${num(s.p95)}`)
            .join(' → ')
            .concat(` ms (${timeline.batches} batches, ${num(timeline.leadsPerBatch.p50)} leads p50)`)
        : '—',
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'notify passes (waves of Salesforce push calls): count; pushes per pass p50/max; pass start-to-start p50/p95',
      value: notify.notifies
        ? `${waves.waves}; ${num(waves.callsPerWave.p50)}/${num(waves.callsPerWave.max)}; ${num(waves.startToStartMs.p50)}/${num(waves.startToStartMs.p95)} ms`
        : '—',
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'notify: HubSpot / Salesforce API calls per 1,000 leads (routing and notification included)',
      value: `${num(notify.callsPerThousand.hubspot, 1)} / ${num(notify.callsPerThousand.salesforce, 1)}`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'CPU of service + database per lead, notify (diagnostic)',
      value: `${num(notify.serviceCpuMsPerLead, 1)} ms`,
      target: '—',
      verdict: 'info',
    },
    { figure: 'peak RSS, notify service process alone (VmHWM)', value: `${num(notify.peakRssMiB)} MiB`, target: '—', verdict: 'info' },
  );
  return rows;
}
