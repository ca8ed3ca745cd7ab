import type { HubSpotContact, HubSpotProperties } from '../contact.ts';
import type { MqlDefinition } from '../definitions/mql-schema.ts';
import { type BreakdownLine, type MqlResult, requiredProperties } from '../definitions/qualify-mql.ts';

/**
 * What one MQL evaluation leaves behind so it can be replayed under another definition (issue 18, calibration):
 * the verdict, and the property values the definition READ — only those. An e-mail address never goes further
 * than its domain: a value that is one address is kept as its domain alone (`emailDomains`, keyed by property),
 * and an address inside a longer value, or inside a breakdown line, loses its local part (`jane@acme.com` →
 * `@acme.com`).
 */
export interface MqlEvaluationRecord {
  contactId: string;
  evaluatedAt: Date;
  definitionVersion: string;
  segmentId: string;
  score: number;
  qualified: boolean;
  /** The fast track that qualified the contact (its rule id), if one did. */
  fastTrack: string | null;
  /** As qualifyMql returns it, with e-mail local parts removed from the details. */
  breakdown: BreakdownLine[];
  /** hs_analytics_source, as the KPIs cut by it. */
  source: string | null;
  /** Every property the definition reads, e-mail addresses excepted; null when the contact had no value. */
  values: Record<string, string | null>;
  /** Properties whose value was one e-mail address: its domain only, lower-case. */
  emailDomains: Record<string, string>;
}

/** The properties a definition reads (rules, segments, fast tracks, exclusions): what an evaluation keeps. */
export function propertiesRead(definition: MqlDefinition): string[] {
  return requiredProperties(definition);
}

/** The record of one evaluation: `result` is qualifyMql's answer for `contact` under `definition`. */
export function mqlEvaluationRecord(contact: HubSpotContact, result: MqlResult, definition: MqlDefinition, at: Date): MqlEvaluationRecord {
  return {
    contactId: contact.id,
    evaluatedAt: at,
    definitionVersion: result.version,
    segmentId: result.segment.id,
    score: result.score,
    qualified: result.qualified,
    fastTrack: result.fastTrack?.id ?? null,
    breakdown: result.breakdown.map((line) => ({ ...line, detail: withoutEmailLocalParts(line.detail) })),
    source: contact.properties.hs_analytics_source?.trim() || null,
    ...readValues(definition, contact.properties),
  };
}

/** The values `definition` reads from `properties`, split into plain values and e-mail domains. */
export function readValues(definition: MqlDefinition, properties: HubSpotProperties): Pick<MqlEvaluationRecord, 'values' | 'emailDomains'> {
  const values: Record<string, string | null> = {};
  const emailDomains: Record<string, string> = {};
  for (const property of propertiesRead(definition)) {
    const raw = properties[property];
    const domain = raw === null || raw === undefined ? undefined : addressDomain(raw);
    if (domain !== undefined) emailDomains[property] = domain;
    else values[property] = raw === null || raw === undefined || raw.trim() === '' ? null : withoutEmailLocalParts(raw);
  }
  return { values, emailDomains };
}

/**
 * The properties to replay a stored evaluation with: its values, and each stored domain as `@domain` (which
 * `emailDomainIn`, `exists` and `isEmpty` judge as they judged the address; other operators see only the domain).
 */
export function replayProperties(stored: Pick<MqlEvaluationRecord, 'values' | 'emailDomains'>): HubSpotProperties {
  const properties: HubSpotProperties = { ...stored.values };
  for (const [property, domain] of Object.entries(stored.emailDomains)) properties[property] = `@${domain}`;
  return properties;
}

/** The domain when the whole value is one e-mail address (no space, something after the last '@'). */
function addressDomain(raw: string): string | undefined {
  const value = raw.trim();
  const at = value.lastIndexOf('@');
  if (at < 0 || at === value.length - 1 || /\s/.test(value)) return undefined;
  return value.slice(at + 1).toLowerCase();
}

/** Characters that end the local part of an address when read backwards from its '@'. */
const LOCAL_PART_STOP = new Set([' ', '\t', '\n', '\r', '<', '>', '(', ')', '[', ']', ',', ';', ':', '"', "'", '=', '@']);

/**
 * Drops the local part of every e-mail address in the text, keeping '@' and the domain. One pass, linear in the
 * text (a pattern that backtracks would be quadratic on a long value without a stop character).
 */
export function withoutEmailLocalParts(text: string): string {
  if (!text.includes('@')) return text;
  const out: string[] = [];
  let localStart = 0;
  for (const char of text) {
    if (char === '@') out.length = localStart;
    out.push(char);
    if (LOCAL_PART_STOP.has(char)) localStart = out.length;
  }
  return out.join('');
}
