import { firstName } from './contacts.ts';
import { type DemoContext, type Person, salesforceDate, seconds } from './context.ts';
import type { AssignmentEntry, HistoryEntry, SimLead, SimUser } from './sandbox-clients.ts';
import { DemoStepFailed, expectThat, waitFor } from './wait.ts';

/** One owner told of one new Lead: who and why, and when each channel's message arrived. */
export interface Heard {
  person: Person;
  lead: SimLead;
  owner: SimUser;
  assignment: AssignmentEntry;
  arrivals: { slack: Date; email: Date; salesforce: Date };
  /** The DM as the rep reads it in Slack (the plain-text fallback of the message). */
  slackText: string;
}

/** Step: each new Lead's owner, why routing.yaml chose them, and their Slack DM, e-mail and Salesforce notification. */
export async function ownersHearAtOnce(ctx: DemoContext): Promise<void> {
  const { narrator } = ctx;
  narrator.say(
    "mappings/routing.yaml picks each new Lead's owner: a contact whose e-mail domain is an Account's website goes to that Account's owner,",
  );
  narrator.say("anyone else to the org's active assignment rule (in the sandbox org, a round robin among four reps).");
  narrator.say(
    'Salesforce sends no e-mail for a Lead created through the API, so Handoff tells the owner itself: a Slack DM, an e-mail and a Salesforce notification.',
  );
  const users = await ctx.salesforce.users();
  const withLeads = [...ctx.people.values()].filter((p) => p.lead);
  const heard = await narrator.waiting(
    () => "waiting for each owner's Slack DM, e-mail and Salesforce notification",
    Promise.all(withLeads.map((p) => ownerHears(ctx, p, users))),
  );
  for (const h of heard) tellHeard(ctx, h);
  const sample = heard.find((h) => h.assignment.strategy === 'existing-owner') ?? heard[0];
  if (sample) {
    narrator.say(`${sample.owner.Name}'s Slack DM about ${firstName(sample.person.contact)}:`);
    for (const line of sample.slackText.split('\n')) narrator.detail(`│ ${unescapeMrkdwn(line)}`);
  }
  narrator.say(
    'GET /api/records/<contact id> shows each decision with its three deliveries; the audit trail has a "routed" entry after "handed_off".',
  );
}

/** "✓ Tomas's Lead → Riley Rep. Why: …" and when each of the three messages arrived. */
export function tellHeard(ctx: DemoContext, h: Heard): void {
  const createdAt = salesforceDate(h.lead.CreatedDate);
  if (!createdAt) throw new DemoStepFailed(`${firstName(h.person.contact)}'s Lead has no CreatedDate`);
  const after = (at: Date) => seconds(Math.max(0, at.getTime() - createdAt.getTime()));
  ctx.narrator.ok(`${firstName(h.person.contact)}'s Lead → ${h.owner.Name}. Why: ${h.assignment.decision.reason}`);
  ctx.narrator.detail(
    `Slack DM ${after(h.arrivals.slack)}, e-mail ${after(h.arrivals.email)}, Salesforce notification ${after(h.arrivals.salesforce)} after the Lead was created`,
  );
}

/** Waits (bounded) for the decision, then for the owner's three messages, each seen where the rep would see it. */
export async function ownerHears(ctx: DemoContext, p: Person, users: SimUser[]): Promise<Heard> {
  const name = firstName(p.contact);
  const leadId = p.lead?.Id ?? '';
  const { assignment, routed } = await waitFor(
    `the routing decision for ${name}'s Lead`,
    async () => {
      const view = await ctx.admin.record(p.contactId);
      const found = view?.routing.find((a) => a.leadId === leadId && a.state === 'assigned');
      const entry = view?.history.find((e) => e.action === 'routed' && e.salesforceId === leadId);
      return found && entry ? { assignment: found, routed: entry } : undefined;
    },
    ctx.waits.handoffMs,
  );
  const lead = await ctx.salesforce.lead(leadId);
  checkDecision(name, lead, assignment, routed);
  const owner = users.find((u) => u.Id === lead.OwnerId);
  if (!owner) throw new DemoStepFailed(`${name}'s Lead is owned by ${lead.OwnerId}, who is not a user of the org`);
  const found = await waitFor(
    `${owner.Name}'s Slack DM, e-mail and Salesforce notification about ${name}'s Lead`,
    () => arrivalsOf(ctx, p, lead, owner),
    ctx.waits.handoffMs,
  );
  return { person: p, lead, owner, assignment, ...found };
}

function checkDecision(name: string, lead: SimLead, assignment: AssignmentEntry, routed: HistoryEntry): void {
  expectThat(
    assignment.ownerId === lead.OwnerId,
    `Handoff recorded ${assignment.ownerId} as the owner of ${name}'s Lead, Salesforce shows ${lead.OwnerId}`,
  );
  expectThat(
    routed.reason === assignment.decision.reason,
    `${name}'s audit trail says "${routed.reason}", the routing decision "${assignment.decision.reason}"`,
  );
}

/**
 * The three messages about this Lead to this owner, or an error naming what is still missing (the bounded wait
 * quotes it when it times out). Times: the mail catcher's and the org's own stamps; Slack's `ts` has whole seconds
 * only, so for Slack the service's delivery time (Slack's answer to chat.postMessage) is used.
 */
async function arrivalsOf(
  ctx: DemoContext,
  p: Person,
  lead: SimLead,
  owner: SimUser,
): Promise<Omit<Heard, 'person' | 'lead' | 'owner' | 'assignment'>> {
  const [slack, mail, pushes, view] = await Promise.all([
    ctx.slack.messages(),
    ctx.mail.messages(),
    ctx.salesforce.notifications(),
    ctx.admin.record(p.contactId),
  ]);
  const dm = slack.find((m) => m.user !== undefined && (m.text ?? '').includes(`/Lead/${lead.Id}/`));
  const email = mail.find(
    (m) => m.to.some((to) => to.toLowerCase() === owner.Email.toLowerCase()) && (m.text ?? '').includes(`/Lead/${lead.Id}/`),
  );
  const push = pushes.find((n) => n.targetId === lead.Id && n.recipientIds.includes(owner.Id));
  const told = view?.routing.find((a) => a.leadId === lead.Id && a.state === 'assigned')?.notifications ?? [];
  const slackDelivered = told.find((n) => n.channel === 'slack' && n.recipientId === owner.Id && n.state === 'delivered');
  const missing = [
    ...(dm && slackDelivered?.deliveredAt ? [] : ['the Slack DM']),
    ...(email ? [] : ['the e-mail']),
    ...(push ? [] : ['the Salesforce notification']),
  ];
  const pushedAt = salesforceDate(push?.at);
  if (missing.length > 0 || !dm || !email || !pushedAt || !slackDelivered?.deliveredAt) {
    throw new Error(`still missing: ${missing.join(', ') || 'a readable time'}`);
  }
  return {
    arrivals: { slack: new Date(slackDelivered.deliveredAt), email: new Date(email.receivedAt), salesforce: pushedAt },
    slackText: dm.text ?? '',
  };
}

/** Slack's mrkdwn escapes &, < and > ("Formatting text for app surfaces"); the narration shows the characters. */
function unescapeMrkdwn(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}
