import { describe, expect, it } from '@jest/globals';
import { ChangeFeed, type RecordChange } from '../../../src/simulators/salesforce/change-feed.ts';
import { callOptionsClient, restChangeOrigin } from '../../../src/simulators/salesforce/change-origin.ts';

const save = (id: string) => ({ object: 'Lead', changeType: 'CREATE' as const, after: { Id: id }, userId: 'u' });

function listen(feed: ChangeFeed): RecordChange[] {
  const heard: RecordChange[] = [];
  feed.onChange((change) => heard.push(change));
  return heard;
}

describe('ChangeFeed: changes reach listeners once committed', () => {
  it('tells a save outside a request at once, with an empty origin', () => {
    const feed = new ChangeFeed();
    const heard = listen(feed);
    feed.saved(save('a'));
    expect(heard).toEqual([{ ...save('a'), changeOrigin: '' }]);
  });

  it("holds a request's saves until it returns, joins nested requests, and drops what a rollback undid", () => {
    const feed = new ChangeFeed();
    const heard = listen(feed);
    feed.commit('origin/1', () => {
      feed.saved(save('a'));
      const mark = feed.mark();
      feed.commit('origin/2', () => feed.saved(save('b')));
      feed.rollBackTo(mark);
      feed.saved(save('c'));
      expect(heard).toEqual([]);
    });
    expect(heard.map((change) => [change.after.Id, change.changeOrigin])).toEqual([
      ['a', 'origin/1'],
      ['c', 'origin/1'],
    ]);
  });

  it('tells what a throwing request saved: its rows stay saved', () => {
    const feed = new ChangeFeed();
    const heard = listen(feed);
    expect(() =>
      feed.commit('origin', () => {
        feed.saved(save('a'));
        throw new Error('after the save');
      }),
    ).toThrow('after the save');
    expect(heard).toHaveLength(1);
  });
});

describe('changeOrigin from the Call Options header (ChangeEventHeader Fields, "changeOrigin")', () => {
  it.each([
    ['client=Handoff', 'Handoff'],
    ['client=Handoff, defaultNamespace=battle', 'Handoff'],
    ['defaultNamespace=battle; client=SampleCaseSensitiveToken/100', 'SampleCaseSensitiveToken/100'],
    ['defaultNamespace=battle', undefined],
    ['client=', undefined],
    [undefined, undefined],
  ])('reads the client of %p as %p', (value, client) => {
    expect(callOptionsClient(value)).toBe(client);
  });

  it('adds ";client=" only when the call named a client', () => {
    expect(restChangeOrigin('66.0', 'Handoff')).toBe('com/salesforce/api/rest/66.0;client=Handoff');
    expect(restChangeOrigin('66.0', undefined)).toBe('com/salesforce/api/rest/66.0');
  });
});
