/**
 * What an owner is told about an assignment, channel-neutral: each channel (Slack, e-mail, Salesforce push)
 * renders the same content its own way. Composed in core from the routing decision and the qualification.
 */
export type NotificationKind =
  /** A new Lead was assigned to this owner. */
  | 'assigned'
  /** The Lead was re-routed to this owner after the previous owner's first-touch breach. */
  | 'rerouted'
  /** A note to the previous owner: the Lead was taken away after a first-touch breach. */
  | 'reassigned_away';

export interface OwnerNotification {
  /** Unique per assignment and recipient; channels use it to make a repeat recognisable (e-mail Message-ID). */
  key: string;
  kind: NotificationKind;
  /** One line: "New MQL: Jane Doe, Acme GmbH — enterprise, score 72". */
  title: string;
  /** Labelled facts in display order: who, company, segment, score and top reasons, why it qualified, SLA due. */
  facts: Array<{ label: string; value: string }>;
  leadId: string;
  /** The Lead in Salesforce Lightning: `<instance>/lightning/r/Lead/<id>/view`. */
  leadUrl: string;
}

/** Who receives one notification: a Salesforce user (by id, with e-mail and name when known) or a queue. */
export interface NotificationRecipient {
  /** Salesforce User or Group (queue) id: the target of a Salesforce push. */
  salesforceId: string;
  email?: string;
  name?: string;
  /** Slack channel (`#inbound` or a channel id) used when the person has no Slack account by that e-mail. */
  slackChannel?: string;
}

/** One channel's answer: delivered, try again later, or never deliverable (parked, with the reason). */
export type DeliveryOutcome =
  | { status: 'delivered'; detail: string }
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  | { status: 'undeliverable'; reason: string };

export const NOTIFICATION_CHANNELS = ['slack', 'email', 'salesforce'] as const;
export type NotificationChannelName = (typeof NOTIFICATION_CHANNELS)[number];
