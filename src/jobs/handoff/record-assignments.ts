import { leadOwners } from '../../adapters/salesforce/org-directory.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { AssignmentSummary } from '../../core/routing/compose-notification.ts';
import type { NotificationChannelName } from '../../core/routing/owner-notification.ts';
import type { Logger } from '../../log.ts';
import { storedDecision } from '../../store/lead-assignments.ts';
import { notificationRows, recipientOf } from '../notify/notification-rows.ts';
import type { ResolvedDirectory } from '../routing/routing-deps.ts';
import type { HandoffCandidate } from './handoff-candidate.ts';
import type { RoutedCreate, RoutingDeps } from './route-creates.ts';

/** Routing as the handoff carries it out: the reads, the channels set up, and where the Lead links point. */
export interface HandoffRouting extends RoutingDeps {
  /** The notification channels this service has settings for (routing.yaml chooses among them). */
  channels: readonly NotificationChannelName[];
  /** The Salesforce instance the Lead links point to. */
  instanceUrl: () => string;
  /** False for a backfill: its Leads are routed, but nobody is paged for history. */
  notify: boolean;
  logger: Logger;
}

interface CreatedWrite {
  contactId: string;
  candidate: HandoffCandidate;
  /** The Lead existed already and kept its owner: the owner is read back like one the org's rule chose. */
  ownerKept?: boolean;
  /** The owner read back with the create, when it was. */
  ownerRead?: string;
}

/**
 * After the creates: each contact handed off with a new Lead records its assignment (confirmed with the Lead in the
 * batch's transaction) and the notifications to send. Where the org's assignment rule chose, the owner was read back
 * with the create (or, failing that, from the Leads in one query); if that read fails the Lead stays handed off and
 * its owner unknown, said in the log.
 */
export async function recordAssignments(
  creates: CreatedWrite[],
  routed: { routed: Map<string, RoutedCreate>; directory: ResolvedDirectory },
  bundle: MappingsBundle,
  routing: HandoffRouting,
): Promise<void> {
  const done = creates.flatMap((write) => {
    const route = routed.routed.get(write.contactId);
    const leadId = write.candidate.result.link?.salesforceObject === 'Lead' ? write.candidate.result.link.salesforceId : undefined;
    if (!route || !leadId || write.candidate.result.outcome !== 'handed_off') return [];
    return [{ ...write, route: write.ownerKept ? { ...route, ownerId: undefined } : route, leadId }];
  });
  const learnt = new Map(done.flatMap((d) => (!d.route.ownerId && d.ownerRead ? [[d.leadId, d.ownerRead] as const] : [])));
  // Normally none is left: the owners were read with the create. A separate read is for when that answer had none.
  const unknownOwners = done.filter((d) => !d.route.ownerId && !learnt.has(d.leadId)).map((d) => d.leadId);
  if (unknownOwners.length > 0) {
    try {
      for (const [lead, owner] of await leadOwners(routing.salesforce, unknownOwners)) learnt.set(lead, owner);
    } catch (error) {
      routing.logger.warn('could not read the owners the assignment rule chose; those owners are not notified', {
        module: 'routing',
        leads: unknownOwners.length,
        error: (error as Error).message,
      });
    }
  }
  let directory = routed.directory;
  const newPeople = [...learnt.values()].filter((id) => id.startsWith('005') && !directory.people.has(id));
  if (newPeople.length > 0 && routing.notify) {
    // Added to, not replaced: the first directory holds the people other rules chose (e.g. an Account's owner).
    const more = await routing.resolveDirectory(bundle.routing, { userIds: newPeople });
    directory = { ...more, people: new Map([...directory.people, ...more.people]) };
  }
  const assignedAt = routing.now();
  for (const { candidate, route, leadId } of done) {
    const ownerId = route.ownerId ?? learnt.get(leadId) ?? null;
    const notifications = ownerId && routing.notify ? rowsFor(candidate, route, leadId, ownerId, bundle, directory, routing) : [];
    candidate.result.assignment = {
      assignmentId: route.assignmentId,
      leadId,
      ownerId,
      assignedAt,
      decision: route.decision,
      notifications,
    };
    // The first-touch clock starts at assignment and belongs to this owner (a re-route starts the next owner's).
    for (const clock of candidate.result.slaClocks ?? []) Object.assign(clock, { assignmentId: route.assignmentId, ownerId });
    candidate.result.history.push({
      hubspotContactId: candidate.result.contactId,
      salesforceId: leadId,
      action: 'routed',
      reason: route.decision.reason,
      // As stored with the assignment: a condition's detail quoting the contact's values is left out.
      detail: { ...storedDecision(route.decision), ownerId, ...(route.decision.pool ? { pool: route.decision.pool } : {}) },
    });
  }
}

/** The owner's notifications of one new Lead: who, company, segment, score and its top reasons, SLA due, the link. */
function rowsFor(
  candidate: HandoffCandidate,
  route: RoutedCreate,
  leadId: string,
  ownerId: string,
  bundle: MappingsBundle,
  directory: ResolvedDirectory,
  routing: HandoffRouting,
) {
  const props = candidate.contact.properties;
  const q = candidate.qualification;
  const firstTouch = candidate.sla?.clocks.clocks.find((clock) => clock.kind === 'first_touch');
  const pool = bundle.routing.pools.find((p) => p.id === route.decision.pool);
  const name = [props.firstname, props.lastname].filter((part) => part && part.trim() !== '').join(' ');
  const summary: AssignmentSummary = {
    assignmentId: route.assignmentId,
    leadId,
    instanceUrl: routing.instanceUrl(),
    name: name || 'Unnamed contact',
    ...(props.jobtitle ? { title: props.jobtitle } : {}),
    ...(props.company ? { company: props.company } : {}),
    segment: q.segment.label,
    score: q.score,
    breakdown: q.breakdown,
    ...(q.fastTrack ? { fastTrack: q.fastTrack.label } : {}),
    ...(firstTouch ? { slaDueAt: firstTouch.dueAt } : {}),
    timeZone: bundle.sla.calendar.timeZone,
    routedBy: route.decision.reason,
  };
  return notificationRows(
    bundle.routing,
    summary,
    [{ kind: 'assigned', recipient: recipientOf(directory, ownerId, pool?.slackChannel) }],
    routing.channels,
  );
}
