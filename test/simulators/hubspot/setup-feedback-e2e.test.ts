import { describe, expect, it } from '@jest/globals';
import { createHubSpotAdapter } from '../../../src/adapters/hubspot/adapter.ts';
import { writeContactChanges } from '../../../src/adapters/hubspot/contact-writes.ts';
import { HUBSPOT_LIMITS } from '../../../src/adapters/hubspot/limits.ts';
import { createListIdResolver } from '../../../src/adapters/hubspot/list-ids.ts';
import { ensureHubSpotSetup } from '../../../src/adapters/hubspot/setup.ts';
import type { HubSpotSetupSpec } from '../../../src/core/setup-spec.ts';
import { silentLogger } from '../../../src/log.ts';
import type { HubSpotSimulator } from '../../../src/simulators/hubspot/server.ts';
import { useHubSpotSimulator } from '../../support/hubspot-simulator.ts';

const TOKEN = 'sim-token';
let sim: HubSpotSimulator;

const spec: HubSpotSetupSpec = {
  properties: [
    {
      name: 'handoff_rejection_reason',
      label: 'Rejection reason',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'handoff',
      options: [
        { label: 'Bad fit', value: 'bad_fit' },
        { label: 'Bad timing', value: 'bad_timing' },
      ],
    },
    { name: 'handoff_rejected_at', label: 'Rejected at', type: 'datetime', fieldType: 'date', groupName: 'handoff' },
    { name: 'handoff_mql_score', label: 'MQL score', type: 'number', fieldType: 'number', groupName: 'handoff' },
  ],
  lists: ['Nurture - bad timing', 'Nurture - bad fit', 'Sales ready'],
};

function adapter() {
  return createHubSpotAdapter({
    accessToken: TOKEN,
    baseUrl: sim.url,
    logger: silentLogger(),
    retryPolicy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    sleep: async () => {},
  });
}

useHubSpotSimulator(TOKEN, (started) => (sim = started));

describe('ensureHubSpotSetup against the simulator', () => {
  it('creates everything once, then finds everything and creates nothing', async () => {
    const first = await ensureHubSpotSetup(adapter(), spec);
    expect(first.properties).toEqual({ created: ['handoff_rejection_reason', 'handoff_rejected_at', 'handoff_mql_score'], found: [] });
    expect(first.lists.created.map((list) => list.name)).toEqual(spec.lists);
    expect(first.lists.found).toEqual([]);
    expect(first.problems).toEqual([]);

    const second = await ensureHubSpotSetup(adapter(), spec);
    expect(second.properties).toEqual({ created: [], found: ['handoff_rejection_reason', 'handoff_rejected_at', 'handoff_mql_score'] });
    expect(second.lists).toEqual({ created: [], found: first.lists.created });
    expect(second.problems).toEqual([]);
    expect(sim.calls.byEndpoint['POST /crm/v3/properties/contacts']).toBe(3);
    expect(sim.calls.byEndpoint['POST /crm/v3/lists']).toBe(3);
  });

  it('reports an existing property of another type, or lacking options, and leaves it alone', async () => {
    const api = adapter();
    await api.createProperty({
      name: 'handoff_rejection_reason',
      label: 'Reason',
      type: 'string',
      fieldType: 'text',
      groupName: 'contactinformation',
    });
    await api.createProperty({
      name: 'handoff_rejected_at',
      label: 'Rejected at',
      type: 'datetime',
      fieldType: 'date',
      groupName: 'handoff',
    });
    const report = await ensureHubSpotSetup(api, {
      properties: [
        spec.properties[0]!,
        spec.properties[1]!,
        {
          ...spec.properties[0]!,
          name: 'hs_lead_status',
          options: [
            { label: 'Recycled', value: 'RECYCLED' },
            { label: 'New', value: 'NEW' },
          ],
        },
      ],
      lists: [],
    });
    expect(report.properties).toEqual({ created: [], found: ['handoff_rejected_at'] });
    expect(report.problems).toEqual([
      'property handoff_rejection_reason: exists in HubSpot as type "string" but the mappings need "enumeration"; setup does not change existing properties, fix it in HubSpot',
      'property hs_lead_status: exists in HubSpot without the option "RECYCLED"; add it in HubSpot',
    ]);
    expect((await api.listProperties()).find((property) => property.name === 'handoff_rejection_reason')?.type).toBe('string');
  });

  it("updates a property's options as PATCH does (the list replaced), and refuses values outside them", async () => {
    const api = adapter();
    await ensureHubSpotSetup(api, spec);
    const contact = sim.createContact({ email: 'options@example.com' });
    const patch = (name: string, body: unknown) =>
      fetch(`${sim.url}/crm/v3/properties/contacts/${name}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const narrowed = await patch('handoff_rejection_reason', { options: [{ label: 'Bad fit', value: 'bad_fit' }] });
    expect(narrowed.status).toBe(200);
    expect(((await narrowed.json()) as { options: { value: string }[] }).options.map((o) => o.value)).toEqual(['bad_fit']);
    expect((await api.updateContacts([{ id: contact, properties: { handoff_rejection_reason: 'bad_timing' } }])).failed).toEqual([
      expect.objectContaining({ id: contact, status: 400 }),
    ]);
    expect((await patch('handoff_rejection_reason', { options: spec.properties[0]!.options })).status).toBe(200);
    expect((await api.updateContacts([{ id: contact, properties: { handoff_rejection_reason: 'bad_timing' } }])).updated).toEqual([
      contact,
    ]);
    expect((await patch('no_such_property', { label: 'x' })).status).toBe(404);
    expect((await patch('hs_object_id', { label: 'x' })).status).toBe(400);
    expect((await patch('handoff_rejection_reason', { options: 'all' })).status).toBe(400);
  });

  it('reports a property HubSpot refuses and still creates the lists', async () => {
    const report = await ensureHubSpotSetup(adapter(), {
      properties: [{ name: 'Bad Name', label: 'Bad', type: 'string', fieldType: 'text', groupName: 'handoff' }],
      lists: ['Sales ready'],
    });
    expect(report.problems).toEqual([expect.stringMatching(/^property Bad Name: could not be created: .*400 VALIDATION_ERROR/)]);
    expect(report.lists.created.map((list) => list.name)).toEqual(['Sales ready']);
  });
});

describe('lifecycle moves and list memberships against the simulator', () => {
  it('lands a backward lifecycle move, which one plain batch update cannot do', async () => {
    const api = adapter();
    const naive = sim.createContact({ email: 'naive@example.com', lifecyclestage: 'marketingqualifiedlead' });
    const recycled = sim.createContact({ email: 'recycled@example.com', lifecyclestage: 'marketingqualifiedlead' });
    const promoted = sim.createContact({ email: 'promoted@example.com', lifecyclestage: 'marketingqualifiedlead' });
    await ensureHubSpotSetup(api, spec);

    await api.updateContacts([{ id: naive, properties: { lifecyclestage: 'lead' } }]);
    expect(sim.contacts.get(naive)?.properties.lifecyclestage).toBe('marketingqualifiedlead'); // HubSpot ignored it

    const result = await writeContactChanges(api, [
      { id: recycled, properties: { handoff_rejection_reason: 'bad_timing' }, lifecyclestage: { value: 'lead', backward: true } },
      { id: promoted, properties: { handoff_mql_score: '80' }, lifecyclestage: { value: 'salesqualifiedlead', backward: false } },
    ]);
    expect(result).toEqual({ updated: [promoted, recycled], failed: [] });
    expect(sim.contacts.get(recycled)?.properties).toMatchObject({ lifecyclestage: 'lead', handoff_rejection_reason: 'bad_timing' });
    expect(sim.contacts.get(promoted)?.properties).toMatchObject({ lifecyclestage: 'salesqualifiedlead', handoff_mql_score: '80' });
  });

  it('moves contacts between lists by name', async () => {
    const api = adapter();
    await ensureHubSpotSetup(api, spec);
    const ids = [1, 2, 3].map((n) => sim.createContact({ email: `l${n}@example.com` }));
    const lists = await createListIdResolver(api).resolve(['Sales ready', 'Nurture - bad timing']);

    const added = await api.addToList(lists.get('Sales ready')!, [...ids, '424242']);
    expect(added).toEqual({ changed: ids, missing: ['424242'] });
    await api.removeFromList(lists.get('Sales ready')!, [ids[0]!]);
    await api.addToList(lists.get('Nurture - bad timing')!, [ids[0]!]);

    expect(sim.lists.members('Sales ready')).toEqual([ids[1], ids[2]]);
    expect(sim.lists.members('Nurture - bad timing')).toEqual([ids[0]]);
  });

  it('refuses a membership request over the per-request limit', async () => {
    const api = adapter();
    const { listId } = await api.createList('Big');
    const ids = Array.from({ length: HUBSPOT_LIMITS.listMembershipMaxIds + 1 }, (_, i) => String(i + 1));
    const response = await fetch(`${sim.url}/crm/v3/lists/${listId}/memberships/add`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(ids),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ category: 'VALIDATION_ERROR' });
    // The adapter chunks, so the same ids go through.
    expect(await api.addToList(listId, ids)).toEqual({ changed: [], missing: ids });
    expect(sim.calls.byEndpoint['PUT /crm/v3/lists/{listId}/memberships/add']).toBe(3); // the refused one, then two chunks
  });
});
