import { z } from 'zod';
import { type BacktestResult, backtestResult } from '../../config/versions/backtest-schema.ts';
import { type CalibrationExamplesAnswer, calibrationExamples } from '../../config/versions/calibration-examples-schema.ts';
import { type KpiReport, kpiReport } from '../../kpis/kpi-types.ts';
import { type AdminApiTarget, adminGet, adminPost } from '../admin-api-client.ts';

/** Everything the monthly MQL review shows, as the admin API gives it. */
export interface ReviewPack {
  from: string;
  to: string;
  kpis: KpiReport;
  /** The active version backtested against itself: the current definition's rule lift, bands and thresholds. */
  backtest: BacktestResult;
  examples: CalibrationExamplesAnswer;
}

const activeVersion = z.object({ id: z.string() });

export type PackAnswer = { ok: true; pack: ReviewPack } | { ok: false; message: string };

/** Reads the KPIs, the active version's backtest over the period, and the examples; the first refusal ends it. */
export async function readReviewPack(target: AdminApiTarget, period: { from: string; to: string; limit?: string }): Promise<PackAnswer> {
  const active = await adminGet(target, '/api/config/active', activeVersion);
  if (!active.ok) return { ok: false, message: `active version: ${active.message}` };
  const query = new URLSearchParams({ from: period.from, to: period.to });
  const exampleQuery = new URLSearchParams({ from: period.from, to: period.to, ...(period.limit ? { limit: period.limit } : {}) });
  const [kpis, backtest, examples] = await Promise.all([
    adminGet(target, `/api/kpis?${query}`, kpiReport),
    adminPost(
      target,
      `/api/config/versions/${encodeURIComponent(active.body.id)}/backtest`,
      { from: period.from, to: period.to },
      backtestResult,
    ),
    adminGet(target, `/api/calibration/examples?${exampleQuery}`, calibrationExamples),
  ]);
  if (!kpis.ok) return { ok: false, message: `KPIs: ${kpis.message}` };
  if (!backtest.ok) return { ok: false, message: `backtest: ${backtest.message}` };
  if (!examples.ok) return { ok: false, message: `examples: ${examples.message}` };
  return {
    ok: true,
    pack: { from: kpis.body.from, to: kpis.body.to, kpis: kpis.body, backtest: backtest.body, examples: examples.body },
  };
}
