import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createDisplay, formatProgressLine, formatSummary } from '../../../src/cli/backfill/display.ts';
import { parseBackfillArgs } from '../../../src/cli/backfill/options.ts';
import { emptyCounts } from '../../../src/core/backfill/counts.ts';
import type { BackfillRunView } from '../../../src/jobs/backfill/backfill-service.ts';

describe('backfill command line', () => {
  it('starts a handoff run over every contact by default, against the local service', () => {
    expect(parseBackfillArgs([], { PORT: '3400' })).toEqual({
      ok: true,
      options: {
        baseUrl: 'http://127.0.0.1:3400',
        action: { kind: 'start', body: { mode: 'handoff', dryRun: false, filter: {} } },
        cancelOnExit: false,
        pollMs: 1000,
      },
    });
  });

  it('turns the flags into the run request', () => {
    const parsed = parseBackfillArgs(
      [
        '--mode',
        'resync',
        '--dry-run',
        '--since',
        '2026-01-01',
        '--until',
        '2026-02-01',
        '--modified-since',
        '2026-01-15',
        '--lifecycle',
        'lead, subscriber',
        '--url',
        'http://127.0.0.1:9/',
        '--cancel-on-exit',
      ],
      {},
    );
    expect(parsed).toMatchObject({
      ok: true,
      options: {
        baseUrl: 'http://127.0.0.1:9',
        cancelOnExit: true,
        action: {
          kind: 'start',
          body: {
            mode: 'resync',
            dryRun: true,
            filter: {
              createdAfter: '2026-01-01',
              createdBefore: '2026-02-01',
              modifiedAfter: '2026-01-15',
              lifecycleStages: ['lead', 'subscriber'],
            },
          },
        },
      },
    });
    expect(parseBackfillArgs(['--follow', '12'], {})).toMatchObject({ ok: true, options: { action: { kind: 'follow', id: '12' } } });
  });

  it.each([
    [['--mode', 'everything'], /--mode must be handoff or resync/],
    [['--follow', 'latest'], /--follow takes a run id/],
    [['--poll-ms', '5'], /--poll-ms/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j', (argv, problem) => {
    const parsed = parseBackfillArgs(argv, {});
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });
});

function view(over: Partial<BackfillRunView> = {}): BackfillRunView {
  return {
    id: '7',
    mode: 'handoff',
    dryRun: false,
    filter: {},
    status: 'running',
    cancelRequested: false,
    source: 'list',
    counts: { ...emptyCounts(), read: 1200, qualified: 300, handedOff: 290, notQualified: 900, parked: 10 },
    progress: { read: 1200, total: 5000, percent: 24, ratePerSecond: 85, etaSeconds: 45, eta: '45 s' },
    pagesDone: 12,
    sample: [],
    error: null,
    requestedBy: 'cli',
    attempts: 1,
    createdAt: '2026-11-20T10:00:00.000Z',
    startedAt: '2026-11-20T10:00:01.000Z',
    finishedAt: null,
    updatedAt: '2026-11-20T10:00:15.000Z',
    ...over,
  };
}

describe('progress display', () => {
  it('says count, share, rate and ETA in one line, and "unknown" without a total', () => {
    expect(formatProgressLine(view())).toBe('run 7 running · 1,200/5,000 (24%) · 85.0 /s · ETA 45 s');
    expect(
      formatProgressLine(
        view({ progress: { read: 300, total: null, percent: null, ratePerSecond: null, etaSeconds: null, eta: 'unknown' } }),
      ),
    ).toBe('run 7 running · 300/unknown · — /s · ETA unknown');
  });

  it('sums a run up with its non-zero counts, and a dry run with its sample', () => {
    expect(formatSummary(view({ status: 'done' }))).toBe(
      'backfill run 7 done: handoff\n  read 1,200 · qualified 300 · handedOff 290 · notQualified 900 · parked 10\n',
    );
    const dry = formatSummary(
      view({
        status: 'done',
        dryRun: true,
        sample: [
          {
            contactId: '101',
            verdict: 'would hand off',
            reasons: ['Fast track: demo requested'],
            salesforce: 'would adopt Lead 00Q1 (same e-mail)',
          },
        ],
      }),
    );
    expect(dry).toContain('(dry run: nothing was written)');
    expect(dry).toContain('contact 101: would hand off → would adopt Lead 00Q1 (same e-mail) (Fast track: demo requested)');
  });

  it('prints plain lines at most every few seconds when stdout is not a terminal, and the last state at the end', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    let clock = 0;
    const display = createDisplay(out, { lineEveryMs: 5_000, now: () => clock });
    display.update(view({ progress: { ...view().progress, read: 100 } }));
    clock = 1_000;
    display.update(view({ progress: { ...view().progress, read: 200 } }));
    clock = 6_000;
    display.update(view({ progress: { ...view().progress, read: 600 } }));
    clock = 7_000;
    display.update(view({ status: 'done', progress: { ...view().progress, read: 5_000, percent: 100, eta: '0 s' } }));
    display.stop();
    expect(
      text
        .trim()
        .split('\n')
        .map((line) => line.split(' · ')[1]),
    ).toEqual(['100/5,000 (24%)', '600/5,000 (24%)', '5,000/5,000 (100%)']);
  });
});
