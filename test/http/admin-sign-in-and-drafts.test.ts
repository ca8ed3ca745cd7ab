import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { validateMappingFiles } from '../../src/config/mappings.ts';
import { qualifyMql } from '../../src/core/definitions/qualify-mql.ts';
import { type FreshDatabase, freshDatabase } from '../support/databases.ts';
import { shippedFiles } from '../unit/core/helpers.ts';
import { ADMIN_TOKEN, signIn, startAdminApp } from './support/admin-app.ts';
import { FakeConfigVersions } from './support/fake-config-versions.ts';

/** Issue 20's admin API: sign-in with a name, comments, publish only what is valid, the MQL preview and the import. */
const files = shippedFiles();
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const withSmbThreshold = (total: number) => ({
  ...files,
  'mql-definition.yaml': (files['mql-definition.yaml'] ?? '').replace(
    'threshold: { total: 50, minFit: 15 }',
    `threshold: { total: ${total}, minFit: 15 }`,
  ),
});
/** A software company contact with 40 points of fit and behaviour, in the SMB segment. */
const smbContact = { 'company.industry': 'COMPUTER_SOFTWARE', jobtitle: 'Director of Operations', email: 'ana@acme.example' };

let fresh: FreshDatabase;
let versions: FakeConfigVersions;
let app: Awaited<ReturnType<typeof startAdminApp>>;

beforeAll(async () => {
  fresh = await freshDatabase();
  versions = await FakeConfigVersions.seeded();
  app = await startAdminApp({ db: fresh.db, configVersions: versions });
});

afterAll(async () => {
  await app?.close();
  await fresh?.cleanup();
});

/**
 * Each request from another client address (local proxies are trusted): sign-in's request budget counts per client,
 * and this file signs in more often than one person would in a minute.
 */
let client = 0;
const asNextClient = () => ({ 'x-forwarded-for': `10.20.${Math.floor(++client / 250)}.${client % 250}` });

async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { origin: app.url, ...asNextClient(), ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  return { status: response.status, json: (await response.json().catch(() => undefined)) as any };
}
const post = (path: string, body: unknown, headers: Record<string, string> = auth) => call('POST', path, { body, headers });
const paths = (response: { json: any }) => (response.json.error.details as { path: string }[]).map((d) => d.path);

describe('sign-in with a name', () => {
  it('refuses a sign-in without a usable name with 400 naming the path', async () => {
    for (const body of [
      { token: ADMIN_TOKEN },
      { token: ADMIN_TOKEN, name: '   ' },
      { token: ADMIN_TOKEN, name: 'x'.repeat(101) },
      { token: ADMIN_TOKEN, name: 'Ana\u0007' },
      { token: ADMIN_TOKEN, name: 42 },
    ]) {
      const refused = await post('/admin/session', body, {});
      expect(refused.status).toBe(400);
      expect(paths(refused)).toEqual(['name']);
    }
  });

  it('says who is signed in, and 401 without (or after) a session', async () => {
    expect((await call('GET', '/admin/session')).status).toBe(401);
    const signedIn = await post('/admin/session', { token: ADMIN_TOKEN, name: '  Ana Ops  ' }, {});
    expect(signedIn.json).toMatchObject({ name: 'Ana Ops' });
    const { cookie } = await signIn(app.url, asNextClient(), ADMIN_TOKEN, 'Bo Admin');
    expect(await call('GET', '/admin/session', { headers: { cookie } })).toEqual({ status: 200, json: { name: 'Bo Admin' } });
    await call('POST', '/admin/logout', { body: {}, headers: { cookie } });
    expect((await call('GET', '/admin/session', { headers: { cookie } })).status).toBe(401);
  });

  it("records the session's name as the author, unless X-Admin-Name names another; the bearer token alone is 'admin'", async () => {
    const { cookie } = await signIn(app.url, asNextClient(), ADMIN_TOKEN, 'Cleo RevOps');
    const bySession = await post('/api/config/versions', { files, comment: 'tune' }, { cookie });
    expect(bySession.json).toMatchObject({ author: 'Cleo RevOps', comment: 'tune' });
    const byHeader = await post('/api/config/versions', { files }, { cookie, 'x-admin-name': 'Dee' });
    expect(byHeader.json.author).toBe('Dee');
    expect((await post('/api/config/versions', { files })).json.author).toBe('admin');

    const published = await post(`/api/config/versions/${bySession.json.id}/publish`, {}, { cookie });
    expect(published.json).toMatchObject({ status: 'active', publishedBy: 'Cleo RevOps' });
    const listed = (await call('GET', '/api/config/versions', { headers: auth })).json.versions;
    expect(listed.find((v: { id: string }) => v.id === bySession.json.id)).toMatchObject({
      author: 'Cleo RevOps',
      comment: 'tune',
      publishedBy: 'Cleo RevOps',
    });
  });
});

describe('comments and publishing only what is valid', () => {
  it('takes a comment of at most 500 printable characters', async () => {
    expect((await post('/api/config/versions', { files, comment: 'c'.repeat(500) })).status).toBe(201);
    for (const comment of ['c'.repeat(501), 'two\nlines', 'bell\u0007']) {
      const refused = await post('/api/config/versions', { files, comment });
      expect(refused.status).toBe(400);
      expect(paths(refused)).toEqual(['comment']);
    }
  });

  it('shows a draft with its schema validation, and refuses to publish it with the same problems (422)', async () => {
    const broken = { ...files, 'field-mapping.yaml': 'version: "x"\nfields: 12\n' };
    const draft = (await post('/api/config/versions', { files: broken })).json;
    const detail = (await call('GET', `/api/config/versions/${draft.id}`, { headers: auth })).json;
    expect(detail.validation.ok).toBe(false);
    expect(detail.validation.problems[0]).toMatchObject({ file: 'field-mapping.yaml', source: 'schema', line: expect.any(Number) });
    const activeBefore = (await call('GET', '/api/config/active', { headers: auth })).json.id;

    const refused = await post(`/api/config/versions/${draft.id}/publish`, {});
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'invalid_version', details: { problems: detail.validation.problems } });
    expect((await call('GET', '/api/config/active', { headers: auth })).json.id).toBe(activeBefore);

    const valid = (await post('/api/config/versions', { files })).json;
    expect((await call('GET', `/api/config/versions/${valid.id}`, { headers: auth })).json.validation).toEqual({ ok: true, problems: [] });
    expect((await call('GET', `/api/config/versions/${activeBefore}`, { headers: auth })).json.validation).toBeUndefined();
  });
});

describe('POST /api/config/preview/mql', () => {
  const definition = (draft: Record<string, string>) => {
    const parsed = validateMappingFiles(draft);
    if (!parsed.ok) throw new Error('the test files must parse');
    return parsed.value.mql;
  };

  it("scores pasted and HubSpot contacts with core's qualifyMql under the draft's definition", async () => {
    versions.hubspotContacts.set('501', { ...smbContact, demo_requested: 'true', email: 'bo@acme.example' });
    const draft = withSmbThreshold(30);
    const preview = await post('/api/config/preview/mql', {
      files: draft,
      contacts: [{ properties: smbContact }, { id: 'lena', properties: { ...smbContact, email: 'lena@gmail.com' } }],
      hubspotIds: ['501'],
    });
    expect(preview.status).toBe(200);
    expect(preview.json.problems).toEqual([]);
    expect(preview.json.results.map((r: { id: string }) => r.id)).toEqual(['sample-1', 'lena', '501']);

    const expected = qualifyMql({ id: 'sample-1', properties: smbContact }, definition(draft));
    const [sample, lena, fromHubSpot] = preview.json.results;
    expect(sample).toMatchObject({
      qualified: expected.qualified,
      score: expected.score,
      segment: 'smb',
      threshold: 30,
      fastTrack: null,
      excluded: null,
    });
    expect(sample.breakdown.map((l: { rule: string; points: number }) => [l.rule, l.points])).toEqual(
      expected.breakdown.map((l) => [l.ruleId, l.points]),
    );
    expect(lena).toMatchObject({ qualified: false, excluded: 'personal-email' });
    expect(fromHubSpot).toMatchObject({ qualified: true, fastTrack: 'demo-request' });
  });

  it('shows the effect of a threshold change on the same contact', async () => {
    const scoreAt = async (total: number) =>
      (await post('/api/config/preview/mql', { files: withSmbThreshold(total), contacts: [{ properties: smbContact }] })).json.results[0];
    const low = await scoreAt(1);
    const high = await scoreAt(1000);
    expect(low.score).toBe(high.score);
    expect([low.qualified, high.qualified]).toEqual([low.score >= 15, false]);
  });

  it('returns the problems of a broken definition (with lines) and of unknown HubSpot ids instead of throwing', async () => {
    const broken = await post('/api/config/preview/mql', {
      files: { 'mql-definition.yaml': 'version: "x"\nsegments: []\n' },
      contacts: [{ properties: {} }],
    });
    expect(broken.status).toBe(200);
    expect(broken.json.results).toEqual([]);
    expect(broken.json.problems[0]).toMatchObject({ file: 'mql-definition.yaml', path: 'segments', line: 2, source: 'schema' });

    const syntax = await post('/api/config/preview/mql', { files: { 'mql-definition.yaml': 'version: "x\n' } });
    expect(syntax.json.problems[0]).toMatchObject({ file: 'mql-definition.yaml', line: expect.any(Number) });
    const missing = await post('/api/config/preview/mql', { files: { 'sla-rules.yaml': 'x: 1\n' } });
    expect(missing.json.problems).toEqual([{ file: 'mql-definition.yaml', path: '', message: 'file is missing', source: 'schema' }]);

    const unknown = await post('/api/config/preview/mql', { files, hubspotIds: ['999'] });
    expect(unknown.json).toEqual({
      results: [],
      problems: [{ file: '', path: 'hubspotIds[0]', message: 'HubSpot has no contact 999', source: 'hubspot' }],
    });
  });

  it('answers 400 with the path of every bad part of the body, at most 20 contacts in all', async () => {
    const cases: [unknown, string[]][] = [
      [{ files: { '../x.yaml': '' } }, ['files.../x.yaml']],
      [{ files, hubspotIds: ['12a'] }, ['hubspotIds[0]']],
      [{ files, contacts: [{ properties: { '': 'x' } }] }, ['contacts[0].properties.']],
      [{ files, contacts: [{ properties: {}, extra: 1 }] }, ['contacts[0]']],
      [{ files, contacts: Array(12).fill({ properties: {} }), hubspotIds: Array(9).fill('1') }, ['contacts']],
      [{ files, contacts: Array(21).fill({ properties: {} }) }, ['contacts']],
      [{ contacts: [] }, ['files']],
    ];
    for (const [body, expected] of cases) {
      const refused = await post('/api/config/preview/mql', body);
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      expect(paths(refused)).toEqual(expected);
    }
  });
});

describe('POST /api/config/import', () => {
  it('turns a mappings folder into a draft based on the active version, commented "imported" by default', async () => {
    const { cookie } = await signIn(app.url, asNextClient(), ADMIN_TOKEN, 'Git Reviewer');
    const active = (await call('GET', '/api/config/active', { headers: auth })).json;
    const imported = await post('/api/config/import', { files: withSmbThreshold(45) }, { cookie });
    expect(imported.status).toBe(201);
    expect(imported.json).toMatchObject({
      status: 'draft',
      author: 'Git Reviewer',
      comment: 'imported',
      basedOn: active.id,
      validation: { ok: true, problems: [] },
    });
    const commented = await post('/api/config/import', { files, comment: 'from main@abc123' });
    expect(commented.json).toMatchObject({ author: 'admin', comment: 'from main@abc123' });
  });

  it('answers 400 with the paths of a bad body (a missing file is named by the real service: test/cli/import.test.ts)', async () => {
    for (const [body, expected] of [
      [{ files: {} }, ['files']],
      [{ files: { 'notes.txt': 'x' } }, ['files.notes.txt']],
      [{ files, comment: 'a\nb' }, ['comment']],
      [{ files, author: 'me' }, ['(body)']],
    ] as const) {
      const refused = await post('/api/config/import', body);
      expect(refused.status).toBe(400);
      expect(paths(refused)).toEqual(expected);
    }
  });
});
