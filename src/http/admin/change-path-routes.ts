import { z } from 'zod';
import type { SalesforceChangePath } from '../salesforce-change-path.ts';
import { type AdminRoute, defineRoute } from './route.ts';

/** GET /api/status/salesforce-changes: which path carries Salesforce changes to HubSpot now. */
export const changePathSchema = z.object({
  path: z.enum(['change-events', 'poll']).describe('change-events: a live Change Data Capture stream; poll: the poll carries every change'),
  status: z.string().describe('off, starting, live, catching-up, reconnecting, unavailable or stopped'),
  detail: z.string().nullable(),
  since: z.iso.datetime().nullable(),
});

export function changePathRoutes(read: () => Promise<SalesforceChangePath>): AdminRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/status/salesforce-changes',
      tag: 'operations',
      summary: 'Which path carries Salesforce changes now (change events or the poll), and why',
      responses: { 200: { description: 'The path, as every replica sees it', schema: changePathSchema } },
      handle: async () => ({ json: changePathSchema.parse(await read()) }),
    }),
  ];
}
