import { parseDocument } from 'yaml';
import { displayName, firstName, ROUND_ROBIN_CONTACT } from './contacts.ts';
import type { DemoContext } from './context.ts';
import type { PoolList, SimLead, SimUser } from './sandbox-clients.ts';
import { ownerHears, tellHeard } from './steps-routing.ts';
import { DemoStepFailed, expectThat, waitFor } from './wait.ts';

const POOL = { id: 'sandbox-reps', label: 'Sandbox reps' } as const;
const RULE = { id: 'inbound-round-robin', label: 'Inbound round robin', strategy: 'pool', pool: POOL.id } as const;

/**
 * Step: an admin adds a round-robin pool of the sandbox reps to routing.yaml through the admin API (draft, validate,
 * publish, as the admin page does), GET /api/routing/pools says who is next, and one more contact is dealt to them.
 */
export async function adminAddsRoundRobin(ctx: DemoContext): Promise<void> {
  const { narrator, admin } = ctx;
  const users = await ctx.salesforce.users();
  // The reps: active users with a manager (the sandbox's manager, the integration user and a leaver are not dealt Leads).
  const reps = users.filter((u) => u.IsActive !== false && u.ManagerId);
  expectThat(reps.length > 1, `the sandbox org has ${reps.length} active reps; a round robin needs at least two`);
  narrator.say(
    `An admin adds a pool "${POOL.label}" of the ${reps.length} reps to routing.yaml, and a rule dealing every Lead no Account claims to it,`,
  );
  narrator.say('through the admin API, as the admin page does:');
  const active = await admin.activeConfig();
  const routingYaml = active.files['routing.yaml'];
  if (!routingYaml) throw new DemoStepFailed(`the active configuration version ${active.id} has no routing.yaml`);
  const files = { ...active.files, 'routing.yaml': withPool(routingYaml, reps) };
  const draft = await admin.createDraft(files, `Round robin among the ${reps.length} sandbox reps (demo)`, active.id);
  const report = await admin.validate(draft.id);
  expectThat(
    report.ok,
    `draft ${draft.id} does not validate: ${report.problems.map((p) => `${p.file} ${p.path}: ${p.message}`).join('; ')}`,
  );
  await admin.publish(draft.id);
  narrator.ok(
    `draft ${draft.id} saved, validated and published (POST /api/config/versions, …/${draft.id}/validate, …/${draft.id}/publish)`,
  );
  // Every replica checks the active version every 2 s; the pool is there once this one has loaded it.
  const before = await waitFor(
    `the pool "${POOL.id}" in GET /api/routing/pools`,
    async () => {
      const list = await admin.pools();
      return list.pools.some((p) => p.id === POOL.id && p.next) ? list : undefined;
    },
    ctx.waits.handoffMs,
  );
  const next = tellPool(ctx, before);
  const p = await newContact(ctx);
  const heard = await narrator.waiting(
    () => `waiting for ${firstName(p.contact)}'s Lead and its owner's messages`,
    ownerHears(ctx, p, users),
  );
  tellHeard(ctx, heard);
  expectThat(
    heard.owner.Id === next.userId,
    `GET /api/routing/pools said ${next.member} was next, but ${firstName(p.contact)}'s Lead went to ${heard.owner.Name}`,
  );
  expectThat(
    heard.assignment.strategy === 'pool',
    `${firstName(p.contact)}'s Lead was routed by "${heard.assignment.strategy}", not by the pool`,
  );
  const after = await admin.pools();
  const upNext = after.pools.find((pool) => pool.id === POOL.id)?.next;
  expectThat(upNext !== undefined && upNext?.userId !== next.userId, `the pool's next member is still ${next.member} after dealing a Lead`);
  narrator.ok(`GET /api/routing/pools: next is now ${nameOf(after, upNext?.member)}`);
}

/** routing.yaml with the pool and its rule after the existing-account rule; comments and the rest kept. */
function withPool(text: string, reps: SimUser[]): string {
  const doc = parseDocument(text);
  doc.set('version', `${String(doc.get('version'))}-demo-round-robin`);
  doc.set('pools', [{ id: POOL.id, label: POOL.label, members: reps.map((rep) => ({ user: rep.Email })) }]);
  doc.addIn(['rules'], { ...RULE });
  return doc.toString();
}

function nameOf(list: PoolList, member: string | undefined): string {
  const pool = list.pools.find((p) => p.id === POOL.id);
  return pool?.members.find((m) => m.user === member)?.name ?? member ?? 'nobody';
}

function tellPool(ctx: DemoContext, list: PoolList): { member: string; userId: string } {
  const pool = list.pools.find((p) => p.id === POOL.id);
  if (!pool?.next) throw new DemoStepFailed(`GET /api/routing/pools shows no next member for "${POOL.id}"`);
  const names = pool.members.map((m) => `${m.name ?? m.user} (${m.assignedToday} today)`).join(', ');
  ctx.narrator.ok(`GET /api/routing/pools (routing ${list.routingVersion}): "${pool.label}": ${names}`);
  ctx.narrator.ok(`next: ${nameOf(list, pool.next.member)}`);
  return pool.next;
}

/** One more marketer's contact; waits for its Lead, which the pool deals. */
async function newContact(ctx: DemoContext) {
  const contact = ROUND_ROBIN_CONTACT;
  const company = await ctx.hubspot.createCompany(contact.company);
  const created = await ctx.hubspot.createContact(contact.properties, company.id);
  ctx.narrator.ok(`contact ${created.id}: ${displayName(contact)}, ${contact.intro}`);
  const lead = await waitFor(
    `${firstName(contact)}'s Lead in Salesforce`,
    async () => (await ctx.salesforce.leads()).find((l: SimLead) => l.Handoff_HubSpot_Id__c === created.id),
    ctx.waits.handoffMs,
  );
  const p = { contact, contactId: created.id, createdAt: new Date(created.createdAt), lead };
  ctx.people.set(contact.role, p);
  return p;
}
