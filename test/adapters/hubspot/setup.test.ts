import { describe, expect, it } from '@jest/globals';
import type { ListRef, PropertyInfo } from '../../../src/adapters/hubspot/hubspot-port.ts';
import { ensureHubSpotSetup, mismatchOf, type SetupPort } from '../../../src/adapters/hubspot/setup.ts';
import type { PropertySpec } from '../../../src/core/setup-spec.ts';
import { ProviderError } from '../../../src/errors.ts';

const text: PropertySpec = { name: 'handoff_note', label: 'Note', type: 'string', fieldType: 'text', groupName: 'handoff' };

function refusal(status: number, retryable = false) {
  return new ProviderError('hubspot', `HubSpot call failed with ${status}`, { status, retryable });
}

/** A port whose lists and properties live in memory; `createList` can be scripted to fail. */
function fakePort(options: { properties?: PropertyInfo[]; lists?: ListRef[]; createList?: (name: string) => Promise<ListRef> } = {}) {
  const lists = [...(options.lists ?? [])];
  const port: SetupPort = {
    listProperties: async () => options.properties ?? [],
    createProperty: async () => 'created',
    findListByName: async (name) => lists.find((list) => list.name === name),
    createList: options.createList ?? (async (name) => ({ listId: String(lists.push({ listId: String(lists.length + 1), name })), name })),
  };
  return { port, lists };
}

describe('ensureHubSpotSetup', () => {
  it('treats duplicate names in the spec once', async () => {
    const { port } = fakePort();
    const report = await ensureHubSpotSetup(port, { properties: [text, text], lists: ['A', 'A'] });
    expect(report).toEqual({
      properties: { created: ['handoff_note'], found: [] },
      lists: { created: [{ listId: '1', name: 'A' }], found: [] },
      problems: [],
    });
  });

  it('counts a property created concurrently (409) as found', async () => {
    const { port } = fakePort();
    port.createProperty = async () => 'exists';
    const report = await ensureHubSpotSetup(port, { properties: [text], lists: [] });
    expect(report.properties).toEqual({ created: [], found: ['handoff_note'] });
  });

  it('counts a list whose create failed but which exists afterwards as found', async () => {
    const { port, lists } = fakePort({
      createList: async (name) => {
        lists.push({ listId: '77', name }); // created, but the answer was lost
        throw refusal(400);
      },
    });
    const report = await ensureHubSpotSetup(port, { properties: [], lists: ['A'] });
    expect(report.lists).toEqual({ created: [], found: [{ listId: '77', name: 'A' }] });
    expect(report.problems).toEqual([]);
  });

  it('reports a list HubSpot refuses to create and goes on with the next', async () => {
    const { port } = fakePort({ createList: async (name) => (name === 'A' ? Promise.reject(refusal(403)) : { listId: '2', name }) });
    const report = await ensureHubSpotSetup(port, { properties: [], lists: ['A', 'B'] });
    expect(report.problems).toEqual(['list "A": could not be created: HubSpot call failed with 403']);
    expect(report.lists.created).toEqual([{ listId: '2', name: 'B' }]);
  });

  it('stops on an auth failure or a transient failure instead of reporting it per item', async () => {
    for (const error of [refusal(401), refusal(503, true), new TypeError('bug')]) {
      const { port } = fakePort();
      port.createProperty = async () => Promise.reject(error);
      await expect(ensureHubSpotSetup(port, { properties: [text], lists: ['A'] })).rejects.toBe(error);
    }
  });

  it('does not list properties when the spec names none', async () => {
    const { port } = fakePort();
    port.listProperties = async () => Promise.reject(new Error('should not be called'));
    expect((await ensureHubSpotSetup(port, { properties: [], lists: [] })).problems).toEqual([]);
  });
});

describe('mismatchOf', () => {
  const enumeration: PropertySpec = {
    ...text,
    type: 'enumeration',
    fieldType: 'select',
    options: [
      { label: 'A', value: 'a' },
      { label: 'B', value: 'b' },
    ],
  };
  it.each([
    ['same type, no options', text, { name: 'handoff_note', type: 'string' }, undefined],
    [
      'extra options in HubSpot are fine',
      enumeration,
      {
        name: 'handoff_note',
        type: 'enumeration',
        options: [
          { label: 'A', value: 'a' },
          { label: 'B', value: 'b' },
          { label: 'C', value: 'c' },
        ],
      },
      undefined,
    ],
    [
      'other type',
      text,
      { name: 'handoff_note', type: 'number' },
      'property handoff_note: exists in HubSpot as type "number" but the mappings need "string"; setup does not change existing properties, fix it in HubSpot',
    ],
    [
      'missing options',
      enumeration,
      { name: 'handoff_note', type: 'enumeration' },
      'property handoff_note: exists in HubSpot without the options "a", "b"; add them in HubSpot',
    ],
  ] as const)('%s', (_title, wanted, current, expected) => {
    expect(mismatchOf(wanted, current as PropertyInfo)).toBe(expected);
  });
});
