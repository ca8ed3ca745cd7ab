import { describe, expect, it } from '@jest/globals';
import { decideReroute } from '../../../../src/core/routing/decide-reroute.ts';
import { decideRoute, type RoutingDirectory, type RoutingFacts } from '../../../../src/core/routing/decide-route.ts';
import { FRESH_MEMBER } from '../../../../src/core/routing/round-robin.ts';
import { parseRouting, type RoutingConfig, routingSchema } from '../../../../src/core/routing/routing-schema.ts';

const NOW = new Date('2026-12-07T11:00:00Z');
const ANA = '005A00000000001';
const BEN = '005A00000000002';
const ACCOUNT_OWNER = '005A00000000009';
const BOSS = '005A00000000007';

const directory: RoutingDirectory = {
  users: new Map([
    ['ana@acme.example', { id: ANA, active: true }],
    ['ben@acme.example', { id: BEN, active: true }],
    ['boss@acme.example', { id: BOSS, active: true }],
    ['owner@acme.example', { id: ACCOUNT_OWNER, active: true }],
    [ANA, { id: ANA, active: true }],
    [BEN, { id: BEN, active: true }],
    [ACCOUNT_OWNER, { id: ACCOUNT_OWNER, active: true }],
  ]),
  queues: new Map([['Inbound_Leads', { id: '00G000000000001', supportsLead: true }]]),
};

const routing: RoutingConfig = routingSchema.parse({
  version: '1',
  pools: [
    { id: 'dach', label: 'DACH reps', members: [{ user: 'ana@acme.example' }, { user: 'ben@acme.example' }], manager: 'boss@acme.example' },
    { id: 'overflow', label: 'Overflow', queue: 'Inbound_Leads' },
  ],
  rules: [
    { id: 'accounts', label: 'Existing account owner', strategy: 'existing-owner' },
    {
      id: 'dach',
      label: 'DACH',
      when: { segment: ['enterprise'], match: { property: 'country', op: 'in', values: ['Germany', 'Austria'] } },
      strategy: 'pool',
      pool: 'dach',
      onFirstTouchBreach: 'next-member',
    },
    { id: 'demo', label: 'Demo requests', when: { fastTrack: true }, strategy: 'pool', pool: 'overflow' },
  ],
  fallback: { user: 'ana@acme.example' },
});

const facts = (overrides: Partial<RoutingFacts> = {}): RoutingFacts => ({
  properties: { country: 'Germany', email: 'jane@customer.example' },
  segmentId: 'enterprise',
  source: 'ORGANIC_SEARCH',
  fastTrack: false,
  accountOwners: [],
  ...overrides,
});

describe('decideRoute (routing.yaml rules, first that gives an owner wins)', () => {
  it.each([
    [
      'an Account whose website matches the domain gives its owner',
      facts({ accountOwners: [{ accountId: '001A', accountName: 'Customer AG', domain: 'customer.example', ownerId: ACCOUNT_OWNER }] }),
      { rule: 'accounts', owner: { kind: 'user', id: ACCOUNT_OWNER } },
    ],
    [
      'the HubSpot owner maps to the Salesforce user with the same e-mail',
      facts({ hubspotOwnerEmail: 'Ben@Acme.example' }),
      { rule: 'accounts', owner: { kind: 'user', id: BEN } },
    ],
    ['no owner found: the DACH pool deals it', facts(), { rule: 'dach', owner: { kind: 'user', id: ANA } }],
    [
      'outside DACH, a fast track goes to the queue',
      facts({ properties: { country: 'France' }, fastTrack: true }),
      { rule: 'demo', owner: { kind: 'queue', id: '00G000000000001', name: 'Inbound_Leads' } },
    ],
    [
      'nothing matches: the fallback user',
      facts({ properties: { country: 'France' } }),
      { rule: 'fallback', owner: { kind: 'user', id: ANA } },
    ],
  ])('%s', (_name, given, expected) => {
    const { decision } = decideRoute(given, routing, directory, new Map(), NOW);
    expect({ rule: decision.rule.id, owner: decision.owner }).toEqual(expected);
  });

  it('records why each earlier rule gave no owner', () => {
    const { decision } = decideRoute(facts({ properties: { country: 'France' } }), routing, directory, new Map(), NOW);
    expect(decision.passed).toEqual([
      { ruleId: 'accounts', reason: 'no Account website matches the domain; the contact has no HubSpot owner' },
      { ruleId: 'dach', reason: 'does not match: country = France' },
      { ruleId: 'demo', reason: 'not qualified by a fast track' },
    ]);
    expect(decision.reason).toBe('Fallback: ana@acme.example');
  });

  it('an inactive account owner passes to the next rule', () => {
    const inactive: RoutingDirectory = {
      ...directory,
      users: new Map([...directory.users, [ACCOUNT_OWNER, { id: ACCOUNT_OWNER, active: false }]]),
    };
    const given = facts({
      accountOwners: [{ accountId: '001A', accountName: 'Customer AG', domain: 'customer.example', ownerId: ACCOUNT_OWNER }],
    });
    const { decision } = decideRoute(given, routing, inactive, new Map(), NOW);
    expect(decision.rule.id).toBe('dach');
    expect(decision.passed[0]?.reason).toContain('the matching Account has no active owner');
  });

  it('a pool whose members are all paused passes on, with every skip recorded', () => {
    const paused = new Map([
      [
        'dach',
        new Map([
          ['ana@acme.example', { ...FRESH_MEMBER, paused: true }],
          ['ben@acme.example', { ...FRESH_MEMBER, paused: true }],
        ]),
      ],
    ]);
    const { decision } = decideRoute(facts(), routing, directory, paused, NOW);
    expect(decision.rule.id).toBe('fallback');
    expect(decision.skipped.map((s) => `${s.pool}/${s.user}: ${s.reason}`)).toEqual([
      'dach/ana@acme.example: paused',
      'dach/ben@acme.example: paused',
    ]);
  });

  it('returns the pool state after the pick, so the next contact goes to the next member', () => {
    const first = decideRoute(facts(), routing, directory, new Map(), NOW);
    const second = decideRoute(facts(), routing, directory, first.pools, NOW);
    expect([first.decision.owner, second.decision.owner]).toEqual([
      { kind: 'user', id: ANA },
      { kind: 'user', id: BEN },
    ]);
  });

  it('salesforce-rules leaves the owner to the org: the named rule, else the active one', () => {
    const orgRules = routingSchema.parse({
      version: '1',
      rules: [{ id: 'named', label: 'Named', when: { fastTrack: true }, strategy: 'salesforce-rules', assignmentRule: '01Q000000000001' }],
      fallback: 'salesforce-rules',
    });
    expect(decideRoute(facts({ fastTrack: true }), orgRules, directory, new Map(), NOW).decision.owner).toEqual({
      kind: 'assignment-rule',
      ruleId: '01Q000000000001',
    });
    expect(decideRoute(facts(), orgRules, directory, new Map(), NOW).decision.owner).toEqual({ kind: 'assignment-rule' });
  });
});

describe('decideReroute (first-touch breach)', () => {
  it('moves the Lead to the next member, never back to its owner', () => {
    const result = decideReroute({ ruleId: 'dach', pool: 'dach', currentOwnerId: ANA }, routing, directory, new Map(), NOW);
    expect(result).toMatchObject({ action: 'reroute', to: { userId: BEN }, how: 'next-member' });
  });

  it('keeps the Lead when nobody else can take it, saying why', () => {
    const paused = new Map([['dach', new Map([['ben@acme.example', { ...FRESH_MEMBER, paused: true }]])]]);
    const result = decideReroute({ ruleId: 'dach', pool: 'dach', currentOwnerId: ANA }, routing, directory, paused, NOW);
    expect(result).toMatchObject({ action: 'keep', reason: 'no other member of pool dach can take it now' });
  });

  it('goes to the manager when the rule says so', () => {
    const toManager = routingSchema.parse({ ...routing, rules: [{ ...routing.rules[1], onFirstTouchBreach: 'manager' }] });
    const result = decideReroute({ ruleId: 'dach', pool: 'dach', currentOwnerId: ANA }, toManager, directory, new Map(), NOW);
    expect(result).toMatchObject({ action: 'reroute', to: { userId: BOSS }, how: 'manager' });
  });

  it('a rule without onFirstTouchBreach keeps the Lead', () => {
    expect(decideReroute({ ruleId: 'accounts', pool: null, currentOwnerId: ANA }, routing, directory, new Map(), NOW).action).toBe('keep');
  });
});

describe('routing.yaml schema problems name their path', () => {
  it.each([
    [{ version: '1', fallback: 'nobody' }, 'fallback'],
    [{ version: '1', fallback: 'salesforce-rules', rules: [{ id: 'r', label: 'R', strategy: 'pool' }] }, 'rules[0].pool'],
    [{ version: '1', fallback: 'salesforce-rules', rules: [{ id: 'r', label: 'R', strategy: 'pool', pool: 'nope' }] }, 'rules[0].pool'],
    [
      { version: '1', fallback: 'salesforce-rules', pools: [{ id: 'p', label: 'P', members: [{ user: 'not an email' }] }] },
      'pools[0].members[0].user',
    ],
    [
      {
        version: '1',
        fallback: 'salesforce-rules',
        pools: [{ id: 'p', label: 'P', members: [{ user: 'a@x.example' }, { user: 'A@x.example' }] }],
      },
      'pools[0].members[1].user',
    ],
    [
      { version: '1', fallback: 'salesforce-rules', pools: [{ id: 'p', label: 'P', queue: 'Q', members: [{ user: 'a@x.example' }] }] },
      'pools[0]',
    ],
    [
      { version: '1', fallback: 'salesforce-rules', rules: [{ id: 'r', label: 'R', strategy: 'existing-owner', pool: 'p' }] },
      'rules[0].pool',
    ],
    [
      {
        version: '1',
        fallback: 'salesforce-rules',
        rules: [{ id: 'r', label: 'R', strategy: 'salesforce-rules', assignmentRule: '00Q1' }],
      },
      'rules[0].assignmentRule',
    ],
  ])('%j → %s', (data, path) => {
    const parsed = parseRouting('routing.yaml', data);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.path)).toContain(path);
  });
});
