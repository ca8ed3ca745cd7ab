import { LineCounter, parseDocument } from 'yaml';
import type { HubSpotContact } from '../../core/contact.ts';
import { type MqlDefinition, parseMqlDefinition } from '../../core/definitions/mql-schema.ts';
import { qualifyMql, requiredProperties } from '../../core/definitions/qualify-mql.ts';
import { MAPPING_FILES } from '../../core/mappings/bundle.ts';
import { type ContactReader, readContactsWithCompanies } from '../../jobs/handoff/read-contacts.ts';
import { hash7 } from '../mappings.ts';
import type { ConfigProblem, MqlPreview, MqlPreviewContact, MqlPreviewInput } from './config-versions-port.ts';
import { withLines } from './files.ts';

const MQL_FILE = MAPPING_FILES.mql;
/** As the mappings loader reads YAML: an alias expansion past this is a problem, not a 500. */
const MAX_ALIAS_COUNT = 100;

/**
 * Scores contacts under a draft's MQL definition with core's qualifyMql, the function the handoff uses, so the
 * preview and the handoff agree. Problems in the file are returned (no results then), never thrown; writes nothing.
 */
export async function previewMql(input: MqlPreviewInput, deps: { hubspot: ContactReader }): Promise<MqlPreview> {
  const parsed = parseMqlDraft(input.files);
  if (!parsed.ok) return { results: [], problems: parsed.problems };
  const pasted = input.contacts.map((c, i): HubSpotContact => ({ id: c.id ?? `sample-${i + 1}`, properties: { ...c.properties } }));
  const read = await readHubSpotContacts(input.hubspotIds, parsed.definition, deps.hubspot);
  const results = [...pasted, ...read.contacts].map((contact) => previewOne(contact, parsed.definition));
  return { results, problems: read.problems };
}

/** The MQL definition of a draft, as the mappings loader builds it (version stamped with the text's hash). */
export function parseMqlDraft(
  files: Record<string, string>,
): { ok: true; definition: MqlDefinition } | { ok: false; problems: ConfigProblem[] } {
  const text = files[MQL_FILE];
  if (text === undefined) return { ok: false, problems: [schemaProblem('', 'file is missing')] };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const syntax = doc.errors[0];
  if (syntax) {
    const message = `YAML syntax: ${syntax.message.split('\n')[0] ?? ''}`;
    return { ok: false, problems: [{ ...schemaProblem('', message), line: lines.linePos(syntax.pos[0]).line }] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return { ok: false, problems: [schemaProblem('', `YAML could not be read: ${(error as Error).message.split('\n')[0] ?? ''}`)] };
  }
  const result = parseMqlDefinition(MQL_FILE, data);
  if (!result.ok) {
    const problems = result.problems.map((p): ConfigProblem => ({ ...p, source: 'schema' }));
    return { ok: false, problems: withLines(problems, files) };
  }
  return { ok: true, definition: { ...result.value, version: `${result.value.version}@${hash7(text)}` } };
}

async function readHubSpotContacts(
  ids: string[],
  definition: MqlDefinition,
  hubspot: ContactReader,
): Promise<{ contacts: HubSpotContact[]; problems: ConfigProblem[] }> {
  if (ids.length === 0) return { contacts: [], problems: [] };
  const read = await readContactsWithCompanies(hubspot, [...new Set(ids)], requiredProperties(definition));
  const byId = new Map(read.contacts.map((contact) => [contact.id, contact]));
  const contacts: HubSpotContact[] = [];
  const problems: ConfigProblem[] = [];
  ids.forEach((id, i) => {
    const contact = byId.get(id);
    if (contact) contacts.push(contact);
    else problems.push({ file: '', path: `hubspotIds[${i}]`, message: `HubSpot has no contact ${id}`, source: 'hubspot' });
  });
  return { contacts, problems };
}

function previewOne(contact: HubSpotContact, definition: MqlDefinition): MqlPreviewContact {
  const result = qualifyMql(contact, definition);
  return {
    id: contact.id,
    qualified: result.qualified,
    score: result.score,
    segment: result.segment.id,
    threshold: result.threshold.total,
    fastTrack: result.fastTrack?.id ?? null,
    excluded: result.excludedBy?.id ?? null,
    breakdown: result.breakdown.map((line) => ({
      rule: line.ruleId,
      label: line.label,
      category: line.category,
      points: line.points,
      ...(line.detail ? { detail: line.detail } : {}),
    })),
    reasons: result.reasons,
  };
}

function schemaProblem(path: string, message: string): ConfigProblem {
  return { file: MQL_FILE, path, message, source: 'schema' };
}
