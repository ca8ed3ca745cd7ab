import type { BreakdownLine } from '../definitions/qualify-mql.ts';
import type { NotificationKind, OwnerNotification } from './owner-notification.ts';

/** What the message says about the lead; personal data, kept only until the notification is delivered. */
export interface AssignmentSummary {
  assignmentId: string;
  leadId: string;
  /** Salesforce instance URL (https://acme.my.salesforce.com). */
  instanceUrl: string;
  name: string;
  title?: string;
  company?: string;
  segment: string;
  score: number;
  /** The qualification breakdown; the top reasons are the lines with the most points. */
  breakdown: readonly Pick<BreakdownLine, 'label' | 'points' | 'category'>[];
  fastTrack?: string;
  /** The first-touch due time, if the SLA rule has one. */
  slaDueAt?: Date;
  timeZone: string;
  /** How it was routed (the decision's reason). */
  routedBy: string;
}

const TOP_REASONS = 3;

/** Pure: the channel-neutral message for one recipient of one assignment. */
export function composeNotification(summary: AssignmentSummary, kind: NotificationKind, recipientId: string): OwnerNotification {
  const who = [summary.name, summary.company].filter(Boolean).join(', ');
  const headline = {
    assigned: `New MQL: ${who}`,
    rerouted: `Re-routed to you (first touch missed): ${who}`,
    reassigned_away: `Taken over (first touch missed): ${who}`,
  }[kind];
  const top = [...summary.breakdown]
    .filter((line) => line.points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, TOP_REASONS)
    .map((line) => `${line.label} (+${line.points})`);
  const facts: OwnerNotification['facts'] = [
    { label: 'Who', value: [summary.name, summary.title].filter(Boolean).join(' — ') },
    { label: 'Company', value: summary.company || '—' },
    { label: 'Segment', value: summary.segment },
    { label: 'Score', value: top.length > 0 ? `${summary.score}: ${top.join(', ')}` : String(summary.score) },
    { label: 'Why', value: summary.fastTrack ? `fast track: ${summary.fastTrack}` : 'score reached the segment threshold' },
    { label: 'First touch due', value: summary.slaDueAt ? formatDue(summary.slaDueAt, summary.timeZone) : 'no first-touch SLA' },
    { label: 'Routed by', value: summary.routedBy },
  ];
  return {
    key: `${summary.assignmentId}-${kind}-${recipientId}`,
    kind,
    title: `${headline} — ${summary.segment}, score ${summary.score}`,
    facts,
    leadId: summary.leadId,
    leadUrl: `${summary.instanceUrl.replace(/\/+$/, '')}/lightning/r/Lead/${summary.leadId}/view`,
  };
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatDue(at: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
    formatters.set(timeZone, format);
  }
  return `${format.format(at)} (${timeZone})`;
}
