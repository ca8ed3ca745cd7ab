import type { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { ProviderError } from '../../errors.ts';
import { unique } from './batch.ts';
import type { HubSpotCall } from './call.ts';
import type { HubSpotPort } from './hubspot-port.ts';

/**
 * HubSpot's Owners API v3, "Retrieve an owner" (developers.hubspot.com/docs/api-reference/latest/crm/owners/get-owner;
 * guide "CRM API | Owners", .../crm/owners/guide): `GET /crm/v3/owners/{ownerId}` with scope `crm.objects.owners.read`
 * answers `{ id, email, type, firstName, lastName, userId, archived, teams, createdAt, updatedAt }`. `ownerId` is the
 * owner's `id` (what the contact property `hubspot_owner_id` holds), not its `userId`. Without `archived` HubSpot
 * answers active owners only, so a deactivated user's owner is a 404 like an unknown one.
 */

/** Owner ids are HubSpot record ids: digits without a leading zero, at most 15 so the SDK's number keeps them exact. */
const OWNER_ID = /^[1-9][0-9]{0,14}$/;

/** Lookups in flight at once: one request per owner, so a batch of owners must not crowd the burst window. */
export const OWNER_LOOKUP_CONCURRENCY = 5;

/** The part of the answer we use; the e-mail is optional in the reference (a queue owner has none). */
const ownerAnswer = z.object({ id: z.string(), email: z.string().nullish() });

/** Runs `work` on every item, at most `limit` at once; after a failure no new item starts, and the first error is thrown. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // allSettled: every request in flight is over before the caller sees the failure.
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (rejected) throw rejected.reason;
}

export function ownerMethods(client: Client, call: HubSpotCall): Pick<HubSpotPort, 'ownerEmails'> {
  async function emailOf(ownerId: string): Promise<string | undefined> {
    let answer: unknown;
    try {
      answer = await call('owners.getById', () => client.crm.owners.ownersApi.getById(Number(ownerId)));
    } catch (error) {
      // 404: HubSpot has no active owner with this id (never was, removed, or deactivated).
      if (error instanceof ProviderError && error.status === 404) return undefined;
      throw error;
    }
    const parsed = ownerAnswer.safeParse(answer);
    if (!parsed.success) {
      const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
      throw new ProviderError('hubspot', `HubSpot owners.getById answered an owner without the documented fields (${paths})`, {
        retryable: false,
      });
    }
    const email = parsed.data.email?.trim();
    return email ? email : undefined;
  }

  return {
    async ownerEmails(ownerIds) {
      const wanted = unique(ownerIds).filter((id) => OWNER_ID.test(id));
      const emails: (string | undefined)[] = [];
      await forEachBounded(wanted, OWNER_LOOKUP_CONCURRENCY, async (id, index) => {
        emails[index] = await emailOf(id);
      });
      // In the order asked, whatever order the answers came in.
      const found = new Map<string, string>();
      wanted.forEach((id, index) => {
        const email = emails[index];
        if (email !== undefined) found.set(id, email);
      });
      return found;
    },
  };
}
