import type { HubSpotContact } from '../../core/contact.ts';
import { storableProperties } from '../../core/storable-text.ts';

/** A contact as the v14 client returns it from batch reads, search and the list endpoint (dates parsed). */
export interface SdkContactRecord {
  id: string;
  properties: Record<string, string | null>;
  updatedAt?: Date;
}

export function toContact(record: SdkContactRecord): HubSpotContact {
  const contact: HubSpotContact = { id: String(record.id), properties: storableProperties(record.properties ?? {}) };
  if (record.updatedAt instanceof Date && !Number.isNaN(record.updatedAt.getTime())) contact.updatedAt = record.updatedAt.toISOString();
  return contact;
}
