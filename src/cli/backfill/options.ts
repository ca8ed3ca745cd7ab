import { parseArgs } from 'node:util';

export interface BackfillCliOptions {
  baseUrl: string;
  /** Start a run with this body, or follow the run with this id. */
  action:
    | { kind: 'start'; body: { mode: 'handoff' | 'resync'; dryRun: boolean; filter: Record<string, unknown> } }
    | { kind: 'follow'; id: string };
  cancelOnExit: boolean;
  pollMs: number;
}

export const USAGE = `usage: backfill [--mode handoff|resync] [--dry-run] [--since DATE] [--until DATE] [--modified-since DATE]
                [--lifecycle stage,stage] [--cancel-on-exit] [--url http://127.0.0.1:3000]
       backfill --follow <run id> [--cancel-on-exit] [--url …]
  DATE is a day (2026-01-31) or an instant with an offset; --since/--until bound the contact's create date.
  Ctrl-C leaves the run going in the service (follow it again with --follow) unless --cancel-on-exit.
  ADMIN_TOKEN (the service's admin token) comes from the environment.
`;

/** The words as parseArgs reads them; throws on an unknown or malformed option. */
function parseCliArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      mode: { type: 'string', default: 'handoff' },
      'dry-run': { type: 'boolean', default: false },
      since: { type: 'string' },
      until: { type: 'string' },
      'modified-since': { type: 'string' },
      lifecycle: { type: 'string' },
      follow: { type: 'string' },
      'cancel-on-exit': { type: 'boolean', default: false },
      url: { type: 'string' },
      'poll-ms': { type: 'string', default: '1000' },
    },
  });
}

/** Command-line words to options, or the problem to print with the usage. Values are checked by the service. */
export function parseBackfillArgs(
  argv: string[],
  env: NodeJS.ProcessEnv,
): { ok: true; options: BackfillCliOptions } | { ok: false; problem: string } {
  let values: ReturnType<typeof parseCliArgs>['values'];
  try {
    values = parseCliArgs(argv).values;
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  if (values.mode !== 'handoff' && values.mode !== 'resync')
    return { ok: false, problem: `--mode must be handoff or resync, not "${values.mode}"` };
  if (values.follow !== undefined && !/^\d{1,18}$/.test(values.follow)) return { ok: false, problem: '--follow takes a run id (digits)' };
  const pollMs = Number(values['poll-ms']);
  if (!Number.isInteger(pollMs) || pollMs < 50 || pollMs > 60_000)
    return { ok: false, problem: '--poll-ms must be a whole number from 50 to 60000' };
  const filter: Record<string, unknown> = {};
  if (values.since) filter.createdAfter = values.since;
  if (values.until) filter.createdBefore = values.until;
  if (values['modified-since']) filter.modifiedAfter = values['modified-since'];
  if (values.lifecycle)
    filter.lifecycleStages = values.lifecycle
      .split(',')
      .map((stage) => stage.trim())
      .filter(Boolean);
  return {
    ok: true,
    options: {
      baseUrl: (values.url ?? `http://127.0.0.1:${env.PORT ?? '3000'}`).replace(/\/+$/, ''),
      action: values.follow
        ? { kind: 'follow', id: values.follow }
        : { kind: 'start', body: { mode: values.mode, dryRun: values['dry-run'], filter } },
      cancelOnExit: values['cancel-on-exit'],
      pollMs,
    },
  };
}
