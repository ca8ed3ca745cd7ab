import { parseRouting, type RoutingConfig } from '../../src/core/routing/routing-schema.ts';
import type { DirectoryPerson, ResolveDirectory, ResolvedDirectory } from '../../src/jobs/routing/routing-deps.ts';
import { OWNER_A, OWNER_B } from '../kpis/routing-seed.ts';

const ALL_DAY = ['00:00', '23:59'];
const everyDay = (zone: string) => ({
  timeZone: zone,
  businessHours: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
});

/**
 * Pool "ent" works in Berlin (so its day turns at 23:00 UTC in December); cara keeps UTC days. dan is inactive in
 * Salesforce and eve unknown there. Pool "inbound" gives every Lead to a queue.
 */
export function testRouting(): RoutingConfig {
  const parsed = parseRouting('routing.yaml', {
    version: 'routing-test-1',
    pools: [
      {
        id: 'ent',
        label: 'Enterprise reps',
        calendar: everyDay('Europe/Berlin'),
        manager: 'lena@example.test',
        members: [
          { user: 'ana@example.test', weight: 2, dailyCap: 3 },
          { user: 'ben@example.test' },
          { user: 'Cara@Example.test', calendar: everyDay('UTC') },
          { user: 'dan@example.test' },
          { user: 'eve@example.test' },
        ],
      },
      { id: 'inbound', label: 'Inbound queue', queue: 'Inbound_Leads' },
    ],
    rules: [{ id: 'enterprise', label: 'Enterprise', strategy: 'pool', pool: 'ent' }],
    fallback: 'salesforce-rules',
  });
  if (!parsed.ok) throw new Error(`test routing does not parse: ${JSON.stringify(parsed.problems)}`);
  return parsed.value;
}

export const PEOPLE: DirectoryPerson[] = [
  { id: OWNER_A, name: 'Ana Ruiz', email: 'ana@example.test', active: true, managerId: null },
  { id: OWNER_B, name: 'Ben Okafor', email: 'ben@example.test', active: true, managerId: null },
  { id: '005000000000003AAA', name: 'Cara Lind', email: 'cara@example.test', active: true, managerId: null },
  { id: '005000000000004AAA', name: 'Dan Moss', email: 'dan@example.test', active: false, managerId: null },
];

/** A directory resolver as the lead's real one answers, over PEOPLE and one queue; counts its calls. */
export function fakeDirectory(options: { fail?: boolean } = {}): ResolveDirectory & { calls: number } {
  const resolve = async (_routing: RoutingConfig): Promise<ResolvedDirectory> => {
    resolve.calls += 1;
    if (options.fail) throw new Error('Salesforce answered 503');
    const users = new Map<string, { id: string; active: boolean }>();
    for (const p of PEOPLE) {
      users.set(p.email, { id: p.id, active: p.active });
      users.set(p.id, { id: p.id, active: p.active });
    }
    return {
      users,
      queues: new Map([['Inbound_Leads', { id: '00G000000000001AAA', supportsLead: true }]]),
      people: new Map(PEOPLE.map((p) => [p.id, p])),
    };
  };
  resolve.calls = 0;
  return resolve;
}
