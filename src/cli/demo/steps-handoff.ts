import { DEMO_CONTACTS, displayName, firstName } from './contacts.ts';
import { clock, type DemoContext, type Person, person, salesforceDate, seconds } from './context.ts';
import type { HistoryEntry, SimLead } from './sandbox-clients.ts';
import { expectThat, waitFor } from './wait.ts';

/** Step: the contacts are created in the simulated HubSpot, which sends its signed webhooks to the service. */
export async function contactsArrive(ctx: DemoContext): Promise<void> {
  const { narrator } = ctx;
  narrator.say(
    "A marketer's forms create five contacts in HubSpot, each at a company whose size and industry HubSpot keeps on the company record. For each contact HubSpot sends a signed webhook to Handoff.",
  );
  for (const contact of DEMO_CONTACTS) {
    const company = await ctx.hubspot.createCompany(contact.company);
    const created = await ctx.hubspot.createContact(contact.properties, company.id);
    ctx.people.set(contact.role, { contact, contactId: created.id, createdAt: new Date(created.createdAt) });
    narrator.ok(`contact ${created.id}: ${displayName(contact)}, ${contact.intro}`);
  }
}

/** Step: four Leads appear in Salesforce, HubSpot gets the Lead id back; the fifth contact gets a verdict. */
export async function leadsAppear(ctx: DemoContext): Promise<void> {
  const { narrator } = ctx;
  const qualifying = [...ctx.people.values()].filter((p) => p.contact.role !== 'notQualified');
  narrator.say('Handoff reads each contact, applies the MQL definition (mappings/mql-definition.yaml) and creates a Lead for each MQL.');
  const leads = await narrator.waiting(
    () => 'waiting for the Leads in the simulated Salesforce',
    waitFor(
      'four Leads in Salesforce',
      async () => {
        const all = await ctx.salesforce.leads();
        const found = qualifying.map((p) => all.find((lead) => lead.Handoff_HubSpot_Id__c === p.contactId));
        return found.every((lead) => lead !== undefined) ? (found as SimLead[]) : undefined;
      },
      ctx.waits.handoffMs,
    ),
  );
  qualifying.forEach((p, index) => {
    p.lead = leads[index];
  });
  for (const p of qualifying) {
    const lead = p.lead!;
    const createdAt = salesforceDate(lead.CreatedDate);
    const delay = createdAt ? seconds(createdAt.getTime() - p.createdAt.getTime()) : 'an unknown time';
    narrator.ok(`${firstName(p.contact)}: Lead ${lead.Id} created ${delay} after the contact (status "${lead.Status}")`);
  }
  narrator.detail("(Timed from the contact's creation; HubSpot batches webhooks for a moment. Handoff's own routing delay,");
  narrator.detail(' webhook received → Lead committed, is in the funnel at the end.)');
  await narrator.waiting(() => 'waiting for HubSpot to get the Lead ids back', Promise.all(qualifying.map((p) => writeBackOf(ctx, p))));
  narrator.ok('HubSpot has each Lead id back (handoff_salesforce_id) and lifecycle stage "marketingqualifiedlead"');
  const nora = person(ctx, 'breach');
  const due = salesforceDate(nora.lead?.SLA_Due__c);
  if (due)
    narrator.detail(
      `${firstName(nora.contact)}'s Lead shows SLA_Due__c ${clock(due)}: first touch due then (the SLA step comes back to it).`,
    );
}

async function writeBackOf(ctx: DemoContext, p: Person): Promise<void> {
  await waitFor(
    `HubSpot to show ${firstName(p.contact)}'s Lead id`,
    async () => {
      const contact = await ctx.hubspot.contact(p.contactId);
      return contact.properties.handoff_salesforce_id === p.lead?.Id && contact.properties.lifecyclestage === 'marketingqualifiedlead'
        ? true
        : undefined;
    },
    ctx.waits.handoffMs,
  );
}

/** Step: why each MQL qualified (from the Lead, checked against the audit trail), and why one did not. */
export async function whyTheyQualified(ctx: DemoContext): Promise<void> {
  const { narrator } = ctx;
  narrator.say('The rep sees why on the Lead itself (MQL_Breakdown__c); rules that scored nothing are left out here.');
  for (const p of ctx.people.values()) {
    if (!p.lead) continue;
    const lead = p.lead;
    const audit = await handedOffEntry(ctx, p);
    expectThat(
      audit.score === lead.MQL_Score__c && audit.definitionVersion === lead.MQL_Definition_Version__c,
      `${firstName(p.contact)}'s audit trail (score ${audit.score}, ${audit.definitionVersion}) does not match the Lead (score ${lead.MQL_Score__c}, ${lead.MQL_Definition_Version__c})`,
    );
    narrator.ok(
      `${firstName(p.contact)}: score ${lead.MQL_Score__c}, ${segmentOf(lead)}, definition version ${lead.MQL_Definition_Version__c}`,
    );
    for (const line of condensedBreakdown(lead.MQL_Breakdown__c ?? '')) narrator.detail(line);
  }
  narrator.say('The audit trail (GET /api/records/<contact id>) records the same score and version for each handoff.');
  const sam = person(ctx, 'notQualified');
  const verdict = await narrator.waiting(
    () => `waiting for the verdict on ${firstName(sam.contact)}`,
    waitFor(
      `the verdict on ${firstName(sam.contact)}`,
      async () => {
        return (await ctx.admin.record(sam.contactId))?.history.find((entry) => entry.action === 'not_qualified');
      },
      ctx.waits.handoffMs,
    ),
  );
  expectThat(
    !(await ctx.salesforce.leads()).some((lead) => lead.Handoff_HubSpot_Id__c === sam.contactId),
    `${firstName(sam.contact)} did not qualify but has a Lead`,
  );
  narrator.no(`${firstName(sam.contact)}: not handed off, no Lead. Reason: ${verdict.reason ?? '(none recorded)'}`);
  for (const line of scoredItems(verdict)) narrator.detail(line);
}

/**
 * The Lead and HubSpot's write-back come before Handoff commits its own audit entry (its last step of a
 * handoff), so the entry may land a moment after both are visible: it is waited for like the other effects.
 */
async function handedOffEntry(ctx: DemoContext, p: Person): Promise<HistoryEntry> {
  return waitFor(
    `the handed_off entry in ${firstName(p.contact)}'s audit trail`,
    async () => {
      const view = await ctx.admin.record(p.contactId);
      return view?.history.find((e) => e.action === 'handed_off');
    },
    ctx.waits.handoffMs,
  );
}

function segmentOf(lead: SimLead): string {
  const match = /segment (.+)$/m.exec(lead.MQL_Breakdown__c ?? '');
  return match?.[1] ? `segment ${match[1]}` : 'segment not stated';
}

/** The rep's breakdown without zero-point rules, headings and the version line (printed beside it). */
export function condensedBreakdown(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => !/^\s+0\s/.test(line))
    .filter((line) => !/^(Fit|Behaviour):$/.test(line) && !line.startsWith('MQL qualified') && !line.startsWith('Definition version:'));
}

/** The non-zero items of a verdict's structured breakdown (detail.breakdown of the audit entry). */
function scoredItems(entry: HistoryEntry): string[] {
  const items = Array.isArray(entry.detail.breakdown) ? (entry.detail.breakdown as Array<Record<string, unknown>>) : [];
  const scored = items.filter((item) => Number(item.points) !== 0 || item.category === 'exclusion');
  const points = (value: unknown) => (Number(value) > 0 ? `+${Number(value)}` : String(Number(value)));
  const lines = scored.map((item) => `${points(item.points).padStart(6)}  ${String(item.label)} (${String(item.detail)})`);
  return [...lines, `Total: ${entry.score ?? 0}, definition version ${entry.definitionVersion ?? 'unknown'}`];
}
