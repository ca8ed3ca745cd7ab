import type { ReadContactsResult } from '../../adapters/hubspot/hubspot-port.ts';
import { HUBSPOT_LIMITS } from '../../adapters/hubspot/limits.ts';
import type { HubSpotContact } from '../../core/contact.ts';
import { decideFromKept, isPropertyChange, type KeptReadReason, keptFromRead } from '../../core/handoff/kept-values.ts';
import { isCompanyProperty } from '../../core/mappings/company-properties.ts';
import type { Logger } from '../../log.ts';
import type { KeptValueMetrics } from '../../metrics/kept-metrics.ts';
import type { Queryable } from '../../store/database.ts';
import type { PendingEvent } from '../../store/inbox.ts';
import { keepEventValues, keepReadValues, readKeptValues } from '../../store/kept-values.ts';
import { type ContactReader, readContactsWithCompanies } from './read-contacts.ts';
import type { Triage } from './triage-events.ts';

export interface KeptContactsDeps {
  db: Queryable;
  hubspot: ContactReader;
  logger: Logger;
  now: () => Date;
  metrics?: Partial<KeptValueMetrics> | undefined;
  /** HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS in ms; absent or 0: every contact is read and nothing is kept. */
  keptValues?: { maxAgeMs: number } | undefined;
}

/** The batch's contacts split: those decided from kept values, and those still to read. */
export interface KeptSplit {
  contacts: HubSpotContact[];
  toRead: string[];
}

/**
 * Brings the kept values of the batch's contacts up to date from their propertyChange events (echoes of our own
 * writes included: they are HubSpot's values too), then builds each contact in `toRead` from them where core allows;
 * the rest are to be read. `names`: the HubSpot read's property list. `written`: the triage's read of what we last
 * wrote, which covers every contact with a named property change, the only ones core may decide from kept values.
 */
export async function splitByKeptValues(
  deps: KeptContactsDeps,
  events: PendingEvent[],
  triage: Pick<Triage, 'toRead' | 'written'>,
  names: readonly string[],
): Promise<KeptSplit> {
  const { toRead, written } = triage;
  const ids = [...toRead.keys()];
  const maxAgeMs = deps.keptValues?.maxAgeMs ?? 0;
  if (maxAgeMs <= 0 || ids.length === 0) return { contacts: [], toRead: ids };
  const needed = new Set(names);
  const changes = events.filter(
    (event) => event.objectType === 'contact' && isPropertyChange(event) && needed.has(event.propertyName ?? ''),
  );
  await keepEventValues(
    deps.db,
    changes.map((event) => ({
      contactId: event.objectId,
      property: event.propertyName ?? '',
      value: event.propertyValue,
      at: new Date(event.occurredAt),
    })),
  );
  const kept = await readKeptValues(deps.db, ids);
  const readOnChangeOf = names.some(isCompanyProperty) ? [HUBSPOT_LIMITS.primaryCompanyIdProperty] : [];
  const now = deps.now();
  const split: KeptSplit = { contacts: [], toRead: [] };
  const reasons: Partial<Record<KeptReadReason, number>> = {};
  // The events each contact's work settles (echoes and ignored types are settled already), by id.
  const byId = new Map(events.map((event) => [event.id, { ...event, occurredAt: new Date(event.occurredAt) }]));
  for (const [contactId, eventIds] of toRead) {
    const decision = decideFromKept({
      contactId,
      kept: kept.get(contactId),
      events: eventIds.flatMap((id) => byId.get(id) ?? []),
      needed: names,
      maxAgeMs,
      now,
      readOnChangeOf,
      written: written.get(contactId),
    });
    if (decision.kind === 'kept') split.contacts.push(decision.contact);
    else {
      split.toRead.push(contactId);
      reasons[decision.reason] = (reasons[decision.reason] ?? 0) + 1;
    }
  }
  deps.metrics?.readsSaved?.(split.contacts.length);
  // Reason codes and counts only: never a value.
  deps.logger.debug('kept values', { module: 'handoff', fromKept: split.contacts.length, read: split.toRead.length, reasons });
  return split;
}

/** A batch read, and the write that keeps its values: for the caller to run once its Leads are written. */
export interface KeptRead {
  read: ReadContactsResult;
  keep: () => Promise<void>;
}

/** The `keep` of a read that has nothing to keep (none made, or kept values off). */
export const NOTHING_TO_KEEP = async (): Promise<void> => {};

/**
 * The HubSpot batch read; its values are kept (known as of the read's start) by `keep`, which the handoff runs after
 * its Leads are written: a batch's rows (about 1,500 for 100 contacts) are no part of the Lead's path, and the stamp,
 * not the moment of writing, decides which value is newer. A crash before `keep` only costs the next change a read.
 */
export async function readForKeeping(deps: KeptContactsDeps, ids: string[], names: string[]): Promise<KeptRead> {
  if (ids.length === 0) return { read: { contacts: [], missing: [] }, keep: NOTHING_TO_KEEP };
  const startedAt = deps.now();
  const read = await readContactsWithCompanies(deps.hubspot, ids, names);
  if ((deps.keptValues?.maxAgeMs ?? 0) <= 0) return { read, keep: NOTHING_TO_KEEP };
  const rows = read.contacts.map((contact) => ({ contactId: contact.id, values: keptFromRead(contact, names, startedAt) }));
  return { read, keep: async () => void (await keepReadValues(deps.db, rows)) };
}
