import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { loadMappings, MAPPING_FILES, type MappingsBundle } from '../../config/mappings.ts';
import { DemoStepFailed } from './wait.ts';

/** The demo's first-touch limit for fast-tracked MQLs: short enough to watch a breach inside a minute. */
export const DEMO_FIRST_TOUCH_SECONDS = 15;

export interface DemoMappings {
  dir: string;
  bundle: MappingsBundle;
  /** The fast-track SLA rule the demo shortened, and its limit in the real file. */
  shortened: { ruleId: string; label: string; original: string };
}

/**
 * Copies the real mapping files into `targetDir`, changing one thing: the first-touch limit of the SLA rule
 * for fast-tracked MQLs (a demo request) becomes DEMO_FIRST_TOUCH_SECONDS, written as decimal minutes,
 * and the SLA file's version gets a "-demo" suffix so every clock says it ran on the demo rules. The copy
 * is validated by the same loader the service uses.
 */
export async function writeDemoMappings(sourceDir: string, targetDir: string): Promise<DemoMappings> {
  let shortened: DemoMappings['shortened'] | undefined;
  for (const name of Object.values(MAPPING_FILES)) {
    let text = await readFile(join(sourceDir, name), 'utf8');
    if (name === MAPPING_FILES.sla) {
      const result = shortenFastTrackFirstTouch(text);
      text = result.text;
      shortened = result.shortened;
    }
    await writeFile(join(targetDir, name), text);
  }
  if (!shortened) throw new DemoStepFailed(`${MAPPING_FILES.sla} was not among the mapping files`);
  return { dir: targetDir, bundle: await loadMappings(targetDir), shortened };
}

function shortenFastTrackFirstTouch(text: string): { text: string; shortened: DemoMappings['shortened'] } {
  const doc = parseDocument(text);
  const rules = doc.get('rules');
  const rule = isSeq(rules)
    ? rules.items.find((item) => isMap(item) && doc.getIn(['rules', rules.items.indexOf(item), 'when', 'fastTrack']) === true)
    : undefined;
  if (!isMap(rule)) {
    throw new DemoStepFailed(`${MAPPING_FILES.sla} has no rule with "when: { fastTrack: true }"; the demo's SLA breach needs one`);
  }
  const original = `${String(rule.getIn(['firstTouch', 'within']))} ${String(rule.getIn(['firstTouch', 'unit']))}`;
  rule.setIn(['firstTouch', 'within'], DEMO_FIRST_TOUCH_SECONDS / 60);
  rule.setIn(['firstTouch', 'unit'], 'minutes');
  doc.set('version', `${String(doc.get('version'))}-demo`);
  doc.commentBefore = ` DEMO COPY written by \`npm run demo\` into its temporary directory: the fast-track rule's first\n touch is ${DEMO_FIRST_TOUCH_SECONDS} seconds instead of ${original}, so an SLA breach happens within the demo.\n${doc.commentBefore ?? ''}`;
  return { text: doc.toString(), shortened: { ruleId: String(rule.get('id')), label: String(rule.get('label')), original } };
}
