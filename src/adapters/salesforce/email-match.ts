import { withoutNul } from '../../core/storable-text.ts';
import type { HttpCall } from './client.ts';
import { toProviderError } from './errors.ts';
import { SALESFORCE_LIMITS } from './limits.ts';
import type { EmailMatches, QueryPage } from './salesforce-port.ts';
import { chunk, soqlIn } from './soql.ts';

type Row = Record<string, unknown>;

interface RawQueryResult {
  records: Array<Row & { attributes?: unknown }>;
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
}

interface CompositeAnswer {
  compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }>;
}

export interface EmailMatchDeps {
  /** One HTTP request through the adapter's door (token, budget at its priority, retries). */
  send: <T>(operation: string, call: HttpCall) => Promise<T>;
  /** `/services/data/vNN.N` */
  base: string;
  leadExternalId: string;
  queryPage: <T extends Row>(soqlOrNextUrl: string) => Promise<QueryPage<T>>;
}

/**
 * Finds open Leads and Contacts by e-mail with as few API calls as Salesforce allows: the Lead and the Contact
 * query for each 100 addresses travel together in composite requests (one API call each, at most 5 queries
 * per composite), so a batch of 100 contacts costs one call instead of two, and 200 still one.
 */
export async function findByEmails(deps: EmailMatchDeps, emails: string[]): Promise<EmailMatches> {
  const unique = [...new Set(emails.map((e) => e.trim()).filter((e) => e !== ''))];
  const queries = chunk(unique, SALESFORCE_LIMITS.emailsPerQuery).flatMap((batch) => [
    {
      object: 'Lead' as const,
      soql: `SELECT Id, Email, ${deps.leadExternalId}, IsConverted, ConvertedContactId, Status FROM Lead WHERE Email IN ${soqlIn(batch)} ORDER BY Id`,
    },
    { object: 'Contact' as const, soql: `SELECT Id, Email FROM Contact WHERE Email IN ${soqlIn(batch)} ORDER BY Id` },
  ]);
  const result: EmailMatches = { leads: [], contacts: [] };
  // Each composite carries an even number of queries, so a Lead query and its Contact query stay together.
  const perComposite = SALESFORCE_LIMITS.composite.maxQuerySubrequests - (SALESFORCE_LIMITS.composite.maxQuerySubrequests % 2);
  for (const group of chunk(queries, perComposite)) {
    const pages = await runComposite(
      deps,
      group.map((query) => query.soql),
    );
    for (const [index, query] of group.entries()) {
      const rows = await allRows(deps, pages[index]!);
      if (query.object === 'Lead') result.leads.push(...rows.map((row) => toLeadMatch(row, deps.leadExternalId)));
      else result.contacts.push(...rows.map((row) => ({ id: String(row.Id), email: String(row.Email ?? '') })));
    }
  }
  return result;
}

async function runComposite(deps: EmailMatchDeps, soqls: string[]): Promise<RawQueryResult[]> {
  const answer = await deps.send<CompositeAnswer>('salesforce.composite', {
    method: 'POST',
    url: `${deps.base}/composite`,
    body: {
      allOrNone: false,
      compositeRequest: soqls.map((soql, index) => ({
        method: 'GET',
        url: `${deps.base}/query?q=${encodeURIComponent(soql)}`,
        referenceId: `q${index}`,
      })),
    },
  });
  return soqls.map((_soql, index) => {
    const sub = answer.compositeResponse.find((response) => response.referenceId === `q${index}`);
    if (!sub) throw toProviderError({ errorCode: 'NO_RESULT', message: `composite answer has no result for subrequest q${index}` });
    if (sub.httpStatusCode >= 300) {
      const first = (Array.isArray(sub.body) ? sub.body[0] : sub.body) as { errorCode?: unknown; message?: unknown } | undefined;
      throw toProviderError({
        errorCode: String(first?.errorCode ?? `ERROR_HTTP_${sub.httpStatusCode}`),
        message: String(first?.message ?? ''),
      });
    }
    return sub.body as RawQueryResult;
  });
}

/** A query answer longer than one batch pages on with nextRecordsUrl, outside the composite. */
async function allRows(deps: EmailMatchDeps, first: RawQueryResult): Promise<Row[]> {
  const rows: Row[] = first.records.map(({ attributes: _attributes, ...row }) => withoutNul(row) as Row);
  let next = first.done ? undefined : first.nextRecordsUrl;
  while (next) {
    const page = await deps.queryPage<Row>(next);
    rows.push(...page.records);
    next = page.done ? undefined : page.nextRecordsUrl;
  }
  return rows;
}

function toLeadMatch(row: Row, externalIdField: string) {
  const externalId = row[externalIdField];
  return {
    id: String(row.Id),
    email: String(row.Email ?? ''),
    externalId: externalId === null || externalId === undefined ? null : String(externalId),
    isConverted: row.IsConverted === true,
    convertedContactId: typeof row.ConvertedContactId === 'string' && row.ConvertedContactId !== '' ? row.ConvertedContactId : null,
    status: String(row.Status ?? ''),
  };
}
