import { readFileSync } from 'node:fs';
import { MAPPING_FILES, type MappingsBundle, parseMappingFiles } from '../../../src/config/mappings.ts';
import type { HubSpotContact } from '../../../src/core/contact.ts';
import { type MqlDefinition, parseMqlDefinition } from '../../../src/core/definitions/mql-schema.ts';
import { type FieldMapping, parseFieldMapping } from '../../../src/core/field-mapping/field-schema.ts';
import type { Parsed } from '../../../src/core/mappings/problems.ts';
import { parseStatusMap, type StatusMap } from '../../../src/core/status-map/status-schema.ts';

export function parsedValue<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`unexpected problems: ${JSON.stringify(parsed.problems)}`);
  return parsed.value;
}

export const mql = (data: unknown): MqlDefinition => parsedValue(parseMqlDefinition('mql-definition.yaml', data));
export const fieldMapping = (data: unknown): FieldMapping => parsedValue(parseFieldMapping('field-mapping.yaml', data));
export const statusMap = (data: unknown): StatusMap => parsedValue(parseStatusMap('status-map.yaml', data));

export const contact = (properties: Record<string, string | null | undefined>, id = '501'): HubSpotContact => ({ id, properties });

/** A small definition whose numbers are easy to reason about in tests. */
export const baseDefinition = {
  version: 't1',
  fit: [
    { id: 'industry', label: 'Software industry', points: 20, when: { property: 'industry', op: 'eq', value: 'COMPUTER_SOFTWARE' } },
    { id: 'title', label: 'Director title', points: 10, when: { property: 'jobtitle', op: 'matches', value: '\\bdirector\\b' } },
  ],
  behaviour: [
    { id: 'clicks', label: 'E-mail clicks', perUnit: { property: 'email_clicks', points: 2, max: 10 } },
    { id: 'pricing', label: 'Pricing page', points: 15, when: { property: 'pricing_page_views', op: 'gte', value: 1 } },
  ],
  segments: [
    {
      id: 'enterprise',
      label: 'Enterprise',
      when: { property: 'numberofemployees', op: 'gte', value: 1000 },
      threshold: { total: 40, minFit: 20, minBehaviour: 10 },
    },
    { id: 'smb', label: 'SMB', default: true, threshold: { total: 30 } },
  ],
  fastTrack: [{ id: 'demo', label: 'Demo requested', when: { property: 'demo_requested', op: 'isTrue' } }],
  exclusions: [
    { id: 'competitor', label: 'Competitor domain', when: { property: 'email', op: 'emailDomainIn', values: ['rival.example'] } },
    {
      id: 'personal',
      label: 'Personal e-mail domain',
      enabled: false,
      when: { property: 'email', op: 'emailDomainIn', values: ['gmail.com'] },
    },
  ],
};

/** The shipped mapping files (file name → YAML text), every role the bundle knows. */
export function shippedFiles(): Record<string, string> {
  return Object.fromEntries(
    Object.values(MAPPING_FILES).map((name) => [name, readFileSync(new URL(`../../../mappings/${name}`, import.meta.url), 'utf8')]),
  );
}

/** The shipped mappings as the service loads them. */
export const shippedBundle = (): MappingsBundle => parseMappingFiles(shippedFiles());
