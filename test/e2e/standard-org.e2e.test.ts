import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createWorld, type World } from './support/world.ts';

/**
 * The service started against a standard org (no Sales Engagement: no Lead.FirstCallDateTime, per the Object
 * Reference for the Salesforce Platform, Lead) with mappings that ask for the firstCallOrEmail detector: the
 * start-up log says so once, with the fix, and the service runs.
 */
describe('start-up against a standard org with firstCallOrEmail configured', () => {
  let world: World;
  let mappingsDir: string;
  beforeAll(async () => {
    world = await createWorld();
    mappingsDir = await mkdtemp(join(tmpdir(), 'handoff-std-org-'));
    await cp('mappings', mappingsDir, { recursive: true });
    const sla = await readFile(join(mappingsDir, 'sla-rules.yaml'), 'utf8');
    await writeFile(
      join(mappingsDir, 'sla-rules.yaml'),
      sla.replace('detectBy: [statusLeavesInitial, activityLogged]', 'detectBy: [statusLeavesInitial, firstCallOrEmail, activityLogged]'),
    );
  });
  afterAll(async () => {
    await world?.close();
    await rm(mappingsDir, { recursive: true, force: true });
  });

  it('logs one warning naming the missing Sales Engagement fields and the fix', async () => {
    const service = await world.start({ MAPPINGS_DIR: mappingsDir });
    try {
      const warnings = service.output.filter((line) => line.includes('"level":"warn"') && line.includes('firstCallOrEmail'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!).message).toBe(
        'sla-rules.yaml firstTouch.detectBy[1]: firstCallOrEmail needs Lead.FirstCallDateTime and Lead.FirstEmailDateTime, which exist only with Sales Engagement (High Velocity Sales): enable Sales Engagement in the org or remove firstCallOrEmail from firstTouch.detectBy',
      );
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    } finally {
      await service.stop();
    }
  });
});
