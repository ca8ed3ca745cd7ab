import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import { soqlIn, soqlName } from '../../adapters/salesforce/soql.ts';
import type { MappingsBundle } from '../../core/mappings/bundle.ts';
import type { AssignmentSummary } from '../../core/routing/compose-notification.ts';
import type { NotificationChannelName } from '../../core/routing/owner-notification.ts';
import type { OwnerNotificationInput } from '../../store/owner-notifications.ts';
import type { SlaTimer } from '../../store/sla-timers.ts';
import { notificationRows, recipientOf } from '../notify/notification-rows.ts';
import type { ResolvedDirectory } from '../routing/routing-deps.ts';

/** What a re-route's message says of the Lead, read from Salesforce (we keep no copy of the person's data). */
export interface LeadFacts {
  /** Who owns the Lead in Salesforce now. */
  ownerId?: string;
  name?: string;
  title?: string;
  company?: string;
  score?: number;
}

/**
 * Reads the Leads' owner, name, title, company and MQL score (the field the field mapping names) in one query. Name is
 * Salesforce's read-only concatenation of the name parts; Title and Company are standard Lead strings (Salesforce
 * Field Reference, "Lead"). The breakdown is not parsed back from its long-text field: a re-route's message gives
 * the score without top reasons.
 */
export async function readLeadFacts(
  salesforce: SalesforcePort,
  bundle: MappingsBundle,
  leadIds: string[],
): Promise<Map<string, LeadFacts>> {
  if (leadIds.length === 0) return new Map();
  const scoreField = soqlName(bundle.fieldMapping.salesforce.fields.score);
  const rows = await salesforce.query<Record<string, unknown>>(
    `SELECT Id, OwnerId, Name, Title, Company, ${scoreField} FROM Lead WHERE Id IN ${soqlIn(leadIds)}`,
  );
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  return new Map(
    rows.map((row) => {
      const score = Number(row[scoreField]);
      const facts: LeadFacts = {};
      const [ownerId, name, title, company] = [text(row.OwnerId), text(row.Name), text(row.Title), text(row.Company)];
      if (ownerId) facts.ownerId = ownerId;
      if (name) facts.name = name;
      if (title) facts.title = title;
      if (company) facts.company = company;
      if (row[scoreField] !== null && row[scoreField] !== undefined && Number.isFinite(score)) facts.score = score;
      return [String(row.Id), facts];
    }),
  );
}

export interface RerouteMessageInput {
  assignmentId: string;
  timer: SlaTimer;
  lead: LeadFacts | undefined;
  fastTrack: boolean;
  newOwnerId: string;
  previousOwnerId: string;
  slaDueAt: Date;
  routedBy: string;
  slackChannel: string | undefined;
}

/** The 'rerouted' notifications to the new owner and the 'reassigned_away' note to the old one, on every configured channel. */
export function rerouteNotifications(
  input: RerouteMessageInput,
  bundle: MappingsBundle,
  directory: ResolvedDirectory,
  instanceUrl: string,
  channels?: readonly NotificationChannelName[],
): OwnerNotificationInput[] {
  const summary: AssignmentSummary = {
    assignmentId: input.assignmentId,
    leadId: input.timer.leadId,
    instanceUrl,
    name: input.lead?.name ?? `Lead ${input.timer.leadId}`,
    ...(input.lead?.title ? { title: input.lead.title } : {}),
    ...(input.lead?.company ? { company: input.lead.company } : {}),
    segment: input.timer.segment ?? '—',
    score: input.lead?.score ?? 0,
    breakdown: [],
    ...(input.fastTrack ? { fastTrack: 'fast track' } : {}),
    slaDueAt: input.slaDueAt,
    timeZone: bundle.sla.calendar.timeZone,
    routedBy: input.routedBy,
  };
  return notificationRows(
    bundle.routing,
    summary,
    [
      { kind: 'rerouted', recipient: recipientOf(directory, input.newOwnerId, input.slackChannel) },
      { kind: 'reassigned_away', recipient: recipientOf(directory, input.previousOwnerId, input.slackChannel) },
    ],
    channels,
  );
}
