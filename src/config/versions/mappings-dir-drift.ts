import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAPPING_FILES } from '../../core/mappings/bundle.ts';
import type { Logger } from '../../log.ts';

/**
 * The mappings file names whose text in `dir` differs from `active` (a file present on one side only counts too),
 * sorted. Undefined when `dir` holds none of the files: a deployment need not ship the folder.
 */
export async function mappingsDirDrift(dir: string, active: Record<string, string>): Promise<string[] | undefined> {
  const names = Object.values(MAPPING_FILES);
  const onDisk = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8').catch(() => undefined)));
  if (onDisk.every((text) => text === undefined)) return undefined;
  return names.filter((name, i) => onDisk[i] !== active[name]).sort();
}

/**
 * Edits to the mappings folder after the first start are not read (the database holds the active version): say so
 * at start, with the command that turns them into a draft, and say nothing when the two agree.
 */
export async function warnOfMappingsDirDrift(
  dir: string,
  active: { id: string; files: Record<string, string> },
  log: Logger,
): Promise<void> {
  const differing = await mappingsDirDrift(dir, active.files);
  if (!differing || differing.length === 0) return;
  log.warn('the mappings directory differs from the active configuration version; its files are not used', {
    dir,
    versionId: active.id,
    differingFiles: differing,
    hint: `npm run import -- ${dir} turns them into a draft to review and publish`,
  });
}
