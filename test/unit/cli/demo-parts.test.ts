import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { DEMO_FIRST_TOUCH_SECONDS, writeDemoMappings } from '../../../src/cli/demo/demo-mappings.ts';
import { Narrator } from '../../../src/cli/demo/narrator.ts';
import { condensedBreakdown } from '../../../src/cli/demo/steps-handoff.ts';
import { DemoStepFailed, waitFor } from '../../../src/cli/demo/wait.ts';
import { MAPPING_FILES } from '../../../src/config/mappings.ts';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'demo-parts-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('waitFor', () => {
  it('returns the first value, retrying errors and undefined on the way', async () => {
    let calls = 0;
    const value = await waitFor(
      'a value',
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('connection refused');
        return calls === 3 ? 'there' : undefined;
      },
      5_000,
    );
    expect({ value, calls }).toEqual({ value: 'there', calls: 3 });
  });

  it('fails after its bound, naming what it waited for and the last error', async () => {
    const failure = waitFor(
      'the Lead',
      async () => {
        throw new Error('503 from Salesforce');
      },
      250,
    );
    await expect(failure).rejects.toThrow(
      new DemoStepFailed('timed out after 0.3 s waiting for the Lead (last error: 503 from Salesforce)'),
    );
  });

  it('stops at once on a DemoStepFailed from the check', async () => {
    const started = Date.now();
    await expect(
      waitFor(
        'never',
        async () => {
          throw new DemoStepFailed('the service exited');
        },
        10_000,
      ),
    ).rejects.toThrow('the service exited');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('writeDemoMappings', () => {
  it('copies the real files, shortening only the fast-track first touch, and the copy is valid', async () => {
    const target = await tempDir();
    const demo = await writeDemoMappings('mappings', target);
    expect(demo.shortened).toEqual({ ruleId: 'demo-request', label: 'Demo requests', original: '5 minutes' });
    const rule = demo.bundle.sla.rules.find((r) => r.id === 'demo-request');
    expect(rule?.firstTouch).toEqual({ within: DEMO_FIRST_TOUCH_SECONDS / 60, unit: 'minutes' });
    expect(demo.bundle.sla.rules.filter((r) => r.id !== 'demo-request').map((r) => r.firstTouch)).toEqual([
      { within: 2, unit: 'businessHours' },
      { within: 4, unit: 'businessHours' },
    ]);
    expect(demo.bundle.versions.sla).toMatch(/^2025\.2-demo@[0-9a-f]{7}$/);
    for (const name of Object.values(MAPPING_FILES).filter((n) => n !== MAPPING_FILES.sla)) {
      expect(await readFile(join(target, name), 'utf8')).toBe(await readFile(join('mappings', name), 'utf8'));
    }
    expect(await readFile(join(target, MAPPING_FILES.sla), 'utf8')).toMatch(/^# DEMO COPY written by `npm run demo`/);
  });

  it('refuses SLA rules without a fast-track rule, saying what it needs', async () => {
    const source = await tempDir();
    for (const name of Object.values(MAPPING_FILES)) {
      const text = await readFile(join('mappings', name), 'utf8');
      await writeFile(
        join(source, name),
        name === MAPPING_FILES.sla ? text.replace('when: { fastTrack: true }', 'when: { segment: [smb] }') : text,
      );
    }
    await expect(writeDemoMappings(source, await tempDir())).rejects.toThrow('sla-rules.yaml has no rule with "when: { fastTrack: true }"');
  });
});

describe('condensedBreakdown', () => {
  it('keeps scored rules, fast tracks, the total and the reasons', () => {
    const text =
      'MQL qualified — segment SMB\nFit:\n     0  Software (industry is empty)\n   +15  Decision-maker (jobtitle = VP)\nBehaviour:\n     0  Pricing (pricing_page_views = 0 × 5)\nFast track:\n  Demo requested (demo_requested = true)\nTotal: 15 (fit 15, behaviour 0); threshold 50, min fit 15\n- Fast track: demo requested\nDefinition version: 2025.1@a78b91f';
    expect(condensedBreakdown(text)).toEqual([
      '   +15  Decision-maker (jobtitle = VP)',
      'Fast track:',
      '  Demo requested (demo_requested = true)',
      'Total: 15 (fit 15, behaviour 0); threshold 50, min fit 15',
      '- Fast track: demo requested',
    ]);
  });
});

describe('Narrator', () => {
  const capture = (isTTY: boolean) => {
    const out = {
      text: '',
      isTTY,
      write(chunk: string) {
        this.text += chunk;
      },
    };
    return out;
  };

  it('writes plain lines, no escape codes, when the output is not a terminal', async () => {
    const out = capture(false);
    const narrator = new Narrator(out);
    narrator.step(1, 9, 'Start');
    narrator.ok('ready');
    expect(await narrator.waiting(() => 'waiting for the Lead', Promise.resolve(7))).toBe(7);
    expect(out.text).toMatch(/^\n\[1\/9\] Start {2}\(\+0\.\d s\)\n {2}✓ ready\n {2}… waiting for the Lead\n$/);
  });

  it('colours a terminal unless NO_COLOR asks it not to', () => {
    const coloured = capture(true);
    new Narrator(coloured).ok('ready');
    expect(coloured.text).toContain('\x1b[32m✓');
    const plain = capture(true);
    new Narrator(plain, { noColor: true }).ok('ready');
    expect(plain.text).toBe('  ✓ ready\n');
  });
});
