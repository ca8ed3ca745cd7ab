import { describe, expect, it } from '@jest/globals';
import { runBacktest } from '../../src/config/versions/backtest.ts';
import { mqlEvaluationRecord } from '../../src/core/calibration/evaluation-record.ts';
import { qualifyMql } from '../../src/core/definitions/qualify-mql.ts';
import { ValidationError } from '../../src/errors.ts';
import type { Database } from '../../src/store/database.ts';
import { recordMqlEvaluations } from '../../src/store/mql-evaluations.ts';
import { eraseContactData } from '../../src/store/personal-data.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { baseDefinition, mql } from '../unit/core/helpers.ts';

const definition = mql(baseDefinition);
const period = { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };
const COUNT = 60;

describe('running a backtest over the store', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('reads every page, skips erased values, and gives the event loop back between replays', async () => {
    await recordMqlEvaluations(
      db,
      Array.from({ length: COUNT }, (_, i) => {
        const contact = { id: `c${String(i).padStart(3, '0')}`, properties: { email: `p${i}@x.example`, email_clicks: String(i % 8) } };
        return mqlEvaluationRecord(contact, qualifyMql(contact, definition), definition, new Date('2026-02-10T00:00:00Z'));
      }),
    );
    await db.transaction((tx) => eraseContactData(tx, { contactId: 'c007', eventType: 'contact.deletion', eventIds: [], now: new Date() }));

    // The event loop is given back every 4 replays and after every page.
    let turns = 0;
    const report = await runBacktest(db, { active: definition, draft: definition }, period, {
      pageSize: 7,
      replaysPerTurn: 4,
      maxContacts: 1_000,
      nextTurn: async () => {
        turns += 1;
      },
    });

    expect(report.contacts).toEqual({ evaluated: COUNT, replayed: COUNT - 1, notReplayable: 1 });
    // The same definition on both sides: nothing changes.
    expect(report.mql.active).toBe(report.mql.draft);
    expect(report.newlyQualifying.count + report.noLongerQualifying.count).toBe(0);
    // 9 pages (8 of 7, 1 of 4): one turn after each, and one per 4 replays within each (c007, erased, is not replayed).
    expect(turns).toBe(9 + 9);
  });

  it('refuses a period holding more contacts than it replays at once, naming `to`', async () => {
    const refused = runBacktest(db, { active: definition, draft: definition }, period, {
      pageSize: 25,
      replaysPerTurn: 100,
      maxContacts: 40,
    });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      problems: [{ path: 'to', message: 'the period holds more than 40 evaluated contacts' }],
    });
  });
});
