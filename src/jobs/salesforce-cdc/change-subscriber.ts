import { setTimeout as wait } from 'node:timers/promises';
import { isFollowed } from '../../core/revenue/revenue-schema.ts';
import type { FollowedEntity } from '../../core/sales/change-events/change-event-types.ts';
import {
  type CdcStatus,
  CHANGE_EVENT_LEASE,
  claimLease,
  type LeaseClaim,
  LeaseLostError,
  releaseLease,
  renewLease,
  setCdcStatus,
} from '../../store/cdc-lease.ts';
import type { ChangeSubscriberDeps } from './cdc-types.ts';
import { followTopic, type ReportStatus } from './topic-stream.ts';

/** The lease's name: one change-event subscriber per deployment. */
export const CDC_LEASE = CHANGE_EVENT_LEASE;

/** The least live of the topics' statuses is the path's: the poll stands in while any topic is not live. */
const RANK: CdcStatus[] = ['unavailable', 'reconnecting', 'catching-up', 'starting', 'stopped', 'live'];

function overall(statuses: Map<FollowedEntity, { status: CdcStatus; detail?: string | undefined }>): { status: CdcStatus; detail: string } {
  const entries = [...statuses];
  const worst = entries.map(([, s]) => s.status).sort((a, b) => RANK.indexOf(a) - RANK.indexOf(b))[0] ?? 'starting';
  const detail = entries.map(([entity, s]) => `${entity}: ${s.status}${s.detail ? ` (${s.detail})` : ''}`).join('; ');
  return { status: worst, detail };
}

/** Lead always; Opportunity while revenue.yaml follows deals (read per use: a publish applies without a restart). */
const followedEntities = (deps: ChangeSubscriberDeps): FollowedEntity[] =>
  isFollowed(deps.mappings().revenue) ? ['Lead', 'Opportunity'] : ['Lead'];

const pause = (ms: number, signal: AbortSignal) => wait(ms, undefined, { signal }).catch(() => undefined);

/** One lease term: every followed topic's stream, the lease renewed meanwhile; ends when the lease or the service stops. */
async function holdLease(claim: LeaseClaim, deps: ChangeSubscriberDeps, stopping: AbortSignal): Promise<void> {
  const term = new AbortController();
  const endTerm = () => term.abort();
  // A stop that came while the lease was being taken has already fired: it must still end this term.
  if (stopping.aborted) term.abort();
  stopping.addEventListener('abort', endTerm, { once: true });
  const logger = deps.logger.child({ module: 'salesforce-cdc' });
  const entities = followedEntities(deps);
  const renewal = setInterval(() => {
    // A publish that starts or stops following deals changes the topics: a new term subscribes to the new set.
    if (followedEntities(deps).length !== entities.length && !term.signal.aborted) {
      logger.info('the followed change topics changed with the active configuration; resubscribing', { entities });
      term.abort();
      return;
    }
    renewLease(deps.db, claim, deps.settings.leaseMs)
      .catch(() => false)
      .then((held) => {
        if (held || term.signal.aborted) return;
        logger.warn('change-event lease lost to another replica; this one stands by', { epoch: claim.epoch });
        term.abort();
      });
  }, deps.settings.renewEveryMs);
  const statuses = new Map<FollowedEntity, { status: CdcStatus; detail?: string | undefined }>();
  let said = '';
  // One status write at a time: fired together they take different pool connections and may commit out of order,
  // leaving an older status (say 'live' while the stream reconnects) for the timed poll and /readyz to read.
  let statusWrites: Promise<unknown> = Promise.resolve();
  const report: ReportStatus = (entity, status, detail) => {
    statuses.set(entity, { status, detail });
    const now = overall(statuses);
    if (`${now.status}|${now.detail}` === said) return;
    said = `${now.status}|${now.detail}`;
    logger.info('salesforce change path', { status: now.status, detail: now.detail });
    statusWrites = statusWrites
      .then(() => setCdcStatus(deps.db, claim, now.status, now.detail))
      .catch((error: unknown) => logger.warn('could not record the change path', { error }));
  };
  logger.info('change-event lease taken: this replica subscribes', { epoch: claim.epoch, entities });
  try {
    // A topic that fails ends the term for both, and the term ends only once neither carries out anything more.
    const ended = await Promise.allSettled(
      entities.map((entity) =>
        followTopic(entity, claim, term.signal, deps, report).catch((error: unknown) => {
          term.abort();
          throw error;
        }),
      ),
    );
    for (const result of ended)
      if (result.status === 'rejected' && !(result.reason instanceof LeaseLostError))
        logger.error('change-event subscriber failed; the lease is given up', { error: result.reason });
  } finally {
    clearInterval(renewal);
    stopping.removeEventListener('abort', endTerm);
    // A status still on its way must not land after the release and overwrite 'stopped'.
    await statusWrites;
    await releaseLease(deps.db, claim).catch(() => undefined);
  }
}

export interface ChangeSubscriber {
  /** Ends the streams, gives the lease up (a standby takes over at once) and waits for the work in flight. */
  stop(): Promise<void>;
}

/**
 * Salesforce changes as they commit: the replica holding the lease subscribes to the Lead (and, while revenue.yaml
 * follows deals, Opportunity) change topics; the others try for the lease every few seconds and take over once a
 * holder stops renewing it.
 */
export function startChangeSubscriber(deps: ChangeSubscriberDeps): ChangeSubscriber {
  const stopping = new AbortController();
  const running = (async () => {
    while (!stopping.signal.aborted) {
      const claim = await claimLease(deps.db, CDC_LEASE, deps.holder, deps.settings.leaseMs).catch((error: unknown) => {
        deps.logger.warn('could not ask for the change-event lease', { module: 'salesforce-cdc', error });
        return undefined;
      });
      // After a term that ended on its own, wait too: a failing subscriber must not spin on the lease.
      if (claim) await holdLease(claim, deps, stopping.signal);
      await pause(deps.settings.standbyRetryMs, stopping.signal);
    }
  })();
  return {
    stop: async () => {
      stopping.abort();
      await running;
    },
  };
}
