import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { ListIdResolver } from '../../adapters/hubspot/list-ids.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import { mqlEvaluationRecord } from '../../core/calibration/evaluation-record.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import { buildLead } from '../../core/handoff/build-lead.ts';
import { changedSinceWritten } from '../../core/handoff/changed-fields.ts';
import { decideHandoff, decideLeadUpdate, type HandoffDecision } from '../../core/handoff/decide-handoff.ts';
import { decideLinkPath } from '../../core/handoff/link-state.ts';
import { outcomeText } from '../../core/handoff/outcomes.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import { type HandoffFacts, type SlaClocks, selectSlaRule, slaClocksFor } from '../../core/sla/sla-clocks.ts';
import type { Logger } from '../../log.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import type { Database } from '../../store/database.ts';
import { type HandoffContext, readHandoffContext } from '../../store/handoff-context.ts';
import { eventPayloads, pendingEventHeads } from '../../store/inbox.ts';
import { recordWriteIntents } from '../../store/write-intents.ts';
import { eraseContacts } from '../privacy/erase-contacts.ts';
import { type ContactResult, parkResult } from './contact-result.ts';
import { parkableOrThrow } from './failure.ts';
import { asAfterQueuedWriteBacks, prepareWriteBack } from './hubspot-writeback.ts';
import { NOTHING_TO_KEEP, readForKeeping, splitByKeptValues } from './kept-contacts.ts';
import { persistAssignments, persistResults } from './persist-results.ts';
import type { HandoffRouting } from './record-assignments.ts';
import { REPLAY_EVENT_TYPE, replayedChain } from './replay-event.ts';
import { emailsOf, type HandoffCandidate, type LeadRefresh, writeToSalesforce } from './salesforce-writes.ts';
import { type StageClock, startStageClock } from './stage-clock.ts';
import { triageEvents } from './triage-events.ts';
import type { Turnstile } from './turnstile.ts';

export interface HandoffDeps {
  db: Database;
  hubspot: HubSpotPort;
  /** Resolves the list names the mappings use (the sales-ready list) to HubSpot list ids. */
  lists: ListIdResolver;
  salesforce: SalesforcePort;
  /** Who a Lead we create goes to (routing.yaml) and who is told; without it, the org's active assignment rule. */
  routing?: HandoffRouting;
  /** Called after a batch committed notifications to send, so they go out at once (not at the next sweep). */
  onNotificationsQueued?: () => void;
  /** The active mappings; read once per batch so a batch never mixes versions. */
  mappings: () => MappingsBundle;
  logger: Logger;
  now: () => Date;
  metrics?: Pick<Metrics, 'handoff' | 'syncLatency'> & Partial<Pick<Metrics, 'stage' | 'readsSaved'>>;
  /** HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS in ms: known contacts decided from kept values (see kept-contacts.ts); absent, off. */
  keptValues?: { maxAgeMs: number };
  /** Shared by the batches of one process; see handoffContacts. */
  salesforceTurn?: Turnstile;
  /** Called after a batch committed HubSpot write-backs to the outbox, so the flusher sends them (see jobs/hubspot-writeback/). */
  onWriteBacksQueued?: (count: number) => void;
}

export interface HandoffSummary {
  contacts: number;
  outcomes: Record<string, number>;
}

/** Contacts whose HubSpot write-back is still to do after the Salesforce writes. */
type WriteBackWork = { result: ContactResult; contact: HubSpotContact }[];

/**
 * One batch of contact jobs: settle echoes and irrelevant events, read the contacts that changed in one
 * batch read, decide each with the shared definition, write Salesforce, and record links, history, settled inbox
 * events and the HubSpot write-back (queued in the outbox, sent by the flusher without the batch waiting).
 * Retryable provider failures throw (the job retries); permanent ones park the affected contacts with the
 * provider's message.
 *
 * The Salesforce e-mail match and writes run inside `salesforceTurn`, keyed by the batch's e-mail addresses: a
 * batch matches an address only after an earlier batch with the same address has committed its Leads, so two
 * batches never both create a Lead for one address, while batches with no address in common (the usual case)
 * write side by side. The inbox reads, the HubSpot read and the decisions happen before the turn, and the
 * bookkeeping after it.
 */
export async function handoffContacts(contactIds: string[], deps: HandoffDeps): Promise<HandoffSummary> {
  const bundle = deps.mappings();
  const turn: Turnstile = deps.salesforceTurn ?? ((_keys, section) => section());
  const clock = startStageClock(deps.metrics?.stage);
  const { results, settled, decided, keepRead } = await readAndDecide(contactIds, bundle, deps, clock);
  // A refreshed Lead may take a new address, which a concurrent batch's match must see committed too.
  const toWrite = decided ? [...decided.candidates, ...decided.refreshes] : [];
  const writeBack = decided ? await turn(emailsOf(toWrite.map((c) => c.contact)), () => writeDecided(decided, bundle, deps)) : [];
  // Includes any wait for the turn: that too is time before the Lead is written.
  clock.lap('salesforce', toWrite.length);
  // The new Leads' owners are told now, not after the batch's last transaction below.
  if ((await persistAssignments(deps.db, results)) > 0) deps.onNotificationsQueued?.();
  clock.lap('commit', results.length);
  // The write-back is only decided here; it is queued in the outbox by the commit below and sent by the flusher,
  // whose HubSpot round trips are timed as `writeback_send`. So `writeback` is now this pure step, the outbox
  // insert counts in the last `commit`.
  const queued = prepareWriteBack(writeBack, bundle, 'handoff');
  clock.lap('writeback', writeBack.length);
  await persistResults(deps.db, results, settled);
  await keepRead();
  clock.lap('commit', results.length);
  if (queued > 0) deps.onWriteBacksQueued?.(queued);
  clock.finish();
  const outcomes: Record<string, number> = {};
  for (const result of results) {
    const text = outcomeText(result);
    outcomes[text] = (outcomes[text] ?? 0) + 1;
    deps.metrics?.handoff(result);
    const delay = result.slaClocks?.[0]?.routingDelayMs;
    if (delay !== null && delay !== undefined) deps.metrics?.syncLatency(delay / 1000);
  }
  deps.logger.info('handoff batch done', { module: 'handoff', contacts: results.length, outcomes });
  return { contacts: results.length, outcomes };
}

/** A batch read and decided, with its Salesforce writes still to do (undefined: nothing was read). */
interface PreparedBatch {
  results: ContactResult[];
  settled: Map<string, string[]>;
  decided?: DecidedBatch;
  /** Keeps the values read (kept-contacts.ts), once the Leads are written. */
  keepRead: () => Promise<void>;
}

async function readAndDecide(contactIds: string[], bundle: MappingsBundle, deps: HandoffDeps, clock: StageClock): Promise<PreparedBatch> {
  const events = await pendingEventHeads(deps.db, [...new Set(contactIds)]);
  const triage = await triageEvents(deps.db, events);
  // A contact HubSpot deleted is erased, not read (it is gone, and its data has no further use here).
  await eraseContacts(deps, triage.erase);
  // When each contact's earliest waiting event reached us: the start of our own routing delay.
  const receivedAt = new Map<string, Date>();
  for (const event of events) {
    const at = new Date(event.receivedAt);
    const known = receivedAt.get(event.objectId);
    if (!known || at < known) receivedAt.set(event.objectId, at);
  }
  clock.queued(receivedAt.values());
  const results: ContactResult[] = [];
  const ids = [...triage.toRead.keys()];
  // Replays of parked work carry their chain in the payload; only those payloads are read.
  const replays = events.filter((event) => event.eventType === REPLAY_EVENT_TYPE);
  const payloads = await eventPayloads(
    deps.db,
    replays.map((event) => event.id),
  );
  const newResult = (contactId: string): ContactResult => {
    const result: ContactResult = { contactId, eventIds: triage.toRead.get(contactId) ?? [], outcome: 'pending', history: [] };
    const replayOf = replayedChain(
      replays
        .filter((event) => event.objectId === contactId)
        .map((event) => ({ eventType: event.eventType, payload: payloads.get(event.id) })),
    );
    if (replayOf) result.replayOf = replayOf;
    results.push(result);
    return result;
  };
  let decided: DecidedBatch | undefined;
  let keepRead = NOTHING_TO_KEEP;
  if (ids.length > 0) {
    const names = [...new Set([...bundle.hubspotProperties, bundle.fieldMapping.hubspot.recycleAfterProperty])];
    // A known contact's change is decided from the values we keep for it when they are recent enough (kept-contacts.ts).
    const kept = await splitByKeptValues(deps, events, triage, names);
    // The links and what we last wrote depend on the ids alone: read while HubSpot answers, not after (awaited below).
    const contextRead = readHandoffContext(deps.db, ids);
    contextRead.catch(() => {});
    let read: { contacts: HubSpotContact[]; missing: string[] };
    try {
      const reading = await readForKeeping(deps, kept.toRead, names);
      read = reading.read;
      keepRead = reading.keep;
    } catch (error) {
      const refused = parkableOrThrow(error, { salesforceDone: false });
      for (const id of kept.toRead)
        parkResult(newResult(id), 'handoff', 'hubspot', refused.message, { step: 'read contacts', ...refused.waiting });
      read = { contacts: [], missing: [] };
    }
    // The inbox triage before the HubSpot call counts here too: it is how the batch's inputs are gathered.
    clock.lap('read', ids.length);
    for (const id of read.missing) {
      const result = newResult(id);
      result.outcome = 'contact_not_found';
      result.history.push({ hubspotContactId: id, action: 'failed', reason: 'HubSpot no longer has this contact (deleted or merged)' });
    }
    const [contacts, context] = await Promise.all([asAfterQueuedWriteBacks(deps.db, [...kept.contacts, ...read.contacts]), contextRead]);
    decided = await decideContacts(contacts, newResult, bundle, deps, receivedAt, { context });
    clock.lap('decide', contacts.length);
  }
  return { results, settled: triage.settled, keepRead, ...(decided ? { decided } : {}) };
}

/**
 * Decides already-read contacts and writes Salesforce; returns the HubSpot write-back still to do (the caller
 * prepares it with prepareWriteBack, then persists the results, which queues it in the outbox). Linked contacts are
 * followed up (`follow`, the real-time path: mapped fields refreshed, recycled contacts re-qualified) or left alone
 * (`skip`: a backfill hands off only the unlinked).
 */
export async function decideAndWrite(
  contacts: HubSpotContact[],
  newResult: (id: string) => ContactResult,
  bundle: MappingsBundle,
  deps: HandoffDeps,
  receivedAt: Map<string, Date>,
  options: { linked?: 'follow' | 'skip' } = {},
): Promise<WriteBackWork> {
  return writeDecided(await decideContacts(contacts, newResult, bundle, deps, receivedAt, options), bundle, deps);
}

/** Contacts decided: who gets a Lead, whose Lead is refreshed, and every contact's result so far. */
interface DecidedBatch {
  candidates: HandoffCandidate[];
  refreshes: LeadRefresh[];
  work: { result: ContactResult; contact: HubSpotContact }[];
}

/** Writes a decided batch to Salesforce; returns the HubSpot write-back still to do. */
async function writeDecided(decided: DecidedBatch, bundle: MappingsBundle, deps: HandoffDeps): Promise<WriteBackWork> {
  const { candidates, refreshes, work } = decided;
  if (candidates.length > 0 || refreshes.length > 0) {
    await writeToSalesforce(
      candidates,
      refreshes,
      deps.salesforce,
      bundle,
      (intents) => recordWriteIntents(deps.db, intents),
      deps.routing,
    );
  }
  return work.filter((w) => w.result.hubspotUpdate !== undefined);
}

async function decideContacts(
  contacts: HubSpotContact[],
  newResult: (id: string) => ContactResult,
  bundle: MappingsBundle,
  deps: HandoffDeps,
  receivedAt: Map<string, Date>,
  options: { linked?: 'follow' | 'skip'; context?: Map<string, HandoffContext> },
): Promise<DecidedBatch> {
  const context =
    options.context ??
    (await readHandoffContext(
      deps.db,
      contacts.map((c) => c.id),
    ));
  const candidates: HandoffCandidate[] = [];
  const refreshes: LeadRefresh[] = [];
  const work: { result: ContactResult; contact: HubSpotContact }[] = [];
  // The batch is handed off at one moment, so its SLA clocks are computed once per rule.
  const now = deps.now();
  const clocksFor = clockCalculator(bundle, now);
  const names = bundle.fieldMapping.hubspot;

  for (const contact of contacts) {
    const result = newResult(contact.id);
    work.push({ result, contact });
    const known = context.get(contact.id);
    const path = decideLinkPath(
      { ...known, recycleAfter: contact.properties[names.recycleAfterProperty] },
      options.linked ?? 'follow',
      now,
    );
    if (path.kind === 'leave') {
      result.outcome = path.why === 'linked' ? 'already_linked' : 'linked_to_salesforce_contact';
    } else if (path.kind === 'requalify') {
      // A recycled contact whose recycle date has passed is judged afresh, and handed off again if it qualifies.
      const decision = decideHandoff(contact, bundle, now);
      result.evaluation = mqlEvaluationRecord(contact, decision.qualification, bundle.mql, now);
      if (decision.action === 'skip') recordNotQualified(result, contact, decision);
      else {
        const candidate = candidateOf(contact, result, decision, bundle, clocksFor, receivedAt.get(contact.id) ?? null);
        // The earlier rejection no longer describes the contact in HubSpot either.
        const cleared = { [names.rejectionReasonProperty]: '', [names.rejectionNoteProperty]: '', [names.recycleAfterProperty]: '' };
        candidates.push({
          ...candidate,
          hubspotUpdate: { ...candidate.hubspotUpdate, ...cleared },
          requalified: true,
          leadId: path.leadId,
        });
      }
    } else if (path.kind === 'refresh') {
      const update = decideLeadUpdate(contact, bundle);
      const changed = changedSinceWritten(update.lead, known?.leadWritten ?? {}, bundle.fieldMapping.salesforce.externalIdField);
      if (changed) refreshes.push({ contact, result, leadId: path.leadId, lead: changed });
      else result.outcome = 'no_mapped_field_changed';
    } else {
      const decision = decideHandoff(contact, bundle, now);
      result.evaluation = mqlEvaluationRecord(contact, decision.qualification, bundle.mql, now);
      if (decision.action === 'skip') recordNotQualified(result, contact, decision);
      else candidates.push(candidateOf(contact, result, decision, bundle, clocksFor, receivedAt.get(contact.id) ?? null));
    }
  }
  return { candidates, refreshes, work };
}

function recordNotQualified(result: ContactResult, contact: HubSpotContact, decision: Extract<HandoffDecision, { action: 'skip' }>): void {
  result.outcome = 'not_qualified';
  result.score = decision.qualification.score;
  result.definitionVersion = decision.qualification.version;
  result.history.push({
    hubspotContactId: contact.id,
    action: 'not_qualified',
    reason: decision.reasons.join('; '),
    definitionVersion: decision.qualification.version,
    score: decision.qualification.score,
    detail: {
      segment: decision.qualification.segment,
      breakdown: decision.qualification.breakdown,
      mappingProblems: decision.mappingProblems,
    },
  });
}

type ClocksFor = ((facts: Omit<HandoffFacts, 'handedOffAt'>) => SlaClocks) & { handedOffAt: Date };

/** Business-hours arithmetic costs about a millisecond per clock pair; clocks depend only on the rule and the moment. */
function clockCalculator(bundle: MappingsBundle, handedOffAt: Date): ClocksFor {
  const byRule = new Map<string, SlaClocks>();
  const clocksFor = (facts: Omit<HandoffFacts, 'handedOffAt'>) => {
    const rule = selectSlaRule(facts, bundle.sla).id;
    const clocks = byRule.get(rule) ?? slaClocksFor({ ...facts, handedOffAt }, bundle.sla);
    byRule.set(rule, clocks);
    return clocks;
  };
  return Object.assign(clocksFor, { handedOffAt });
}

function candidateOf(
  contact: HubSpotContact,
  result: ContactResult,
  decision: Extract<HandoffDecision, { action: 'handoff' }>,
  bundle: MappingsBundle,
  clocksFor: ClocksFor,
  firstReceivedAt: Date | null,
): HandoffCandidate {
  const now = clocksFor.handedOffAt;
  const q = decision.qualification;
  // The SLA clock starts with the handoff; the rep sees the first-touch due time on the Lead from the start.
  const clocks = clocksFor({ source: contact.properties.hs_analytics_source, segmentId: q.segment.id, fastTrack: Boolean(q.fastTrack) });
  const firstTouch = clocks.clocks.find((clock) => clock.kind === 'first_touch');
  const lead = buildLead({ kind: 'sent', lead: decision.lead, firstTouchDue: firstTouch?.dueAt ?? null }, bundle.fieldMapping.salesforce);
  return {
    contact,
    result,
    lead,
    updateFields: decideLeadUpdate(contact, bundle).lead,
    qualification: q,
    hubspotUpdate: decision.hubspotUpdate,
    sla: { clocks, handedOffAt: now, firstReceivedAt },
  };
}
