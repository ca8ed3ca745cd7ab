import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runStatus } from '../../src/cli/status.ts';
import { eventually, type RunningService } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, propertyChangeEvent, type World } from './support/world.ts';

type Row = Record<string, unknown>;

describe('MQL handoff end to end', () => {
  let world: World;
  let service: RunningService;
  const ids: Record<string, string> = {};
  let existingLeadId = '';
  let existingContactId = '';
  let firstBatch = '';

  const leads = () => world.salesforce.records('Lead') as Row[];
  const leadFor = (contactId: string) => leads().find((lead) => lead.Handoff_HubSpot_Id__c === contactId);

  beforeAll(async () => {
    world = await createWorld();
    ids.fastTrack = world.hubspot.createContact({
      email: 'ada@analytical.example',
      firstname: 'Ada',
      lastname: 'Lovelace',
      company: 'Analytical Engines',
      jobtitle: 'VP Engineering',
      demo_requested: 'true',
    });
    // Size and industry sit on the contacts' primary companies, as in most portals (HubSpot's default company properties).
    ids.scored = world.hubspot.createContact({
      email: 'grace@compilers.example',
      firstname: 'Grace',
      lastname: 'Hopper',
      company: 'Compilers Inc',
      jobtitle: 'Director of Engineering',
      country: 'Germany',
      pricing_page_views: '3',
    });
    world.hubspot.associate(
      ids.scored,
      world.hubspot.createCompany({
        name: 'Compilers Inc',
        domain: 'compilers.example',
        industry: 'COMPUTER_SOFTWARE',
        numberofemployees: '200',
      }),
    );
    ids.lowScore = world.hubspot.createContact({
      email: 'alan@bletchley.example',
      firstname: 'Alan',
      lastname: 'Turing',
      company: 'Bletchley',
      jobtitle: 'Analyst',
      pricing_page_views: '1',
    });
    ids.personal = world.hubspot.createContact({
      email: 'linus@gmail.com',
      firstname: 'Linus',
      lastname: 'T',
      company: 'Kernel',
      jobtitle: 'CTO',
      demo_requested: 'true',
    });
    ids.enterpriseShort = world.hubspot.createContact({
      email: 'barbara@bigcorp.example',
      lastname: 'Liskov',
      company: 'BigCorp',
      jobtitle: 'VP Platform',
      email_clicks: '2',
    });
    const bigCorp = world.hubspot.createCompany({
      name: 'BigCorp',
      domain: 'bigcorp.example',
      industry: 'COMPUTER_SOFTWARE',
      numberofemployees: '5000',
    });
    // A second, non-primary company must not be read: only the primary one counts.
    world.hubspot.associate(ids.enterpriseShort, world.hubspot.createCompany({ name: 'Tiny Reseller', numberofemployees: '3' }), {
      primary: false,
    });
    world.hubspot.associate(ids.enterpriseShort, bigCorp);
    ids.knownLead = world.hubspot.createContact({
      email: 'hedy@frequency.example',
      firstname: 'Hedy',
      lastname: 'Lamarr',
      company: 'Frequency Hopping',
      demo_requested: 'true',
    });
    ids.knownContact = world.hubspot.createContact({
      email: 'katherine@orbit.example',
      firstname: 'Katherine',
      lastname: 'Johnson',
      company: 'Orbit',
      demo_requested: 'true',
    });
    existingLeadId = String(
      world.salesforce.createRecord('Lead', {
        LastName: 'Lamarr',
        Company: 'Frequency Hopping',
        Email: 'Hedy@Frequency.example',
        Status: 'Working - Contacted',
      }).Id,
    );
    existingContactId = String(world.salesforce.createRecord('Contact', { LastName: 'Johnson', Email: 'katherine@orbit.example' }).Id);
    service = await world.start();
  });

  afterAll(async () => {
    await service?.kill();
    await world?.close();
  });

  it('answers a signed batch at once and hands off exactly the qualified contacts', async () => {
    const events = [
      ...Object.values(ids).map((id) => creationEvent(id)),
      propertyChangeEvent(ids.scored!, 'pricing_page_views', '3'),
      propertyChangeEvent(ids.fastTrack!, 'demo_requested', 'true'),
    ];
    firstBatch = JSON.stringify(events);
    const response = await deliverWebhook(service.url, world, firstBatch);
    expect(response).toEqual({ status: 200, json: { received: events.length, stored: events.length, duplicates: 0, rejected: 0 } });

    await eventually(
      async () => (leadFor(ids.fastTrack!) && leadFor(ids.scored!) && leadFor(ids.knownLead!) ? true : undefined),
      15_000,
      'leads',
    );
    await eventually(
      async () => (world.hubspot.contacts.get(ids.knownContact!)?.properties.handoff_salesforce_id ? true : undefined),
      15_000,
      'contact link',
    );

    // One Lead per qualified person: two created, one adopted, none for the rest.
    expect(leads()).toHaveLength(3);
    for (const key of ['lowScore', 'personal', 'enterpriseShort', 'knownContact']) expect(leadFor(ids[key]!)).toBeUndefined();

    const ada = leadFor(ids.fastTrack!)!;
    expect(ada).toMatchObject({
      Email: 'ada@analytical.example',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Company: 'Analytical Engines',
      Title: 'VP Engineering',
      Status: 'Open - Not Contacted',
      MQL_Score__c: 15,
    });
    expect(ada.MQL_Definition_Version__c).toMatch(/^2025\.1@[0-9a-f]{7}$/);
    expect(ada.MQL_Breakdown__c).toContain('Demo requested');
    expect(ada.MQL_Breakdown__c).toContain(`Definition version: ${ada.MQL_Definition_Version__c}`);
    expect(typeof ada.MQL_Date__c).toBe('string');

    const grace = leadFor(ids.scored!)!;
    expect(grace).toMatchObject({ Industry: 'Technology', NumberOfEmployees: 200, Country: 'Germany', MQL_Score__c: 60 });
    expect(grace.MQL_Breakdown__c).toMatch(/\+15\s+Pricing page views/);

    // The rep's Lead found by e-mail is adopted: linked and scored, its status left as the rep set it.
    const hedy = leadFor(ids.knownLead!)!;
    expect(hedy).toMatchObject({ Id: existingLeadId, Status: 'Working - Contacted', MQL_Score__c: 0 });

    // HubSpot learns the stage and the Salesforce id.
    expect(world.hubspot.contacts.get(ids.fastTrack!)!.properties).toMatchObject({
      lifecyclestage: 'marketingqualifiedlead',
      hs_lead_status: 'NEW',
      handoff_salesforce_id: ada.Id,
      handoff_mql_score: '15',
    });
    expect(world.hubspot.contacts.get(ids.knownContact!)!.properties.handoff_salesforce_id).toBe(existingContactId);
    expect(world.hubspot.contacts.get(ids.lowScore!)!.properties.lifecyclestage).toBeUndefined();

    // Companies are read per batch, not per contact: the primary company's id comes with the contacts batch read
    // (associatedcompanyid), then at most one companies batch read for each contacts batch read.
    const calls = world.hubspot.calls.byEndpoint;
    const contactReads = calls['POST /crm/v3/objects/contacts/batch/read'] ?? 0;
    expect(contactReads).toBeGreaterThan(0);
    expect(calls['POST /crm/v4/associations/contacts/companies/batch/read']).toBeUndefined();
    expect(calls['POST /crm/v3/objects/companies/batch/read'] ?? 0).toBeLessThanOrEqual(contactReads);
    expect(calls['POST /crm/v3/objects/companies/batch/read'] ?? 0).toBeGreaterThan(0);
  });

  it('stores a redelivered batch once and writes nothing twice', async () => {
    const writesBefore = (world.salesforce.calls.create ?? 0) + (world.salesforce.calls.upsert ?? 0) + (world.salesforce.calls.update ?? 0);
    const response = await deliverWebhook(service.url, world, firstBatch);
    expect(response.status).toBe(200);
    expect(response.json.stored).toBe(0);
    expect(response.json.duplicates).toBe(JSON.parse(firstBatch).length);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(leads()).toHaveLength(3);
    expect((world.salesforce.calls.create ?? 0) + (world.salesforce.calls.upsert ?? 0) + (world.salesforce.calls.update ?? 0)).toBe(
      writesBefore,
    );
  });

  it('refuses forged, stale and malformed deliveries', async () => {
    const body = JSON.stringify([creationEvent(ids.lowScore!)]);
    expect((await deliverWebhook(service.url, world, body, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await deliverWebhook(service.url, world, body, { timestamp: Date.now() - 10 * 60 * 1000 })).status).toBe(401);
    // A malformed event is refused on its own and recorded as rejected (HubSpot would drop a 400'd delivery whole).
    const malformed = await deliverWebhook(service.url, world, JSON.stringify([{ ...creationEvent(ids.lowScore!), objectId: 'nope' }]));
    expect(malformed).toEqual({ status: 200, json: { received: 1, stored: 0, duplicates: 0, rejected: 1 } });
    expect((await deliverWebhook(service.url, world, JSON.stringify({ not: 'an array' }))).status).toBe(400);
  });

  it('re-evaluates changed contacts: field changes reach the Lead, only new verdicts reach the audit', async () => {
    world.hubspot.updateContact(ids.fastTrack!, { jobtitle: 'CTO' });
    world.hubspot.updateContact(ids.lowScore!, { pricing_page_views: '2' });
    const batch = [
      propertyChangeEvent(ids.fastTrack!, 'jobtitle', 'CTO'),
      propertyChangeEvent(ids.lowScore!, 'firstname', 'Alan'),
      propertyChangeEvent(ids.lowScore!, 'pricing_page_views', '2'),
      propertyChangeEvent(ids.personal!, 'firstname', 'Linus'),
    ];
    expect((await deliverWebhook(service.url, world, JSON.stringify(batch))).status).toBe(200);
    const ada = await eventually(async () => (leadFor(ids.fastTrack!)?.Title === 'CTO' ? leadFor(ids.fastTrack!) : undefined));
    // Status, score and MQL date belong to the handoff moment; a field change leaves them alone.
    expect(ada).toMatchObject({ Status: 'Open - Not Contacted', MQL_Score__c: 15 });
    expect(leads()).toHaveLength(3);
  });

  it('answers `status` for a contact id, a Lead id and an e-mail through the admin API', async () => {
    const lines: string[] = [];
    const out = { write: (text: string) => lines.push(text) };
    const env = { ADMIN_TOKEN: world.env.ADMIN_TOKEN };
    const ada = leadFor(ids.fastTrack!)!;
    expect(await runStatus({ argv: [ids.fastTrack!, '--url', service.url], env, out })).toBe(0);
    expect(lines.join('')).toContain(`HubSpot contact ${ids.fastTrack} ⇄ Salesforce Lead ${ada.Id}`);
    expect(lines.join('')).toMatch(/handed_off\s+\[mql\] score 15 definition 2025\.1@[0-9a-f]{7} — /);
    lines.length = 0;
    expect(await runStatus({ argv: [String(ada.Id), '--url', service.url], env, out })).toBe(0);
    expect(lines.join('')).toContain(`HubSpot contact ${ids.fastTrack}`);
    lines.length = 0;
    expect(await runStatus({ argv: ['alan@bletchley.example', '--url', service.url], env, out })).toBe(0);
    expect(lines.join('')).toMatch(/not in Salesforce\n.*not_qualified .*score 5/);
    lines.length = 0;
    expect(await runStatus({ argv: ['nobody@nowhere.example', '--url', service.url], env, out })).toBe(1);
    expect(await runStatus({ argv: [ids.fastTrack!, '--url', service.url], env: { ADMIN_TOKEN: 'wrong' }, out })).toBe(1);
    expect(lines.join('')).toContain('nothing known about nobody@nowhere.example');
  });

  it('counts the handoffs in the KPIs and the Prometheus metrics', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const next = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const kpis = await fetch(`${service.url}/api/kpis?from=${day}&to=${next}&groupBy=segment`, {
      headers: { authorization: `Bearer ${world.env.ADMIN_TOKEN}` },
    });
    expect(kpis.status).toBe(200);
    const report = (await kpis.json()) as { total: { funnel: { mql: number } }; groups: { key: string; funnel: { mql: number } }[] };
    // Ada (fast track), Grace (scored 60) and Hedy (adopted Lead): all SMB.
    expect(report.total.funnel.mql).toBe(3);
    expect(report.groups.map((g) => [g.key, g.funnel.mql])).toEqual([['smb', 3]]);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/^handoff_handoffs_total\{outcome="handed_off"\} 3$/m);
    expect(metrics).toMatch(/^handoff_sync_latency_seconds_count 3$/m);
    // The malformed event refused on its own above.
    expect(metrics).toMatch(/^handoff_webhook_events_rejected_total 1$/m);
    expect(metrics).toMatch(/^handoff_api_calls_total\{provider="hubspot",operation="readContacts"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^handoff_api_calls_total\{provider="salesforce",operation="createLeads"\} [1-9]\d*$/m);
  });

  it('never writes credentials or e-mail addresses to its logs', () => {
    const logs = service.output.join('\n');
    expect(logs).toContain('handoff batch done');
    for (const secret of [
      'ADMIN_TOKEN',
      'HUBSPOT_ACCESS_TOKEN',
      'HUBSPOT_CLIENT_SECRET',
      'SALESFORCE_CLIENT_SECRET',
      'SALESFORCE_REFRESH_TOKEN',
    ]) {
      expect(logs).not.toContain(world.env[secret]);
    }
    for (const contact of world.hubspot.contacts.all()) expect(logs).not.toContain(String(contact.properties.email));
  });

  it('keeps an audit trail saying why each contact was or was not handed off', async () => {
    await eventually(
      async () => {
        const readiness = (await (await fetch(`${service.url}/readyz`)).json()) as { pendingEvents: number };
        return readiness.pendingEvents === 0 ? true : undefined;
      },
      15_000,
      'an empty inbox backlog',
    );
    expect(await service.stop()).toBe(0);
    const db = await world.openDb();
    try {
      const history = async (id: string) =>
        (
          await db.query<Row>(
            'SELECT action, reason, score, definition_version FROM handoff_history WHERE hubspot_contact_id = $1 ORDER BY id',
            [id],
          )
        ).rows;
      expect((await history(ids.fastTrack!)).map((h) => h.action)).toEqual(['handed_off', 'routed', 'lead_updated']);
      const lowScore = await history(ids.lowScore!);
      expect(lowScore).toHaveLength(2);
      expect(lowScore[0]).toMatchObject({
        action: 'not_qualified',
        score: 5,
        reason: expect.stringContaining('below the SMB threshold 50'),
      });
      expect(lowScore[1]).toMatchObject({ action: 'not_qualified', score: 10 });
      const personal = await history(ids.personal!);
      expect(personal).toHaveLength(1);
      expect(personal[0]).toMatchObject({ action: 'not_qualified', reason: expect.stringContaining('Excluded: personal e-mail domain') });
      expect((await history(ids.enterpriseShort!))[0]).toMatchObject({
        action: 'not_qualified',
        reason: expect.stringContaining('Enterprise'),
      });
      expect((await history(ids.knownContact!))[0]).toMatchObject({ action: 'linked_existing' });
      const inbox = (await db.query<Row>('SELECT count(*)::int AS total, count(processed_at)::int AS processed FROM webhook_inbox'))
        .rows[0];
      // The first batch and the change batch were stored; forged, stale, malformed and redelivered ones were not.
      const stored = JSON.parse(firstBatch).length + 4;
      expect(inbox).toEqual({ total: stored, processed: stored });
    } finally {
      await db.close();
    }
  });
});
