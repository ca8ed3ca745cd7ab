import { beforeAll, describe, expect, it } from '@jest/globals';
import { purgePersonalData } from '../../src/jobs/privacy/purge-personal-data.ts';
import { computeKpis } from '../../src/kpis/compute-kpis.ts';
import { silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { eraseContactData } from '../../src/store/personal-data.ts';
import { seedAll, WINDOW } from '../kpis/seed.ts';
import { useFreshDatabase } from '../support/databases.ts';

/** What is kept of the audit after the retention, or of an erased contact, is what the KPIs read. */
describe('KPIs once personal data is gone', () => {
  let db: Database;
  useFreshDatabase((fresh) => {
    db = fresh;
  });
  beforeAll(async () => seedAll(db));

  it('are the same after the retention purge and after erasing contacts whose clocks are decided', async () => {
    const kpis = async () =>
      Promise.all([
        computeKpis(db, WINDOW),
        computeKpis(db, { ...WINDOW, groupBy: 'source' }),
        computeKpis(db, { ...WINDOW, groupBy: 'segment' }),
      ]);
    const before = await kpis();
    const purged = await purgePersonalData({ db, logger: silentLogger(), retentionDays: 30, now: () => new Date('2027-06-01T00:00:00Z') });
    expect(purged.historyEntries).toBeGreaterThan(20);
    expect(await kpis()).toEqual(before);
    // c1 (converted to an opportunity), c4 (rejected, bad_fit) and c8 (recycled, no_budget) keep their place in the funnel.
    await db.transaction(async (tx) => {
      for (const contactId of ['c1', 'c4', 'c8'])
        await eraseContactData(tx, { contactId, eventType: 'contact.privacyDeletion', eventIds: [], now: new Date() });
    });
    expect(await kpis()).toEqual(before);
  });
});
