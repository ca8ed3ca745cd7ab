/**
 * The load a crash run sends: contacts of three kinds, each created and then changed a few times, the
 * actions of all contacts interleaved at random (each contact's own actions stay in order).
 *  - qualifying: a demo request (the fast track) from the start: exactly one Lead once any event is accepted;
 *  - not_qualifying: no points, no fast track: never a Lead;
 *  - upgraded: created not qualifying, then a demo request arrives as a property change: one Lead once that
 *    change (or a later one) is accepted.
 * Every contact's job title changes 0–2 times; the Lead must end with the last title.
 */
export type ContactKind = 'qualifying' | 'not_qualifying' | 'upgraded';

export interface PlannedContact {
  index: number;
  kind: ContactKind;
  email: string;
  /** The HubSpot id, once the contact has been created in the simulator. */
  id?: string;
  jobtitle: string;
}

export type Action =
  | { type: 'create'; contact: PlannedContact; properties: Record<string, string> }
  | { type: 'change'; contact: PlannedContact; property: string; value: string };

/** A small seeded generator (mulberry32), so a run's load can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function kindOf(random: () => number): ContactKind {
  const roll = random();
  return roll < 0.5 ? 'qualifying' : roll < 0.8 ? 'not_qualifying' : 'upgraded';
}

function contactActions(contact: PlannedContact, random: () => number): Action[] {
  const role = contact.kind === 'qualifying' ? 'Engineer' : 'Analyst';
  const properties: Record<string, string> = {
    email: contact.email,
    firstname: 'Crash',
    lastname: `Tester ${contact.index}`,
    company: `Crash Co ${contact.index}`,
    jobtitle: `${role} v0`,
    ...(contact.kind === 'qualifying' ? { demo_requested: 'true' } : {}),
  };
  const actions: Action[] = [{ type: 'create', contact, properties }];
  const titleChanges = Math.floor(random() * 3);
  for (let version = 1; version <= titleChanges; version += 1) {
    actions.push({ type: 'change', contact, property: 'jobtitle', value: `${role} v${version}` });
  }
  if (contact.kind === 'upgraded') {
    // The demo request lands somewhere after creation, before or between the title changes.
    const at = 1 + Math.floor(random() * actions.length);
    actions.splice(at, 0, { type: 'change', contact, property: 'demo_requested', value: 'true' });
  }
  return actions;
}

/** Every contact's actions, interleaved: each action gets a random moment, a contact's moments ascending. */
export function planLoad(contacts: number, random: () => number, runId: string): { contacts: PlannedContact[]; actions: Action[] } {
  const planned: PlannedContact[] = [];
  const timed: { at: number; action: Action }[] = [];
  for (let index = 0; index < contacts; index += 1) {
    const contact: PlannedContact = { index, kind: kindOf(random), email: `c${index}-${runId}@crash.example`, jobtitle: '' };
    planned.push(contact);
    const actions = contactActions(contact, random);
    const moments = actions.map(() => random()).sort((a, b) => a - b);
    actions.forEach((action, i) => {
      timed.push({ at: moments[i]!, action });
    });
  }
  timed.sort((a, b) => a.at - b.at);
  return { contacts: planned, actions: timed.map((entry) => entry.action) };
}

/** Cuts the action stream into webhook batches of 1..maxBatch actions (HubSpot batches up to 100 events). */
export function batchesOf(actions: Action[], maxBatch: number, random: () => number): Action[][] {
  const batches: Action[][] = [];
  for (let start = 0; start < actions.length; ) {
    const size = 1 + Math.floor(random() * maxBatch);
    batches.push(actions.slice(start, start + size));
    start += size;
  }
  return batches;
}
