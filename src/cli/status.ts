/**
 * `node src/cli/status.ts <email|contactId|leadId> [--url http://host:port]`: a record's sync status and every
 * step with its reason, read from a running service's admin API (ADMIN_TOKEN from the environment), so it works
 * the same against the embedded database and a PostgreSQL deployment of several replicas.
 */
import { recordView } from '../http/admin/schemas.ts';
import { adminGet, adminTokenFrom, localServiceUrl } from './admin-api-client.ts';

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
  const baseUrl = urlFlag >= 0 ? argv[urlFlag + 1] : localServiceUrl(env);
  const key = argv.find((arg, index) => !arg.startsWith('--') && (urlFlag < 0 || index !== urlFlag + 1));
  if (!key || !baseUrl) {
    out.write('usage: status <email|contactId|leadId> [--url http://127.0.0.1:3000]\n');
    return 2;
  }
  const token = adminTokenFrom('status', env, out);
  if (!token) return 2;
  const answer = await adminGet({ baseUrl, token }, `/api/records/${encodeURIComponent(key)}`, recordView);
  if (!answer.ok) {
    out.write(answer.status === 404 ? `nothing known about ${key}\n` : `status: ${answer.message}\n`);
    return 1;
  }
  out.write(formatRecord(answer.body));
  return 0;
}

export function formatRecord(record: RecordBody): string {
  const link = record.link ? `Salesforce ${record.link.salesforceObject} ${record.link.salesforceId}` : 'not in Salesforce';
  const lines = [`HubSpot contact ${record.hubspotContactId} ⇄ ${link}`];
  for (const step of record.history) {
    const facts = [
      step.stage ? `[${step.stage}]` : '',
      step.score !== null ? `score ${step.score}` : '',
      step.definitionVersion ? `definition ${step.definitionVersion}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(`${new Date(step.at).toISOString()}  ${step.action.padEnd(15)} ${facts}${step.reason ? ` — ${step.reason}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  process.exitCode = await runStatus({ argv: process.argv.slice(2), env: process.env, out: process.stdout });
}
