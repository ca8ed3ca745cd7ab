import type { KpiReport } from '../../kpis/kpi-types.ts';
import { formatReport } from '../report.ts';
import { firstName } from './contacts.ts';
import { clock, type DemoContext, leadOf, person, salesforceDate, seconds } from './context.ts';
import { DEMO_FIRST_TOUCH_SECONDS } from './demo-mappings.ts';
import { DemoStepFailed, expectThat, waitFor } from './wait.ts';

/** Step: nobody touches Nora's Lead; the first-touch clock runs out, the breach is recorded, flagged and announced. */
export async function slaBreach(ctx: DemoContext): Promise<void> {
  const { narrator, mappings } = ctx;
  const nora = person(ctx, 'breach');
  const lead = leadOf(ctx, 'breach');
  const dueAt = salesforceDate(lead.SLA_Due__c);
  if (!dueAt) throw new DemoStepFailed(`${firstName(nora.contact)}'s Lead has no SLA_Due__c`);
  narrator.say(
    `Nobody has touched ${firstName(nora.contact)}'s Lead. Rule "${mappings.shortened.label}" of sla-rules.yaml says first touch within ${mappings.shortened.original};`,
  );
  narrator.say(
    `the demo's copy says ${DEMO_FIRST_TOUCH_SECONDS} s (${DEMO_FIRST_TOUCH_SECONDS / 60} minutes), so the clock runs out at ${clock(dueAt)}. Handoff checks running clocks every second here.`,
  );
  const countdown = () => {
    const left = Math.ceil((dueAt.getTime() - Date.now()) / 1000);
    return left > 0 ? `first touch due in ${left} s` : 'due time passed; waiting for the SLA tick';
  };
  const timeoutMs = Math.max(0, dueAt.getTime() - Date.now()) + ctx.waits.breachGraceMs;
  const alert = await narrator.waiting(
    countdown,
    waitFor(
      'the SLA breach alert',
      async () => {
        return ctx.alerts.alerts.find((a) => a.event === 'sla_breached' && a.leadId === lead.Id && a.clock === 'first_touch');
      },
      timeoutMs,
    ),
  );
  narrator.ok(
    `alert delivered to the team's alert webhook (here the demo's own receiver) ${seconds(alert.receivedAt.getTime() - dueAt.getTime())} after the due time:`,
  );
  narrator.detail(`"${alert.text}"`);
  const flagged = await waitFor(
    'SLA_Breached__c on the Lead',
    async () => ((await ctx.salesforce.lead(lead.Id)).SLA_Breached__c === true ? true : undefined),
    ctx.waits.pollMs,
  );
  expectThat(flagged, 'the Lead was not flagged');
  narrator.ok(`the Lead in Salesforce shows SLA_Breached__c = true, so the rep and the manager see it`);
  const recorded = await waitFor(
    'the breach in the audit trail',
    async () => {
      return (await ctx.admin.record(nora.contactId))?.history.find((entry) => entry.action === 'sla_breached');
    },
    ctx.waits.pollMs,
  );
  narrator.ok(`the audit trail records the breach at ${clock(new Date(recorded.at))}, and the funnel counts it`);
}

/** What this run must show in the funnel; anything else means a step did not really happen. */
const EXPECTED = { mql: 5, sal: 1, won: 1, noBudget: 1, firstTouchBreached: 1 } as const;

/** Step: the funnel of this run, from GET /api/kpis, printed as `npm run report` prints it. */
export async function funnelReport(ctx: DemoContext): Promise<void> {
  const { narrator } = ctx;
  const from = ctx.startedAt.toISOString().slice(0, 10);
  const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const report = await ctx.admin.kpis(from, to);
  checkFunnel(report);
  narrator.say(`GET /api/kpis?from=${from}&to=${to} (the same as \`npm run report -- --from ${from} --to ${to}\` against this service):`);
  narrator.blank();
  narrator.block(formatReport(report));
}

function checkFunnel(report: KpiReport): void {
  const { funnel, rejectionReasons, sla } = report.total;
  const noBudget = rejectionReasons.find((r) => r.reason === 'no_budget')?.count ?? 0;
  const seen = { mql: funnel.mql, sal: funnel.sal, won: funnel.won, noBudget, firstTouchBreached: sla.firstTouch.breached };
  const wrong = (Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>).filter((key) => seen[key] !== EXPECTED[key]);
  expectThat(
    wrong.length === 0,
    `the funnel does not show what happened: ${wrong.map((key) => `${key} ${seen[key]} (expected ${EXPECTED[key]})`).join(', ')}`,
  );
}
