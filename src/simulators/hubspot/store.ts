import { HUBSPOT_LIMITS } from '../../adapters/hubspot/limits.ts';
import { builtinProperties, type PropertyDefinition, READ_ONLY_PROPERTIES } from './properties.ts';
import { type ChangeOrigin, type ContactChange, type SimContact, SimHttpError } from './types.ts';
import { validateValues } from './validate.ts';

const STAGES: readonly string[] = HUBSPOT_LIMITS.lifecycleStages;
const FIRST_CONTACT_ID = 101;

export interface WriteRules {
  /** API writes obey HubSpot's forward-only lifecycle rule; UI-like control writes do not. */
  forwardOnlyLifecycle: boolean;
}

/** One update call for a contact: who made it and the values sent (changed or not). */
export interface ContactWrite {
  at: number;
  changeSource: string;
  properties: Record<string, string>;
}

/** In-memory CRM: contacts and property definitions, with HubSpot's write rules. */
export class ContactStore {
  private contacts = new Map<string, SimContact>();
  private definitions = new Map<string, PropertyDefinition>();
  private nextId = FIRST_CONTACT_ID;
  /** Every update call per contact, so a test can count writes to one record (an unchanged value is still a write). */
  private writeLog = new Map<string, ContactWrite[]>();
  private readonly now: () => number;
  private readonly onChange: (change: ContactChange) => void;

  constructor(now: () => number, onChange: (change: ContactChange) => void) {
    this.now = now;
    this.onChange = onChange;
    this.reset();
  }

  reset(): void {
    this.contacts.clear();
    this.writeLog.clear();
    this.definitions = new Map(builtinProperties().map((definition) => [definition.name, definition]));
    this.nextId = FIRST_CONTACT_ID;
  }

  get(id: string): SimContact | undefined {
    const contact = this.contacts.get(id);
    return contact ? { ...contact, properties: { ...contact.properties } } : undefined;
  }

  /**
   * Up to `limit` contacts from id `fromId` on, in id order, and whether more follow: the list endpoint's page,
   * without copying the whole portal per page (ids only grow, so the map's insertion order is id order).
   */
  pageFrom(fromId: number, limit: number): { page: SimContact[]; next: SimContact | undefined } {
    const page: SimContact[] = [];
    for (const contact of this.contacts.values()) {
      if (Number(contact.id) < fromId) continue;
      if (page.length === limit) return { page, next: this.get(contact.id) };
      page.push(this.get(contact.id)!);
    }
    return { page, next: undefined };
  }

  /** Every contact as stored, not copied: for read-only scans (search) that copy only what they answer. */
  scan(): IterableIterator<Readonly<SimContact>> {
    return this.contacts.values();
  }

  all(): SimContact[] {
    return [...this.contacts.keys()].map((id) => this.get(id)!);
  }

  writesOf(id: string): ContactWrite[] {
    return (this.writeLog.get(id) ?? []).map((write) => ({ ...write, properties: { ...write.properties } }));
  }

  definition(name: string): PropertyDefinition | undefined {
    return this.definitions.get(name);
  }

  listDefinitions(): PropertyDefinition[] {
    return [...this.definitions.values()];
  }

  defineProperty(definition: PropertyDefinition): PropertyDefinition {
    if (this.definitions.has(definition.name)) {
      throw new SimHttpError(409, 'OBJECT_ALREADY_EXISTS', `A property named '${definition.name}' already exists.`);
    }
    const stored = { ...definition, hubspotDefined: false, createdAt: new Date(this.now()).toISOString() };
    this.definitions.set(definition.name, stored);
    return stored;
  }

  /** A partial update, as PATCH /crm/v3/properties/contacts/{name} does: given fields replace (options as a whole list). */
  updateProperty(
    name: string,
    changes: Partial<Pick<PropertyDefinition, 'label' | 'description' | 'groupName' | 'options'>>,
  ): PropertyDefinition {
    const definition = this.definitions.get(name);
    if (!definition) throw new SimHttpError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${name}`);
    if (definition.modificationMetadata?.readOnlyDefinition) {
      throw new SimHttpError(400, 'VALIDATION_ERROR', `The definition of ${name} is read-only.`);
    }
    const updated = { ...definition, ...changes };
    this.definitions.set(name, updated);
    return updated;
  }

  create(properties: Record<string, unknown>, origin: ChangeOrigin): SimContact {
    const values = this.validate(properties);
    const email = values.email?.toLowerCase();
    if (email) {
      // Scans the stored records without copying them: large seeded portals (benchmarks) stay linear per create.
      const existing = [...this.contacts.values()].find((contact) => contact.properties.email?.toLowerCase() === email);
      if (existing) throw new SimHttpError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    }
    const id = String(this.nextId++);
    const at = this.now();
    const stamp = new Date(at).toISOString();
    const contact: SimContact = {
      id,
      properties: { hs_object_id: id, createdate: stamp, lastmodifieddate: stamp },
      createdAt: stamp,
      updatedAt: stamp,
    };
    for (const [name, value] of Object.entries(values)) if (value !== '') contact.properties[name] = value;
    this.contacts.set(id, contact);
    this.onChange({ kind: 'creation', objectId: id, origin, occurredAt: at });
    for (const [name, value] of Object.entries(values)) {
      if (value !== '')
        this.onChange({ kind: 'propertyChange', objectId: id, propertyName: name, propertyValue: value, origin, occurredAt: at });
    }
    return this.get(id)!;
  }

  /**
   * HubSpot itself sets a property it maintains (`associatedcompanyid` when the primary company changes). No
   * webhook is simulated for it: Handoff subscribes to the properties its definitions read, not to this one.
   */
  setMaintained(id: string, name: string, value: string): void {
    const contact = this.contacts.get(id);
    if (!contact || contact.properties[name] === value) return;
    contact.properties[name] = value;
    contact.updatedAt = new Date(this.now()).toISOString();
    contact.properties.lastmodifieddate = contact.updatedAt;
  }

  /** Applies a write; answers undefined for an unknown id. Values equal to the current one change nothing. */
  update(id: string, properties: Record<string, unknown>, origin: ChangeOrigin, rules: WriteRules): SimContact | undefined {
    const contact = this.contacts.get(id);
    if (!contact) return undefined;
    const values = this.validate(properties);
    const at = this.now();
    const writes = this.writeLog.get(id) ?? [];
    writes.push({ at, changeSource: origin.changeSource, properties: { ...values } });
    this.writeLog.set(id, writes);
    let changed = false;
    for (const [name, value] of Object.entries(values)) {
      const current = contact.properties[name] ?? '';
      if (value === current) continue;
      if (name === 'lifecyclestage' && rules.forwardOnlyLifecycle && isBackward(current, value)) continue;
      if (value === '') delete contact.properties[name];
      else contact.properties[name] = value;
      changed = true;
      this.onChange({ kind: 'propertyChange', objectId: id, propertyName: name, propertyValue: value, origin, occurredAt: at });
    }
    if (changed) {
      contact.updatedAt = new Date(at).toISOString();
      contact.properties.lastmodifieddate = contact.updatedAt;
    }
    return this.get(id);
  }

  /**
   * Deletes a contact; false for an unknown id. HubSpot sends contact.deletion, and for a GDPR delete (permanent,
   * "Permanently delete a contact (GDPR-compliant)", POST /crm/v3/objects/contacts/gdpr-delete) contact.privacyDeletion
   * as well (changelog "Webhooks now support privacy-compliant contact deletions": both notifications arrive).
   * A GDPR delete also forgets the contact's write log: nothing about the person stays.
   */
  remove(id: string, origin: ChangeOrigin, options: { privacy: boolean }): boolean {
    if (!this.contacts.delete(id)) return false;
    const at = this.now();
    if (options.privacy) this.writeLog.delete(id);
    this.onChange({ kind: 'deletion', objectId: id, origin, occurredAt: at });
    if (options.privacy) this.onChange({ kind: 'privacyDeletion', objectId: id, origin, occurredAt: at });
    return true;
  }

  /** Known and writable contact properties with valid options, or a 400 as HubSpot answers (see validateValues). */
  validate(properties: Record<string, unknown>): Record<string, string> {
    return validateValues(this.definitions, READ_ONLY_PROPERTIES, properties);
  }
}

/** HubSpot moves lifecycle stages forward only; an earlier stage is ignored unless cleared first. */
function isBackward(current: string, next: string): boolean {
  if (current === '' || next === '') return false;
  const from = STAGES.indexOf(current);
  const to = STAGES.indexOf(next);
  return from >= 0 && to >= 0 && to < from;
}
