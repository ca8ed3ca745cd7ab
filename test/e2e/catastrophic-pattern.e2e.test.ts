import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningService } from './support/service-process.ts';
import { createWorld, creationEvent, deliverWebhook, type World } from './support/world.ts';

/**
 * An admin's `matches` pattern with nested quantifiers, `^(a+)+$`, against a job title anyone can type into a form:
 * on JavaScript's backtracking RegExp, 4,000 'a's and a '!' would take longer than the age of the universe, and the
 * event loop that answers /healthz (and HubSpot's webhooks) would never come back. The service runs `matches` on
 * RE2 (linear-pattern.ts): while the hostile contact is evaluated, every /healthz answers within its bound.
 */
const PATTERN = '^(a+)+$';
/** Each /healthz must answer within this; the whole evaluation takes milliseconds on a linear engine. */
const HEALTHZ_BOUND_MS = 2_000;

type HistoryEntry = { action: string; reason: string | null };

describe('a catastrophic `matches` pattern while the service runs', () => {
  let world: World;
  let service: RunningService;
  let mappingsDir: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // The shipped mappings plus a fast track on the hostile pattern, as an admin might publish it.
    mappingsDir = await mkdtemp(join(tmpdir(), 'handoff-catastrophic-'));
    await cp('mappings', mappingsDir, { recursive: true });
    const definition = join(mappingsDir, 'mql-definition.yaml');
    const text = await readFile(definition, 'utf8');
    // A function, not a string: `$'` in the pattern would be a replacement pattern.
    const withRule = text.replace(
      'fastTrack:\n',
      () =>
        `fastTrack:\n  - id: title-of-as\n    label: Job title of only letter a\n    when: { property: jobtitle, op: matches, value: '${PATTERN}' }\n`,
    );
    expect(withRule).not.toBe(text);
    await writeFile(definition, withRule);

    world = await createWorld();
    ids.hostile = world.hubspot.createContact({
      email: 'hostile@pattern.example',
      lastname: 'Hostile',
      company: 'Pattern Inc',
      jobtitle: `${'a'.repeat(4_000)}!`,
    });
    ids.matching = world.hubspot.createContact({
      email: 'plain@pattern.example',
      lastname: 'Plain',
      company: 'Pattern Inc',
      jobtitle: 'aaaa',
    });
    service = await world.start({ MAPPINGS_DIR: mappingsDir });
  });

  afterAll(async () => {
    await service?.kill();
    await world?.close();
    if (mappingsDir) await rm(mappingsDir, { recursive: true, force: true });
  });

  /** Every request is bounded: a frozen event loop fails the test at that request instead of hanging it. */
  const bounded = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, { headers, signal: AbortSignal.timeout(HEALTHZ_BOUND_MS) }).catch((error: unknown) => {
      throw new Error(`${path.split('/').slice(0, 3).join('/')} did not answer within ${HEALTHZ_BOUND_MS} ms (${(error as Error).name})`);
    });

  async function history(contactId: string): Promise<HistoryEntry[]> {
    const response = await bounded(`/api/records/${contactId}`, { authorization: `Bearer ${world.env.ADMIN_TOKEN}` });
    return response.status === 200 ? ((await response.json()) as { history: HistoryEntry[] }).history : [];
  }

  it('keeps answering /healthz while the contact is evaluated, and the audit records the verdict', async () => {
    const body = JSON.stringify([creationEvent(ids.hostile!), creationEvent(ids.matching!)]);
    expect((await deliverWebhook(service.url, world, body)).status).toBe(200);

    // Ask /healthz again and again until both verdicts are in the audit.
    let healthChecks = 0;
    let verdicts: { hostile: HistoryEntry[]; matching: HistoryEntry[] } | undefined;
    const deadline = Date.now() + 30_000;
    while (!verdicts) {
      if (Date.now() > deadline) throw new Error(`contacts not evaluated after ${healthChecks} health checks`);
      const health = await bounded('/healthz');
      expect(health.status).toBe(200);
      healthChecks += 1;
      const [hostile, matching] = [await history(ids.hostile!), await history(ids.matching!)];
      if (hostile.length > 0 && matching.length > 0) verdicts = { hostile, matching };
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(healthChecks).toBeGreaterThan(0);
    // 4,000 'a's then '!' do not match ^(a+)+$, and nothing else qualifies the contact.
    expect(verdicts.hostile[0]).toMatchObject({ action: 'not_qualified' });
    // The rule is live: a title of only a's is fast-tracked by it.
    expect(verdicts.matching[0]).toMatchObject({
      action: 'handed_off',
      reason: expect.stringContaining('Fast track: job title of only letter a'),
    });
  });
});
