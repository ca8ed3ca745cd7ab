import type { World } from './world.ts';

/** Contact ids in a HubSpot list, read through the (simulated) public Lists API as an admin would. */
export async function listMembers(world: World, listName: string): Promise<string[]> {
  const headers = { authorization: `Bearer ${world.env.HUBSPOT_ACCESS_TOKEN}` };
  const found = await fetch(`${world.hubspot.url}/crm/v3/lists/object-type-id/0-1/name/${encodeURIComponent(listName)}`, { headers });
  if (!found.ok) throw new Error(`list ${listName}: ${found.status}`);
  const { list } = (await found.json()) as { list: { listId: string } };
  const members = await fetch(`${world.hubspot.url}/crm/v3/lists/${list.listId}/memberships?limit=250`, { headers });
  const body = (await members.json()) as { results: { recordId: string }[] };
  return body.results.map((row) => String(row.recordId));
}

/** HubSpot API calls that change something (everything but reads and searches). */
export function hubspotWrites(world: World): number {
  const { byEndpoint } = world.hubspot.calls;
  return Object.entries(byEndpoint)
    .filter(([key]) => !key.startsWith('GET ') && !key.endsWith('/batch/read') && !key.endsWith('/search'))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** Salesforce API calls that change something. */
export function salesforceWrites(world: World): number {
  const calls = world.salesforce.calls;
  return (calls.create ?? 0) + (calls.update ?? 0) + (calls.upsert ?? 0);
}
