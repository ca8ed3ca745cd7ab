import { setImmediate as nextTurn } from 'node:timers/promises';
import { type BacktestReport, BacktestSummary, withOutcome } from '../../core/calibration/backtest.ts';
import {
  type BacktestDefinitions,
  type ReplayedContact,
  replayEvaluation,
  replayPlan,
  type StoredEvaluation,
} from '../../core/calibration/replay.ts';
import { ValidationError } from '../../errors.ts';
import { contactOutcomes } from '../../store/contact-outcomes.ts';
import type { Queryable } from '../../store/database-types.ts';
import { evaluationsByIds, latestEvaluationIds } from '../../store/mql-evaluations.ts';

export interface BacktestLimits {
  /** Contacts read per statement: each page is one short query, so no connection is held for long. */
  pageSize: number;
  /** Contacts replayed between two yields to the event loop (one or two qualifications each). */
  replaysPerTurn: number;
  /** A period with more contacts evaluated is refused (their evaluation ids are held in memory while it replays). */
  maxContacts: number;
  /** Gives the event loop back (setImmediate; the tests count the turns). */
  nextTurn?: () => Promise<unknown>;
}

export const BACKTEST_LIMITS: BacktestLimits = { pageSize: 2_000, replaysPerTurn: 250, maxContacts: 500_000 };

/**
 * Replays the draft and the active MQL definitions over every contact evaluated in [from, to) (its latest evaluation
 * there) and compares them on what became of those contacts. Finds the evaluations in one narrow statement, then
 * reads them page by page by primary key; while a page is replayed, the database already reads its outcomes and the
 * next page. Gives the event loop back every `replaysPerTurn` contacts, so webhooks and health checks are answered
 * while a big period replays.
 */
export async function runBacktest(
  db: Queryable,
  definitions: BacktestDefinitions,
  period: { from: Date; to: Date },
  limits: BacktestLimits = BACKTEST_LIMITS,
): Promise<BacktestReport> {
  const plan = replayPlan(definitions);
  const yieldTurn = limits.nextTurn ?? nextTurn;
  // One more than allowed tells a period that is too big, without reading all of it.
  const ids = await latestEvaluationIds(db, period, limits.maxContacts + 1);
  if (ids.length > limits.maxContacts) {
    throw new ValidationError(`more than ${limits.maxContacts} contacts were evaluated in the period: choose a shorter one`, [
      { path: 'to', message: `the period holds more than ${limits.maxContacts} evaluated contacts` },
    ]);
  }
  const pages: string[][] = [];
  for (let start = 0; start < ids.length; start += limits.pageSize) pages.push(ids.slice(start, start + limits.pageSize));
  const summary = new BacktestSummary(plan);
  let next: Promise<StoredEvaluation[]> | undefined = pages[0] ? evaluationsByIds(db, pages[0]) : undefined;
  try {
    for (let p = 0; p < pages.length; p++) {
      const evaluations: StoredEvaluation[] = await next!;
      next = pages[p + 1] ? evaluationsByIds(db, pages[p + 1]!) : undefined;
      const replayable = evaluations.filter((evaluation) => evaluation.values !== null);
      const outcomes = contactOutcomes(
        db,
        replayable.map((e) => ({ contactId: e.contactId, since: e.evaluatedAt })),
      );
      outcomes.catch(() => undefined); // awaited below; a replay that throws first must not leave it unhandled
      const replayed: ReplayedContact[] = [];
      for (const [i, evaluation] of replayable.entries()) {
        const contact = replayEvaluation(evaluation, plan);
        if (contact) replayed.push(contact);
        if ((i + 1) % limits.replaysPerTurn === 0) await yieldTurn();
      }
      const found = await outcomes;
      for (const contact of replayed) summary.add(withOutcome(contact, found.get(contact.contactId)));
      await yieldTurn();
    }
  } finally {
    // A page read ahead and then abandoned (a failed read or replay) must not end as an unhandled rejection.
    next?.catch(() => undefined);
  }
  return summary.report(ids.length);
}
