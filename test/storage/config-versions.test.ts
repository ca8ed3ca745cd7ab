import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readMappingFiles, startActiveBundle } from '../../src/config/versions/active-bundle.ts';
import type { ConfigVersionsPort } from '../../src/config/versions/config-versions-port.ts';
import { ConfigVersionNotFoundError, createConfigVersions } from '../../src/config/versions/service.ts';
import { ValidationError } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';
import {
  activeConfigVersionId,
  insertConfigVersion,
  listConfigVersions,
  publishConfigVersion,
  seedActiveConfigVersion,
} from '../../src/store/config-versions.ts';
import type { Database } from '../../src/store/database.ts';
import { useFreshDatabase } from '../support/databases.ts';

const shippedDir = fileURLToPath(new URL('../../mappings/', import.meta.url));
let shipped: Record<string, string>;
beforeAll(async () => {
  shipped = await readMappingFiles(shippedDir);
});

/** The shipped files with the SMB threshold changed, so versions differ in one line. */
const withSmbThreshold = (total: number): Record<string, string> => ({
  ...shipped,
  'mql-definition.yaml': (shipped['mql-definition.yaml'] ?? '').replace(
    'threshold: { total: 50, minFit: 15 }',
    `threshold: { total: ${total}, minFit: 15 }`,
  ),
});

/** Storage and publish flow only: these tests never reach HubSpot or Salesforce. */
const unreachable = {
  hubspot: {
    listProperties: () => Promise.reject(new Error('not in this test')),
    readContacts: () => Promise.reject(new Error('not in this test')),
    readCompanies: () => Promise.reject(new Error('not in this test')),
  },
  salesforce: {
    describe: () => Promise.reject(new Error('not in this test')),
    query: () => Promise.reject(new Error('not in this test')),
    customNotificationTypeId: () => Promise.reject(new Error('not in this test')),
  },
};

describe('config versions', () => {
  let db: Database;
  let service: ConfigVersionsPort;
  useFreshDatabase((opened) => {
    db = opened;
    service = createConfigVersions({ db, ...unreachable, logger: silentLogger(), now: () => new Date('2025-03-01T10:00:00Z') });
  });

  it('seeds one active version from the mappings directory, once, even when replicas start together', async () => {
    const starts = await Promise.all(
      [1, 2, 3].map(() => startActiveBundle({ db, seedDir: shippedDir, logger: silentLogger(), refreshMs: 60_000 })),
    );
    const ids = new Set(starts.map((s) => s.version()));
    for (const s of starts) s.stop();
    expect(ids.size).toBe(1);
    const all = await listConfigVersions(db);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'active', author: 'seed', comment: `from ${shippedDir}`, basedOn: null });
    expect(all[0]?.versions?.['mql-definition.yaml']).toMatch(/^2025\.1@[0-9a-f]{7}$/);
    expect(await service.exportFiles(all[0]?.id ?? '')).toEqual(shipped);
  });

  it('keeps at most one active version: the database refuses a second one', async () => {
    const row = await insertConfigVersion(db, { files: shipped, author: 'a', comment: '', basedOn: null, versions: null, diff: '' });
    await expect(db.query(`UPDATE config_versions SET status = 'active' WHERE id = $1::bigint`, [row.id])).rejects.toThrow(
      /config_versions_one_active|unique/,
    );
  });

  it('creates a draft with versions and a unified diff against the active version', async () => {
    const active = await service.active();
    const draft = await service.createDraft({ files: withSmbThreshold(40), author: 'ana', comment: 'lower SMB bar' });
    expect(draft).toMatchObject({
      status: 'draft',
      author: 'ana',
      comment: 'lower SMB bar',
      basedOn: active.id,
      publishedAt: null,
      createdAt: '2025-03-01T10:00:00.000Z',
    });
    expect(draft.versions?.['mql-definition.yaml']).not.toBe(active.versions?.['mql-definition.yaml']);
    expect(draft.diff).toContain('--- a/mql-definition.yaml\n+++ b/mql-definition.yaml\n@@ ');
    expect(draft.diff).toContain('\n-    threshold: { total: 50, minFit: 15 }\n+    threshold: { total: 40, minFit: 15 }\n');
    expect(draft.diff).not.toContain('field-mapping.yaml');
    expect((await service.get(draft.id))?.files).toEqual(withSmbThreshold(40));
  });

  it('stores an invalid draft (versions null) but refuses to publish it, listing the problems', async () => {
    const broken = { ...shipped, 'status-map.yaml': 'version: "x"\nuseSal: maybe\n' };
    const draft = await service.createDraft({ files: broken, author: 'ana', comment: 'broken' });
    expect(draft.versions).toBeNull();
    const refusal = await service.publish(draft.id, { author: 'ana' }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'status-map.yaml', path: 'useSal' })]),
    );
    expect((await service.get(draft.id))?.status).toBe('draft');
  });

  it('refuses a draft missing a file, naming its path', async () => {
    const { 'sql-definition.yaml': _gone, ...four } = shipped;
    const refusal = await service.createDraft({ files: four, author: 'ana', comment: '' }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).problems).toEqual([expect.objectContaining({ path: 'files.sql-definition.yaml' })]);
  });

  it('lets two admins publish at once: each publish is atomic and exactly one version ends active', async () => {
    const before = await service.active();
    const a = await service.createDraft({ files: withSmbThreshold(45), author: 'ana', comment: 'a' });
    const b = await service.createDraft({ files: withSmbThreshold(55), author: 'ben', comment: 'b' });
    const results = await Promise.all([service.publish(a.id, { author: 'ana' }), service.publish(b.id, { author: 'ben' })]);
    expect(results.map((r) => r.status)).toEqual(['active', 'active']);
    const statuses = Object.fromEntries((await listConfigVersions(db)).map((v) => [v.id, v.status]));
    expect([statuses[a.id], statuses[b.id]].sort()).toEqual(['active', 'archived']);
    expect(statuses[before.id]).toBe('archived');
    expect((await listConfigVersions(db)).filter((v) => v.status === 'active')).toHaveLength(1);
    expect(await activeConfigVersionId(db)).toBe(statuses[a.id] === 'active' ? a.id : b.id);
  });

  it('publishing the active version again changes nothing; an archived one must be rolled back to', async () => {
    const active = await service.active();
    expect((await service.publish(active.id, { author: 'ana' })).id).toBe(active.id);
    const archived = (await listConfigVersions(db)).find((v) => v.status === 'archived');
    expect(await publishConfigVersion(db, archived?.id ?? '', { publishedBy: 'ana' })).toEqual({ ok: false, reason: 'archived' });
    await expect(service.publish(archived?.id ?? '', { author: 'ana' })).rejects.toThrow(/roll back/);
  });

  it('rolls back by publishing a new version with the old files and a diff against the one it replaces', async () => {
    const seed = (await listConfigVersions(db)).find((v) => v.author === 'seed');
    const replaced = await service.active();
    const rolled = await service.rollback(seed?.id ?? '', { author: 'ana', comment: 'back to the reviewed files' });
    expect(rolled).toMatchObject({ status: 'active', author: 'ana', comment: 'back to the reviewed files', basedOn: replaced.id });
    expect(rolled.id).not.toBe(seed?.id);
    expect(rolled.files).toEqual(shipped);
    expect(rolled.diff).toMatch(/^- {4}threshold: \{ total: (45|55), minFit: 15 \}$/m);
    expect(rolled.diff).toContain('\n+    threshold: { total: 50, minFit: 15 }\n');
    expect((await service.get(replaced.id))?.status).toBe('archived');
    expect(await service.exportFiles(rolled.id)).toEqual(shipped);
  });

  it('answers unknown ids with ConfigVersionNotFoundError and get() with undefined', async () => {
    expect(await service.get('999999')).toBeUndefined();
    expect(await service.get('not-a-number')).toBeUndefined();
    await expect(service.exportFiles('999999')).rejects.toBeInstanceOf(ConfigVersionNotFoundError);
    await expect(service.rollback('999999', { author: 'a', comment: '' })).rejects.toBeInstanceOf(ConfigVersionNotFoundError);
    await expect(service.createDraft({ files: shipped, author: 'a', comment: '', basedOn: '999999' })).rejects.toThrow(
      /no configuration version 999999/,
    );
  });

  it('does not seed again once a version is active', async () => {
    const active = await activeConfigVersionId(db);
    const again = await seedActiveConfigVersion(db, {
      files: shipped,
      author: 'seed',
      comment: '',
      basedOn: null,
      versions: null,
      diff: '',
    });
    expect(again).toMatchObject({ seeded: false, version: { id: active } });
  });
});
