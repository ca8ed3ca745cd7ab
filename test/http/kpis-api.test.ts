import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startKpiServer } from '../kpis/kpi-server.ts';

const TOKEN = 'test-admin-token-kpis-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
let server: { url: string; close: () => Promise<void> };

async function get(path: string, headers: Record<string, string> = auth) {
  const response = await fetch(`${server.url}${path}`, { headers });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, text, json: json as any };
}

beforeAll(async () => {
  server = await startKpiServer(TOKEN);
});

afterAll(async () => server?.close());

describe('GET /api/kpis', () => {
  it('needs the admin token', async () => {
    expect((await get('/api/kpis?from=2026-11-01&to=2026-12-01', {})).status).toBe(401);
    expect((await get('/api/kpis?from=2026-11-01&to=2026-12-01', { authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('answers the seeded window as JSON, grouped', async () => {
    const { status, json } = await get('/api/kpis?from=2026-11-01&to=2026-12-01&groupBy=source');
    expect(status).toBe(200);
    expect(json.from).toBe('2026-11-01T00:00:00.000Z');
    expect(json.groupBy).toBe('source');
    expect(json.total.funnel).toEqual({ mql: 10, sal: 6, sql: 4, opportunity: 1, won: 0 });
    expect(json.groups.map((g: any) => g.key)).toEqual(['PAID_SEARCH', 'ORGANIC_SEARCH', null]);
  });

  it('accepts instants with an offset and filters', async () => {
    // 2026-11-05T10:00+01:00 is 09:00Z, c4's handoff instant (inclusive). PAID_SEARCH from then: c4, c5, c6, and c1
    // through its re-handoff on Nov 20 — whose earlier progress (Nov 3–8) predates it, so c1 counts as MQL only.
    const from = encodeURIComponent('2026-11-05T10:00:00+01:00');
    const { status, json } = await get(`/api/kpis?from=${from}&to=2026-12-01&source=PAID_SEARCH`);
    expect(status).toBe(200);
    expect(json.total.funnel).toEqual({ mql: 4, sal: 3, sql: 1, opportunity: 0, won: 0 });
    expect(json.filters).toEqual({ source: 'PAID_SEARCH' });
  });

  it.each([
    ['to before from', '/api/kpis?from=2026-12-01&to=2026-11-01', 'to'],
    ['an empty window', '/api/kpis?from=2026-11-01&to=2026-11-01', 'to'],
    ['no window', '/api/kpis', 'from'],
    ['a bad date', '/api/kpis?from=2026-13-01&to=2026-12-01', 'from'],
    ['an unknown grouping', '/api/kpis?from=2026-11-01&to=2026-12-01&groupBy=pool', 'groupBy'],
    ['an unknown parameter', '/api/kpis?from=2026-11-01&to=2026-12-01&owner=x', '(body)'],
  ])('refuses %s with 400', async (_name, path, issuePath) => {
    const { status, json } = await get(path);
    expect(status).toBe(400);
    expect(json.error.code).toBe('invalid_query');
    expect(json.error.details.map((d: { path: string }) => d.path)).toContain(issuePath);
  });

  it('answers CSV for Accept: text/csv, one row per group', async () => {
    const { status, headers, text } = await get('/api/kpis?from=2026-11-01&to=2026-12-01&groupBy=definitionVersion', {
      ...auth,
      accept: 'text/csv',
    });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(headers.get('content-disposition')).toBe('attachment; filename=kpis-2026-11-01-2026-12-01-by-definitionVersion.csv');
    expect(headers.get('vary')).toMatch(/Accept/);
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]?.split(',')[0]).toBe('definitionVersion');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual(['mql-v2,6,2,1,0', 'mql-v1,4,4,3,1']);
  });

  it('answers CSV for format=csv, one "(all)" row when ungrouped', async () => {
    const { status, text } = await get('/api/kpis?from=2026-11-01&to=2026-12-01&format=csv');
    expect(status).toBe(200);
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    // Funnel, rates, then won, lost, opportunity→won 0 (0 of 1), no win rate, no amount, no open deal, no days, then response times.
    expect(lines[1]).toMatch(/^\(all\),10,6,4,1,0\.6,0\.4,0\.25,0,0,0,,0,0,0,,4,17\.5,35\.5/);
  });

  it('is in the OpenAPI document with its query parameters and response schema', async () => {
    const { json } = await get('/api/openapi.json');
    const operation = json.paths['/api/kpis']?.get;
    expect(operation).toBeDefined();
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual([
      'from',
      'to',
      'groupBy',
      'source',
      'segment',
      'definitionVersion',
      'format',
    ]);
    expect(operation.parameters.filter((p: { required: boolean }) => p.required).map((p: { name: string }) => p.name)).toEqual([
      'from',
      'to',
    ]);
    const groupBy = operation.parameters.find((p: { name: string }) => p.name === 'groupBy');
    expect(groupBy.schema.enum).toEqual(['source', 'segment', 'definitionVersion', 'owner', 'scoreBand']);
    const body = operation.responses['200'].content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(['from', 'to', 'groupBy', 'filters', 'total', 'groups']);
    expect(operation.responses['401']).toBeDefined();
  });
});
