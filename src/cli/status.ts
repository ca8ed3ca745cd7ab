/**
 * `node src/cli/status.ts <email|contactId|leadId> [--url http://host:port]`: a record's sync status and every
 * step with its reason, read from a running service's admin API (ADMIN_TOKEN from the environment), so it works
 * the same against the embedded database and a PostgreSQL deployment of several replicas.
 */
export interface StatusOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  out: { write(text: string): unknown };
}

interface HistoryRow {
  at: string;
  action: string;
  stage: string | null;
  reason: string | null;
  score: number | null;
  definitionVersion: string | null;
  salesforceId: string | null;
}

interface RecordBody {
  hubspotContactId: string;
  link: { salesforceObject: string; salesforceId: string } | null;
  history: HistoryRow[];
}

export async function runStatus({ argv, env, out }: StatusOptions): Promise<number> {
  const urlFlag = argv.indexOf('--url');
  const baseUrl = urlFlag >= 0 ? argv[urlFlag + 1] : `http://127.0.0.1:${env.PORT ?? '3000'}`;
  const key = argv.find((arg, index) => !arg.startsWith('--') && (urlFlag < 0 || index !== urlFlag + 1));
  if (!key || !baseUrl) {
    out.write('usage: status <email|contactId|leadId> [--url http://127.0.0.1:3000]\n');
    return 2;
  }
  if (!env.ADMIN_TOKEN) {
    out.write('status: set ADMIN_TOKEN (the service\'s admin token)\n');
    return 2;
  }
  let response: Response;
  try {
    response = await fetch(`${baseUrl.replace(/\/+$/, '')}/api/records/${encodeURIComponent(key)}`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });
  } catch (error) {
    out.write(`status: cannot reach ${baseUrl}: ${(error as Error).message}\n`);
    return 1;
  }
  if (response.status === 404) {
    out.write(`nothing known about ${key}\n`);
    return 1;
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    out.write(`status: ${response.status} ${body.error?.message ?? response.statusText}\n`);
    return 1;
  }
  out.write(formatRecord((await response.json()) as RecordBody));
  return 0;
}

export function formatRecord(record: RecordBody): string {
  const link = record.link ? `Salesforce ${record.link.salesforceObject} ${record.link.salesforceId}` : 'not in Salesforce';
  const lines = [`HubSpot contact ${record.hubspotContactId} ⇄ ${link}`];
  for (const step of record.history) {
    const facts = [step.stage ? `[${step.stage}]` : '', step.score !== null ? `score ${step.score}` : '', step.definitionVersion ? `definition ${step.definitionVersion}` : '']
      .filter(Boolean)
      .join(' ');
    lines.push(`${new Date(step.at).toISOString()}  ${step.action.padEnd(15)} ${facts}${step.reason ? ` — ${step.reason}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  process.exitCode = await runStatus({ argv: process.argv.slice(2), env: process.env, out: process.stdout });
}
