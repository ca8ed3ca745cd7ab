import type { ChangesResults, ChangesServiceResults } from '../scenarios/changes.ts';
import type { ReportRow, Verdict } from './report-row.ts';

const num = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';
const atMost = (value: number, limit: number): Verdict => (Number.isFinite(value) && value <= limit ? 'PASS' : 'MISS');

function label(service: ChangesServiceResults): string {
  return service.changeEvents ? `change events (poll ${service.pollSeconds} s)` : `poll every ${service.pollSeconds} s`;
}

/**
 * Per service: the feedback latency (CDC judged on p95, the polls on their max as the feedback scenario judges
 * them), the idle Salesforce calls per hour and the calls while many Leads change. A service that did not carry every
 * change to HubSpot, or a CDC service whose change events were not live, is a MISS.
 */
export function changesRows(changes: ChangesResults, cdcP95TargetMs: number, pollSlackMs: number): ReportRow[] {
  const rows = changes.services.flatMap((service) => [feedbackRow(service, cdcP95TargetMs, pollSlackMs), ...callRows(service)]);
  const cdc = changes.services.find((service) => service.changeEvents);
  if (cdc)
    rows.push({
      figure: 'changes: Pub/Sub streams opened; events delivered; keep-alives (change events service, whole run)',
      value: `${cdc.pubSub.streams}; ${cdc.pubSub.delivered}; ${cdc.pubSub.keepAlives}`,
      target: '—',
      verdict: 'info',
    });
  return rows;
}

function feedbackRow(service: ChangesServiceResults, cdcP95TargetMs: number, pollSlackMs: number): ReportRow {
  const { latencyMs: s, rejections } = service.feedback;
  const figure = `changes: feedback latency p50/p95/max, ${label(service)} (rejections seen)`;
  const value = `${num(s.p50)} / ${num(s.p95)} / ${num(s.max)} ms (${s.count}/${rejections})`;
  const all = s.count === rejections;
  if (service.changeEvents) {
    const live = service.changeEventsLiveAfterMs !== null && service.changeEventsLiveBeforeRejections === true;
    return {
      figure,
      value: live ? value : `${value} — CHANGE EVENTS NOT LIVE`,
      target: `p95 ≤ ${num(cdcP95TargetMs)} ms`,
      verdict: all && live ? atMost(s.p95, cdcP95TargetMs) : 'MISS',
    };
  }
  const limit = service.pollSeconds * 1000 + pollSlackMs;
  return { figure, value, target: `max ≤ ${num(limit)} ms (poll + 1 s)`, verdict: all ? atMost(s.max, limit) : 'MISS' };
}

function callRows(service: ChangesServiceResults): ReportRow[] {
  const { idle, bulk } = service;
  const complete = bulk.reached === bulk.changes;
  return [
    {
      figure: `changes: Salesforce API calls per hour idle, ${label(service)} (calls in the window × 3,600 / window)`,
      value: `${num(idle.salesforcePerHour)} (${idle.calls.salesforce} in ${num(idle.seconds, 1)} s)`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: `changes: Salesforce calls per 1,000 Lead changes / per hour at that pace, ${label(service)} (changes reached HubSpot)`,
      value: `${num(bulk.salesforcePerThousand, 1)} / ${num(bulk.salesforcePerHourAtPace)} at ${bulk.perSecond}/s (${bulk.reached}/${bulk.changes} in ${num(bulk.windowMs / 1000, 1)} s)`,
      target: '—',
      verdict: complete ? 'info' : 'MISS',
    },
    {
      figure: `changes: while Leads change, HubSpot calls per 1,000; change → HubSpot p50/p95/max, ${label(service)}`,
      value: `${num(bulk.hubspotPerThousand, 1)}; ${num(bulk.latencyMs.p50)} / ${num(bulk.latencyMs.p95)} / ${num(bulk.latencyMs.max)} ms`,
      target: '—',
      verdict: complete ? 'info' : 'MISS',
    },
  ];
}
