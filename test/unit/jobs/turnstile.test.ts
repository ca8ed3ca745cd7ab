import { describe, expect, it } from '@jest/globals';
import { createTurnstile } from '../../../src/jobs/handoff/turnstile.ts';

describe('turnstile', () => {
  const section =
    (log: string[], name: string, fail = false) =>
    async () => {
      log.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`${name} out`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };

  it('runs sections with a key in common one at a time, in the order they asked, and goes on after a failure', async () => {
    const turn = createTurnstile();
    const log: string[] = [];
    const outcomes = await Promise.allSettled([
      turn(['a@x'], section(log, 'a')),
      turn(['a@x'], section(log, 'b', true)),
      turn(['a@x'], section(log, 'c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });

  it('lets sections with no key in common overlap, and holds one that shares a key with each until both are out', async () => {
    const turn = createTurnstile();
    const log: string[] = [];
    await Promise.all([
      turn(['a@x'], section(log, 'a')),
      turn(['b@x'], section(log, 'b')),
      turn(['b@x', 'a@x'], section(log, 'c')),
      turn([], section(log, 'd')),
    ]);
    // a, b and the keyless d start before any of them ends; c starts only after a and b are out.
    expect(log.slice(0, 3).sort()).toEqual(['a in', 'b in', 'd in']);
    expect(log.indexOf('c in')).toBeGreaterThan(Math.max(log.indexOf('a out'), log.indexOf('b out')));
    expect(log.at(-1)).toBe('c out');
  });
});
