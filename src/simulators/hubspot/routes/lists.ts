import { Router } from 'express';
import { HUBSPOT_LIMITS } from '../../../adapters/hubspot/limits.ts';
import { paginate } from '../search.ts';
import type { ContactStore } from '../store.ts';
import { SimHttpError } from '../types.ts';
import { requireArray, requireObject } from './render.ts';

interface SimList {
  listId: string;
  name: string;
  objectTypeId: string;
  processingType: 'MANUAL';
  createdAt: string;
  members: Map<string, string>; // recordId → membershipTimestamp
}

const MEMBERSHIP_PAGE = 100;

/** Lists v3 subset: MANUAL contact lists, found by name, with membership add/remove/read. */
export class ListStore {
  private lists = new Map<string, SimList>();
  private nextId = 1;
  reset(): void {
    this.lists.clear();
    this.nextId = 1;
  }
  create(name: string, objectTypeId: string, at: string): SimList {
    if ([...this.lists.values()].some((list) => list.name.toLowerCase() === name.toLowerCase())) {
      throw new SimHttpError(400, 'VALIDATION_ERROR', `A list named '${name}' already exists.`);
    }
    const list: SimList = {
      listId: String(this.nextId++),
      name,
      objectTypeId,
      processingType: 'MANUAL',
      createdAt: at,
      members: new Map(),
    };
    this.lists.set(list.listId, list);
    return list;
  }
  byName(name: string): SimList | undefined {
    return [...this.lists.values()].find((list) => list.name.toLowerCase() === name.toLowerCase());
  }
  /** Member record ids of the list with this name, or undefined when there is no such list. */
  membersOf(name: string): string[] | undefined {
    const list = this.byName(name);
    return list ? [...list.members.keys()] : undefined;
  }
  /** Every list with its member record ids, oldest list first (what the Lists page of the UI shows). */
  all(): Array<{ listId: string; name: string; memberIds: string[] }> {
    return [...this.lists.values()].map((list) => ({ listId: list.listId, name: list.name, memberIds: [...list.members.keys()] }));
  }
  byId(listId: string): SimList {
    const list = this.lists.get(listId);
    if (!list) throw new SimHttpError(404, 'OBJECT_NOT_FOUND', `List ${listId} does not exist.`);
    return list;
  }
}

/** Membership add/remove refuse more ids than HubSpot takes in one request. */
function membershipIds(body: unknown): string[] {
  const ids = requireArray(body, 'body').map(String);
  if (ids.length > HUBSPOT_LIMITS.listMembershipMaxIds) {
    throw new SimHttpError(
      400,
      'VALIDATION_ERROR',
      `Too many record ids: got ${ids.length}, the limit is ${HUBSPOT_LIMITS.listMembershipMaxIds}.`,
    );
  }
  return ids;
}

function render(list: SimList) {
  const { members, ...rest } = list;
  return { ...rest, size: members.size, updatedAt: list.createdAt };
}

export function listRoutes(lists: ListStore, contacts: ContactStore, now: () => number): Router {
  const router = Router();

  router.post('/crm/v3/lists', (req, res) => {
    const body = requireObject(req.body, 'body');
    if (typeof body.name !== 'string' || body.name === '') throw new SimHttpError(400, 'VALIDATION_ERROR', 'name is required');
    const objectTypeId = String(body.objectTypeId ?? HUBSPOT_LIMITS.contactsObjectTypeId);
    if (objectTypeId !== HUBSPOT_LIMITS.contactsObjectTypeId)
      throw new SimHttpError(400, 'VALIDATION_ERROR', 'The simulator only holds contact lists (0-1).');
    if (body.processingType !== undefined && body.processingType !== 'MANUAL') {
      throw new SimHttpError(400, 'VALIDATION_ERROR', 'The simulator only supports MANUAL lists.');
    }
    res.json({ list: render(lists.create(body.name, objectTypeId, new Date(now()).toISOString())) });
  });

  router.get('/crm/v3/lists/object-type-id/:objectTypeId/name/:listName', (req, res) => {
    const list = lists.byName(req.params.listName);
    if (!list || list.objectTypeId !== req.params.objectTypeId) {
      throw new SimHttpError(404, 'OBJECT_NOT_FOUND', `List with name ${req.params.listName} does not exist.`);
    }
    res.json({ list: render(list) });
  });

  // Unknown records and current members are ignored on add; note HubSpot's own spelling "recordsIdsAdded".
  router.put('/crm/v3/lists/:listId/memberships/add', (req, res) => {
    const list = lists.byId(req.params.listId);
    const ids = membershipIds(req.body);
    const missing = ids.filter((id) => !contacts.get(id));
    const added = ids.filter((id) => contacts.get(id) && !list.members.has(id));
    for (const id of added) list.members.set(id, new Date(now()).toISOString());
    res.json({ recordsIdsAdded: added, recordIdsRemoved: [], recordIdsMissing: missing });
  });

  router.put('/crm/v3/lists/:listId/memberships/remove', (req, res) => {
    const list = lists.byId(req.params.listId);
    const ids = membershipIds(req.body);
    const removed = ids.filter((id) => list.members.delete(id));
    res.json({ recordsIdsAdded: [], recordIdsRemoved: removed, recordIdsMissing: ids.filter((id) => !contacts.get(id)) });
  });

  router.get('/crm/v3/lists/:listId/memberships', (req, res) => {
    const list = lists.byId(req.params.listId);
    const all = [...list.members].map(([recordId, membershipTimestamp]) => ({ recordId, membershipTimestamp }));
    const limit = Math.min(Number(req.query.limit ?? MEMBERSHIP_PAGE) || MEMBERSHIP_PAGE, 250);
    const page = paginate(all, typeof req.query.after === 'string' ? req.query.after : undefined, limit);
    res.json({ results: page.items, total: all.length, ...(page.next ? { paging: { next: { after: page.next } } } : {}) });
  });

  return router;
}
