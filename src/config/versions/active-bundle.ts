import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAPPING_FILES, type MappingsBundle } from '../../core/mappings/bundle.ts';
import type { Logger } from '../../log.ts';
import {
  activeConfigVersion,
  activeConfigVersionId,
  type ConfigVersionRow,
  getConfigVersion,
  seedActiveConfigVersion,
  type TransactionalDb,
} from '../../store/config-versions.ts';
import { loadMappings, validateMappingFiles } from '../mappings.ts';
import { versionsByFile } from './files.ts';
import { warnOfMappingsDirDrift } from './mappings-dir-drift.ts';
import { unifiedDiff } from './unified-diff.ts';

export interface ActiveBundleOptions {
  db: TransactionalDb;
  /** The reviewed mappings directory: the first version when the database has none. */
  seedDir: string;
  logger: Logger;
  /** How often the active version id is checked (one indexed query). */
  refreshMs?: number;
  /** Called after a newly published version is loaded. */
  onChange?: (bundle: MappingsBundle, versionId: string) => void;
}

export interface ActiveBundle {
  current(): MappingsBundle;
  /** The configuration version id the current bundle came from. */
  version(): string;
  /** Reloads now if another version became active (the timer calls this too). */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Holds the bundle of the active configuration version and follows publishes: every replica polls
 * the active id and swaps the bundle when it changes, so nobody restarts after a publish.
 */
export async function startActiveBundle(options: ActiveBundleOptions): Promise<ActiveBundle> {
  const { db } = options;
  const log = options.logger.child({ module: 'active-bundle' });
  const first = await activeOrSeed(db, options.seedDir, log);
  const parsed = validateMappingFiles(first.files);
  if (!parsed.ok)
    throw new Error(`active configuration version ${first.id} does not parse: ${parsed.problems.map((p) => p.message).join('; ')}`);
  let state = { id: first.id, bundle: parsed.value };
  let failedId: string | undefined;
  let inFlight: Promise<void> | undefined;
  log.info('configuration loaded', { versionId: state.id, versions: state.bundle.versions });

  const reload = async (): Promise<void> => {
    const id = await activeConfigVersionId(db);
    if (id === undefined || id === state.id || id === failedId) return;
    const row = await getConfigVersion(db, id);
    if (!row) return;
    const result = validateMappingFiles(row.files);
    if (!result.ok) {
      // Publishing refuses invalid files, so this means a schema change made an old version unreadable.
      failedId = id;
      log.error('active configuration version does not parse; keeping the previous one', {
        versionId: id,
        kept: state.id,
        problems: result.problems,
      });
      return;
    }
    state = { id, bundle: result.value };
    failedId = undefined;
    log.info('configuration version activated', { versionId: id, versions: result.value.versions });
    options.onChange?.(result.value, id);
  };
  const refresh = (): Promise<void> => {
    inFlight ??= reload().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const timer = setInterval(() => {
    refresh().catch((error: unknown) => log.warn('could not check the active configuration version', { error }));
  }, options.refreshMs ?? 2000);
  timer.unref();

  return {
    current: () => state.bundle,
    version: () => state.id,
    refresh,
    stop: () => clearInterval(timer),
  };
}

/** The active version, or a new one seeded from the mappings directory when the database has none. */
async function activeOrSeed(db: TransactionalDb, seedDir: string, log: Logger): Promise<ConfigVersionRow> {
  const active = await activeConfigVersion(db);
  if (active) {
    await warnOfMappingsDirDrift(seedDir, active, log);
    return active;
  }
  // loadMappings names every missing file and problem, so a bad seed fails the start as before.
  const bundle = await loadMappings(seedDir);
  const files = await readMappingFiles(seedDir);
  const { version, seeded } = await seedActiveConfigVersion(db, {
    files,
    author: 'seed',
    comment: `from ${seedDir}`,
    basedOn: null,
    versions: versionsByFile(bundle),
    diff: unifiedDiff({}, files),
  });
  if (seeded) log.info('configuration seeded from the mappings directory', { versionId: version.id, dir: seedDir });
  return version;
}

export async function readMappingFiles(dir: string): Promise<Record<string, string>> {
  const names = Object.values(MAPPING_FILES);
  const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
  return Object.fromEntries(names.map((name, i) => [name, texts[i] ?? '']));
}
