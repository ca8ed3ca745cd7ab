/** The describe-level shape of one simulated field, and the helpers the object definitions use to build them. */

export type FieldType =
  | 'id'
  | 'string'
  | 'email'
  | 'phone'
  | 'url'
  | 'textarea'
  | 'picklist'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'int'
  | 'datetime'
  | 'date'
  | 'reference';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  required?: boolean;
  createable: boolean;
  updateable: boolean;
  externalId?: boolean;
  unique?: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  defaultValue?: unknown;
  custom?: boolean;
  referenceTo?: string[];
  /** Number fields: total digits and digits after the point (Number(5,0) is precision 5, scale 0). */
  precision?: number;
  scale?: number;
}

export interface ObjectDef {
  name: string;
  label: string;
  keyPrefix: string;
  fields: FieldDef[];
}

export const rw = { createable: true, updateable: true };
export const ro = { createable: false, updateable: false };

/** A read/write field labelled after its name unless `extra` says otherwise. */
export function f(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return { name, label: name.replace(/__c$/, '').replace(/_/g, ' '), type, ...rw, ...extra };
}

/** Options to describe the org's custom fields; defaults are Handoff's own fields on Lead. */
export interface CustomFieldOption {
  object: string;
  name: string;
  label?: string;
  type: FieldType;
  length?: number;
  externalId?: boolean;
  unique?: boolean;
  picklistValues?: string[];
  restrictedPicklist?: boolean;
  precision?: number;
  scale?: number;
  defaultValue?: unknown;
}
