import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { EXIT, formatSetupReport, runSetup } from '../../src/cli/setup.ts';
import type { HubSpotSetupSpec } from '../../src/core/setup-spec.ts';
import { silentLogger } from '../../src/log.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../src/simulators/hubspot/server.ts';

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
      options: [{ label: 'Bad fit', value: 'bad_fit' }],
    },
    { name: 'handoff_rejected_by', label: 'Rejected by', type: 'string', fieldType: 'text', groupName: 'handoff' },
  ],
  lists: ['Nurture - bad fit', 'Sales ready'],
};

/** Runs setup with `loadSpec` (default: the spec above); 'mappings' uses the real loader from MAPPINGS_DIR. */
async function run(env: NodeJS.ProcessEnv, loadSpec: ((dir: string) => Promise<HubSpotSetupSpec>) | 'mappings' = async () => spec) {
  let text = '';
  const out = { write: (chunk: string) => (text += chunk) };
  const code = await runSetup({
    env,
    logger: silentLogger(),
    out,
    ...(loadSpec === 'mappings' ? {} : { loadSpec }),
    retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    sleep: async () => {},
  });
  return { code, text };
}

const envFor = () => ({ HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_URL: sim.url, MAPPINGS_DIR: '/nowhere/mappings' });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  sim = await startHubSpotSimulator({ accessToken: TOKEN });
});
afterAll(async () => {
  await sim.close();
  nock.enableNetConnect();
  nock.restore();
});
beforeEach(() => sim.reset());

describe('runSetup', () => {
  it('creates on the first run and only finds on the second, exiting 0 both times', async () => {
    const dirs: string[] = [];
    const first = await run(envFor(), async (dir) => {
      dirs.push(dir);
      return spec;
    });
    expect(first.code).toBe(EXIT.ok);
    expect(dirs).toEqual(['/nowhere/mappings']);
    expect(first.text).toBe(
      [
        'HubSpot setup',
        '  properties created:',
        '    - handoff_rejection_reason',
        '    - handoff_rejected_by',
        '  properties found: none',
        '  lists created:',
        '    - Nurture - bad fit (list 1)',
        '    - Sales ready (list 2)',
        '  lists found: none',
        '  problems: none',
        'Everything the mappings need is in place.',
        '',
      ].join('\n'),
    );

    const second = await run(envFor());
    expect(second.code).toBe(EXIT.ok);
    expect(second.text).toContain(
      '  properties created: none\n  properties found:\n    - handoff_rejection_reason\n    - handoff_rejected_by\n',
    );
    expect(second.text).toContain('  lists created: none\n  lists found:\n    - Nurture - bad fit (list 1)\n    - Sales ready (list 2)\n');
    expect(sim.calls.byEndpoint['POST /crm/v3/lists']).toBe(2);
  });

  it('exits 1 and prints the problems when an existing property does not fit', async () => {
    await run(envFor(), async () => ({
      properties: [{ ...spec.properties[0]!, type: 'string', fieldType: 'text', options: [] }],
      lists: [],
    }));
    const { code, text } = await run(envFor());
    expect(code).toBe(EXIT.problems);
    expect(text).toContain(
      '  problems:\n    - property handoff_rejection_reason: exists in HubSpot as type "string" but the mappings need "enumeration"',
    );
    expect(text).toContain('1 problem(s) need an admin in HubSpot.');
  });

  it('exits 1 when HubSpot refuses the token, naming the failure', async () => {
    const { code, text } = await run({ ...envFor(), HUBSPOT_ACCESS_TOKEN: 'wrong' });
    expect(code).toBe(EXIT.problems);
    expect(text).toMatch(
      /^setup: HubSpot failed, nothing more was done\.\nHubSpot properties\.getAll failed with 401 INVALID_AUTHENTICATION/,
    );
  });

  it('exits 2 without calling HubSpot when the environment is incomplete or invalid', async () => {
    const missing = await run({ HUBSPOT_BASE_URL: sim.url });
    expect(missing.code).toBe(EXIT.config);
    expect(missing.text).toContain('HUBSPOT_ACCESS_TOKEN: required by setup');
    const invalid = await run({ HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_URL: 'not a url' });
    expect(invalid.code).toBe(EXIT.config);
    expect(invalid.text).toContain('HUBSPOT_BASE_URL');
    expect(sim.calls.total).toBe(0);
  });

  it('exits 2 when the mappings cannot be loaded', async () => {
    const { code, text } = await run({ ...envFor(), MAPPINGS_DIR: '/nowhere/mappings' }, 'mappings');
    expect(code).toBe(EXIT.config);
    expect(text).toContain('file not found in /nowhere/mappings');
    expect(sim.calls.total).toBe(0);
  });

  it('reports every property the mappings read that HubSpot lacks and setup cannot create, and exits 1 (properties API, contacts and companies)', async () => {
    const reading: HubSpotSetupSpec = {
      ...spec,
      expected: { contacts: ['email', 'numberofemployees'], companies: ['industry', 'employee_band'] },
    };
    const { code, text } = await run(envFor(), async () => reading);
    expect(code).toBe(EXIT.problems);
    expect(text).toContain('property numberofemployees: HubSpot has no contact property numberofemployees, and setup cannot create it');
    expect(text).toContain(
      'company property employee_band (read as company.employee_band): HubSpot has no such company property, and setup does not create company properties',
    );
    expect(text).not.toMatch(/property (email|industry)\b.*HubSpot has no/);
    expect(text).toContain('2 problem(s) need an admin in HubSpot.');
  });

  it('finds every property the shipped mappings read in a standard portal, and creates the custom ones (exit 0)', async () => {
    const { code, text } = await run({ ...envFor(), MAPPINGS_DIR: new URL('../../mappings', import.meta.url).pathname }, 'mappings');
    expect(text).toContain('Everything the mappings need is in place.');
    expect(code).toBe(EXIT.ok);
    for (const name of ['pricing_page_views', 'content_downloads', 'webinars_attended', 'email_clicks', 'demo_requested']) {
      expect(text).toContain(`    - ${name}`);
    }
  });
});

describe('formatSetupReport', () => {
  it('lists every problem under its heading', () => {
    const text = formatSetupReport({ properties: { created: [], found: [] }, lists: { created: [], found: [] }, problems: ['a', 'b'] });
    expect(text).toContain('  problems:\n    - a\n    - b\n2 problem(s) need an admin in HubSpot.\n');
  });
});
