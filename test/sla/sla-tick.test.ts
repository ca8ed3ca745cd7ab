import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { createAlertSender } from '../../src/adapters/alerts/alert-sender.ts';
import type { SalesforcePort } from '../../src/adapters/salesforce/salesforce-port.ts';
import { loadMappings } from '../../src/config/mappings.ts';
import type { MappingsBundle } from '../../src/core/mappings/bundle.ts';
import { latenessText } from '../../src/core/sla/sla-clocks.ts';
import { slaTick } from '../../src/jobs/sla/sla-tick.ts';
import { silentLogger } from '../../src/log.ts';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { historyForContact } from '../../src/store/history.ts';
import { listParked } from '../../src/store/parked.ts';
import { startClocks } from '../../src/store/sla-timers.ts';
import { freshDatabaseUrl } from '../support/databases.ts';
import { listenOnLoopback } from '../support/http.ts';

const T0 = new Date('2026-11-23T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** A local Slack-compatible receiver and a generic one; `failNext` makes the next posts answer 500. */
async function receivers() {
  const slack: { text: string }[] = [];
  const generic: Record<string, unknown>[] = [];
  let failNext = 0;
  const app = express();
  app.use(express.json());
  app.post('/slack', (req, res) => {
    if (failNext > 0) {
      failNext -= 1;
      res.status(500).end();
      return;
    }
    slack.push(req.body);
    res.send('ok');
  });
  app.post('/hook', (req, res) => {
    generic.push(req.body);
    res.status(204).end();
  });
  const server = await listenOnLoopback(app);
  return { server, slack, generic, fail: (n: number) => (failNext = n) };
}

describe('SLA clocks', () => {
  let recv: Awaited<ReturnType<typeof receivers>>;
  let db: Database;
  let reopen: () => Promise<Database>;
  let cleanup: () => Promise<void>;
  let bundle: MappingsBundle;
  const flagged: Record<string, unknown>[][] = [];
  const salesforce = {
    updateRecords: async (_object: string, records: Record<string, unknown>[]) => {
      flagged.push(records);
      return records.map((r) => ({ id: String(r.Id), success: true, errors: [] }));
    },
  } as unknown as SalesforcePort;

  beforeAll(async () => {
    recv = await receivers();
    bundle = await loadMappings('mappings');
    const fresh = await freshDatabaseUrl();
    reopen = () => openDatabase({ databaseUrl: fresh.url, logger: silentLogger() });
    cleanup = fresh.cleanup;
    db = await reopen();
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
    await recv.server.close();
  });

  const tick = (now: Date, mappings = () => bundle) =>
    slaTick({
      db,
      salesforce,
      alerts: createAlertSender({ slackWebhookUrl: `${recv.server.url}/slack`, webhookUrl: `${recv.server.url}/hook` }, silentLogger()),
      mappings,
      logger: silentLogger(),
      now: () => now,
    });

  it('warns before the breach once, retries an undelivered warning, then breaches once with how late it was, across a restart', async () => {
    await startClocks(db, [
      {
        leadId: '00Q1',
        hubspotContactId: '501',
        kind: 'first_touch',
        rule: 'first touch within 10 minutes',
        source: 'ORGANIC_SEARCH',
        segment: 'smb',
        definitionVersion: '2025.1@abc1234',
        handedOffAt: T0,
        routingDelayMs: 120,
        warnAt: at(8),
        dueAt: at(10),
      },
    ]);
    expect(await tick(at(5))).toEqual({ warned: 0, breached: 0 });

    recv.fail(1);
    expect(await tick(at(8))).toEqual({ warned: 0, breached: 0 }); // the Slack receiver refused: released, not lost
    expect(await tick(at(8.5))).toEqual({ warned: 1, breached: 0 });
    expect(recv.slack.map((m) => m.text)).toEqual([
      'SLA warning: first touch for Lead 00Q1 is due at 2026-11-23T09:10:00.000Z (first touch within 10 minutes).',
    ]);
    expect(await tick(at(9))).toEqual({ warned: 0, breached: 0 });

    // The process restarts in the middle of the clock: the timer is a row, and the new process finds it.
    await db.close();
    db = await reopen();
    const [first, second] = await Promise.all([tick(at(12.5)), tick(at(12.5))]);
    expect(first.breached + second.breached).toBe(1);
    expect(recv.slack.at(-1)?.text).toBe('SLA breached: first touch for Lead 00Q1 is 2 min late (first touch within 10 minutes).');
    expect(recv.generic.at(-1)).toMatchObject({ event: 'sla_breached', clock: 'first_touch', leadId: '00Q1', lateByMs: 150_000 });
    expect(flagged.at(-1)).toEqual([{ Id: '00Q1', SLA_Breached__c: true }]);
    expect(await tick(at(20))).toEqual({ warned: 0, breached: 0 });

    const history = (await historyForContact(db, '501')).map((h) => h.action);
    expect(history).toEqual(['sla_warning', 'sla_breached']);
  });

  it('records a breach whose alert could not be delivered, and parks the alert', async () => {
    await startClocks(db, [
      {
        leadId: '00Q2',
        hubspotContactId: '502',
        kind: 'disposition',
        rule: 'disposition within 2 business days',
        source: null,
        segment: null,
        definitionVersion: null,
        handedOffAt: T0,
        routingDelayMs: null,
        warnAt: null,
        dueAt: at(60),
      },
    ]);
    recv.fail(1);
    expect((await tick(at(61))).breached).toBe(1);
    const parked = await listParked(db, { open: true });
    expect(parked.map((p) => [p.kind, p.recordKey])).toContainEqual(['sla_alert', '00Q2:disposition']);
  });

  it('flags a breach on the Lead field the active mapping names as slaBreached', async () => {
    const salesforceFields = { ...bundle.fieldMapping.salesforce.fields, slaBreached: 'Missed_SLA__c' };
    const renamed: MappingsBundle = {
      ...bundle,
      fieldMapping: { ...bundle.fieldMapping, salesforce: { ...bundle.fieldMapping.salesforce, fields: salesforceFields } },
    };
    await startClocks(db, [
      {
        leadId: '00Q3',
        hubspotContactId: '503',
        kind: 'first_touch',
        rule: 'first touch within 10 minutes',
        source: null,
        segment: null,
        definitionVersion: null,
        handedOffAt: T0,
        routingDelayMs: null,
        warnAt: null,
        dueAt: at(10),
      },
    ]);
    expect((await tick(at(11), () => renamed)).breached).toBe(1);
    expect(flagged.at(-1)).toEqual([{ Id: '00Q3', Missed_SLA__c: true }]);
  });
});

it('says how late the way a person reads it, sub-minute breaches included', () => {
  expect([0, 59_000, 61_000, 3_600_000 + 5 * 60_000, 26 * 3_600_000].map(latenessText)).toEqual([
    'on time',
    'less than a minute late',
    '1 min late',
    '1 h 5 min late',
    '1 d 2 h late',
  ]);
});
