import { setImmediate as nextTurn } from 'node:timers/promises';
import { type BacktestContact, type BacktestReport, summariseBacktest, withOutcome } from '../../core/calibration/backtest.ts';
import { type BacktestDefinitions, replayEvaluation, replayPlan } from '../../core/calibration/replay.ts';
import { ValidationError } from '../../errors.ts';
import { contactOutcomes } from '../../store/contact-outcomes.ts';
import type { Queryable } from '../../store/database-types.ts';
import { latestEvaluationsPage } from '../../store/mql-evaluations.ts';

export interface BacktestLimits {
  /** Contacts read per statement: each page is one short query, so the store's connection is never held for long. */
  pageSize: number;
  /** Contacts replayed between two yields to the event loop (two qualifications each). */
  replaysPerTurn: number;
  /** A period with more contacts evaluated is refused (the report is built in memory, about 0.5 KB per contact). */
  maxContacts: number;
  /** Gives the event loop back (setImmediate; the tests count the turns). */
  nextTurn?: () => Promise<unknown>;
}

export const BACKTEST_LIMITS: BacktestLimits = { pageSize: 2_000, replaysPerTurn: 250, maxContacts: 500_000 };

/**
 * Replays the draft and the active MQL definitions over every contact evaluated in [from, to) (its latest evaluation
 * there) and compares them on what became of those contacts. Reads page by page in contact order and gives the event
 * loop back every `replaysPerTurn` contacts, so webhooks and health checks are answered while a big period replays.
 */
export async function runBacktest(
  db: Queryable,
  definitions: BacktestDefinitions,
  period: { from: Date; to: Date },
  limits: BacktestLimits = BACKTEST_LIMITS,
): Promise<BacktestReport> {
  const plan = replayPlan(definitions);
  const yieldTurn = limits.nextTurn ?? nextTurn;
  const contacts: BacktestContact[] = [];
  let evaluated = 0;
  let after: string | undefined;
  do {
    const page = await latestEvaluationsPage(db, { ...period, after, limit: limits.pageSize });
    evaluated += page.evaluations.length;
    if (evaluated > limits.maxContacts) {
      throw new ValidationError(`more than ${limits.maxContacts} contacts were evaluated in the period: choose a shorter one`, [
        { path: 'to', message: `the period holds more than ${limits.maxContacts} evaluated contacts` },
      ]);
    }
    const replayed = [];
    for (const [i, evaluation] of page.evaluations.entries()) {
      const contact = replayEvaluation(evaluation, plan);
      if (contact) replayed.push(contact);
      if ((i + 1) % limits.replaysPerTurn === 0) await yieldTurn();
    }
    const outcomes = await contactOutcomes(
      db,
      replayed.map((c) => ({ contactId: c.contactId, since: c.evaluatedAt })),
    );
    for (const contact of replayed) contacts.push(withOutcome(contact, outcomes.get(contact.contactId)));
    after = page.next;
    await yieldTurn();
  } while (after !== undefined);
  return summariseBacktest(contacts, plan, evaluated);
}
