import { describe, expect, it } from '@jest/globals';
import { purgePersonalData } from '../../src/jobs/privacy/purge-personal-data.ts';
import { silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { keepEventValues, keepReadValues, purgeKeptValues, readKeptValues } from '../../src/store/kept-values.ts';
import { eraseContactData } from '../../src/store/personal-data.ts';
import { useFreshDatabase } from '../support/databases.ts';

const T0 = new Date('2026-12-07T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('contact_kept_values', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('a read starts a contact; a value is replaced only by a newer one, so late and duplicate events change nothing', async () => {
    await keepReadValues(db, [
      { contactId: '1', values: { jobtitle: { value: 'Engineer', at: at(0) }, company: { value: null, at: at(0) } } },
    ]);
    // In one batch: a newer change, a late one (older than the read) and the newer change again (a redelivery).
    await keepEventValues(db, [
      { contactId: '1', property: 'jobtitle', value: 'CTO', at: at(20) },
      { contactId: '1', property: 'company', value: 'Late Ltd', at: at(-5) },
      { contactId: '1', property: 'jobtitle', value: 'CTO', at: at(20) },
    ]);
    // A later batch brings an older change than the one kept.
    await keepEventValues(db, [{ contactId: '1', property: 'jobtitle', value: 'Intern', at: at(10) }]);
    expect(await readKeptValues(db, ['1'])).toEqual(
      new Map([['1', { jobtitle: { value: 'CTO', at: at(20) }, company: { value: null, at: at(0) } }]]),
    );
    // Out of order within one batch: the newest wins whatever the order.
    await keepEventValues(db, [
      { contactId: '1', property: 'jobtitle', value: 'VP', at: at(40) },
      { contactId: '1', property: 'jobtitle', value: 'Head', at: at(30) },
    ]);
    expect((await readKeptValues(db, ['1'])).get('1')?.jobtitle).toEqual({ value: 'VP', at: at(40) });
    // A read older than what events told us keeps the newer values.
    await keepReadValues(db, [{ contactId: '1', values: { jobtitle: { value: 'Head', at: at(35) } } }]);
    expect((await readKeptValues(db, ['1'])).get('1')?.jobtitle).toEqual({ value: 'VP', at: at(40) });
  });

  it('webhooks alone never start kept values for a contact that was never read', async () => {
    const written = await keepEventValues(db, [{ contactId: 'never-read', property: 'jobtitle', value: 'CTO', at: at(0) }]);
    expect(written).toBe(0);
    expect((await readKeptValues(db, ['never-read'])).has('never-read')).toBe(false);
  });

  it('erasing the contact deletes its kept values and no other contact’s', async () => {
    await keepReadValues(db, [
      { contactId: 'erase-me', values: { email: { value: 'ada@analytical.example', at: at(0) } } },
      { contactId: 'keep-me', values: { email: { value: 'grace@compilers.example', at: at(0) } } },
    ]);
    const counts = await db.transaction((tx) =>
      eraseContactData(tx, { contactId: 'erase-me', eventType: 'contact.deletion', eventIds: [], now: new Date() }),
    );
    expect(counts.keptValues).toBe(1);
    const left = await readKeptValues(db, ['erase-me', 'keep-me']);
    expect([...left.keys()]).toEqual(['keep-me']);
  });

  it('purges values older than the max age in bounded batches, through the retention job too', async () => {
    await db.query('DELETE FROM contact_kept_values');
    const now = new Date();
    const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
    await keepReadValues(db, [
      { contactId: 'old', values: { a: { value: 'x', at: ago(700) }, b: { value: 'y', at: ago(650) }, c: { value: 'z', at: ago(601) } } },
      { contactId: 'fresh', values: { a: { value: 'x', at: ago(10) } } },
    ]);
    expect(await purgeKeptValues(db, { knownBefore: ago(600), limit: 2 })).toBe(2);
    const purge = (maxAgeSeconds: number) =>
      purgePersonalData({ db, logger: silentLogger(), now: () => now, retentionDays: 30, keptValuesMaxAgeSeconds: maxAgeSeconds });
    expect((await purge(600)).keptValues).toBe(1);
    expect([...(await readKeptValues(db, ['old', 'fresh'])).keys()]).toEqual(['fresh']);
    // Kept values off (0): none is of use any more.
    expect((await purge(0)).keptValues).toBe(1);
    expect((await readKeptValues(db, ['fresh'])).size).toBe(0);
  });
});
