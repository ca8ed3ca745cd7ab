import type { AlertSender } from '../../adapters/alerts/alert-sender.ts';
import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { ListIdResolver } from '../../adapters/hubspot/list-ids.ts';
import type { Database, Queryable } from '../../store/database.ts';
import { appendHistory } from '../../store/history.ts';
import { insertEvents } from '../../store/inbox.ts';
import { recordWritten } from '../../store/last-written.ts';
import { leadMemories } from '../../store/lead-memory.ts';
import { upsertLink } from '../../store/links.ts';
import { storedOpportunities } from '../../store/opportunities.ts';
import type { ParkedWork } from '../../store/parked.ts';
import { replayEventFor } from '../handoff/replay-event.ts';
import { applyHubSpotFeedback, type FeedbackItem, withFeedbackResult } from '../salesforce-poll/hubspot-feedback.ts';
import { replayReroute } from '../sla/replay-reroute.ts';
import { opportunityFeedbackContext, salesFeedbackContext, slaAlertContext, storedContext, writebackContext } from './parked-contexts.ts';

export interface KindReplayDeps {
  db: Database;
  hubspot: HubSpotPort;
  lists: ListIdResolver;
  /** Only SLA alerts are resent here. */
  alerts: Pick<AlertSender, 'send'>;
  now: () => Date;
}

/** What a replay did, and what to record with the resolution (in the same transaction). */
export interface ReplayEffect {
  outcome: 'handed_off' | 'done' | 'superseded';
  message?: string;
  /** The contact (and Salesforce record) whose audit trail shows the replay. */
  contactId?: string;
  salesforceId?: string;
  persist?: (tx: Queryable, actor: string) => Promise<void>;
  /** A contact to queue a handoff job for once the transaction committed. */
  queueContact?: string;
}

/** Redoes one kind of parked work; throws when it fails again (the message is what the admin sees). */
export type KindReplay = (item: ParkedWork, deps: KindReplayDeps) => Promise<ReplayEffect>;

/**
 * A handoff is redone by the normal path: a durable inbox entry, committed with the resolution, that the
 * handoff job reads, decides and writes again (a Salesforce upsert by external id, so never twice).
 */
const replayHandoff: KindReplay = async (item, deps) => ({
  outcome: 'handed_off',
  contactId: item.recordKey,
  queueContact: item.recordKey,
  persist: async (tx, actor) => {
    await insertEvents(tx, [replayEventFor(item, actor, deps.now())]);
  },
});

/**
 * Sales feedback is re-applied as stored, unless the Lead changed since it was parked: the poll then
 * decided the newer state, and pushing the older one would undo it. Values HubSpot already holds are not
 * sent, so a replay repeated after a crash writes nothing twice.
 */
const replaySalesFeedback: KindReplay = async (item, deps) => {
  const context = storedContext(salesFeedbackContext, item.context);
  const leadId = item.recordKey;
  const memory = (await leadMemories(deps.db, [leadId])).get(leadId);
  if (context.fingerprint && memory && memory.fingerprint !== context.fingerprint) {
    return {
      outcome: 'superseded',
      message: 'the Lead changed after this was parked; the poll has handled its newer state',
      contactId: context.contactId,
      salesforceId: leadId,
    };
  }
  const applied = await applyFeedback({ contactId: context.contactId, feedback: context.feedback }, deps);
  return {
    outcome: 'done',
    contactId: context.contactId,
    salesforceId: leadId,
    persist: async (tx) => {
      if (Object.keys(applied.written).length > 0) await recordWritten(tx, 'hubspot', context.contactId, applied.written);
      if (context.convertedContactId)
        await upsertLink(tx, {
          hubspotContactId: context.contactId,
          salesforceObject: 'Contact',
          salesforceId: context.convertedContactId,
        });
      if (context.history) {
        await appendHistory(tx, [
          {
            hubspotContactId: context.contactId,
            salesforceId: leadId,
            stage: context.stage ?? null,
            action: context.history.action,
            reason: context.history.reason,
            detail: { ...withFeedbackResult(context.history.detail, applied), replayOf: item.id },
          },
        ]);
      }
    },
  };
};

/**
 * A won or lost deal's feedback is re-applied as stored (lifecycle forward only), unless the deal changed since it was
 * parked or is no longer followed (its contact was erased): the poll has then handled, or must not touch, its state.
 */
const replayOpportunityFeedback: KindReplay = async (item, deps) => {
  const context = storedContext(opportunityFeedbackContext, item.context);
  const opportunityId = item.recordKey;
  const row = (await storedOpportunities(deps.db, [opportunityId])).get(opportunityId);
  if (!row || (context.fingerprint && row.fingerprint !== context.fingerprint)) {
    return {
      outcome: 'superseded',
      message: row ? 'the deal changed after this was parked; the poll has handled its newer state' : 'the deal is no longer followed',
      contactId: context.contactId,
      salesforceId: opportunityId,
    };
  }
  const applied = await applyFeedback({ contactId: context.contactId, feedback: context.feedback }, deps, { backwardLifecycle: false });
  return {
    outcome: 'done',
    contactId: context.contactId,
    salesforceId: opportunityId,
    persist: async (tx) => {
      if (Object.keys(applied.written).length > 0) await recordWritten(tx, 'hubspot', context.contactId, applied.written);
      if (!context.history) return;
      await appendHistory(tx, [
        {
          hubspotContactId: context.contactId,
          salesforceId: opportunityId,
          stage: 'opportunity',
          action: context.history.action,
          reason: context.history.reason,
          detail: { ...withFeedbackResult(context.history.detail, applied), replayOf: item.id },
        },
      ]);
    },
  };
};

/** A handoff's HubSpot write-back (properties, sales-ready list) is written again; its lifecycle stage only ever forward. */
const replayWriteback: KindReplay = async (item, deps) => {
  const context = storedContext(writebackContext, item.context);
  const { lifecyclestage, ...properties } = context.properties ?? {};
  const feedback = {
    properties,
    ...(lifecyclestage ? { lifecyclestage } : {}),
    lists: { add: context.list ? [context.list] : [], remove: [] },
  };
  const applied = await applyFeedback({ contactId: item.recordKey, feedback }, deps, { backwardLifecycle: false });
  return {
    outcome: 'done',
    contactId: item.recordKey,
    persist: async (tx) => {
      if (Object.keys(applied.written).length > 0) await recordWritten(tx, 'hubspot', item.recordKey, applied.written);
    },
  };
};

/** An SLA alert no target accepted is sent again through the alert sender. */
const replaySlaAlert: KindReplay = async (item, deps) => {
  const { alert } = storedContext(slaAlertContext, item.context);
  await deps.alerts.send(alert);
  return { outcome: 'done', contactId: alert.hubspotContactId, salesforceId: alert.leadId };
};

async function applyFeedback(item: FeedbackItem, deps: KindReplayDeps, options: { backwardLifecycle?: boolean } = {}) {
  const result = (await applyHubSpotFeedback([item], deps.hubspot, deps.lists, options)).get(item.contactId);
  if (!result) throw new Error('HubSpot gave no result for this contact');
  if (!result.ok) throw new Error(result.message);
  return result;
}

/** Every kind of parked work that can be replayed; any other kind is refused and stays open. */
export const KIND_REPLAYS: ReadonlyMap<string, KindReplay> = new Map([
  ['handoff', replayHandoff],
  ['hubspot_writeback', replayWriteback],
  ['sales_feedback', replaySalesFeedback],
  // A won or lost deal HubSpot did not take (the Opportunity poll).
  ['opportunity_feedback', replayOpportunityFeedback],
  ['sla_alert', replaySlaAlert],
  // A first-touch re-route Salesforce refused: reopened for the next SLA tick to decide afresh.
  ['sla_reroute', replayReroute],
]);
