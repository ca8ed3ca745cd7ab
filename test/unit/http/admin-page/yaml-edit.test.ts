import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import {
  appendItem,
  appendToList,
  moveItem,
  readValue,
  removeFromList,
  removeItem,
  setValue,
} from '../../../../src/http/admin-page/static/js/yaml-edit.js';

const shipped = (name: string) => readFileSync(new URL(`../../../../mappings/${name}`, import.meta.url), 'utf8');
const mapping = shipped('field-mapping.yaml');
const mql = shipped('mql-definition.yaml');
const comments = (text: string) => text.split('\n').filter((line) => line.trim().startsWith('#') || line.includes(' # '));
const topKeys = (text: string) => Object.keys(parse(text));

describe('form edits to the YAML text', () => {
  it('changes one value and leaves every other byte as it was', () => {
    const edited = setValue(mql, ['segments', 1, 'threshold', 'total'], 40);
    expect(readValue(edited, ['segments', 1, 'threshold'])).toEqual({ total: 40, minFit: 15 });
    expect(edited).toBe(mql.replace('threshold: { total: 50, minFit: 15 }', 'threshold: { total: 40, minFit: 15 }'));
  });

  it('keeps the comments and key order when a mapping row is added, moved and removed', () => {
    const added = appendItem(mapping, ['fields'], {
      hubspot: 'hs_persona',
      salesforce: 'Persona__c',
      direction: 'to_salesforce',
      transforms: ['trim'],
    });
    const rows = readValue(added, ['fields']) as Array<{ hubspot: string }>;
    expect(rows.at(-1)).toEqual({ hubspot: 'hs_persona', salesforce: 'Persona__c', direction: 'to_salesforce', transforms: ['trim'] });
    expect(comments(added)).toEqual(comments(mapping));
    expect(topKeys(added)).toEqual(topKeys(mapping));

    // Row 2 (lastname) moves up with the comment written above it.
    const moved = moveItem(added, ['fields'], 2, -1);
    expect((readValue(moved, ['fields']) as Array<{ hubspot: string }>).slice(0, 3).map((r) => r.hubspot)).toEqual([
      'email',
      'lastname',
      'firstname',
    ]);
    expect(moved).toContain('  # Salesforce requires Lead.LastName and Lead.Company.\n  - hubspot: lastname');
    expect(comments(moved).sort()).toEqual(comments(mapping).sort());

    const removed = removeItem(moveItem(moved, ['fields'], 1, 1), ['fields'], rows.length - 1);
    expect(removed).toBe(mapping);
  });

  it('adds and removes a key in a block map and in a flow map', () => {
    const required = setValue(mapping, ['fields', 4, 'required'], true);
    expect(readValue(required, ['fields', 4])).toEqual({
      hubspot: 'jobtitle',
      salesforce: 'Title',
      direction: 'both',
      required: true,
      transforms: ['trim', { truncate: { max: 128 } }],
    });
    expect(setValue(required, ['fields', 4, 'required'], undefined)).toBe(mapping);

    const withBehaviour = setValue(mql, ['segments', 1, 'threshold', 'minBehaviour'], 5);
    expect(readValue(withBehaviour, ['segments', 1, 'threshold'])).toEqual({ total: 50, minFit: 15, minBehaviour: 5 });
    expect(setValue(withBehaviour, ['segments', 1, 'threshold', 'minBehaviour'], undefined)).toBe(mql);
  });

  it('quotes a text value where YAML would misread it, and keeps a quoted value quoted', () => {
    const edited = setValue(mapping, ['fields', 1, 'transforms', 1, 'truncate', 'max'], 'a, b');
    expect(readValue(edited, ['fields', 1, 'transforms', 1, 'truncate', 'max'])).toBe('a, b');
    const version = setValue(mql, ['version'], '2025.2');
    expect(version).toContain('version: "2025.2"\n');
  });

  it('adds and removes transforms in a flow list, a block list and a missing one', () => {
    const flow = appendToList(mapping, ['fields', 0, 'transforms'], 'upper');
    expect(flow).toBe(mapping.replace('transforms: [trim, lower]', 'transforms: [trim, lower, upper]'));
    expect(removeFromList(flow, ['fields', 0, 'transforms'], 2)).toBe(mapping);

    const industry = ['fields', 7, 'transforms'];
    expect(readValue(mapping, ['fields', 7, 'hubspot'])).toBe('company.industry');
    const block = appendToList(mapping, industry, 'trim');
    expect(readValue(block, industry)).toEqual([expect.objectContaining({ picklist: expect.anything() }), 'trim']);
    expect(removeFromList(block, industry, 1)).toBe(mapping);

    const created = appendToList(mapping, ['fields', 0, 'reverseTransforms'], 'lower');
    expect(readValue(created, ['fields', 0, 'reverseTransforms'])).toEqual(['lower']);
    expect(removeFromList(created, ['fields', 0, 'reverseTransforms'], 0)).toBe(mapping);
  });

  it('refuses YAML that does not parse rather than guess', () => {
    expect(() => setValue('a: [1, 2\n', ['a', 0], 3)).toThrow('does not parse');
  });
});
