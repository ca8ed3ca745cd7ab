import { describe, expect, it } from '@jest/globals';
import type { HubSpotPort } from '../../src/adapters/hubspot/hubspot-port.ts';
import type { SalesforcePort } from '../../src/adapters/salesforce/salesforce-port.ts';
import { budgetRefusal } from '../../src/budgets/budget-errors.ts';
import { loadMappings } from '../../src/config/mappings.ts';
import { leadFieldsToRead } from '../../src/core/sales/lead-fields.ts';
import { ProviderError } from '../../src/errors.ts';
import { LEAD_WATERMARK_KEY } from '../../src/jobs/salesforce-poll/poll-leads.ts';
import { pollOrSkip } from '../../src/jobs/salesforce-poll-worker.ts';
import { silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { readSyncState, writeSyncState } from '../../src/store/sync-state.ts';
import { useFreshDatabase } from '../support/databases.ts';

describe('a Salesforce poll round refused by a budget', () => {
  let db: Database;
  useFreshDatabase((given) => (db = given));

  async function poll(failure: Error) {
    const skipped: string[] = [];
    const salesforce = {
      queryPage: async () => {
        throw failure;
      },
    } as unknown as SalesforcePort;
    const bundle = await loadMappings('mappings');
    const run = () =>
      pollOrSkip({
        db,
        salesforce,
        hubspot: {} as HubSpotPort,
        lists: { resolve: async () => new Map() },
        mappings: () => bundle,
        // An org with every field the configuration reads: this test is about the query being refused.
        leadReads: {
          plan: async (b) => ({ fields: leadFieldsToRead(b), missing: [] }),
          available: async (fields) => fields,
          invalidate: () => {},
        },
        logger: silentLogger(),
        now: () => new Date(),
        metrics: { rejection: () => {}, pollSkipped: (reason) => void skipped.push(reason) },
      });
    return { run, skipped };
  }

  it('is skipped and counted, and the watermark stays where it was', async () => {
    const mark = { systemModstamp: '2026-11-23T09:00:00.000+0000', id: '00Q000000000001AAA' };
    await writeSyncState(db, LEAD_WATERMARK_KEY, mark);
    const { run, skipped } = await poll(budgetRefusal('salesforce', 'BUDGET_RESERVED', { reason: 'sync share spent', waitMs: 60_000 }));
    expect(await run()).toEqual({ skipped: 'salesforce_budget' });
    expect(skipped).toEqual(['salesforce_budget']);
    expect(await readSyncState(db, LEAD_WATERMARK_KEY)).toEqual(mark);
  });

  it('still fails on anything else (the job retries it)', async () => {
    const { run, skipped } = await poll(
      new ProviderError('salesforce', 'SERVER_UNAVAILABLE', { retryable: true, code: 'SERVER_UNAVAILABLE' }),
    );
    await expect(run()).rejects.toMatchObject({ code: 'SERVER_UNAVAILABLE' });
    expect(skipped).toEqual([]);
  });
});
