/**
 * `npm run backfill -- [--mode handoff|resync] [--dry-run] [--since …] [--url http://127.0.0.1:3000]`: starts a backfill
 * in a running service through its admin API (ADMIN_TOKEN from the environment) and follows it with a progress bar
 * (count, rate, ETA), or plain lines when stdout is not a terminal. `--follow <id>` re-attaches to a run.
 * Exit codes: 0 done, 1 failed or cancelled (or the service could not be reached), 2 usage, 3 another run is
 * active, 130 interrupted (the run goes on unless --cancel-on-exit).
 */
import type { BackfillRunView } from '../jobs/backfill/backfill-service.ts';
import { createDisplay, formatSummary } from './backfill/display.ts';
import { type BackfillCliOptions, parseBackfillArgs, USAGE } from './backfill/options.ts';

export interface BackfillCliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  /** Resolves when the person asks to stop (Ctrl-C). */
  interrupted: Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

const OVER = new Set(['done', 'failed', 'cancelled']);
const PLAIN_LINE_EVERY_MS = 5_000;
const CANCEL_WAIT_MS = 60_000;

class ApiProblem extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

export async function runBackfillCli(io: BackfillCliIo): Promise<number> {
  const parsed = parseBackfillArgs(io.argv, io.env);
  if (!parsed.ok) {
    io.out.write(`backfill: ${parsed.problem}\n${USAGE}`);
    return 2;
  }
  const token = io.env.ADMIN_TOKEN;
  if (!token) {
    io.out.write("backfill: set ADMIN_TOKEN (the service's admin token)\n");
    return 2;
  }
  const options = parsed.options;
  const api = apiClient(options.baseUrl, token);
  try {
    const run = options.action.kind === 'start' ? await api.start(options.action.body) : await api.get(options.action.id);
    io.out.write(
      `backfill run ${run.id} ${options.action.kind === 'start' ? 'started' : 'followed'}: ${run.mode}${run.dryRun ? ', dry run' : ''}\n`,
    );
    return await follow(run, api, options, io);
  } catch (error) {
    if (error instanceof ApiProblem && error.code === 'backfill_running') {
      io.out.write(
        `backfill: ${error.message}\n  follow it with: npm run backfill -- --follow ${/run (\d+)/.exec(error.message)?.[1] ?? '<id>'}\n`,
      );
      return 3;
    }
    io.out.write(`backfill: ${(error as Error).message}\n`);
    return 1;
  }
}

async function follow(
  start: BackfillRunView,
  api: ReturnType<typeof apiClient>,
  options: BackfillCliOptions,
  io: BackfillCliIo,
): Promise<number> {
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const display = createDisplay(io.out, { lineEveryMs: PLAIN_LINE_EVERY_MS });
  let interrupted = false;
  void io.interrupted.then(() => {
    interrupted = true;
  });
  let run = start;
  while (!OVER.has(run.status) && !interrupted) {
    display.update(run);
    await Promise.race([sleep(options.pollMs), io.interrupted]);
    if (!interrupted) run = await api.get(run.id);
  }
  display.update(run);
  display.stop();
  if (interrupted) return leave(run, api, options, io, sleep);
  io.out.write(formatSummary(run));
  return run.status === 'done' ? 0 : 1;
}

/** Ctrl-C: the run belongs to the service and goes on, unless asked to cancel it on the way out. */
async function leave(
  run: BackfillRunView,
  api: ReturnType<typeof apiClient>,
  options: BackfillCliOptions,
  io: BackfillCliIo,
  sleep: (ms: number) => Promise<void>,
): Promise<number> {
  if (OVER.has(run.status)) {
    io.out.write(formatSummary(run));
    return run.status === 'done' ? 0 : 1;
  }
  if (!options.cancelOnExit) {
    io.out.write(`\nbackfill run ${run.id} keeps running in the service; follow it again with: npm run backfill -- --follow ${run.id}\n`);
    return 130;
  }
  io.out.write(`\ncancelling backfill run ${run.id} (the pages in flight are finished first)…\n`);
  let current = await api.cancel(run.id);
  const deadline = Date.now() + CANCEL_WAIT_MS;
  while (!OVER.has(current.status) && Date.now() < deadline) {
    await sleep(options.pollMs);
    current = await api.get(run.id);
  }
  io.out.write(formatSummary(current));
  return 130;
}

function apiClient(baseUrl: string, token: string) {
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<BackfillRunView> => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          'x-admin-name': 'cli',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new Error(`cannot reach ${baseUrl}: ${(error as Error).message}`);
    }
    const json = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: unknown } };
    if (!response.ok) {
      const details = Array.isArray(json.error?.details)
        ? (json.error.details as { path: string; message: string }[]).map((d) => `\n  ${d.path}: ${d.message}`).join('')
        : '';
      throw new ApiProblem(`${response.status} ${json.error?.message ?? response.statusText}${details}`, json.error?.code);
    }
    return json as unknown as BackfillRunView;
  };
  return {
    start: (body: unknown) => call('POST', '/api/backfill', body),
    get: (id: string) => call('GET', `/api/backfill/${id}`),
    cancel: (id: string) => call('POST', `/api/backfill/${id}/cancel`, {}),
  };
}

if (import.meta.main) {
  const interrupted = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  process.exitCode = await runBackfillCli({ argv: process.argv.slice(2), env: process.env, out: process.stdout, interrupted });
  process.exit();
}
