import { describe, expect, it } from '@jest/globals';
import { DESCRIBE_MAX_AGE_MS, describedFields } from '../../../src/adapters/salesforce/described-fields.ts';
import type { ObjectDescription } from '../../../src/adapters/salesforce/salesforce-port.ts';

/** A describe that answers the queued field lists (or errors) in turn, counting calls. */
function fakeDescribe(...answers: Array<string[] | Error>) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    describe: async (name: string): Promise<ObjectDescription> => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      if (answer instanceof Error) throw answer;
      return {
        name,
        fields: (answer ?? []).map((field) => ({
          name: field,
          type: 'string',
          createable: true,
          updateable: true,
          externalId: false,
          picklistValues: [],
        })),
      };
    },
  };
}

describe('describedFields: the Lead fields from describe, cached', () => {
  it('describes once, then again only after the maximum age (an hour by default)', async () => {
    let now = 0;
    const sf = fakeDescribe(['Id', 'Status'], ['Id', 'Status', 'FirstCallDateTime']);
    const fields = describedFields(sf, 'Lead', { now: () => now });
    expect(await fields.names()).toEqual(['Id', 'Status']);
    now = DESCRIBE_MAX_AGE_MS - 1;
    expect(await fields.names()).toEqual(['Id', 'Status']);
    expect(sf.calls).toBe(1);
    now = DESCRIBE_MAX_AGE_MS;
    expect(await fields.names()).toEqual(['Id', 'Status', 'FirstCallDateTime']);
    expect(sf.calls).toBe(2);
  });

  it('describes again after invalidate (a configuration version was published)', async () => {
    const sf = fakeDescribe(['Id'], ['Id', 'Need__c']);
    const fields = describedFields(sf, 'Lead', { now: () => 0 });
    await fields.names();
    fields.invalidate();
    expect(await fields.names()).toEqual(['Id', 'Need__c']);
  });

  it('shares one describe between callers asking at once', async () => {
    const sf = fakeDescribe(['Id']);
    const fields = describedFields(sf, 'Lead');
    await Promise.all([fields.names(), fields.names(), fields.names()]);
    expect(sf.calls).toBe(1);
  });

  it('keeps the last answer when a refresh fails, and fails when it never had one', async () => {
    let now = 0;
    const sf = fakeDescribe(['Id'], new Error('SERVER_UNAVAILABLE'));
    const fields = describedFields(sf, 'Lead', { now: () => now });
    await fields.names();
    now = DESCRIBE_MAX_AGE_MS;
    expect(await fields.names()).toEqual(['Id']);
    await expect(describedFields(fakeDescribe(new Error('INVALID_SESSION_ID')), 'Lead').names()).rejects.toThrow('INVALID_SESSION_ID');
  });
});
