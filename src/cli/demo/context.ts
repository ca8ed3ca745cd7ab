import type { AlertInbox } from './alert-inbox.ts';
import type { DemoContact, DemoRole } from './contacts.ts';
import type { DemoMappings } from './demo-mappings.ts';
import type { Narrator } from './narrator.ts';
import type { MailInbox, SlackInbox } from './owner-inboxes.ts';
import type { AdminApi, HubSpotSim, SalesforceSim, SimLead } from './sandbox-clients.ts';
import { DemoStepFailed } from './wait.ts';

/** One demo contact once it exists in HubSpot (and, when it qualified, its Lead in Salesforce). */
export interface Person {
  contact: DemoContact;
  contactId: string;
  createdAt: Date;
  lead?: SimLead;
}

/** Everything the steps share: the running sandbox, the people so far, and the bounds of every wait. */
export interface DemoContext {
  narrator: Narrator;
  hubspot: HubSpotSim;
  salesforce: SalesforceSim;
  admin: AdminApi;
  alerts: AlertInbox;
  /** Where the Lead owners are told: the sandbox's Slack workspace and mail catcher. */
  slack: SlackInbox;
  mail: MailInbox;
  mappings: DemoMappings;
  pollSeconds: number;
  startedAt: Date;
  people: Map<DemoRole, Person>;
  waits: DemoWaits;
}

export interface DemoWaits {
  /** A webhook becoming a Lead (or a verdict) and the write-back to HubSpot. */
  handoffMs: number;
  /** A rep's change in Salesforce reaching HubSpot: a poll interval plus processing. */
  pollMs: number;
  /** After an SLA clock's due time, for the tick to record and announce the breach. */
  breachGraceMs: number;
}

export function person(ctx: DemoContext, role: DemoRole): Person {
  const found = ctx.people.get(role);
  if (!found) throw new DemoStepFailed(`no demo contact plays the part "${role}" yet`);
  return found;
}

export function leadOf(ctx: DemoContext, role: DemoRole): SimLead {
  const { lead, contact } = person(ctx, role);
  if (!lead) throw new DemoStepFailed(`${contact.properties.firstname}'s Lead was not seen in Salesforce`);
  return lead;
}

/** "14:03:07 UTC": times in the narration are UTC, like the service's logs. */
export function clock(at: Date): string {
  return `${at.toISOString().slice(11, 19)} UTC`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Salesforce writes "2026-11-29T02:34:02.688+0000"; Date parses it. */
export function salesforceDate(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
