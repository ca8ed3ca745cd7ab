import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { MappingsBundle } from '../../src/config/mappings.ts';
import { type ActiveBundle, startActiveBundle } from '../../src/config/versions/active-bundle.ts';
import { createConfigVersions } from '../../src/config/versions/service.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import { insertConfigVersion } from '../../src/store/config-versions.ts';
import type { Database } from '../../src/store/database.ts';
import { noSystems } from '../support/config-admin-server.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

const seedDir = fileURLToPath(new URL('../../mappings/', import.meta.url));
const files = shippedFiles();
const withSmbThreshold = (total: number) => ({
  ...files,
  'mql-definition.yaml': (files['mql-definition.yaml'] ?? '').replace(
    'threshold: { total: 50, minFit: 15 }',
    `threshold: { total: ${total}, minFit: 15 }`,
  ),
});

/** A logger whose JSON lines the test can read. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

const smbTotal = (bundle: MappingsBundle) => bundle.mql.segments.find((s) => s.id === 'smb')?.threshold.total;

describe('active bundle', () => {
  let db: Database;
  const holders: ActiveBundle[] = [];
  useFreshDatabase((opened) => {
    db = opened;
  });
  afterAll(() => {
    for (const h of holders) h.stop();
  });

  it('seeds from the mappings directory and serves that bundle', async () => {
    const holder = await startActiveBundle({ db, seedDir, logger: silentLogger(), refreshMs: 60_000 });
    holders.push(holder);
    expect(smbTotal(holder.current())).toBe(50);
    const service = createConfigVersions({ db, ...noSystems, logger: silentLogger(), now: () => new Date() });
    const active = await service.active();
    expect(holder.version()).toBe(active.id);
    expect(active.versions?.['mql-definition.yaml']).toBe(holder.current().versions.mql);
  });

  it('every replica picks up a publish without restart: on refresh() and on its own timer', async () => {
    const first = holders[0] as ActiveBundle;
    let announce: (value: { bundle: MappingsBundle; id: string }) => void = () => {};
    const changed = new Promise<{ bundle: MappingsBundle; id: string }>((resolve) => (announce = resolve));
    const replica = await startActiveBundle({
      db,
      seedDir,
      logger: silentLogger(),
      refreshMs: 20,
      onChange: (bundle, id) => announce({ bundle, id }),
    });
    holders.push(replica);

    const service = createConfigVersions({ db, ...noSystems, logger: silentLogger(), now: () => new Date() });
    const draft = await service.createDraft({ files: withSmbThreshold(35), author: 'ana', comment: 'lower SMB bar' });
    await service.publish(draft.id, { author: 'ana' });

    await first.refresh();
    expect(first.version()).toBe(draft.id);
    expect(smbTotal(first.current())).toBe(35);
    const seen = await changed; // the replica's timer, not a call from the test
    expect(seen.id).toBe(draft.id);
    expect(smbTotal(replica.current())).toBe(35);
  });

  it('keeps the last good bundle and logs an error when the active files do not parse', async () => {
    const { logger, lines } = capturingLogger();
    const holder = await startActiveBundle({ db, seedDir, logger, refreshMs: 60_000 });
    holders.push(holder);
    const good = holder.version();
    // Publishing refuses such files; this simulates an old version that a later schema no longer reads.
    const bad = await insertConfigVersion(db, {
      files: { ...files, 'status-map.yaml': 'version: 1\n' },
      author: 'x',
      comment: '',
      basedOn: null,
      versions: null,
      diff: '',
    });
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE config_versions SET status = 'archived' WHERE status = 'active'`);
      await tx.query(`UPDATE config_versions SET status = 'active' WHERE id = $1::bigint`, [bad.id]);
    });
    await holder.refresh();
    expect(holder.version()).toBe(good);
    expect(smbTotal(holder.current())).toBe(35);
    const errors = lines
      .map((l) => JSON.parse(l) as { level: string; message: string; versionId?: string })
      .filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ message: 'active configuration version does not parse; keeping the previous one', versionId: bad.id }),
    ]);
    await holder.refresh();
    expect(lines.filter((l) => l.includes('"level":"error"'))).toHaveLength(1); // said once, not on every refresh
  });
});
