import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type MqlEvaluationRecord, mqlEvaluationRecord } from '../../src/core/calibration/evaluation-record.ts';
import type { MqlDefinition } from '../../src/core/definitions/mql-schema.ts';
import { qualifyMql } from '../../src/core/definitions/qualify-mql.ts';
import { MAPPING_FILES } from '../../src/core/mappings/bundle.ts';
import { recordMqlEvaluations } from '../../src/store/mql-evaluations.ts';
import type { MemoryFigure } from '../support/memory.ts';
import type { BenchOptions } from '../support/options.ts';
import { type Summary, sleep, summarize } from '../support/stats.ts';
import type { BenchDatabase } from '../support/storage.ts';
import { createBenchWorld } from '../support/world.ts';

export type BacktestResults =
  | { measured: false; reason: string }
  | {
      measured: true;
      evaluations: number;
      contacts: number;
      /** POST /api/config/versions/:id/backtest, request sent → answer read, per run. */
      runsMs: number[];
      medianMs: number;
      /** What the answer counted (the last run's): every seeded contact must be replayed. */
      replayed: number;
      mql: { active: number; draft: number };
      /** GET /healthz every 50 ms during the runs: how long the event loop kept it waiting. */
      healthMs: Summary;
      serviceCpuMsPerRun: number;
      /** Service + its database processes, summed, once started and the draft created (before any backtest). */
      memoryBefore: MemoryFigure;
      peakRssMiB: number;
      peakMemory: MemoryFigure;
    };

const ADMIN_TOKEN = 'bench-admin-token-long-enough-to-be-accepted';
const DAY = 86_400_000;
/** Evaluations fall in the last `PERIOD_DAYS`, inside the retention the service is given (nothing is purged). */
const PERIOD_DAYS = 80;
const QUIET_ENV = { SALESFORCE_POLL_INTERVAL_SECONDS: '3600', SLA_TICK_SECONDS: '3600', MQL_EVALUATION_RETENTION_DAYS: '92', ADMIN_TOKEN };
const INSERT_CHUNK = 5_000;

/**
 * A backtest over `evaluations` stored MQL evaluations (issue 18: 100,000 in under 5 s on the embedded database).
 * The service starts once to create its store, is stopped while the bench writes the evaluations (under the shipped
 * definition, one contact in ten evaluated twice) and the outcomes the audit would hold, then starts again; a draft
 * with the SMB threshold lowered is created through the admin API and backtested `repetitions` times over the period.
 */
export async function runBacktestScenario(options: BenchOptions): Promise<BacktestResults> {
  const { evaluations, repetitions } = options.sizes.backtest;
  if (!existsSync(join(options.service.root, 'src/store/migrations/015_mql_evaluations.sql')))
    return { measured: false, reason: 'this version keeps no MQL evaluations' };
  const world = await createBenchWorld(options);
  try {
    const first = await world.start(QUIET_ENV);
    await first.stop();
    const db = await world.openDb();
    const now = Date.now();
    let seeded: { contacts: number };
    try {
      seeded = await seedEvaluations(db, world.mappings.mql, evaluations, now);
    } finally {
      await db.close();
    }
    const service = await world.start(QUIET_ENV);
    try {
      const draftId = await createDraft(service.url, options.service.root);
      const memoryBefore = await service.memoryNow();
      const body = { from: new Date(now - (PERIOD_DAYS + 1) * DAY).toISOString(), to: new Date(now + DAY).toISOString() };
      const runsMs: number[] = [];
      const healthMs: number[] = [];
      let last: { contacts: { replayed: number }; mql: { active: number; draft: number } } | undefined;
      const cpuBefore = await service.cpuSeconds();
      for (let run = 0; run < repetitions; run++) {
        let running = true;
        const pings = pingHealth(service.url, () => running, healthMs);
        const startedAt = performance.now();
        last = await admin(service.url, `/api/config/versions/${draftId}/backtest`, body);
        runsMs.push(performance.now() - startedAt);
        running = false;
        await pings;
      }
      const cpuMs = ((await service.cpuSeconds()) - cpuBefore) * 1000;
      const sorted = [...runsMs].sort((a, b) => a - b);
      return {
        measured: true,
        evaluations,
        contacts: seeded.contacts,
        runsMs,
        medianMs: sorted[Math.floor(sorted.length / 2)]!,
        replayed: last?.contacts.replayed ?? 0,
        mql: last?.mql ?? { active: 0, draft: 0 },
        healthMs: summarize(healthMs),
        serviceCpuMsPerRun: cpuMs / repetitions,
        memoryBefore,
        peakRssMiB: await service.peakRssMiB(),
        peakMemory: service.peakMemory(),
      };
    } finally {
      await service.stop();
    }
  } finally {
    await world.close();
  }
}

/** A small, fixed pseudo-random number per contact and attribute, so every run seeds the same portal. */
const pick = <T>(values: readonly T[], i: number, salt: number): T => values[((i * 2654435761 + salt * 40503) >>> 0) % values.length]!;

/** What a contact looks like to the shipped definition: firmographics on its company, behaviour on itself. */
function propertiesOf(i: number): Record<string, string> {
  const properties: Record<string, string> = {
    email: `person${i}@company${i % 500}.example`,
    jobtitle: pick(['VP Engineering', 'Director of IT', 'Engineer', 'Marketing Manager', 'Student', 'CTO', 'Analyst'], i, 1),
    country: pick(['United States', 'Germany', 'Brazil', 'India', 'Canada', 'France'], i, 2),
    pricing_page_views: String(pick([0, 0, 1, 2, 3, 4], i, 3)),
    content_downloads: String(pick([0, 1, 2, 3], i, 4)),
    webinars_attended: String(pick([0, 0, 1, 2], i, 5)),
    email_clicks: String(pick([0, 1, 2, 4, 6], i, 6)),
    num_conversion_events: String(pick([0, 1, 2, 3], i, 7)),
    hs_analytics_source: pick(['ORGANIC_SEARCH', 'PAID_SEARCH', 'DIRECT_TRAFFIC', 'EMAIL_MARKETING'], i, 8),
  };
  const industry = pick(['COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'RETAIL', ''], i, 9);
  const size = pick(['20', '200', '800', '5000', ''], i, 10);
  if (industry) properties['company.industry'] = industry;
  if (size) properties['company.numberofemployees'] = size;
  else properties.numemployees = pick(['5-25', '100-500', '1000+'], i, 11);
  if (i % 20 === 0) properties.demo_requested = 'true';
  return properties;
}

const REASONS = ['bad_fit', 'bad_timing', 'no_budget', 'unresponsive'];

/** The audit rows that follow a handoff: more of the MQLs go on to SQL and win than the others. */
function outcomeRows(contactId: string, qualified: boolean, i: number, at: number): unknown[] {
  const roll = pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], i, 12);
  const on = (days: number) => new Date(at + days * DAY).toISOString();
  if (!qualified) return roll === 0 ? [{ id: contactId, action: 'converted', detail: {}, at: on(3) }] : [];
  if (roll < 4) {
    const closed = roll === 0 ? 'opportunity_won' : roll === 1 ? 'opportunity_lost' : undefined;
    return [
      { id: contactId, action: 'converted', detail: {}, at: on(2) },
      ...(closed ? [{ id: contactId, action: closed, detail: {}, at: on(20) }] : []),
    ];
  }
  if (roll < 7) return [{ id: contactId, action: 'rejected', detail: { reasonCode: pick(REASONS, i, 13) }, at: on(1) }];
  return [];
}

export async function seedEvaluations(db: BenchDatabase, active: MqlDefinition, count: number, now: number): Promise<{ contacts: number }> {
  // A quarter of the contacts were evaluated under an earlier definition: the backtest re-qualifies those under the active one too.
  const earlier = { ...active, version: '2024.4@0000000' };
  const contacts = Math.round(count * 0.9);
  let records: MqlEvaluationRecord[] = [];
  let history: unknown[] = [];
  const flush = async () => {
    await recordMqlEvaluations(db, records);
    await db.query(
      `INSERT INTO handoff_history (hubspot_contact_id, action, detail, at)
       SELECT id, action, detail, at FROM jsonb_to_recordset($1::jsonb) AS h(id text, action text, detail jsonb, at timestamptz)`,
      [JSON.stringify(history)],
    );
    records = [];
    history = [];
  };
  for (let n = 0; n < count; n++) {
    // The last tenth are earlier evaluations of the first contacts (the backtest takes each contact's latest).
    const i = n < contacts ? n : n - contacts;
    const repeat = n >= contacts;
    const at = now - (repeat ? PERIOD_DAYS : 1 + (i % (PERIOD_DAYS - 2))) * DAY + (i % 86_400) * 1000;
    const contact = { id: String(100_000 + i), properties: propertiesOf(i) };
    const definition = i % 4 === 0 ? earlier : active;
    const record = mqlEvaluationRecord(contact, qualifyMql(contact, definition), definition, new Date(at));
    records.push(record);
    if (!repeat) history.push(...outcomeRows(contact.id, record.qualified, i, at));
    if (records.length === INSERT_CHUNK) await flush();
  }
  if (records.length > 0) await flush();
  return { contacts };
}

/** The shipped files with the SMB threshold lowered from 50 to 45, as an admin's draft. */
async function createDraft(serviceUrl: string, root: string): Promise<string> {
  const files: Record<string, string> = {};
  for (const name of Object.values(MAPPING_FILES)) files[name] = await readFile(join(root, 'mappings', name), 'utf8');
  const mql = files['mql-definition.yaml']!;
  const lowered = mql.replace('threshold: { total: 50, minFit: 15 }', 'threshold: { total: 45, minFit: 15 }');
  if (lowered === mql) throw new Error('backtest bench: the shipped SMB threshold is no longer "total: 50, minFit: 15"');
  files['mql-definition.yaml'] = lowered.replace(/^version: "([^"]+)"/m, 'version: "$1-bench"');
  const draft = await admin<{ id: string }>(serviceUrl, '/api/config/versions', { files, comment: 'bench: SMB threshold 45' });
  return draft.id;
}

async function admin<T>(serviceUrl: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${serviceUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** GET /healthz every 50 ms while `running()`, one at a time; each answer's time goes to `into`. */
async function pingHealth(serviceUrl: string, running: () => boolean, into: number[]): Promise<void> {
  while (running()) {
    const sentAt = performance.now();
    const response = await fetch(`${serviceUrl}/healthz`);
    await response.arrayBuffer();
    into.push(performance.now() - sentAt);
    await sleep(50);
  }
}
