/**
 * `node src/cli/review.ts --from 2026-11-01 --to 2026-12-01 [--out DIR] [--limit 10] [--url …]`: the pack for the
 * monthly MQL review, read from a running service's admin API (ADMIN_TOKEN from the environment): the funnel, SLA
 * adherence and rejection reasons (GET /api/kpis), the active version backtested against itself over the period
 * (rule lift, score bands, precision and recall by threshold), and the examples both teams argue about
 * (GET /api/calibration/examples). Writes one self-contained HTML file and one CSV per table into DIR.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { adminTokenFrom, localServiceUrl } from './admin-api-client.ts';
import { flag } from './cli-flags.ts';
import { reviewCsvFiles } from './review/review-csv.ts';
import { reviewHtml } from './review/review-html.ts';
import { readReviewPack } from './review/review-pack.ts';

export interface ReviewOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  out: { write(text: string): unknown };
  /** The folder --out is read against (the current folder by default). */
  cwd?: string;
  now?: () => Date;
}

const USAGE = 'usage: review --from YYYY-MM-DD --to YYYY-MM-DD [--out DIR] [--limit N] [--url http://127.0.0.1:3000]\n';

export async function runReviewCommand({ argv, env, out, cwd = process.cwd(), now = () => new Date() }: ReviewOptions): Promise<number> {
  const from = flag(argv, 'from');
  const to = flag(argv, 'to');
  const limit = flag(argv, 'limit');
  const baseUrl = flag(argv, 'url') ?? localServiceUrl(env);
  if (!from || !to) {
    out.write(USAGE);
    return 2;
  }
  const token = adminTokenFrom('review', env, out);
  if (!token) return 2;
  const answer = await readReviewPack({ baseUrl, token }, { from, to, ...(limit ? { limit } : {}) });
  if (!answer.ok) {
    out.write(`review: ${answer.message}\n`);
    return 1;
  }
  const { pack } = answer;
  const dir = resolve(cwd, flag(argv, 'out') ?? '.');
  const stem = `review-${pack.from.slice(0, 10)}-${pack.to.slice(0, 10)}`;
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text, 'utf8');
    written.push(path);
  };
  await write(`${stem}.html`, reviewHtml(pack, now()));
  for (const [table, text] of Object.entries(reviewCsvFiles(pack))) await write(`${stem}-${table}.csv`, text);
  out.write(`${written.join('\n')}\n`);
  return 0;
}

if (import.meta.main) {
  process.exitCode = await runReviewCommand({ argv: process.argv.slice(2), env: process.env, out: process.stdout });
}
