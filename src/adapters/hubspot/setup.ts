import type { HubSpotSetupSpec, PropertySpec } from '../../core/setup-spec.ts';
import { ProviderError } from '../../errors.ts';
import type { HubSpotPort, ListRef, PropertyInfo } from './hubspot-port.ts';

export type SetupPort = Pick<HubSpotPort, 'listProperties' | 'createProperty' | 'findListByName' | 'createList'>;

export interface SetupReport {
  properties: { created: string[]; found: string[] };
  lists: { created: ListRef[]; found: ListRef[] };
  /** What setup could not make right by itself; an admin has to look. Empty when all is well. */
  problems: string[];
}

/**
 * Makes sure HubSpot has the custom contact properties and MANUAL lists the mappings name. Safe to run
 * again: what exists is reported as found and left alone. An existing property that does not fit
 * (another type, missing options) is a problem to report; setup never changes a property that exists.
 * Auth failures and exhausted retries throw; a refusal about one item becomes a problem and setup goes on.
 */
export async function ensureHubSpotSetup(port: SetupPort, spec: HubSpotSetupSpec): Promise<SetupReport> {
  const report: SetupReport = { properties: { created: [], found: [] }, lists: { created: [], found: [] }, problems: [] };
  const expected = spec.expected ?? { contacts: [], companies: [] };
  const wanted = uniqueBy(spec.properties, (property) => property.name);
  const existing =
    wanted.length > 0 || expected.contacts.length > 0
      ? new Map((await port.listProperties()).map((p) => [p.name, p]))
      : new Map<string, PropertyInfo>();
  await ensureProperties(port, wanted, existing, report);
  await checkExpected(port, expected, existing, report);
  await ensureLists(port, [...new Set(spec.lists)], report);
  return report;
}

/**
 * Properties the mappings read that setup cannot create (HubSpot's own contact properties, company properties):
 * each one HubSpot lacks is a problem, so `setup` fails rather than leave a rule that can never match.
 */
async function checkExpected(
  port: SetupPort,
  expected: { contacts: string[]; companies: string[] },
  contacts: Map<string, PropertyInfo>,
  report: SetupReport,
): Promise<void> {
  for (const name of expected.contacts) {
    if (!contacts.has(name))
      report.problems.push(
        `property ${name}: HubSpot has no contact property ${name}, and setup cannot create it (not a custom property the mappings define); check the internal name`,
      );
  }
  if (expected.companies.length === 0) return;
  const companies = new Set((await port.listProperties('companies')).map((p) => p.name));
  for (const name of expected.companies) {
    if (!companies.has(name))
      report.problems.push(
        `company property ${name} (read as company.${name}): HubSpot has no such company property, and setup does not create company properties; check the name or create it in HubSpot`,
      );
  }
}

async function ensureProperties(
  port: SetupPort,
  wanted: PropertySpec[],
  existing: Map<string, PropertyInfo>,
  report: SetupReport,
): Promise<void> {
  if (wanted.length === 0) return;
  for (const property of wanted) {
    const current = existing.get(property.name);
    if (current) {
      const mismatch = mismatchOf(property, current);
      if (mismatch) report.problems.push(mismatch);
      else report.properties.found.push(property.name);
      continue;
    }
    try {
      const outcome = await port.createProperty(property);
      report.properties[outcome === 'created' ? 'created' : 'found'].push(property.name);
    } catch (error) {
      report.problems.push(`property ${property.name}: could not be created: ${refusal(error)}`);
    }
  }
}

/** Why an existing property cannot hold what the mappings write, or undefined when it can. */
export function mismatchOf(wanted: PropertySpec, current: PropertyInfo): string | undefined {
  if (current.type !== wanted.type) {
    return `property ${wanted.name}: exists in HubSpot as type "${current.type}" but the mappings need "${wanted.type}"; setup does not change existing properties, fix it in HubSpot`;
  }
  const have = new Set((current.options ?? []).map((option) => option.value));
  const lacking = (wanted.options ?? []).map((option) => option.value).filter((value) => !have.has(value));
  if (lacking.length > 0) {
    return `property ${wanted.name}: exists in HubSpot without the option${lacking.length === 1 ? '' : 's'} ${lacking.map((value) => `"${value}"`).join(', ')}; add ${lacking.length === 1 ? 'it' : 'them'} in HubSpot`;
  }
  return undefined;
}

async function ensureLists(port: SetupPort, names: string[], report: SetupReport): Promise<void> {
  for (const name of names) {
    const found = await port.findListByName(name, { missingIsExpected: true });
    if (found) {
      report.lists.found.push(found);
      continue;
    }
    try {
      report.lists.created.push(await port.createList(name));
    } catch (error) {
      // A create whose answer was lost and then retried meets its own list: look again before complaining.
      const after = await port.findListByName(name, { missingIsExpected: true });
      if (after) report.lists.found.push(after);
      else report.problems.push(`list "${name}": could not be created: ${refusal(error)}`);
    }
  }
}

/** The message of a permanent refusal about one item; anything else is rethrown to stop setup. */
function refusal(error: unknown): string {
  const permanent = error instanceof ProviderError && !error.retryable && error.status !== undefined && error.status !== 401;
  if (!permanent) throw error;
  return error.message;
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
