import { type CompositeSend, okBody, querySubrequest, runComposite } from './composite.ts';
import { SALESFORCE_LIMITS } from './limits.ts';
import type { SaveResult } from './salesforce-port.ts';
import { type RawSaveResult, toSaveResult } from './save-results.ts';
import { chunk, soqlIn } from './soql.ts';

interface RawQueryResult {
  records: Array<{ Id: string; OwnerId: string } & Record<string, unknown>>;
}

/**
 * Creates Leads and reads who owns them in the same API call: per ≤200 records one composite request whose first
 * subrequest is the sObject Collections create and whose second queries those Leads' owners by our external id
 * (subrequests run in order, so the query sees what the create committed, including the owner an assignment rule
 * chose). Saves the separate owner read-back after each create: one API call and one round trip per batch. A create
 * refused with DUPLICATE_VALUE on the external id (the Lead exists) gets that Lead's owner too.
 *
 * The Assignment Rule header goes on the create subrequest (a subrequest may carry any header its resource supports:
 * REST API Developer Guide, "Composite Subrequest", httpHeaders) and on the composite request itself, so the rule
 * runs as chosen whichever of the two Salesforce applies.
 */
export async function createLeadsReadingOwners(
  deps: { send: CompositeSend; base: string; leadExternalId: string },
  records: Record<string, unknown>[],
  assignmentHeader: Record<string, string>,
): Promise<SaveResult[]> {
  const results: SaveResult[] = [];
  for (const batch of chunk(records, SALESFORCE_LIMITS.collectionBatchSize)) {
    const externalIds = batch.map((record) => externalIdOf(record, deps.leadExternalId)).filter((id): id is string => id !== undefined);
    const [created, owners] = await runComposite(
      deps.send,
      deps.base,
      'salesforce.createLeads',
      [
        {
          method: 'POST',
          url: `${deps.base}/composite/sobjects`,
          httpHeaders: assignmentHeader,
          body: { allOrNone: false, records: batch.map((r) => ({ attributes: { type: 'Lead' }, ...r })) },
        },
        querySubrequest(
          deps.base,
          `SELECT Id, OwnerId, ${deps.leadExternalId} FROM Lead WHERE ${deps.leadExternalId} IN ${soqlIn(externalIds.length > 0 ? externalIds : [''])}`,
        ),
      ],
      assignmentHeader,
    );
    // The create's answer decides; a refused owner query only leaves the owners unknown (the caller says so).
    const saves = okBody(created!) as RawSaveResult[];
    const ownerRows = owners && owners.status < 300 ? ((owners.body as RawQueryResult).records ?? []) : [];
    const ownerByExternalId = new Map(ownerRows.map((row) => [String(row[deps.leadExternalId]), row.OwnerId]));
    batch.forEach((record, index) => {
      const owner = ownerByExternalId.get(externalIdOf(record, deps.leadExternalId) ?? '');
      results.push({ ...toSaveResult(saves[index]), ...(owner ? { ownerId: owner } : {}) });
    });
  }
  return results;
}

function externalIdOf(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  return value === undefined || value === null || value === '' ? undefined : String(value);
}
