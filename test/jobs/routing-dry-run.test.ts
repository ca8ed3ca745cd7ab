import { describe, expect, it } from '@jest/globals';
import { parseMappingFiles } from '../../src/config/mappings.ts';
import { dryRunRoute } from '../../src/jobs/routing/dry-run-route.ts';
import type { ResolvedDirectory } from '../../src/jobs/routing/routing-deps.ts';
import type { Database } from '../../src/store/database.ts';
import { memberStatesOf } from '../../src/store/routing-admin.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

const ANA = '005A00000000001';
const BEN = '005A00000000002';
const ROUTING = `version: "1"
pools:
  - id: team
    label: Team
    members: [{ user: ana@acme.example }, { user: ben@acme.example }]
rules:
  - { id: team, label: Team, strategy: pool, pool: team }
fallback: salesforce-rules
`;
const bundle = parseMappingFiles({ ...shippedFiles(), 'routing.yaml': ROUTING });
const directory: ResolvedDirectory = {
  users: new Map([
    ['ana@acme.example', { id: ANA, active: true }],
    ['ben@acme.example', { id: BEN, active: true }],
  ]),
  queues: new Map(),
  people: new Map(),
};
const contact = { id: '501', properties: { email: 'jane@customer.example', lastname: 'Doe', demo_requested: 'true' } };

describe('routing dry run (admin page, POST /api/routing/dry-run)', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });
  const deps = () => ({
    db,
    hubspot: {
      readContacts: async (ids: string[]) => ({
        contacts: ids.includes(contact.id) ? [contact] : [],
        missing: ids.filter((id) => id !== contact.id),
      }),
      readCompanies: async () => ({ companies: [], missing: [] }),
      ownerEmails: async () => new Map<string, string>(),
    },
    salesforce: { query: async <T>() => [] as T[] },
    resolveDirectory: async () => directory,
    mappings: () => bundle,
    now: () => new Date('2026-12-07T11:00:00Z'),
  });

  it('says who would get the Lead now, and asking again takes no turn: the same member, no pool row written', async () => {
    const first = await dryRunRoute(contact.id, deps());
    const again = await dryRunRoute(contact.id, deps());
    expect(first).toMatchObject({
      contactId: '501',
      qualified: true,
      decision: { rule: { id: 'team' }, owner: { kind: 'user', id: ANA } },
    });
    expect(again?.decision.owner).toEqual(first?.decision.owner);
    expect(await memberStatesOf(db, ['team'])).toEqual([]);
  });

  it('answers undefined for a contact HubSpot does not have', async () => {
    expect(await dryRunRoute('999', deps())).toBeUndefined();
  });
});
