/** The groups of a KPI cut, each made empty the first time its key is seen (null: the rows with no key). */
export function groupsByKey<G>(empty: (key: string | null) => G): { groups: Map<string | null, G>; group: (key: string | null) => G } {
  const groups = new Map<string | null, G>();
  const group = (key: string | null): G => {
    let found = groups.get(key);
    if (found === undefined) {
      found = empty(key);
      groups.set(key, found);
    }
    return found;
  };
  return { groups, group };
}
