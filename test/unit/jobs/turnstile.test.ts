import { describe, expect, it } from '@jest/globals';
import { createTurnstile } from '../../../src/jobs/handoff/handoff-contacts.ts';

describe('turnstile', () => {
  it('runs sections one at a time, in the order they asked, and goes on after a failure', async () => {
    const turn = createTurnstile();
    const log: string[] = [];
    const section = (name: string, fail = false) => async () => {
      log.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`${name} out`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
    const outcomes = await Promise.allSettled([turn(section('a')), turn(section('b', true)), turn(section('c'))]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });
});
