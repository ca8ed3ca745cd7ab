import { describe, expect, it } from '@jest/globals';
import { formatReport, runCrashHarness } from '../harness/crash-harness.ts';

/**
 * The crash harness under load (see test/harness/crash-harness.ts), sized to about a minute, on the default
 * deployment: webhooks keep arriving while the service is SIGKILLed four times (while a webhook is answered, while
 * a Salesforce write is in flight, right after a Salesforce commit, anywhere), its embedded database server with
 * it every other time, and restarted. Every accepted
 * webhook must have produced its effect exactly once. `npm run harness:crash` runs larger loads by hand.
 */
describe('SIGKILL of the service and its embedded database server under load', () => {
  it('loses nothing, duplicates nothing, and audits each handoff once', async () => {
    const report = await runCrashHarness({ database: 'embedded', contacts: 60, kills: 4, durationMs: 16_000 });
    process.stdout.write(`${formatReport(report)}\n`);
    const v = report.verdict;
    expect(report.kills).toHaveLength(4);
    // The kills really fell under load: deliveries met a dead service and were redelivered.
    expect(report.sender.connectionFailures).toBeGreaterThan(0);
    expect(v.acceptedEvents).toBeGreaterThan(0);
    expect(v.leadsExpected).toBeGreaterThan(0);
    expect({
      lost: v.lost,
      duplicatesPerContact: v.duplicateLeadsPerContact,
      duplicatesPerEmail: v.duplicateLeadsPerEmail,
      notQualifyingWithLead: v.notQualifyingWithLead,
      unexpectedLeads: v.unexpectedLeads,
      staleLeads: v.staleLeads,
      missingWriteBack: v.missingWriteBack,
      pendingInbox: v.pendingInbox,
      auditNotExactlyOnce: v.auditNotExactlyOnce,
      linkOrClockMismatch: v.linkOrClockMismatch,
      parked: v.parked,
      overlaps: report.salesforceOverlaps,
    }).toEqual({
      lost: 0,
      duplicatesPerContact: 0,
      duplicatesPerEmail: 0,
      notQualifyingWithLead: 0,
      unexpectedLeads: 0,
      staleLeads: 0,
      missingWriteBack: 0,
      pendingInbox: 0,
      auditNotExactlyOnce: 0,
      linkOrClockMismatch: 0,
      parked: 0,
      overlaps: 0,
    });
    expect(v.leadsFound).toBeGreaterThanOrEqual(v.leadsExpected);
    expect(v.leadsFound).toBeLessThanOrEqual(v.leadsExpected + v.undetermined);
    expect(report.passed).toBe(true);
  }, 240_000);
});
