import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { parseRejectionTaxonomy } from '../../../../src/core/sales/rejection-schema.ts';
import {
  addReason,
  newCodeProblem,
  newReasonProblem,
  readAfterWriteChange,
  splitStatuses,
} from '../../../../src/http/admin-page/static/js/form-values.js';
import { moveItem, readValue, setValue } from '../../../../src/http/admin-page/static/js/yaml-edit.js';

const reasonsFile = readFileSync(new URL('../../../../mappings/rejection-reasons.yaml', import.meta.url), 'utf8');
const comments = (text: string) => text.split('\n').filter((line) => line.trim().startsWith('#'));
const codes = ['bad_fit', 'no_budget'];

describe('a new rejection reason', () => {
  it.each([
    ['wrong_region', undefined],
    ['Wrong_Region', 'snake_case'],
    ['1st_try', 'snake_case'],
    ['wrong region', 'snake_case'],
    ['', 'snake_case'],
    ['no_budget', 'already exists'],
  ])('code %j: %s', (code, problem) => {
    const found = newCodeProblem(code, codes);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('needs a label and a nurture list', () => {
    const reason = { code: 'wrong_region', label: 'Wrong region', lifecycle: 'hold' as const, nurtureList: 'Nurture – Region' };
    expect(newReasonProblem(reason, codes)).toBeUndefined();
    expect(newReasonProblem({ ...reason, label: '  ' }, codes)).toContain('label');
    expect(newReasonProblem({ ...reason, nurtureList: '' }, codes)).toContain('list');
    expect(newReasonProblem({ ...reason, code: 'bad_fit' }, codes)).toContain('already exists');
  });

  it('is appended in the file’s shape, keeping every comment, and the result passes the schema', () => {
    const added = addReason(reasonsFile, {
      code: 'wrong_region',
      label: ' Wrong region ',
      lifecycle: 'hold',
      nurtureList: 'Nurture – Region',
    });
    expect(added).toBe(
      `${reasonsFile}  - code: wrong_region\n    label: Wrong region\n    feedback: { lifecycle: hold, nurtureList: Nurture – Region }\n`,
    );
    expect(comments(added)).toEqual(comments(reasonsFile));
    expect(parseRejectionTaxonomy('rejection-reasons.yaml', parse(added)).ok).toBe(true);
  });

  it('edits in place: a label, a note switch and the recycle days, and a move keeps the comment with its reason', () => {
    let text = setValue(reasonsFile, ['reasons', 0, 'label'], 'Bad fit: outside our ICP');
    text = setValue(text, ['reasons', 1, 'requiresNote'], true);
    text = setValue(text, ['reasons', 1, 'feedback', 'recycleAfterDays'], undefined);
    expect(readValue(text, ['reasons', 0, 'label'])).toBe('Bad fit: outside our ICP');
    expect(readValue(text, ['reasons', 1])).toEqual({
      code: 'no_budget',
      label: 'No budget',
      feedback: { lifecycle: 'recycle', nurtureList: 'Nurture – No budget' },
      requiresNote: true,
    });
    const moved = moveItem(text, ['reasons'], 5, -1);
    expect(moved).toContain("  # Keep N in the label in step with your sales team's contact cadence.\n  - code: unresponsive");
    expect(comments(moved)).toEqual(comments(reasonsFile));
    expect(parseRejectionTaxonomy('rejection-reasons.yaml', parse(moved)).ok).toBe(true);
  });
});

describe('the status map’s Salesforce statuses', () => {
  it('splits the read-back input, dropping blanks and repeats', () => {
    expect(splitStatuses(' Accepted,  Working - Contacted ,, accepted ')).toEqual(['Accepted', 'Working - Contacted']);
    expect(splitStatuses(' , ')).toEqual([]);
  });

  it.each([
    [['Accepted', 'Working - Contacted'], 'Accepted', 'Taken', ['Taken', 'Working - Contacted']],
    [['Accepted', 'Working - Contacted'], 'Accepted', 'working - contacted', ['Accepted', 'Working - Contacted']],
    [['Working - Contacted'], 'Accepted', 'Taken', ['Taken', 'Working - Contacted']],
  ])('read %j, write %s → %s gives %j', (read, oldWrite, newWrite, expected) => {
    expect(readAfterWriteChange(read, oldWrite, newWrite)).toEqual(expected);
  });
});
