import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pinnedNode } from '../support/databases.ts';
import { hubspotWrites, listMembers, salesforceWrites } from './support/hubspot-lists.ts';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, type World } from './support/world.ts';

type Run = {
  id: string;
  status: string;
  counts: Record<string, number>;
  progress: { read: number; total: number | null };
  pagesDone: number;
  attempts: number;
  sample: { verdict: string }[];
};
type Row = Record<string, unknown>;
const TOKEN = 'e2e-admin-token-long-enough-to-be-accepted';
/** Every third seeded contact asks for a demo (the fast track): 90 qualify, 180 do not. */
const SEED = { qualifying: 90, other: 180, linkedUpFront: 10 };
const LATE_QUALIFYING = 600;
const VERDICTS = ['read', 'qualified', 'handedOff', 'alreadyLinked', 'notQualified', 'linkedExisting', 'parked', 'errors'];

describe('backfill and resync against the simulators', () => {
  let world: World;
  let service: RunningService;
  const qualifying: string[] = [];

  async function api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: await response.json() };
  }
  async function finished(id: string, timeoutMs = 60_000): Promise<Run> {
    return eventually(
      async () => {
        const { json } = await api('GET', `/api/backfill/${id}`);
        return ['done', 'failed', 'cancelled'].includes(json.status) ? (json as Run) : undefined;
      },
      timeoutMs,
      `backfill run ${id} to finish`,
    );
  }
  async function runToEnd(body: unknown): Promise<Run> {
    const started = await api('POST', '/api/backfill', body);
    expect(started.status).toBe(202);
    return finished(started.json.id);
  }
  const leads = () => world.salesforce.records('Lead') as Row[];
  const verdicts = (run: Run) => Object.fromEntries(VERDICTS.map((key) => [key, run.counts[key]]));

  beforeAll(async () => {
    world = await createWorld({ hubspotLatencyMs: 40 });
    for (let i = 0; i < SEED.qualifying + SEED.other; i += 1) {
      const qualifies = i % 3 === 0;
      const id = world.hubspot.createContact({
        email: `seed${i}@buyers.example`,
        lastname: `Seed ${i}`,
        company: `Company ${i}`,
        ...(qualifies ? { demo_requested: 'true' } : {}),
      });
      if (qualifies) qualifying.push(id);
    }
    expect(qualifying).toHaveLength(SEED.qualifying);
    service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: '3600' });
    // Some contacts were handed off in real time before the backfill: they are linked already.
    const early = qualifying.slice(0, SEED.linkedUpFront);
    expect((await deliverWebhook(service.url, world, JSON.stringify(early.map((id) => creationEvent(id))))).status).toBe(200);
    await eventually(
      async () => (early.every((id) => world.hubspot.contacts.get(id)?.properties.handoff_salesforce_id) ? true : undefined),
      30_000,
      'the real-time handoffs',
    );
    // Their write-back ends with the sales-ready list; after that the real-time path writes nothing more.
    await eventually(
      async () => ((await listMembers(world, 'Sales ready – MQLs')).length === SEED.linkedUpFront ? true : undefined),
      30_000,
      'the sales-ready list',
    );
  }, 120_000);

  afterAll(async () => {
    await service?.kill();
    await world?.close();
  });

  it('dry run: reads and decides, writes nothing anywhere, and says what it would do', async () => {
    const hubspotBefore = hubspotWrites(world);
    const salesforceBefore = salesforceWrites(world);
    const run = await runToEnd({ dryRun: true });
    expect(run.status).toBe('done');
    expect(hubspotWrites(world) - hubspotBefore).toBe(0);
    expect(salesforceWrites(world) - salesforceBefore).toBe(0);
    expect(leads()).toHaveLength(SEED.linkedUpFront);
    expect(verdicts(run)).toEqual({
      read: SEED.qualifying + SEED.other,
      qualified: SEED.qualifying - SEED.linkedUpFront,
      handedOff: SEED.qualifying - SEED.linkedUpFront,
      alreadyLinked: SEED.linkedUpFront,
      notQualified: SEED.other,
      linkedExisting: 0,
      parked: 0,
      errors: 0,
    });
    expect(run.progress.total).toBe(SEED.qualifying + SEED.other);
    expect(new Set(run.sample.map((entry) => entry.verdict))).toEqual(new Set(['would hand off', 'already linked', 'not_qualified']));
  });

  it('hands off every qualifying unlinked contact exactly once, with the counts the dry run promised, and a rerun adds nothing', async () => {
    const dryRun = (await api('GET', '/api/backfill?limit=1')).json.runs[0] as Run;
    const run = await runToEnd({});
    expect(run.status).toBe('done');
    expect(verdicts(run)).toEqual(verdicts(dryRun));
    expect(leads()).toHaveLength(SEED.qualifying);
    expect(new Set(leads().map((lead) => lead.Handoff_HubSpot_Id__c))).toEqual(new Set(qualifying));
    // The write-backs went to the outbox with each unit's commit; the flusher sends them shortly after.
    await eventually(
      async () => (qualifying.every((id) => world.hubspot.contacts.get(id)?.properties.handoff_salesforce_id) ? true : undefined),
      30_000,
      'every write-back',
    );
    for (const id of qualifying)
      expect(world.hubspot.contacts.get(id)?.properties).toMatchObject({
        lifecyclestage: 'marketingqualifiedlead',
        handoff_salesforce_id: expect.any(String),
      });
    const record = (await api('GET', `/api/records/${qualifying.at(-1)}`)).json;
    // A backfill's new Lead is routed like any other (and audited so), with no notification sent for history.
    expect(record.history).toEqual([
      expect.objectContaining({ action: 'handed_off', detail: expect.objectContaining({ via: 'backfill', backfillRun: run.id }) }),
      expect.objectContaining({ action: 'routed', detail: expect.objectContaining({ via: 'backfill', strategy: 'fallback' }) }),
    ]);

    const writesBefore = (world.salesforce.calls.create ?? 0) + (world.salesforce.calls.upsert ?? 0) + (world.salesforce.calls.update ?? 0);
    const rerun = await runToEnd({});
    expect(rerun.counts).toMatchObject({
      read: SEED.qualifying + SEED.other,
      handedOff: 0,
      qualified: 0,
      alreadyLinked: SEED.qualifying,
      notQualified: SEED.other,
    });
    expect((world.salesforce.calls.create ?? 0) + (world.salesforce.calls.upsert ?? 0) + (world.salesforce.calls.update ?? 0)).toBe(
      writesBefore,
    );
    expect(leads()).toHaveLength(SEED.qualifying);
  });

  it('resync brings drifted HubSpot statuses back in line with the Lead, and leaves the rest alone', async () => {
    const [drifted, moved] = [qualifying[3]!, qualifying[4]!];
    world.hubspot.updateContact(drifted, { hs_lead_status: 'BAD_TIMING', handoff_mql_score: '' });
    const lead = leads().find((row) => row.Handoff_HubSpot_Id__c === moved)!;
    world.salesforce.updateRecord('Lead', String(lead.Id), { Status: 'Working - Contacted' });
    const writesBefore = hubspotWrites(world);
    const run = await runToEnd({ mode: 'resync' });
    expect(run.counts).toMatchObject({ read: SEED.qualifying, resynced: 2, inSync: SEED.qualifying - 2, errors: 0, parked: 0 });
    expect(world.hubspot.contacts.get(drifted)?.properties).toMatchObject({
      hs_lead_status: 'NEW',
      handoff_mql_score: expect.stringMatching(/^\d/),
    });
    expect(world.hubspot.contacts.get(moved)?.properties).toMatchObject({
      hs_lead_status: 'IN_PROGRESS',
      lifecyclestage: 'marketingqualifiedlead',
    });
    expect(hubspotWrites(world) - writesBefore).toBe(1); // one batch update for both
    const history = (await api('GET', `/api/records/${drifted}`)).json.history;
    expect(history.at(-1)).toMatchObject({ action: 'resynced', detail: expect.objectContaining({ via: 'backfill' }) });
  });

  it('after a SIGKILL mid-run, the restarted service resumes from the checkpoint and ends with exact totals', async () => {
    const late: string[] = [];
    for (let i = 0; i < LATE_QUALIFYING; i += 1)
      late.push(
        world.hubspot.createContact({ email: `late${i}@buyers.example`, lastname: `Late ${i}`, company: 'Late', demo_requested: 'true' }),
      );
    const everyone = SEED.qualifying + SEED.other + LATE_QUALIFYING;
    // The unit that creates Leads must die between its Salesforce writes and its commit (links, history, checkpoint):
    // a test transaction holds record_links against writes (reads pass), so that unit's commit waits on it while its
    // Leads are already in Salesforce. (Its HubSpot write-back no longer runs in the unit: it is queued in that commit.)
    const blocker = await world.openDb();
    const released = Promise.withResolvers<void>();
    const lockTaken = Promise.withResolvers<void>();
    const holding = blocker.transaction(async (tx) => {
      await tx.query('LOCK TABLE record_links IN EXCLUSIVE MODE');
      lockTaken.resolve();
      await released.promise;
    });
    await lockTaken.promise;
    const started = await api('POST', '/api/backfill', {});
    expect(started.status).toBe(202);
    const id = started.json.id as string;
    const second = await api('POST', '/api/backfill', { mode: 'resync' });
    expect(second.status).toBe(409);
    expect(second.json.error).toMatchObject({ code: 'backfill_running', details: { activeRunId: id } });

    await eventually(async () => (leads().length > SEED.qualifying ? true : undefined), 30_000, 'the first new Leads');
    const seen = (await api('GET', `/api/backfill/${id}`)).json as Run;
    expect(seen.status).toBe('running');
    await service.kill();
    released.resolve();
    await holding;
    await blocker.close();
    const leadsAtKill = leads().length;
    expect(leadsAtKill - SEED.qualifying).toBeGreaterThan(seen.counts.handedOff ?? 0);
    expect(leadsAtKill).toBeLessThan(SEED.qualifying + LATE_QUALIFYING);

    const listCallsBefore = world.hubspot.calls.byEndpoint['GET /crm/v3/objects/contacts'] ?? 0;
    service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: '3600' });
    const run = await finished(id, 90_000);
    expect(run.status).toBe('done');
    expect(run.attempts).toBeGreaterThanOrEqual(2);
    const totalPages = Math.ceil(everyone / 100);
    const listCallsAfter = (world.hubspot.calls.byEndpoint['GET /crm/v3/objects/contacts'] ?? 0) - listCallsBefore;
    expect(listCallsAfter).toBeLessThanOrEqual(totalPages - seen.pagesDone);
    expect(verdicts(run)).toEqual({
      read: everyone,
      qualified: LATE_QUALIFYING,
      handedOff: LATE_QUALIFYING,
      alreadyLinked: SEED.qualifying,
      notQualified: SEED.other,
      linkedExisting: 0,
      parked: 0,
      errors: 0,
    });
    const ids = leads().map((lead) => String(lead.Handoff_HubSpot_Id__c));
    expect(ids).toHaveLength(SEED.qualifying + LATE_QUALIFYING);
    expect(new Set(ids).size).toBe(ids.length);
    // Write-backs queued before the kill stayed in the outbox; the restarted service's flusher sends them with the rest.
    await eventually(
      async () => (late.every((contactId) => world.hubspot.contacts.get(contactId)?.properties.handoff_salesforce_id) ? true : undefined),
      30_000,
      'every write-back, those queued before the kill too',
    );
    process.stdout.write(
      `killed after ${seen.pagesDone} pages committed (${seen.counts.handedOff} handed off) with ${leadsAtKill - SEED.qualifying} new Leads in Salesforce; resumed in ${run.attempts} turns, ${listCallsAfter} pages read after the restart\n`,
    );
  }, 180_000);

  it('the command line follows a run to the end with progress lines and exits 0; cancel and resume work through the API', async () => {
    const cli = spawn(pinnedNode, ['src/cli/backfill.ts', '--mode', 'resync', '--dry-run', '--poll-ms', '100', '--url', service.url], {
      env: { PATH: process.env.PATH ?? '', ADMIN_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toMatch(/^backfill run \d+ started: resync, dry run$/m);
    expect(output).toMatch(/^run \d+ done · \d[\d,]*\/[\d,]+ \(100%\) · .* · ETA 0 s$/m);
    expect(output).toContain('(dry run: nothing was written)');

    const started = await api('POST', '/api/backfill', {
      dryRun: true,
      filter: { createdAfter: '2020-01-01', lifecycleStages: ['marketingqualifiedlead'] },
    });
    expect(started.status).toBe(202);
    const cancelled = await api('POST', `/api/backfill/${started.json.id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect((await finished(started.json.id)).status).toBe('cancelled');
    const resumed = await api('POST', `/api/backfill/${started.json.id}/resume`, {});
    expect(resumed.status).toBe(202);
    const done = await finished(started.json.id);
    expect(done).toMatchObject({
      status: 'done',
      counts: expect.objectContaining({ read: SEED.qualifying + LATE_QUALIFYING, alreadyLinked: SEED.qualifying + LATE_QUALIFYING }),
    });
    expect((await api('POST', `/api/backfill/${started.json.id}/resume`, {})).status).toBe(409);
    expect((await api('POST', '/api/backfill', { mode: 'everything', filter: { createdAfter: 'yesterday' } })).json.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'mode' }), expect.objectContaining({ path: 'filter.createdAfter' })]),
    );
  }, 60_000);

  it('leaves exactly one handoff in the audit trail per Lead, re-processed pages included', async () => {
    expect(await service.stop()).toBe(0);
    const db = await world.openDb();
    try {
      const rows = await db.query<{ contact: string; handoffs: number }>(
        `SELECT hubspot_contact_id AS contact, count(*)::int AS handoffs FROM handoff_history WHERE action = 'handed_off' GROUP BY hubspot_contact_id`,
      );
      expect(rows.rows).toHaveLength(SEED.qualifying + LATE_QUALIFYING);
      expect(rows.rows.filter((row) => row.handoffs !== 1)).toEqual([]);
      const links = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM record_links`);
      expect(links.rows[0]?.count).toBe(SEED.qualifying + LATE_QUALIFYING);
    } finally {
      await db.close();
    }
  }, 60_000);
});
