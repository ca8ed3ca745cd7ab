import { describe, expect, it } from '@jest/globals';
import { diffLines, unifiedDiff } from '../../../src/config/versions/unified-diff.ts';

const lines = (n: number, prefix = 'line'): string[] => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

describe('unified diff', () => {
  it('is empty when nothing changed', () => {
    expect(unifiedDiff({ 'a.yaml': 'x\n' }, { 'a.yaml': 'x\n' })).toBe('');
  });

  it('shows a changed line with three lines of context and 1-based ranges', () => {
    const before = lines(10);
    const after = [...before];
    after[4] = 'changed 5';
    expect(unifiedDiff({ 'a.yaml': `${before.join('\n')}\n` }, { 'a.yaml': `${after.join('\n')}\n` })).toBe(
      [
        '--- a/a.yaml',
        '+++ b/a.yaml',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+changed 5',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('keeps far-apart changes in separate hunks and merges close ones', () => {
    const before = lines(30);
    const far = [...before];
    far[1] = 'x';
    far[25] = 'y';
    expect(unifiedDiff({ f: before.join('\n') }, { f: far.join('\n') }).match(/^@@/gm)).toHaveLength(2);
    const near = [...before];
    near[1] = 'x';
    near[8] = 'y';
    expect(unifiedDiff({ f: before.join('\n') }, { f: near.join('\n') }).match(/^@@/gm)).toHaveLength(1);
  });

  it('marks added and removed files against /dev/null', () => {
    expect(unifiedDiff({}, { 'new.yaml': 'a\nb\n' })).toBe('--- /dev/null\n+++ b/new.yaml\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff({ 'old.yaml': 'a\n' }, {})).toBe('--- a/old.yaml\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
  });

  it('finds the longest common subsequence for insertions and deletions in the middle', () => {
    expect(diffLines(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd'])).toEqual([
      { op: ' ', line: 'a' },
      { op: '-', line: 'b' },
      { op: ' ', line: 'c' },
      { op: '+', line: 'x' },
      { op: ' ', line: 'd' },
    ]);
  });
});
