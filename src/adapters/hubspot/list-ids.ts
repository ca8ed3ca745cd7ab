import type { HubSpotPort } from './hubspot-port.ts';

/** Turns list names from the mappings into HubSpot list ids. */
export interface ListIdResolver {
  /** Every name's id; throws MissingHubSpotListError naming all lists HubSpot does not have. */
  resolve(names: readonly string[]): Promise<Map<string, string>>;
}

/** A list the mappings name does not exist in HubSpot: a setup problem, not a transient one. */
export class MissingHubSpotListError extends Error {
  readonly names: string[];
  constructor(names: string[]) {
    const quoted = names.map((name) => `"${name}"`).join(', ');
    super(`HubSpot has no contact list named ${quoted}; run the setup command to create the lists the mappings name`);
    this.name = 'MissingHubSpotListError';
    this.names = names;
  }
}

/**
 * Looks names up once and keeps the ids it found (lists are not renamed by us, and an id is stable).
 * A name not found is not remembered, so a list created by `setup` later is picked up without a restart.
 * Lookups in flight are shared, so concurrent callers cost one request per name.
 */
export function createListIdResolver(port: Pick<HubSpotPort, 'findListByName'>): ListIdResolver {
  const cache = new Map<string, Promise<string | undefined>>();

  function lookUp(name: string): Promise<string | undefined> {
    const known = cache.get(name);
    if (known) return known;
    const pending = port.findListByName(name).then((list) => list?.listId);
    cache.set(name, pending);
    // Forget misses and failures so the next call asks HubSpot again.
    pending.then(
      (listId) => listId === undefined && cache.delete(name),
      () => cache.delete(name),
    );
    return pending;
  }

  return {
    async resolve(names) {
      const wanted = [...new Set(names)];
      const ids = await Promise.all(wanted.map(lookUp));
      const resolved = new Map<string, string>();
      const missing: string[] = [];
      wanted.forEach((name, index) => {
        const listId = ids[index];
        if (listId === undefined) missing.push(name);
        else resolved.set(name, listId);
      });
      if (missing.length > 0) throw new MissingHubSpotListError(missing);
      return resolved;
    },
  };
}
