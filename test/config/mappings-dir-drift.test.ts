import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startActiveBundle } from '../../src/config/versions/active-bundle.ts';
import { mappingsDirDrift } from '../../src/config/versions/mappings-dir-drift.ts';
import { createConfigVersions } from '../../src/config/versions/service.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { noSystems } from '../support/config-admin-server.ts';
import { useFreshDatabase } from '../support/databases.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

/** At start, the service says when MAPPINGS_DIR no longer matches the active version, and how to import it. */
const shippedDir = fileURLToPath(new URL('../../mappings/', import.meta.url));
const files = shippedFiles();
const DRIFT = 'the mappings directory differs from the active configuration version; its files are not used';
let workDir: string;

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  const warnings = () =>
    lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 'warn' && l.message === DRIFT);
  return { logger: createLogger('info', stream), warnings };
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'handoff-drift-'));
});
afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('mappingsDirDrift', () => {
  it('names the files that differ or exist on one side only, and nothing for a folder without mappings files', async () => {
    expect(await mappingsDirDrift(shippedDir, files)).toEqual([]);
    const { 'sla-rules.yaml': _sla, ...withoutSla } = files;
    const changed = { ...withoutSla, 'mql-definition.yaml': `${files['mql-definition.yaml']}# more\n` };
    expect(await mappingsDirDrift(shippedDir, changed)).toEqual(['mql-definition.yaml', 'sla-rules.yaml']);
    expect(await mappingsDirDrift(join(workDir, 'no-such-folder'), files)).toBeUndefined();
  });
});

describe('start-up log of a MAPPINGS_DIR edited after the first start', () => {
  let db: Database;
  useFreshDatabase((opened) => {
    db = opened;
  });

  it('stays silent while the folder matches the active version, and warns with the import command once it differs', async () => {
    const dir = join(workDir, 'mappings');
    await cp(shippedDir, dir, { recursive: true });
    const first = capturingLogger();
    (await startActiveBundle({ db, seedDir: dir, logger: first.logger, refreshMs: 60_000 })).stop();
    const again = capturingLogger();
    const holder = await startActiveBundle({ db, seedDir: dir, logger: again.logger, refreshMs: 60_000 });
    holder.stop();
    expect([first.warnings(), again.warnings()]).toEqual([[], []]);

    await writeFile(join(dir, 'sql-definition.yaml'), `# edited in git\n${files['sql-definition.yaml']}`, 'utf8');
    const edited = capturingLogger();
    (await startActiveBundle({ db, seedDir: dir, logger: edited.logger, refreshMs: 60_000 })).stop();
    expect(edited.warnings()).toEqual([
      expect.objectContaining({
        dir,
        versionId: holder.version(),
        differingFiles: ['sql-definition.yaml'],
        hint: `npm run import -- ${dir} turns them into a draft to review and publish`,
      }),
    ]);

    // Published through the admin API instead: the folder now differs in the MQL definition too.
    const service = createConfigVersions({ db, ...noSystems, logger: silentLogger(), now: () => new Date() });
    const draft = await service.createDraft({
      files: { ...files, 'mql-definition.yaml': `${files['mql-definition.yaml']}# tuned on the page\n` },
      author: 'ana',
      comment: '',
    });
    await service.publish(draft.id, { author: 'ana' });
    const published = capturingLogger();
    (await startActiveBundle({ db, seedDir: dir, logger: published.logger, refreshMs: 60_000 })).stop();
    expect(published.warnings()).toEqual([
      expect.objectContaining({ versionId: draft.id, differingFiles: ['mql-definition.yaml', 'sql-definition.yaml'] }),
    ]);
  });
});
