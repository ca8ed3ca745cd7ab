import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { DemoSession } from '../../src/cli/demo/demo-session.ts';
import { Narrator } from '../../src/cli/demo/narrator.ts';
import { pinnedNode } from '../support/databases.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Bounds for a loaded 2-core CI machine; the demo itself takes about 25 s here. */
const RUN_TIMEOUT_MS = 150_000;

interface DemoRun {
  code: number | null;
  output: string;
}

/**
 * Runs `node src/cli/demo.ts` as `npm run demo` does, with stdout a pipe (not a terminal) and a bare
 * environment. `onOutput` may act on the narration as it arrives (send a signal, say).
 */
function runDemo(onOutput?: (output: string, pid: number) => void): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(pinnedNode, ['src/cli/demo.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      onOutput?.(output, child.pid ?? 0);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo still running after ${RUN_TIMEOUT_MS} ms:\n${output}`));
    }, RUN_TIMEOUT_MS);
    // 'close', not 'exit': the demo's last lines can still be in the pipe when it exits.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * What the run came to, in the narrator's own words: its closing title or its failure line. Both start a line,
 * unindented; the service's log lines the demo shows on a failure are indented details below the failure line.
 */
function verdict(output: string): string | undefined {
  return /^(All \d+ steps happened, in [\d.]+ s\.|DEMO FAILED at .*)$/m.exec(output)?.[1];
}

function servicePid(output: string): number {
  return Number(/node src\/main\.ts, process (\d+)/.exec(output)?.[1]);
}

function tempDir(output: string): string {
  return /temporary directory \((\/[^)]+)\)/.exec(output)?.[1] ?? '';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The user's ./data: the demo must neither create nor change it. */
function dataDirState(): string {
  const dir = `${ROOT}data`;
  return existsSync(dir) ? `exists, modified ${statSync(dir).mtimeMs}` : 'absent';
}

describe('npm run demo', () => {
  it(
    'tells the whole story, checks every step happened, exits 0 and leaves nothing behind',
    async () => {
      const dataBefore = dataDirState();
      const { code, output } = await runDemo();
      // On a failure this shows the step that did not happen and why, not the service log lines printed after it.
      expect({ code, verdict: verdict(output) }).toEqual({
        code: 0,
        verdict: expect.stringMatching(/^All 12 steps happened, in [\d.]+ s\.$/),
      });
      // Not a terminal: no colour or cursor codes at all.
      expect(output).not.toMatch(/\x1b/);
      const lines = [
        /ready after [\d.]+ s: service http:\/\/127\.0\.0\.1:\d+, simulated HubSpot http:\/\/127\.0\.0\.1:\d+, simulated Salesforce http:\/\/127\.0\.0\.1:\d+/,
        // Contacts arrive; four Leads appear, each timed.
        /✓ contact \d+: Nora Quill .*requested a demo/,
        ...['Nora', 'Tomas', 'Lena', 'Ravi'].map((name) => new RegExp(`✓ ${name}: Lead 00Q\\w{15} created [\\d.]+ s after the contact`)),
        /✓ HubSpot has each Lead id back/,
        // Routing: the Acme contact goes to the Account's owner, the others to the org's round robin; each owner is told.
        /✓ Tomas's Lead → Riley Rep\. Why: Existing account owner: owner of Account Acme \(acme\.example\)/,
        ...['Nora', 'Lena', 'Ravi'].map(
          (name) =>
            new RegExp(
              `✓ ${name}'s Lead → (Riley Rep|Sam Seller|Taylor Trade|Jordan Deal)\\. Why: Fallback: the org's active assignment rule`,
            ),
        ),
        /│ New MQL: Tomas Brandt, Acme Corporation — Enterprise, score 78/,
        /│ Routed by: Existing account owner: owner of Account Acme \(acme\.example\)/,
        // Why: breakdowns with the definition version, from the Lead and matched by the audit trail.
        /✓ Nora: score 15, segment SMB, definition version \d{4}\.\d+@[0-9a-f]{7}/,
        /Demo requested \(demo_requested = true\)/,
        /✓ Tomas: score 78, segment Enterprise, definition version/,
        /\+20 {2}Company of 1,000\+ employees/,
        /✓ Lena: score 53, segment SMB/,
        /✗ Sam: not handed off, no Lead\. Reason: Score 2 below the SMB threshold 50/,
        // The rep accepts, rejects with a reason, rejects without one.
        /✓ HubSpot, [\d.]+ s after the save: lead status "IN_PROGRESS", lifecycle stage "marketingqualifiedlead"/,
        /✓ SLA: first touch within the SLA/,
        /✓ HubSpot, [\d.]+ s after the save: handoff_rejection_reason "no_budget"/,
        /✓ joined the nurture list "Nurture – No budget", left "Sales ready – MQLs"/,
        /✓ stopped: nothing was sent to HubSpot/,
        /✓ the Lead's Handoff_Sync_Status__c: "Blocked: choose a rejection reason/,
        /✓ a Task for the Lead's owner \(005\w+\): "Handoff: choose a rejection reason"/,
        /✓ HubSpot unchanged: lifecycle stage "marketingqualifiedlead", lead status "NEW", no rejection reason/,
        // The SLA breach, delivered, flagged and recorded.
        /✓ alert delivered .* [\d.]+ s after the due time/,
        /"SLA breached: first touch for Lead 00Q\w{15} is .* late \(Demo requests: first touch within 0\.25 minutes\)\."/,
        /✓ the Lead in Salesforce shows SLA_Breached__c = true/,
        // An admin publishes a round-robin pool; the next contact goes to the member the pools page named.
        /✓ draft \d+ saved, validated and published/,
        /✓ GET \/api\/routing\/pools \(routing [^)]*demo-round-robin[^)]*\): "Sandbox reps": Riley Rep \(0 today\), Sam Seller \(0 today\), Taylor Trade \(0 today\), Jordan Deal \(0 today\)/,
        /✓ next: Riley Rep\n[\s\S]*✓ Priya's Lead → Riley Rep\. Why: Inbound round robin: round robin in pool Sandbox reps/,
        /✓ GET \/api\/routing\/pools: next is now Sam Seller/,
        // The rep wins Tomas's deal: HubSpot makes the contact a customer with the amount.
        /✓ HubSpot, [\d.]+ s after the save: lifecycle stage "customer", handoff_won_amount 24000, handoff_won_close_date \d{4}-\d{2}-\d{2}/,
        // The funnel with this run's figures.
        /MQL {14}5/,
        /SAL {14}1/,
        /Won {14}1/,
        /SLA adherence: first touch 75\.0% \(3\/4\)/,
        /no_budget {15}1/,
        /The service stopped cleanly\./,
      ];
      for (const line of lines) expect(output).toMatch(line);
      // Every new Lead's owner (four, then one from the pool) got all three messages, each timed from the Lead's creation.
      const arrivals = output.match(/Slack DM [\d.]+ s, e-mail [\d.]+ s, Salesforce notification [\d.]+ s after the Lead was created/g);
      expect(arrivals).toHaveLength(5);
      // Steps in order.
      const headers = [...output.matchAll(/^\[(\d+)\/12\] /gm)].map((match) => Number(match[1]));
      expect(headers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      // Cleaned up: the service process is gone, the temporary directory removed, ./data untouched.
      expect(isRunning(servicePid(output))).toBe(false);
      expect(tempDir(output)).toMatch(/handoff-demo-/);
      expect(existsSync(tempDir(output))).toBe(false);
      expect(dataDirState()).toBe(dataBefore);
      // Nothing secret: the made-up admin token is never printed.
      expect(output).not.toMatch(/[0-9a-f]{48}/);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  it(
    'on Ctrl-C (SIGINT) stops the service, removes its temporary directory and exits 130',
    async () => {
      let interrupted = false;
      const { code, output } = await runDemo((text, pid) => {
        if (!interrupted && text.includes('[2/12]')) {
          interrupted = true;
          process.kill(pid, 'SIGINT');
        }
      });
      expect(interrupted).toBe(true);
      expect(code).toBe(130);
      expect(output).toMatch(/Interrupted: stopping the service/);
      expect(output).not.toMatch(/DEMO FAILED/);
      expect(isRunning(servicePid(output))).toBe(false);
      expect(existsSync(tempDir(output))).toBe(false);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  it(
    'killed outright (SIGKILL, no chance to clean up), the demo does not leave its service running',
    async () => {
      let killedServicePid = 0;
      const { output } = await runDemo((text, pid) => {
        if (!killedServicePid && text.includes('[2/12]')) {
          killedServicePid = servicePid(text);
          process.kill(pid, 'SIGKILL');
        }
      });
      expect(killedServicePid).toBeGreaterThan(0);
      // The service notices its parent is gone and stops on its own (bounded wait, polled).
      const deadline = Date.now() + 30_000;
      while (isRunning(killedServicePid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect({ running: isRunning(killedServicePid), tail: output.slice(-500) }).toEqual({ running: false, tail: expect.any(String) });
      // Its temporary directory is the one thing a SIGKILL leaves behind; the test removes it.
      if (tempDir(output)) await rm(tempDir(output), { recursive: true, force: true });
    },
    RUN_TIMEOUT_MS + 40_000,
  );

  it('a step that does not happen fails the demo with exit code 1, naming the step and showing the service log', async () => {
    // A checkout whose service cannot start: the mappings are there, src/main.ts is not.
    const root = await mkdtemp(join(tmpdir(), 'demo-broken-root-'));
    try {
      await cp(join(ROOT, 'mappings'), join(root, 'mappings'), { recursive: true });
      const out = {
        text: '',
        write(chunk: string) {
          this.text += chunk;
        },
      };
      const code = await new DemoSession({ root, narrator: new Narrator(out) }).run();
      expect(code).toBe(1);
      expect(out.text).toMatch(/DEMO FAILED at "Start Handoff in sandbox mode": the service ended while starting \(exit code 1\)/);
      expect(out.text).toMatch(/The service's last log lines:\n[\s\S]*MODULE_NOT_FOUND/);
      expect(out.text).not.toMatch(/All 12 steps happened/);
      expect(existsSync(tempDir(out.text))).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
