import { withoutNul } from '../../core/storable-text.ts';
import { type CompositeSend, okBody, querySubrequest, runComposite } from './composite.ts';
import { SALESFORCE_LIMITS } from './limits.ts';
import { type AccountRow, accountOwnerQueries, accountOwnersIn } from './org-directory.ts';
import type { EmailMatches, QueryPage } from './salesforce-port.ts';
import { chunk, soqlIn } from './soql.ts';

type Row = Record<string, unknown>;

interface RawQueryResult {
  records: Array<Row & { attributes?: unknown }>;
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
}

export interface EmailMatchDeps {
  /** One HTTP request through the adapter's door (token, budget at its priority, retries). */
  send: CompositeSend;
  /** `/services/data/vNN.N` */
  base: string;
  leadExternalId: string;
  queryPage: <T extends Row>(soqlOrNextUrl: string) => Promise<QueryPage<T>>;
}

type MatchQuery = { soql: string } & ({ object: 'Lead' | 'Contact' } | { object: 'Account'; domains: string[] });

/**
 * Finds open Leads and Contacts by e-mail with as few API calls as Salesforce allows: the Lead and the Contact
 * query for each 100 addresses travel together in composite requests (one API call each, at most 5 queries
 * per composite), so a batch of 100 contacts costs one call instead of two, and 200 still one. The Account queries
 * routing needs (`accountDomains`, 40 domains a query) fill the same composites: a usual batch asks all in one call.
 */
export async function findByEmails(
  deps: EmailMatchDeps,
  emails: string[],
  options: { accountDomains?: string[] } = {},
): Promise<EmailMatches> {
  const unique = [...new Set(emails.map((e) => e.trim()).filter((e) => e !== ''))];
  const queries: MatchQuery[] = chunk(unique, SALESFORCE_LIMITS.emailsPerQuery).flatMap((batch) => [
    {
      object: 'Lead' as const,
      soql: `SELECT Id, Email, ${deps.leadExternalId}, IsConverted, ConvertedContactId, Status FROM Lead WHERE Email IN ${soqlIn(batch)} ORDER BY Id`,
    },
    { object: 'Contact' as const, soql: `SELECT Id, Email FROM Contact WHERE Email IN ${soqlIn(batch)} ORDER BY Id` },
  ]);
  const asked = options.accountDomains;
  if (asked) queries.push(...accountOwnerQueries(asked).map((q) => ({ object: 'Account' as const, ...q })));
  const result: EmailMatches = { leads: [], contacts: [], ...(asked ? { accounts: [] } : {}) };
  for (const group of chunk(queries, SALESFORCE_LIMITS.composite.maxQuerySubrequests)) {
    const pages = await runComposite(
      deps.send,
      deps.base,
      'salesforce.composite',
      group.map((query) => querySubrequest(deps.base, query.soql)),
    );
    for (const [index, query] of group.entries()) {
      const rows = await allRows(deps, okBody(pages[index]!) as RawQueryResult);
      if (query.object === 'Lead') result.leads.push(...rows.map((row) => toLeadMatch(row, deps.leadExternalId)));
      else if (query.object === 'Contact')
        result.contacts.push(...rows.map((row) => ({ id: String(row.Id), email: String(row.Email ?? '') })));
      else if (query.object === 'Account') result.accounts?.push(...accountOwnersIn(rows as AccountRow[], query.domains));
    }
  }
  return result;
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
