import { describe, expect, it } from '@jest/globals';
import { CallLog } from '../../../bench/support/call-log.ts';

/** A log with HubSpot calls at these times (ms), and one Salesforce call at each that `salesforceAt` lists. */
function logOf(hubspotAt: number[], salesforceAt: number[] = []): CallLog {
  const log = new CallLog(50);
  const calls = [
    ...hubspotAt.map((at) => ({ at, provider: 'hubspot' as const, endpoint: at % 2 === 0 ? 'POST /search' : 'POST /batch/read' })),
    ...salesforceAt.map((at) => ({ at, provider: 'salesforce' as const, endpoint: 'collections' })),
  ].sort((a, b) => a.at - b.at);
  for (const call of calls) log.record(call);
  return log;
}

describe('CallLog.peakInWindow', () => {
  it.each([
    ['no calls', [], 0, 100_000, 0],
    ['all inside one window', [0, 1_000, 9_999], 0, 100_000, 3],
    // A call exactly one window after another is in the next window, as a rolling limit of that length counts.
    ['a call one whole window later starts a new one', [0, 5_000, 10_000], 0, 100_000, 2],
    ['the fullest window wherever it starts', [0, 20_000, 21_000, 22_000, 29_999, 40_000], 0, 100_000, 4],
    ['calls before `from` and at or after `to` are left out', [0, 1, 2, 3, 9_000, 15_001, 15_002, 15_003], 2, 15_001, 3],
  ])('%s', (_, times, from, to, peak) => {
    expect(logOf(times).peakInWindow('hubspot', from, to, 10_000)).toBe(peak);
  });

  it('counts only the provider asked for, and only the endpoints `picks` keeps', () => {
    const log = logOf([1, 2, 3, 4], [1, 2, 3, 4, 5, 6]);
    expect(log.peakInWindow('hubspot', 0, 100, 10_000)).toBe(4);
    expect(log.peakInWindow('salesforce', 0, 100, 10_000)).toBe(6);
    expect(log.peakInWindow('hubspot', 0, 100, 10_000, (endpoint) => endpoint.endsWith('/search'))).toBe(2);
  });
});
