import { describe, expect, it } from '@jest/globals';
import type { ListRef } from '../../../src/adapters/hubspot/hubspot-port.ts';
import { createListIdResolver, MissingHubSpotListError } from '../../../src/adapters/hubspot/list-ids.ts';

/** A port holding lists by name that counts lookups per name. */
function fakePort(lists: Record<string, string>) {
  const lookups: string[] = [];
  return {
    lookups,
    lists,
    async findListByName(name: string): Promise<ListRef | undefined> {
      lookups.push(name);
      await Promise.resolve();
      const listId = lists[name];
      return listId === undefined ? undefined : { listId, name };
    },
  };
}

describe('createListIdResolver', () => {
  it('resolves names to ids and looks each name up once', async () => {
    const port = fakePort({ 'Nurture - bad timing': '11', 'Sales ready': '12' });
    const resolver = createListIdResolver(port);
    const first = await resolver.resolve(['Nurture - bad timing', 'Sales ready', 'Sales ready']);
    const second = await resolver.resolve(['Sales ready']);
    expect([...first]).toEqual([
      ['Nurture - bad timing', '11'],
      ['Sales ready', '12'],
    ]);
    expect([...second]).toEqual([['Sales ready', '12']]);
    expect(port.lookups).toEqual(['Nurture - bad timing', 'Sales ready']);
  });

  it('shares a lookup between concurrent callers', async () => {
    const port = fakePort({ A: '1' });
    const resolver = createListIdResolver(port);
    await Promise.all([resolver.resolve(['A']), resolver.resolve(['A'])]);
    expect(port.lookups).toEqual(['A']);
  });

  it('names every missing list and points the admin to setup', async () => {
    const resolver = createListIdResolver(fakePort({ A: '1' }));
    const error = (await resolver
      .resolve(['A', 'Nurture - no budget', 'Nurture - competitor'])
      .catch((e: unknown) => e)) as MissingHubSpotListError;
    expect(error).toBeInstanceOf(MissingHubSpotListError);
    expect(error.names).toEqual(['Nurture - no budget', 'Nurture - competitor']);
    expect(error.message).toBe(
      'HubSpot has no contact list named "Nurture - no budget", "Nurture - competitor"; run the setup command to create the lists the mappings name',
    );
  });

  it('asks again for a list that was missing, so one created later is found', async () => {
    const port = fakePort({});
    const resolver = createListIdResolver(port);
    await expect(resolver.resolve(['Late'])).rejects.toThrow(MissingHubSpotListError);
    port.lists.Late = '99';
    expect(await resolver.resolve(['Late'])).toEqual(new Map([['Late', '99']]));
    expect(port.lookups).toEqual(['Late', 'Late']);
  });

  it('does not remember a failed lookup', async () => {
    let fail = true;
    const resolver = createListIdResolver({
      findListByName: async (name) => {
        if (fail) throw new Error('HubSpot down');
        return { listId: '5', name };
      },
    });
    await expect(resolver.resolve(['A'])).rejects.toThrow('HubSpot down');
    fail = false;
    expect(await resolver.resolve(['A'])).toEqual(new Map([['A', '5']]));
  });
});
