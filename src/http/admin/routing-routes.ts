import type { PoolMember, RoutingConfig } from '../../core/routing/routing-schema.ts';
import type { RoutingDryRun } from '../../jobs/routing/dry-run-route.ts';
import type { ResolveDirectory } from '../../jobs/routing/routing-deps.ts';
import type { RoutingKpiLabels } from '../../kpis/routing-kpis.ts';
import type { Queryable } from '../../store/database.ts';
import { memberStatesOf, type PauseChange, pauseMember, resumeMember } from '../../store/routing-admin.ts';
import { HttpError, refuseNul } from '../errors.ts';
import { type AdminRoute, defineRoute } from './route.ts';
import { type DirectoryAnswer, describePools } from './routing-pools.ts';
import { dryRunAnswer, dryRunRequest, memberParams, pauseOutcome, poolList } from './routing-schemas.ts';
import { emptyObject } from './schemas.ts';

export interface RoutingAdminDeps {
  /** Member state and pauses live in the database, so a pause on one replica holds on all of them. */
  db: Queryable;
  /** The active configuration version's routing.yaml (the active bundle's `routing`). */
  routing: () => RoutingConfig;
  /** The Salesforce directory (users, queues, names) for what the configuration names. */
  resolveDirectory: ResolveDirectory;
  now?: () => Date;
  /** Where the active routing would send a contact's Lead now (reads only); left out, the dry run is not mounted. */
  dryRun?: (contactId: string) => Promise<RoutingDryRun | undefined>;
}

/** Pools and members of the active routing configuration; pause and resume a member. */
export function routingRoutes(deps: RoutingAdminDeps): AdminRoute[] {
  const now = deps.now ?? (() => new Date());
  return [
    defineRoute({
      method: 'get',
      path: '/api/routing/pools',
      tag: 'routing',
      summary: "The active configuration's pools: members, weights, daily caps used today, pauses, Salesforce status, who is next",
      responses: { 200: { description: 'Pools (reading them changes no round-robin state)', schema: poolList } },
      handle: async () => {
        const routing = deps.routing();
        const at = now();
        const [stored, answer] = await Promise.all([
          memberStatesOf(
            deps.db,
            routing.pools.map((p) => p.id),
          ),
          directoryOf(deps.resolveDirectory, routing),
        ]);
        return { json: describePools(routing, stored, answer, at) };
      },
    }),
    pauseRoute('pause', deps, now),
    pauseRoute('resume', deps, now),
    ...(deps.dryRun ? [dryRunRoute(deps.dryRun)] : []),
  ];
}

function dryRunRoute(dryRun: NonNullable<RoutingAdminDeps['dryRun']>): AdminRoute {
  return defineRoute({
    method: 'post',
    path: '/api/routing/dry-run',
    tag: 'routing',
    summary: "Where the active routing would send a contact's new Lead now, and why; takes no pool turn and writes nothing",
    body: dryRunRequest,
    responses: {
      200: { description: 'The routing decision for the contact as it is now', schema: dryRunAnswer },
      404: { description: 'HubSpot has no contact with this id' },
    },
    handle: async ({ body }) => {
      const answer = await dryRun(body.contactId);
      if (!answer)
        throw new HttpError(404, 'not_found', `HubSpot has no contact ${body.contactId}`, [
          { path: 'contactId', message: 'no such contact' },
        ]);
      return { json: answer };
    },
  });
}

function pauseRoute(action: 'pause' | 'resume', deps: RoutingAdminDeps, now: () => Date): AdminRoute {
  return defineRoute({
    method: 'post',
    path: `/api/routing/pools/:pool/members/:member/${action}`,
    tag: 'routing',
    authored: true,
    summary:
      action === 'pause'
        ? 'Pause a pool member: no leads are dealt to them until resumed (on every replica at once)'
        : 'Resume a paused pool member: dealt leads again from where their turn stood',
    params: memberParams,
    body: emptyObject,
    responses: {
      200: { description: "The member's pause state", schema: pauseOutcome },
      404: { description: 'No such pool, or no such member in it, in the active routing configuration' },
    },
    handle: async ({ params, author }) => {
      refuseNul(params.pool, 'pool');
      refuseNul(params.member, 'member');
      const member = memberOf(deps.routing(), params.pool, params.member);
      const change: PauseChange =
        action === 'pause'
          ? await pauseMember(deps.db, { poolId: params.pool, member: member.user, by: author, at: now() })
          : ((await resumeMember(deps.db, { poolId: params.pool, member: member.user })) ?? notPaused(params.pool, member.user));
      const { state } = change;
      return {
        json: {
          pool: params.pool,
          member: member.user,
          paused: state.paused,
          pausedBy: state.pausedBy,
          pausedAt: state.pausedAt ? state.pausedAt.toISOString() : null,
          changed: change.changed,
        },
      };
    },
  });
}

/** A member without a row was never paused: resuming it changes nothing. */
function notPaused(pool: string, member: string): PauseChange {
  return {
    changed: false,
    state: { poolId: pool, member, credit: 0, day: null, assignedToday: 0, paused: false, pausedBy: null, pausedAt: null },
  };
}

/** The member as the file names it (e-mails are kept in lower case, so the URL's case does not matter). */
function memberOf(routing: RoutingConfig, poolId: string, member: string): PoolMember {
  const pool = routing.pools.find((p) => p.id === poolId);
  if (!pool)
    throw new HttpError(404, 'not_found', `pool ${poolId} is not in the active routing configuration`, [
      { path: 'pool', message: `unknown pool ${poolId}` },
    ]);
  const wanted = member.includes('@') ? member.toLowerCase() : member;
  const found = (pool.members ?? []).find((m) => m.user === wanted);
  if (!found)
    throw new HttpError(404, 'not_found', `pool ${poolId} has no member ${member}`, [
      { path: 'member', message: pool.members ? `not a member of pool ${poolId}` : `pool ${poolId} is a queue: it has no members` },
    ]);
  return found;
}

async function directoryOf(resolve: ResolveDirectory, routing: RoutingConfig): Promise<DirectoryAnswer> {
  try {
    return { ok: true, directory: await resolve(routing) };
  } catch (error) {
    // The pools still show without Salesforce's facts; the page says why they are missing.
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The routing KPIs' labels from the same sources: owners' names from the directory, pools' labels from routing.yaml. */
export function routingKpiLabels(deps: Pick<RoutingAdminDeps, 'routing' | 'resolveDirectory'>): RoutingKpiLabels {
  return {
    ownerNames: async (ownerIds) => {
      const directory = await deps.resolveDirectory(deps.routing(), { userIds: ownerIds });
      return new Map(
        ownerIds.flatMap((id): Array<[string, string]> => {
          const person = directory.people.get(id);
          return person ? [[id, person.name]] : [];
        }),
      );
    },
    poolLabels: () => new Map(deps.routing().pools.map((pool) => [pool.id, pool.label])),
  };
}
