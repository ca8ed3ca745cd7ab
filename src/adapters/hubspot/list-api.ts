import type { Client } from '@hubspot/api-client';
import type { Logger } from '../../log.ts';
import { chunk, unique } from './batch.ts';
import type { HubSpotCall } from './call.ts';
import { toProviderError } from './errors.ts';
import type { ListRef, MembershipResult } from './hubspot-port.ts';
import { HUBSPOT_LIMITS } from './limits.ts';

/** What Lists v3 answers about a list (inside `{ list: ... }`). */
interface SdkList {
  listId: string | number;
  name: string;
}

/**
 * A membership answer. HubSpot spells the added field `recordsIdsAdded` (sic) and the v14 SDK keeps only
 * that spelling, so an absent field counts as empty rather than failing the call.
 */
interface SdkMembershipAnswer {
  recordsIdsAdded?: string[];
  recordIdsRemoved?: string[];
  recordIdsMissing?: string[];
}

function toListRef(list: SdkList): ListRef {
  return { listId: String(list.listId), name: list.name };
}

export function listMethods(client: Client, call: HubSpotCall, logger: Logger) {
  const memberships = client.crm.lists.membershipsApi;

  async function changeMembers(kind: 'add' | 'remove', listId: string, contactIds: string[]): Promise<MembershipResult> {
    const result: MembershipResult = { changed: [], missing: [] };
    for (const part of chunk(unique(contactIds), HUBSPOT_LIMITS.listMembershipMaxIds)) {
      const answer = (await call(`lists.memberships.${kind}`, () =>
        kind === 'add' ? memberships.add(listId, part) : memberships.remove(listId, part),
      )) as SdkMembershipAnswer;
      result.changed.push(...((kind === 'add' ? answer.recordsIdsAdded : answer.recordIdsRemoved) ?? []).map(String));
      result.missing.push(...(answer.recordIdsMissing ?? []).map(String));
    }
    return result;
  }

  return {
    async findListByName(name: string, options: { missingIsExpected?: boolean } = {}): Promise<ListRef | undefined> {
      // 404 is HubSpot's way of saying "no list by that name": an answer, so it is neither retried nor logged as a failed call.
      const answer = (await call('lists.getByName', async () => {
        try {
          return await client.crm.lists.listsApi.getByName(name, HUBSPOT_LIMITS.contactsObjectTypeId);
        } catch (error) {
          if (toProviderError('lists.getByName', error).status === 404) return undefined;
          throw error;
        }
      })) as unknown as { list: SdkList } | undefined;
      if (answer) return toListRef(answer.list);
      // Setup is about to create it; anyone else has met a list the mappings name and the portal lacks.
      if (!options.missingIsExpected)
        logger.warn('HubSpot has no contact list by this name; `npm run setup` creates the lists the mappings name', { list: name });
      return undefined;
    },

    async createList(name: string): Promise<ListRef> {
      const body = { name, objectTypeId: HUBSPOT_LIMITS.contactsObjectTypeId, processingType: HUBSPOT_LIMITS.manualListProcessingType };
      const answer = (await call('lists.create', () => client.crm.lists.listsApi.create(body))) as unknown as { list: SdkList };
      return toListRef(answer.list);
    },

    addToList: (listId: string, contactIds: string[]) => changeMembers('add', listId, contactIds),
    removeFromList: (listId: string, contactIds: string[]) => changeMembers('remove', listId, contactIds),
  };
}
