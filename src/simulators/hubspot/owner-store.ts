import { ownerSeedSchema } from './owner-seed.ts';
import { SimHttpError } from './types.ts';

export type { OwnerSeed } from './owner-seed.ts';

/**
 * An owner as HubSpot's Owners API v3 answers it ("Retrieve an owner", GET /crm/v3/owners/{ownerId}; guide
 * "CRM API | Owners"): `id` is what a record's `hubspot_owner_id` holds, `userId` the user's own id; `type` is
 * PERSON or QUEUE, and `email`, names, `userId` and `teams` are optional.
 */
export interface SimOwner {
  id: string;
  email?: string;
  type: 'PERSON' | 'QUEUE';
  firstName?: string;
  lastName?: string;
  userId?: number;
  userIdIncludingInactive?: number;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
  createdAt: string;
  updatedAt: string;
}

export type OwnerIdProperty = 'id' | 'userId';

/** Made-up ids start here, away from the sandbox's seeded 7000x owners. */
const FIRST_OWNER_ID = 90_001;
const FIRST_USER_ID = 9_000_001;

/** The owners of one portal. `reset` brings back the owners it was started with and drops those added since. */
export class OwnerStore {
  private owners = new Map<string, SimOwner>();
  private nextId = FIRST_OWNER_ID;
  private nextUserId = FIRST_USER_ID;
  private readonly now: () => number;
  private readonly seeds: unknown[];

  constructor(now: () => number, seeds: readonly unknown[] = []) {
    this.now = now;
    this.seeds = [...seeds];
    this.reset();
  }

  reset(): void {
    this.owners.clear();
    this.nextId = FIRST_OWNER_ID;
    this.nextUserId = FIRST_USER_ID;
    for (const seed of this.seeds) this.add(seed);
  }

  /** Adds an owner; a seed that does not fit, or an id already taken, is a 400 / 409 naming the problem. */
  add(seed: unknown): SimOwner {
    const parsed = ownerSeedSchema.safeParse(seed);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'owner'}: ${issue.message}`).join('; ');
      throw new SimHttpError(400, 'VALIDATION_ERROR', `Invalid owner: ${detail}`);
    }
    const { id: given, userId: givenUserId, ...rest } = parsed.data;
    if (given !== undefined && this.owners.has(given)) throw new SimHttpError(409, 'CONFLICT', `An owner with id ${given} already exists.`);
    const id = given ?? this.freshId();
    // A person's owner belongs to a user; a queue has none.
    const userId = givenUserId ?? (rest.type === 'PERSON' ? this.nextUserId++ : undefined);
    const stamp = new Date(this.now()).toISOString();
    const owner: SimOwner = { id, ...rest, createdAt: stamp, updatedAt: stamp };
    if (userId !== undefined) {
      owner.userId = userId;
      owner.userIdIncludingInactive = userId;
    }
    this.owners.set(id, owner);
    return this.copy(owner);
  }

  /** The owner whose `id` (or `userId`) is `key`, among the active owners or, with `archived`, the archived ones. */
  find(key: string, idProperty: OwnerIdProperty = 'id', archived = false): SimOwner | undefined {
    for (const owner of this.owners.values()) {
      const value = idProperty === 'id' ? owner.id : owner.userId === undefined ? undefined : String(owner.userId);
      if (value === key && owner.archived === archived) return this.copy(owner);
    }
    return undefined;
  }

  all(): SimOwner[] {
    return [...this.owners.values()].map((owner) => this.copy(owner));
  }

  private freshId(): string {
    while (this.owners.has(String(this.nextId))) this.nextId += 1;
    return String(this.nextId++);
  }

  private copy(owner: SimOwner): SimOwner {
    return { ...owner, teams: owner.teams.map((team) => ({ ...team })) };
  }
}
