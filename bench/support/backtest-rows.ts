import type { BacktestResults } from '../scenarios/backtest.ts';
import type { ReportRow } from './report-row.ts';

const num = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/**
 * The median run is judged, and only when the answer replayed every seeded contact (a short count would be a faster
 * answer to a smaller question). The health pings show whether the service kept answering while it replayed.
 */
export function backtestRows(backtest: BacktestResults, targetMs: number): ReportRow[] {
  const target = `≤ ${targetMs} ms`;
  if (!backtest.measured)
    return [{ figure: 'backtest over stored evaluations', value: `not measured: ${backtest.reason}`, target, verdict: 'NOT MEASURED' }];
  const complete = backtest.replayed === backtest.contacts;
  const count = `${backtest.evaluations.toLocaleString('en')} evaluations, ${backtest.contacts.toLocaleString('en')} contacts`;
  return [
    {
      figure: `backtest through the API over ${count}, median of ${backtest.runsMs.length} (contacts replayed)`,
      value: `${num(backtest.medianMs)} ms (${backtest.replayed}/${backtest.contacts})`,
      target,
      verdict: complete && backtest.medianMs <= targetMs ? 'PASS' : 'MISS',
    },
    { figure: 'backtest runs', value: backtest.runsMs.map((ms) => `${num(ms)} ms`).join(', '), target: '—', verdict: 'info' },
    {
      figure: 'GET /healthz during the backtests, p50/p99/max (answers)',
      value: `${num(backtest.healthMs.p50)} / ${num(backtest.healthMs.p99)} / ${num(backtest.healthMs.max)} ms (${backtest.healthMs.count})`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'backtest MQLs, active / draft (SMB threshold 50 → 45)',
      value: `${backtest.mql.active} / ${backtest.mql.draft}`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'memory before the backtests: RSS sum / PSS sum, service + database (diagnostic)',
      value: `${num(backtest.memoryBefore.rssMiB)} / ${num(backtest.memoryBefore.pssMiB)} MiB (service PSS ${num(backtest.memoryBefore.servicePssMiB)})`,
      target: '—',
      verdict: 'info',
    },
    {
      figure: 'CPU of service + database per backtest (diagnostic)',
      value: `${num(backtest.serviceCpuMsPerRun)} ms`,
      target: '—',
      verdict: 'info',
    },
    { figure: 'peak RSS, backtest service process alone (VmHWM)', value: `${num(backtest.peakRssMiB)} MiB`, target: '—', verdict: 'info' },
  ];
}
