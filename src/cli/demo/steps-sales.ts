import { firstName } from './contacts.ts';
import { type DemoContext, leadOf, person, seconds } from './context.ts';
import { DemoStepFailed, expectThat, waitFor } from './wait.ts';

/** The reason the rep gives in the demo; it must be a code of rejection-reasons.yaml. */
const DEMO_REASON = { code: 'no_budget', note: 'Budget frozen until the next fiscal year' } as const;

function stageOf(ctx: DemoContext, stage: 'sal' | 'rejected') {
  const mapping = ctx.mappings.bundle.statusMap.stages[stage];
  if (!mapping) throw new DemoStepFailed(`status-map.yaml defines no "${stage}" stage; the demo needs it`);
  return mapping;
}

/** Step: the rep accepts Tomas's Lead; the poll brings the SAL stage to HubSpot and stops the first-touch clock. */
export async function repAccepts(ctx: DemoContext): Promise<void> {
  const { narrator } = ctx;
  const tomas = person(ctx, 'accept');
  const lead = leadOf(ctx, 'accept');
  const sal = stageOf(ctx, 'sal');
  narrator.say(`The rep opens ${firstName(tomas.contact)}'s Lead and sets Status to "${sal.salesforce.write}".`);
  await ctx.salesforce.updateLead(lead.Id, { Status: sal.salesforce.write });
  const savedAt = Date.now();
  narrator.say(
    `Salesforce publishes the save as a change event and Handoff hears it at once; the poll (every ${ctx.pollSeconds} s) is only the safety net.`,
  );
  await narrator.waiting(
    () => 'waiting for the status to reach HubSpot',
    waitFor(
      'the accepted status in HubSpot',
      async () => {
        const contact = await ctx.hubspot.contact(tomas.contactId);
        return contact.properties.hs_lead_status === sal.hubspot.hs_lead_status ? contact : undefined;
      },
      ctx.waits.pollMs,
    ),
  );
  narrator.ok(
    `HubSpot, ${seconds(Date.now() - savedAt)} after the save: lead status "${sal.hubspot.hs_lead_status}", lifecycle stage "${sal.hubspot.lifecyclestage}" (the SAL stage)`,
  );
  const stopped = await waitFor(
    'the first-touch clock to stop',
    async () => {
      const view = await ctx.admin.record(tomas.contactId);
      return view?.history.find((entry) => entry.action === 'sla_stopped' && entry.detail.clock === 'first_touch');
    },
    ctx.waits.pollMs,
  );
  narrator.ok(
    `SLA: ${stopped.reason ?? 'first touch stopped'}; the rep answered ${seconds(Number(stopped.detail.responseMs))} after the handoff`,
  );
}

/** Step: the rep rejects Lena's Lead with a reason; HubSpot gets the reason, and the contact moves to a nurture list. */
export async function repRejects(ctx: DemoContext): Promise<void> {
  const { narrator } = ctx;
  const lena = person(ctx, 'reject');
  const lead = leadOf(ctx, 'reject');
  const rejected = stageOf(ctx, 'rejected');
  const { rejection } = ctx.mappings.bundle;
  const reason = rejection.reasons.find((r) => r.code === DEMO_REASON.code);
  if (!reason) throw new DemoStepFailed(`rejection-reasons.yaml has no reason "${DEMO_REASON.code}"; the demo uses it`);
  const listsBefore = await ctx.hubspot.listsOf(lena.contactId);
  narrator.say(
    `The rep rejects ${firstName(lena.contact)}'s Lead: Status "${rejected.salesforce.write}", reason "${reason.code}" (${reason.label}), note "${DEMO_REASON.note}".`,
  );
  await ctx.salesforce.updateLead(lead.Id, {
    Status: rejected.salesforce.write,
    Rejection_Reason__c: reason.code,
    Rejection_Note__c: DEMO_REASON.note,
  });
  const savedAt = Date.now();
  const contact = await narrator.waiting(
    () => 'waiting for the rejection to reach HubSpot',
    waitFor(
      'the rejection in HubSpot and the nurture list',
      async () => {
        const current = await ctx.hubspot.contact(lena.contactId);
        const lists = await ctx.hubspot.listsOf(lena.contactId);
        const done =
          current.properties.handoff_rejection_reason === reason.code &&
          lists.includes(reason.feedback.nurtureList) &&
          !lists.includes(rejection.salesReadyList);
        return done ? current : undefined;
      },
      ctx.waits.pollMs,
    ),
  );
  const p = contact.properties;
  narrator.ok(
    `HubSpot, ${seconds(Date.now() - savedAt)} after the save: handoff_rejection_reason "${p.handoff_rejection_reason}", note "${p.handoff_rejection_note}"`,
  );
  narrator.ok(
    `lifecycle stage "${p.lifecyclestage}", lead status "${p.hs_lead_status}" (feedback "${reason.feedback.lifecycle}"${p.handoff_recycle_after ? `, may be re-qualified from ${p.handoff_recycle_after}` : ''})`,
  );
  const left = listsBefore.includes(rejection.salesReadyList) ? `, left "${rejection.salesReadyList}"` : '';
  narrator.ok(`joined the nurture list "${reason.feedback.nurtureList}"${left}`);
}

/** Step: a rejection without a reason is held back: the Lead says why, the owner gets a Task, HubSpot stays as it was. */
export async function repRejectsWithoutReason(ctx: DemoContext): Promise<void> {
  const { narrator } = ctx;
  const ravi = person(ctx, 'rejectWithoutReason');
  const lead = leadOf(ctx, 'rejectWithoutReason');
  const rejected = stageOf(ctx, 'rejected');
  const before = await ctx.hubspot.contact(ravi.contactId);
  narrator.say(`The rep sets ${firstName(ravi.contact)}'s Lead to "${rejected.salesforce.write}" but gives no reason.`);
  narrator.detail(
    '(In a real org the validation rule of salesforce-metadata/ stops this in the UI; an import or an API save can still do it.)',
  );
  await ctx.salesforce.updateLead(lead.Id, { Status: rejected.salesforce.write });
  const { flagged, task } = await narrator.waiting(
    () => 'waiting for Handoff to flag the Lead',
    waitFor(
      'the Lead to be flagged and a Task created',
      async () => {
        const current = await ctx.salesforce.lead(lead.Id);
        const found = (await ctx.salesforce.tasks()).find((t) => t.WhoId === lead.Id);
        return current.Handoff_Sync_Status__c && found ? { flagged: current, task: found } : undefined;
      },
      ctx.waits.pollMs,
    ),
  );
  const after = await ctx.hubspot.contact(ravi.contactId);
  expectThat(
    after.updatedAt === before.updatedAt && after.properties.handoff_rejection_reason == null,
    `HubSpot changed although the rejection had no reason (updated ${before.updatedAt} → ${after.updatedAt})`,
  );
  narrator.ok('stopped: nothing was sent to HubSpot');
  narrator.ok(`the Lead's Handoff_Sync_Status__c: "${flagged.Handoff_Sync_Status__c}"`);
  expectThat(task.OwnerId === flagged.OwnerId, `the Task is owned by ${task.OwnerId}, not by the Lead's owner ${flagged.OwnerId}`);
  narrator.ok(`a Task for the Lead's owner (${task.OwnerId}): "${task.Subject}" (${task.Status})`);
  narrator.ok(
    `HubSpot unchanged: lifecycle stage "${after.properties.lifecyclestage}", lead status "${after.properties.hs_lead_status}", no rejection reason`,
  );
  narrator.detail('Once the rep picks a reason, the rejection goes through and the Task is completed.');
}
