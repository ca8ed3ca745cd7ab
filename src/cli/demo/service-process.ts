import { type ChildProcess, spawn } from 'node:child_process';
import { DemoStepFailed, waitFor } from './wait.ts';

export interface DemoServiceOptions {
  /** The repository root: the service runs as `node src/main.ts` from there, as `npm start` does. */
  root: string;
  dataDir: string;
  mappingsDir: string;
  adminToken: string;
  alertWebhookUrl: string;
  pollSeconds: number;
  slaTickSeconds: number;
}

export interface ServiceUrls {
  url: string;
  hubspotUrl: string;
  salesforceUrl: string;
  /** The sandbox Slack workspace's messages and the mail catcher's messages (GET, JSON). */
  slackMessagesUrl: string;
  mailCaughtUrl: string;
}

export interface DemoService {
  pid: number;
  /** Resolves once the service logged its URLs and GET /readyz answers 200; fails if it exits or takes too long. */
  ready(timeoutMs: number): Promise<ServiceUrls>;
  /** The service's last log lines (JSON; the service redacts secrets and e-mail addresses itself). */
  logTail(count: number): string[];
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves to how it ended. */
  stop(graceMs: number): Promise<ServiceExit>;
  /** SIGKILL now (a second Ctrl-C). */
  kill(): void;
}

/** How the child ended: an exit code, or the signal that ended it (SIGTERM before its handler was installed). */
export type ServiceExit = { code: number | null; signal: NodeJS.Signals | null };

const LOG_LINES_KEPT = 200;

/**
 * Starts the real service in a child process on this (pinned) Node: its own temporary data directory and
 * mappings, PORT=0 so the service and both simulators take free ports, loopback only. The environment is
 * built from scratch, never inherited: credentials or a DATABASE_URL in the user's shell must not turn the
 * demo into a live run or point it at real data.
 */
export function launchDemoService(options: DemoServiceOptions): DemoService {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: options.root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? options.dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      MAPPINGS_DIR: options.mappingsDir,
      ADMIN_TOKEN: options.adminToken,
      SALESFORCE_POLL_INTERVAL_SECONDS: String(options.pollSeconds),
      SLA_TICK_SECONDS: String(options.slaTickSeconds),
      SLA_ALERT_WEBHOOK_URL: options.alertWebhookUrl,
      LOG_LEVEL: 'info',
      // The demo narrates and counts its own run's funnel: no seeded quarter of history under it.
      SANDBOX_HISTORY: 'off',
    },
    // The IPC channel is only a lifeline: if this process dies, even by SIGKILL, the service sees it close and stops.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  child.stdout?.on('data', lineCollector(lines));
  child.stderr?.on('data', lineCollector(lines));
  let spawnError: Error | undefined;
  const exited = new Promise<ServiceExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // Node could not be started at all: there will be no 'exit'.
    child.once('error', (error) => {
      spawnError ??= error;
      if (child.pid === undefined) resolve({ code: null, signal: null });
    });
  });
  const stop = (graceMs: number) => stopChild(child, exited, graceMs);
  return {
    pid: child.pid ?? 0,
    logTail: (count) => lines.slice(-count),
    stop,
    kill: () => child.kill('SIGKILL'),
    async ready(timeoutMs) {
      const urls = await waitFor(
        'the service to log that it is ready',
        async () => {
          if (spawnError) throw new DemoStepFailed(`the service could not be started: ${spawnError.message}`);
          if (child.exitCode !== null || child.signalCode !== null) {
            throw new DemoStepFailed(`the service ended while starting (${child.signalCode ?? `exit code ${child.exitCode}`})`);
          }
          return urlsFrom(lines);
        },
        timeoutMs,
      );
      await waitFor(
        'GET /readyz to answer 200',
        async () => ((await fetch(`${urls.url}/readyz`)).status === 200 ? true : undefined),
        timeoutMs,
      );
      return urls;
    },
  };
}

/** Whole lines only (a chunk may end mid-line), the last LOG_LINES_KEPT of them. */
function lineCollector(lines: string[]): (chunk: Buffer) => void {
  let partial = '';
  return (chunk) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line.trim() !== ''));
    if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT);
  };
}

function parsedLogLine(line: string): Record<string, unknown> | undefined {
  try {
    const entry: unknown = JSON.parse(line);
    return typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The service's log says where it listens ("handoff service ready") and where the simulators and receivers are. */
function urlsFrom(lines: string[]): ServiceUrls | undefined {
  let url: string | undefined;
  let hubspotUrl: string | undefined;
  let salesforceUrl: string | undefined;
  let slackMessagesUrl: string | undefined;
  let mailCaughtUrl: string | undefined;
  for (const line of lines) {
    const entry = parsedLogLine(line);
    if (!entry) continue;
    if (entry.message === 'sandbox simulators started') {
      hubspotUrl = String(entry.hubspotSimulator);
      salesforceUrl = String(entry.salesforceSimulator);
      slackMessagesUrl = String(entry.slackMessages);
      mailCaughtUrl = String(entry.mailCaught);
    }
    if (entry.message === 'handoff service ready') url = String(entry.url);
  }
  return url && hubspotUrl && salesforceUrl && slackMessagesUrl && mailCaughtUrl
    ? { url, hubspotUrl, salesforceUrl, slackMessagesUrl, mailCaughtUrl }
    : undefined;
}

async function stopChild(child: ChildProcess, exited: Promise<ServiceExit>, graceMs: number): Promise<ServiceExit> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}
