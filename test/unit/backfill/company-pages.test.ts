import { describe, expect, it } from '@jest/globals';
import type { HubSpotPort, SearchContactsRequest } from '../../../src/adapters/hubspot/hubspot-port.ts';
import { contactSource } from '../../../src/jobs/backfill/contact-source.ts';
import type { Database } from '../../../src/store/database.ts';

/** A filtered backfill walk (CRM search) over two contacts; contact 2's associatedcompanyid names company 900. */
function fakeHubSpot() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const port = {
    async searchContacts(request: SearchContactsRequest) {
      calls.push({ method: 'searchContacts', args: [request.properties] });
      return {
        contacts: [
          { id: '1', properties: { email: 'a@x.example' } },
          { id: '2', properties: { email: 'b@x.example', associatedcompanyid: '900' } },
        ],
      };
    },
    async readCompanies(ids: string[], properties: string[]) {
      calls.push({ method: 'readCompanies', args: [ids, properties] });
      return { companies: [{ id: '900', properties: { industry: 'BANKING', numberofemployees: '1200' } }], missing: [] };
    },
  };
  return { port: port as unknown as HubSpotPort, calls };
}

describe('backfill pages see company properties as the real-time handoff does', () => {
  it("searches with the contact properties and associatedcompanyid, then adds the primary company's as company.<name>, one read per page", async () => {
    const { port, calls } = fakeHubSpot();
    const source = contactSource('search', { lifecycleStages: ['lead'] }, ['email', 'company.industry', 'company.numberofemployees'], {
      db: {} as Database,
      hubspot: port,
    });
    const pages = [];
    for await (const page of source.pages(null)) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.contacts).toEqual([
      { id: '1', properties: { email: 'a@x.example' } },
      {
        id: '2',
        properties: {
          email: 'b@x.example',
          associatedcompanyid: '900',
          'company.industry': 'BANKING',
          'company.numberofemployees': '1200',
        },
      },
    ]);
    expect(calls).toEqual([
      { method: 'searchContacts', args: [['email', 'associatedcompanyid']] },
      { method: 'readCompanies', args: [['900'], ['industry', 'numberofemployees']] },
    ]);
  });

  it('makes no company reads when nothing names a company property', async () => {
    const { port, calls } = fakeHubSpot();
    for await (const _page of contactSource('search', { lifecycleStages: ['lead'] }, ['email'], {
      db: {} as Database,
      hubspot: port,
    }).pages(null))
      void _page;
    expect(calls.map((c) => c.method)).toEqual(['searchContacts']);
  });
});
