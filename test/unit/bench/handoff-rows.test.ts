import { describe, expect, it } from '@jest/globals';
import { TARGETS } from '../../../bench/report.ts';
import type { HandoffResults } from '../../../bench/scenarios/handoff.ts';
import type { HandoffPhase, HandoffPhaseName } from '../../../bench/support/handoff-phase.ts';
import { handoffRows } from '../../../bench/support/handoff-rows.ts';
import type { Summary } from '../../../bench/support/stats.ts';

const summary = (p95: number): Summary => ({ count: 100, p50: p95 / 2, p95, p99: p95, max: p95 });

/** A phase that handed off all 100 leads with these figures (defaults: well inside every target). */
function phase(
  name: HandoffPhaseName,
  figures: Partial<{
    rawP95: number;
    overheadP95: number;
    handedOff: number;
    peak: number;
    refused: number;
    hubspotPerThousand: number;
  }> = {},
): HandoffPhase {
  const portal = name === 'starter' ? { windowMs: 10_000, max: 100 } : { windowMs: 10_000, max: 190 };
  return {
    name,
    load: `${name} load`,
    portal,
    leads: 100,
    handedOff: figures.handedOff ?? 100,
    latency: { rawMs: summary(figures.rawP95 ?? 500), overheadMs: summary(figures.overheadP95 ?? 10), meanSubtractedMs: 150 },
    calls: { hubspot: 2, salesforce: 1, byEndpoint: {} },
    callsPerThousand: { hubspot: figures.hubspotPerThousand ?? 20, salesforce: 10 },
    floorPerThousand: { hubspot: 21, salesforce: 9 },
    hubspotPeakInWindow: figures.peak ?? 40,
    hubspot429s: figures.refused ?? 0,
    serviceCpuMsPerLead: 3,
    durationMs: 10_000,
  };
}

function results(overrides: Partial<Record<HandoffPhaseName, HandoffPhase>> = {}, burstJudged = true): HandoffResults {
  const pick = (name: HandoffPhaseName) => overrides[name] ?? phase(name);
  return {
    slow: { ...pick('slow'), stages: [] },
    steady: { ...pick('steady'), stages: [] },
    starter: pick('starter'),
    calls: pick('calls'),
    burst: { ...pick('burst'), judged: burstJudged },
    windowed: { ...pick('windowed'), batchWindowMs: 2_000 },
    peakRssMiB: 150,
    peakMemory: { rssMiB: 200, pssMiB: 150, servicePssMiB: 100, processes: 5 },
  };
}

const verdictOf = (handoff: HandoffResults, figureStart: string) => {
  const row = handoffRows(handoff, TARGETS).find((candidate) => candidate.figure.startsWith(figureStart));
  if (!row) throw new Error(`no row starting "${figureStart}"`);
  return row.verdict;
};

describe('handoffRows', () => {
  it('passes every judged figure inside its target, one per target of issue 21', () => {
    const judged = handoffRows(results(), TARGETS).filter((row) => row.verdict !== 'info');
    expect(judged.map((row) => [row.figure.replace(/ \(.*$/, ''), row.target, row.verdict])).toEqual([
      ['handoff overhead p95, steady 5 leads/s', '≤ 25 ms', 'PASS'],
      ['handoff overhead p95, steady 50 leads/s, 190-per-10 s portal', '≤ 60 ms', 'PASS'],
      ['HubSpot calls, most in any 10 s of the phase, steady 50 leads/s, 190-per-10 s portal', '≤ 95 (50 % of 190)', 'PASS'],
      ['HubSpot API calls per 1,000 leads, steady 50 leads/s, 190-per-10 s portal', '≤ 30', 'PASS'],
      ['Salesforce API calls per 1,000 leads, steady 50 leads/s, 190-per-10 s portal', '≤ 30', 'PASS'],
      ['HubSpot 429 answers from the simulator, steady 50 leads/s, 100-per-10 s portal', '0', 'PASS'],
      ['leads handed off / sent, steady 50 leads/s, 100-per-10 s portal', 'all', 'PASS'],
      ['handoff raw p95, steady 50 leads/s, 100-per-10 s portal', '≤ 2000 ms', 'PASS'],
      ['HubSpot API calls per 1,000 leads, steady 20 leads/s, no fixed window', '≤ 30', 'PASS'],
      ['Salesforce API calls per 1,000 leads, steady 20 leads/s, no fixed window', '≤ 30', 'PASS'],
      ['handoff raw p95, burst', '≤ 5000 ms', 'PASS'],
    ]);
  });

  it.each([
    ['overhead p95 at 5/s over 25 ms', { slow: phase('slow', { overheadP95: 26 }) }, 'handoff overhead p95, steady 5'],
    ['overhead p95 at 50/s over 60 ms', { steady: phase('steady', { overheadP95: 61 }) }, 'handoff overhead p95, steady 50'],
    [
      '96 HubSpot calls in one window at 50/s',
      { steady: phase('steady', { peak: 96 }) },
      'HubSpot calls, most in any 10 s of the phase, steady 50 leads/s, 190',
    ],
    ['one 429 on the Starter portal', { starter: phase('starter', { refused: 1 }) }, 'HubSpot 429 answers'],
    ['a lead not handed off on the Starter portal', { starter: phase('starter', { handedOff: 99 }) }, 'leads handed off / sent'],
    ['raw p95 over 2 s on the Starter portal', { starter: phase('starter', { rawP95: 2_001 }) }, 'handoff raw p95, steady 50'],
    ['raw p95 inside 2 s but a lead missing', { starter: phase('starter', { handedOff: 99 }) }, 'handoff raw p95, steady 50'],
    [
      '31 HubSpot calls per 1,000 at 20/s',
      { calls: phase('calls', { hubspotPerThousand: 31 }) },
      'HubSpot API calls per 1,000 leads, steady 20',
    ],
    [
      'a lead missing at 20/s (few calls per lead then mean little)',
      { calls: phase('calls', { handedOff: 50 }) },
      'HubSpot API calls per 1,000 leads, steady 20',
    ],
    ['burst raw p95 over 5 s', { burst: phase('burst', { rawP95: 5_001 }) }, 'handoff raw p95, burst'],
  ])('misses on %s', (_, overrides, figureStart) => {
    expect(verdictOf(results(overrides), figureStart)).toBe('MISS');
  });

  it('judges the burst only at the issue size: the quick profile’s smaller burst is information, unless leads are missing', () => {
    const slowBurst = { burst: phase('burst', { rawP95: 9_000 }) };
    expect(verdictOf(results(slowBurst, false), 'handoff raw p95, burst')).toBe('info');
    expect(verdictOf(results({ burst: phase('burst', { handedOff: 1 }) }, false), 'handoff raw p95, burst')).toBe('MISS');
  });

  it('never puts a measured value in a figure, so a baseline’s rows line up with the current’s', () => {
    const figures = (handoff: HandoffResults) => handoffRows(handoff, TARGETS).map((row) => row.figure);
    const worse = results({
      slow: phase('slow', { overheadP95: 999, handedOff: 3 }),
      steady: phase('steady', { peak: 180, hubspotPerThousand: 400 }),
      starter: phase('starter', { refused: 12, rawP95: 9_999 }),
    });
    expect(figures(worse)).toEqual(figures(results()));
  });
});
