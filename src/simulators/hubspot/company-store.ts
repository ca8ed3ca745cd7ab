import { HUBSPOT_LIMITS } from '../../adapters/hubspot/limits.ts';
import { builtinCompanyProperties, type PropertyDefinition, READ_ONLY_COMPANY_PROPERTIES } from './properties.ts';
import { type SimContact, SimHttpError } from './types.ts';
import { validateValues } from './validate.ts';

/** A company record; the same shape as a contact's. */
export type SimCompany = SimContact;

/**
 * Contact → company association types HubSpot defines (associations v4 guide, "association type id values"):
 * 1 is the contact's primary company, 279 the unlabeled contact-to-company association. Integrations go by
 * the typeId; labels are display text and have changed before (developer changelog, "Changes to primary labels
 * for HubSpot-defined association labels").
 */
export const CONTACT_TO_COMPANY = {
  primary: { category: 'HUBSPOT_DEFINED', typeId: HUBSPOT_LIMITS.contactToCompanyTypeIds.primary, label: 'Primary' },
  unlabeled: { category: 'HUBSPOT_DEFINED', typeId: HUBSPOT_LIMITS.contactToCompanyTypeIds.unlabeled, label: null },
} as const;

export interface ContactCompanyLink {
  companyId: string;
  primary: boolean;
}

const FIRST_COMPANY_ID = 5001;

/** In-memory companies, their property definitions and contact–company associations. */
export class CompanyStore {
  private companies = new Map<string, SimCompany>();
  private definitions = new Map<string, PropertyDefinition>();
  private links = new Map<string, ContactCompanyLink[]>();
  private nextId = FIRST_COMPANY_ID;
  private readonly now: () => number;

  /** Told when a contact's primary company changes: HubSpot mirrors it in the contact's `associatedcompanyid`. */
  private readonly onPrimary: (contactId: string, companyId: string) => void;

  constructor(now: () => number, onPrimary: (contactId: string, companyId: string) => void = () => {}) {
    this.now = now;
    this.onPrimary = onPrimary;
    this.reset();
  }

  reset(): void {
    this.companies.clear();
    this.links.clear();
    this.definitions = new Map(builtinCompanyProperties().map((definition) => [definition.name, definition]));
    this.nextId = FIRST_COMPANY_ID;
  }

  get(id: string): SimCompany | undefined {
    const company = this.companies.get(id);
    return company ? { ...company, properties: { ...company.properties } } : undefined;
  }

  create(properties: Record<string, unknown>): SimCompany {
    const values = validateValues(this.definitions, READ_ONLY_COMPANY_PROPERTIES, properties);
    const id = String(this.nextId++);
    const stamp = new Date(this.now()).toISOString();
    const company: SimCompany = {
      id,
      properties: { hs_object_id: id, createdate: stamp, hs_lastmodifieddate: stamp },
      createdAt: stamp,
      updatedAt: stamp,
    };
    for (const [name, value] of Object.entries(values)) if (value !== '') company.properties[name] = value;
    this.companies.set(id, company);
    return this.get(id)!;
  }

  /** Associates a contact with a company; as primary, it replaces the contact's earlier primary (one per contact). */
  associate(contactId: string, companyId: string, primary: boolean): void {
    if (!this.companies.has(companyId)) throw new SimHttpError(404, 'OBJECT_NOT_FOUND', `No company ${companyId}`);
    const links = (this.links.get(contactId) ?? []).filter((link) => link.companyId !== companyId);
    const kept = primary ? links.map((link) => ({ ...link, primary: false })) : links;
    this.links.set(contactId, [...kept, { companyId, primary }]);
    if (primary) this.onPrimary(contactId, companyId);
  }

  linksOf(contactId: string): ContactCompanyLink[] {
    return (this.links.get(contactId) ?? []).map((link) => ({ ...link }));
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
    const stored = { ...definition, groupName: definition.groupName, hubspotDefined: false, createdAt: new Date(this.now()).toISOString() };
    this.definitions.set(definition.name, stored);
    return stored;
  }

  updateProperty(
    name: string,
    changes: Partial<Pick<PropertyDefinition, 'label' | 'description' | 'groupName' | 'options'>>,
  ): PropertyDefinition {
    const definition = this.definitions.get(name);
    if (!definition) throw new SimHttpError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${name}`);
    if (definition.modificationMetadata?.readOnlyDefinition)
      throw new SimHttpError(400, 'VALIDATION_ERROR', `The definition of ${name} is read-only.`);
    const updated = { ...definition, ...changes };
    this.definitions.set(name, updated);
    return updated;
  }
}
