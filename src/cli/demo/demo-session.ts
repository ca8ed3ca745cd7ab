import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AlertInbox, startAlertInbox } from './alert-inbox.ts';
import type { DemoContext, DemoWaits } from './context.ts';
import { DEMO_FIRST_TOUCH_SECONDS, writeDemoMappings } from './demo-mappings.ts';
import type { Narrator } from './narrator.ts';
import { mailInbox, slackInbox } from './owner-inboxes.ts';
import { adminApi, hubspotSim, salesforceSim } from './sandbox-clients.ts';
import { type DemoService, launchDemoService } from './service-process.ts';
import { contactsArrive, leadsAppear, whyTheyQualified } from './steps-handoff.ts';
import { repWinsTheDeal } from './steps-revenue.ts';
import { adminAddsRoundRobin } from './steps-round-robin.ts';
import { ownersHearAtOnce } from './steps-routing.ts';
import { repAccepts, repRejects, repRejectsWithoutReason } from './steps-sales.ts';
import { funnelReport, slaBreach } from './steps-sla-funnel.ts';

/**
 * The poll keeps its default: a rep's change reaches HubSpot through Salesforce's change events (sandbox mode turns
 * them on), with the poll as the safety net. SLA clocks are checked faster than the default (15 s) so the story fits
 * in a minute; that is an ordinary setting.
 */
const POLL_SECONDS = 15;
const SLA_TICK_SECONDS = 1;
const READY_TIMEOUT_MS = 90_000;
const WAITS: DemoWaits = { handoffMs: 20_000, pollMs: 20_000 + POLL_SECONDS * 1000, breachGraceMs: 30_000 };
/** The service drains jobs for up to 20 s on SIGTERM; after that it is killed. */
const STOP_GRACE_MS = 25_000;

const STEPS: ReadonlyArray<[title: string, run: (ctx: DemoContext) => Promise<void>]> = [
  ['Contacts arrive in HubSpot', contactsArrive],
  ['Leads appear in Salesforce', leadsAppear],
  ['The right rep hears at once', ownersHearAtOnce],
  ['Why they qualified, and why one did not', whyTheyQualified],
  ['The rep accepts a Lead', repAccepts],
  ['The rep rejects a Lead, with a reason', repRejects],
  ['The rep rejects a Lead without a reason', repRejectsWithoutReason],
  ['An SLA breach', slaBreach],
  ['An admin deals Leads round robin', adminAddsRoundRobin],
  ['The rep wins the deal', repWinsTheDeal],
  ['The funnel of this run', funnelReport],
];
const TOTAL = STEPS.length + 1;

export const EXIT = { ok: 0, failed: 1, interrupted: 130 } as const;

/**
 * One run of the demo: a temporary directory, the real service in a child process, the steps, and a clean-up
 * that runs exactly once whatever happens (success, a failed step, Ctrl-C).
 */
export class DemoSession {
  private readonly root: string;
  private readonly narrator: Narrator;
  private tempDir: string | undefined;
  private service: DemoService | undefined;
  private alerts: AlertInbox | undefined;
  private cleaning: Promise<void> | undefined;
  private interrupted = false;

  constructor(options: { root: string; narrator: Narrator }) {
    this.root = options.root;
    this.narrator = options.narrator;
  }

  async run(): Promise<number> {
    const { narrator } = this;
    let current = 'Start Handoff in sandbox mode';
    try {
      narrator.step(1, TOTAL, current);
      const ctx = await this.start();
      for (const [index, [title, run]] of STEPS.entries()) {
        current = title;
        narrator.step(index + 2, TOTAL, title);
        await run(ctx);
      }
      narrator.blank();
      narrator.title(`All ${TOTAL} steps happened, in ${narrator.elapsedSeconds().toFixed(1)} s.`);
      return EXIT.ok;
    } catch (error) {
      if (this.interrupted) return EXIT.interrupted;
      narrator.blank();
      narrator.failure(`DEMO FAILED at "${current}": ${(error as Error).message}`);
      const tail = this.service?.logTail(12) ?? [];
      if (tail.length > 0) {
        narrator.say("The service's last log lines:");
        for (const line of tail) narrator.detail(line);
      }
      return EXIT.failed;
    } finally {
      await this.cleanup();
    }
  }

  /** Ctrl-C: the run stops where it is (its failure is not reported) and the clean-up runs. */
  interrupt(): Promise<void> {
    this.interrupted = true;
    return this.cleanup();
  }

  /** A second Ctrl-C: no more waiting for a graceful stop. */
  kill(): void {
    this.service?.kill();
  }

  cleanup(): Promise<void> {
    this.cleaning ??= this.stopAndRemove();
    return this.cleaning;
  }

  private async start(): Promise<DemoContext> {
    const { narrator } = this;
    const startedAt = new Date();
    this.tempDir = await mkdtemp(join(tmpdir(), 'handoff-demo-'));
    // Run as root, the embedded PostgreSQL runs as its own user, which must be able to enter the folder.
    await chmod(this.tempDir, 0o755);
    const mappingsDir = join(this.tempDir, 'mappings');
    await mkdir(mappingsDir);
    const mappings = await writeDemoMappings(join(this.root, 'mappings'), mappingsDir);
    this.alerts = await startAlertInbox();
    // The admin token is made up for this run and never printed.
    const adminToken = randomBytes(24).toString('hex');
    this.service = launchDemoService({
      root: this.root,
      dataDir: join(this.tempDir, 'data'),
      mappingsDir,
      adminToken,
      alertWebhookUrl: this.alerts.url,
      pollSeconds: POLL_SECONDS,
      slaTickSeconds: SLA_TICK_SECONDS,
    });
    narrator.say(`The real service (node src/main.ts, process ${this.service.pid}) starts without credentials, so in sandbox mode:`);
    narrator.say(
      'HubSpot and Salesforce are built-in simulators on loopback, and so are a Slack workspace and a mail catcher. Nothing leaves this machine.',
    );
    narrator.say(`It keeps its database in a temporary directory (${this.tempDir}); your ./data is not touched.`);
    narrator.say(
      `Salesforce changes arrive as change events (Change Data Capture), the poll every ${POLL_SECONDS} s being only the safety net; SLA clocks are checked every ${SLA_TICK_SECONDS} s,`,
    );
    narrator.say(
      `and in its copy of mappings/ the "${mappings.shortened.label}" SLA rule gives ${DEMO_FIRST_TOUCH_SECONDS} s for a first touch instead of ${mappings.shortened.original}.`,
    );
    const urls = await narrator.waiting(
      () => 'starting the service (database, job queue, simulators)',
      this.service.ready(READY_TIMEOUT_MS),
    );
    narrator.ok(
      `ready after ${narrator.elapsedSeconds().toFixed(1)} s: service ${urls.url}, simulated HubSpot ${urls.hubspotUrl}, simulated Salesforce ${urls.salesforceUrl}`,
    );
    return {
      narrator,
      hubspot: hubspotSim(urls.hubspotUrl),
      salesforce: salesforceSim(urls.salesforceUrl),
      admin: adminApi(urls.url, adminToken),
      alerts: this.alerts,
      slack: slackInbox(urls.slackMessagesUrl),
      mail: mailInbox(urls.mailCaughtUrl),
      mappings,
      pollSeconds: POLL_SECONDS,
      startedAt,
      people: new Map(),
      waits: WAITS,
    };
  }

  private async stopAndRemove(): Promise<void> {
    const { narrator } = this;
    if (this.service) {
      const { code, signal } = await narrator.waiting(() => 'stopping the service', this.service.stop(STOP_GRACE_MS));
      narrator.say(
        code === 0 ? 'The service stopped cleanly.' : `The service stopped (${signal ? `ended by ${signal}` : `exit code ${code}`}).`,
      );
    }
    await this.alerts?.close();
    if (this.tempDir) {
      await rm(this.tempDir, { recursive: true, force: true });
      narrator.say(`Removed ${this.tempDir}.`);
    }
  }
}
