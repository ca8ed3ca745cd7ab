import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadMappings } from '../../src/config/mappings.ts';
import { listMembers } from './support/hubspot-lists.ts';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, type World } from './support/world.ts';

type Row = Record<string, unknown>;
const BATCH_UPDATE = 'POST /crm/v3/objects/contacts/batch/update';
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('parked work replayed end to end', () => {
  let world: World;
  let service: RunningService;
  const contacts: string[] = [];

  async function admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${world.env.ADMIN_TOKEN}`, 'content-type': 'application/json', 'x-admin-name': 'Ana Ops' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: await response.json() };
  }
  const leadsOf = (contactId: string) =>
    (world.salesforce.records('Lead') as Row[]).filter((lead) => lead.Handoff_HubSpot_Id__c === contactId);
  const inboxEmpty = async () =>
    ((await (await fetch(`${service.url}/readyz`)).json()) as { pendingEvents: number }).pendingEvents === 0 ? true : undefined;
  /** What an admin does in HubSpot's property settings: the dropdown's options, as a whole list. */
  const setReasonOptions = async (options: { label: string; value: string }[]) => {
    const response = await fetch(`${world.hubspot.url}/crm/v3/properties/contacts/handoff_rejection_reason`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${world.env.HUBSPOT_ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ options }),
    });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    world = await createWorld();
    service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: '1' });
  });

  afterAll(async () => {
    await service?.kill();
    await world?.close();
  });

  it('parks handoffs a Salesforce validation rule refuses; after the fix one bulk replay creates one Lead per contact', async () => {
    for (const n of [1, 2, 3])
      contacts.push(
        world.hubspot.createContact({
          email: `emea${n}@buyer.example`,
          lastname: `Emea ${n}`,
          company: `Emea ${n} GmbH`,
          demo_requested: 'true',
        }),
      );
    // A validation rule the org added refuses every new Lead until an admin fixes it.
    world.salesforce.injectFaults({
      status: 400,
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Region is required for EMEA leads',
      count: 1_000,
      kinds: ['create'],
    });
    expect((await deliverWebhook(service.url, world, JSON.stringify(contacts.map((id) => creationEvent(id))))).status).toBe(200);

    const parked = await eventually(
      async () => {
        const { json } = await admin('GET', '/api/parked?kind=handoff&code=FIELD_CUSTOM_VALIDATION_EXCEPTION');
        return json.items.length === contacts.length ? (json.items as Row[]) : undefined;
      },
      30_000,
      'three parked handoffs',
    );
    expect(parked.map((item) => item.recordKey).sort()).toEqual([...contacts].sort());
    for (const item of parked) {
      expect(item).toMatchObject({
        provider: 'salesforce',
        attempts: 1,
        needsPerson: false,
        waitingFor: null,
        replays: [],
        resolvedAt: null,
      });
      expect(item.message).toContain('Region is required for EMEA leads');
    }
    await eventually(inboxEmpty, 10_000, 'the events settled as parked');
    expect(world.salesforce.records('Lead')).toHaveLength(0);

    world.salesforce.clearFaults(); // the admin fixed the rule
    const bulk = await admin('POST', '/api/parked/retry-all', { kind: 'handoff', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' });
    expect(bulk.status).toBe(200);
    expect(bulk.json.failed).toEqual([]);
    expect(bulk.json.retried.map((r: Row) => [r.recordKey, r.outcome]).sort()).toEqual(
      [...contacts].sort().map((id) => [id, 'handed_off']),
    );

    await eventually(
      async () => (contacts.every((id) => world.hubspot.contacts.get(id)?.properties.handoff_salesforce_id) ? true : undefined),
      30_000,
      'every Lead written back',
    );
    await eventually(inboxEmpty, 10_000, 'the replays processed');
    await settle(2_000); // polls and sweeps come and go; nothing more may be created
    for (const id of contacts) {
      expect(leadsOf(id)).toHaveLength(1);
      expect(world.hubspot.contacts.get(id)!.properties.handoff_salesforce_id).toBe(String(leadsOf(id)[0]!.Id));
    }
    expect(world.salesforce.records('Lead')).toHaveLength(contacts.length);

    const resolved = (await admin('GET', '/api/parked?open=false&kind=handoff')).json.items as Row[];
    for (const item of resolved) {
      expect(item.resolvedAt).toEqual(expect.any(String));
      expect(item.replays).toEqual([expect.objectContaining({ actor: 'Ana Ops', outcome: 'handed_off' })]);
    }
    expect((await admin('GET', '/api/parked')).json.items).toEqual([]);
    const again = await admin('POST', `/api/parked/${parked[0]!.id}/retry`, {});
    expect(again.status).toBe(404);
    expect(leadsOf(String(parked[0]!.recordKey))).toHaveLength(1);
  }, 120_000);

  it('parks sales feedback HubSpot refuses; after the fix a replay writes it exactly once', async () => {
    const mappings = await loadMappings('mappings');
    const reasonProperty = mappings.hubspotSetup.properties.find((property) => property.name === 'handoff_rejection_reason')!;
    const contactId = contacts[0]!;
    const leadId = String(leadsOf(contactId)[0]!.Id);
    // Someone removed an option from the HubSpot dropdown; the rep then rejects with that reason.
    await setReasonOptions(reasonProperty.options!.filter((option) => option.value !== 'no_need'));
    world.salesforce.updateRecord('Lead', leadId, { Status: 'Rejected', Rejection_Reason__c: 'no_need' });

    const item = await eventually(
      async () => {
        const { json } = await admin('GET', '/api/parked?kind=sales_feedback&provider=hubspot');
        return (json.items as Row[]).find((candidate) => candidate.recordKey === leadId);
      },
      20_000,
      'the parked feedback',
    );
    expect(item).toMatchObject({
      attempts: 1,
      context: { contactId, feedback: { properties: expect.objectContaining({ handoff_rejection_reason: 'no_need' }) } },
    });
    expect(String(item.message)).toContain('VALIDATION_ERROR');
    expect(world.hubspot.contacts.get(contactId)!.properties.handoff_rejection_reason ?? '').toBe('');
    await settle(2_500); // more polls: the Lead is remembered, nothing retries forever on its own
    expect((await admin('GET', '/api/parked?kind=sales_feedback')).json.items).toEqual([
      expect.objectContaining({ id: item.id, attempts: 1 }),
    ]);

    await setReasonOptions(reasonProperty.options!); // the fix
    const writesBefore = world.hubspot.calls.byEndpoint[BATCH_UPDATE] ?? 0;
    const replayed = await admin('POST', `/api/parked/${item.id}/retry`, {});
    expect(replayed.status).toBe(200);
    expect(replayed.json).toEqual({ id: item.id, kind: 'sales_feedback', recordKey: leadId, outcome: 'done', retried: true });
    expect(world.hubspot.contacts.get(contactId)!.properties.handoff_rejection_reason).toBe('no_need');
    expect(await listMembers(world, 'Nurture – No need')).toContain(contactId);

    await settle(2_500);
    expect((world.hubspot.calls.byEndpoint[BATCH_UPDATE] ?? 0) - writesBefore).toBe(1);
    expect((await admin('POST', `/api/parked/${item.id}/retry`, {})).status).toBe(404);
    const history = (await admin('GET', `/api/records/${contactId}`)).json.history as Row[];
    const sinceHandoff = history.slice(history.findLastIndex((entry) => entry.action === 'handed_off') + 1);
    // The SLA clocks stop with the rejection itself (the poll saw it); the feedback is audited when it lands.
    expect(sinceHandoff.map((entry) => entry.action).filter((action) => action !== 'sla_stopped')).toEqual([
      'routed',
      'parked',
      'rejected',
      'replayed',
    ]);
    expect(sinceHandoff.find((entry) => entry.action === 'rejected')).toMatchObject({
      salesforceId: leadId,
      detail: { reasonCode: 'no_need', replayOf: item.id },
    });
    expect(history.filter((entry) => entry.action === 'handed_off')).toHaveLength(1);
  }, 90_000);

  it("keeps a replay through a crash right after the admin's click: the restarted service finishes it", async () => {
    const contactId = world.hubspot.createContact({
      email: 'crash@buyer.example',
      lastname: 'Crash',
      company: 'Crash Ltd',
      demo_requested: 'true',
    });
    world.salesforce.injectFaults({
      status: 400,
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Region is required for EMEA leads',
      count: 1,
      kinds: ['create'],
    });
    await deliverWebhook(service.url, world, JSON.stringify([creationEvent(contactId)]));
    const item = await eventually(
      async () => ((await admin('GET', '/api/parked?kind=handoff')).json.items as Row[]).find((i) => i.recordKey === contactId),
      20_000,
      'the parked handoff',
    );

    // Salesforce is down when the admin replays, so the replay cannot finish before the crash.
    world.salesforce.injectFaults({ status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 1_000_000 });
    const callsBefore = world.salesforce.calls.total ?? 0;
    expect((await admin('POST', `/api/parked/${item.id}/retry`, {})).json).toMatchObject({ outcome: 'handed_off' });
    await eventually(async () => ((world.salesforce.calls.total ?? 0) > callsBefore ? true : undefined), 10_000, 'a Salesforce attempt');
    await service.kill();
    expect(leadsOf(contactId)).toHaveLength(0);

    world.salesforce.clearFaults();
    service = await world.start({ SALESFORCE_POLL_INTERVAL_SECONDS: '1' });
    await eventually(async () => (leadsOf(contactId).length > 0 ? true : undefined), 45_000, 'the Lead after the restart');
    await eventually(inboxEmpty, 10_000, 'the replay settled');
    expect(leadsOf(contactId)).toHaveLength(1);
    expect((await admin('GET', '/api/parked?kind=handoff')).json.items).toEqual([]);
  }, 120_000);
});
