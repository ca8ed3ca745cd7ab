import { describe, expect, it } from '@jest/globals';
import { formatBreakdown, SALESFORCE_BREAKDOWN_MAX_CHARS } from '../../../src/core/definitions/format-breakdown.ts';
import { parseMqlDefinition } from '../../../src/core/definitions/mql-schema.ts';
import { qualifyMql, requiredProperties } from '../../../src/core/definitions/qualify-mql.ts';
import { baseDefinition, contact, mql } from './helpers.ts';

const def = mql(baseDefinition);
/** SMB contact: industry 20 fit + clicks×2 behaviour. */
const smb = (clicks: number, extra: Record<string, string> = {}) =>
  contact({ industry: 'COMPUTER_SOFTWARE', email_clicks: String(clicks), ...extra });

describe('qualifyMql thresholds', () => {
  // SMB threshold total 30: fit 20 + 2 per click.
  it.each([
    [4, {}, 28, false],
    [5, {}, 30, true],
    [5, { jobtitle: 'Director' }, 40, true],
  ])('SMB with %i clicks and %j scores %i → qualified %s', (clicks, extra, score, qualified) => {
    const result = qualifyMql(smb(clicks, extra), def);
    expect(result.score).toBe(score);
    expect(result.qualified).toBe(qualified);
    expect(result.segment).toEqual({ id: 'smb', label: 'SMB' });
  });

  // Enterprise threshold total 40, minFit 20, minBehaviour 10.
  it.each([
    ['just below', { email_clicks: '4', pricing_page_views: '0' }, 28, false],
    ['at', { email_clicks: '5', jobtitle: 'Director of IT' }, 40, true],
    ['above', { email_clicks: '5', pricing_page_views: '3', jobtitle: 'Director' }, 55, true],
  ])('Enterprise %s the threshold', (_name, extra, score, qualified) => {
    const result = qualifyMql(contact({ industry: 'COMPUTER_SOFTWARE', numberofemployees: '5000', ...extra }), def);
    expect(result.segment.id).toBe('enterprise');
    expect(result.threshold).toEqual({ total: 40, minFit: 20, minBehaviour: 10 });
    expect(result.score).toBe(score);
    expect(result.qualified).toBe(qualified);
  });

  it('says why in sentences', () => {
    expect(qualifyMql(smb(5), def).reasons).toEqual(['Score 30 ≥ SMB threshold 30']);
    expect(qualifyMql(smb(4), def).reasons).toEqual(['Score 28 below the SMB threshold 30']);
  });

  const withMinimums = (threshold: Record<string, number>) =>
    mql({ ...baseDefinition, segments: [{ id: 'smb', label: 'SMB', default: true, threshold }] });

  it('fails on minFit even when the total is reached', () => {
    const strict = withMinimums({ total: 30, minFit: 20 });
    const result = qualifyMql(contact({ jobtitle: 'director', email_clicks: '5', pricing_page_views: '4' }), strict);
    expect([result.fitScore, result.behaviourScore, result.score]).toEqual([10, 25, 35]);
    expect(result.qualified).toBe(false);
    expect(result.reasons).toEqual(['Score 35 ≥ SMB threshold 30', 'Fit 10 below the SMB minimum 20']);
    const fitEnough = qualifyMql(contact({ industry: 'COMPUTER_SOFTWARE', email_clicks: '5' }), strict);
    expect(fitEnough.qualified).toBe(true);
  });

  it('fails on minBehaviour even when the total is reached', () => {
    const strict = withMinimums({ total: 10, minBehaviour: 10 });
    const result = qualifyMql(contact({ industry: 'COMPUTER_SOFTWARE', email_clicks: '4' }), strict);
    expect([result.fitScore, result.behaviourScore, result.score]).toEqual([20, 8, 28]);
    expect(result.qualified).toBe(false);
    expect(result.reasons).toEqual(['Score 28 ≥ SMB threshold 10', 'Behaviour 8 below the SMB minimum 10']);
    expect(qualifyMql(contact({ email_clicks: '5' }), strict).qualified).toBe(true);
  });
});

describe('segment selection', () => {
  const ordered = mql({
    ...baseDefinition,
    segments: [
      { id: 'strategic', label: 'Strategic', when: { property: 'numberofemployees', op: 'gte', value: 10000 }, threshold: { total: 90 } },
      { id: 'enterprise', label: 'Enterprise', when: { property: 'numberofemployees', op: 'gte', value: 1000 }, threshold: { total: 60 } },
      { id: 'smb', label: 'SMB', default: true, threshold: { total: 30 } },
    ],
  });
  it.each([
    ['20000', 'strategic'],
    ['10000', 'strategic'],
    ['9999', 'enterprise'],
    ['999', 'smb'],
    ['', 'smb'],
  ])('%s employees → %s (first match wins, else default)', (employees, segment) => {
    expect(qualifyMql(contact({ numberofemployees: employees }), ordered).segment.id).toBe(segment);
  });
});

describe('per-unit points', () => {
  it.each([
    ['0', 0],
    ['1', 2],
    ['4', 8],
    ['5', 10],
    ['6', 10],
    ['100', 10],
    ['-3', 0],
    ['lots', 0],
    ['2.5', 5],
  ])('%s clicks → %i points (2 per click, max 10)', (clicks, points) => {
    const line = qualifyMql(contact({ email_clicks: clicks }), def).breakdown.find((l) => l.ruleId === 'clicks');
    expect(line?.points).toBe(points);
  });
});

describe('fast track and exclusions', () => {
  it('a demo request qualifies whatever the score', () => {
    const result = qualifyMql(contact({ demo_requested: 'true' }), def);
    expect(result.score).toBe(0);
    expect(result.qualified).toBe(true);
    expect(result.fastTrack).toEqual({ id: 'demo', label: 'Demo requested' });
    expect(result.reasons[0]).toBe('Fast track: demo requested');
  });

  it('demo_requested "false" does not fast-track', () => {
    expect(qualifyMql(contact({ demo_requested: 'false' }), def).qualified).toBe(false);
  });

  it('an exclusion disqualifies a high score', () => {
    const result = qualifyMql(smb(10, { email: 'cto@rival.example' }), def);
    expect(result.score).toBe(30);
    expect(result.qualified).toBe(false);
    expect(result.excludedBy).toEqual({ id: 'competitor', label: 'Competitor domain' });
    expect(result.reasons[0]).toBe('Excluded: competitor domain');
  });

  it('an exclusion beats a fast track', () => {
    const result = qualifyMql(contact({ demo_requested: 'true', email: 'x@rival.example' }), def);
    expect(result.qualified).toBe(false);
    expect(result.excludedBy?.id).toBe('competitor');
    expect(result.fastTrack).toBeUndefined();
    expect(result.reasons.slice(0, 2)).toEqual([
      'Excluded: competitor domain',
      'Fast track "Demo requested" ignored: an exclusion applies',
    ]);
  });

  it('a disabled exclusion does not apply', () => {
    const result = qualifyMql(smb(5, { email: 'someone@gmail.com' }), def);
    expect(result.qualified).toBe(true);
    expect(result.excludedBy).toBeUndefined();
    const enabled = mql({ ...baseDefinition, exclusions: [{ ...baseDefinition.exclusions[1], enabled: true }] });
    expect(qualifyMql(smb(5, { email: 'someone@gmail.com' }), enabled).excludedBy?.id).toBe('personal');
  });
});

describe('breakdown', () => {
  const result = qualifyMql(smb(7, { jobtitle: 'IT Director', pricing_page_views: '1' }), def);

  it('has one line per scoring rule with its points, and totals that add up', () => {
    expect(result.breakdown).toEqual([
      { ruleId: 'industry', label: 'Software industry', category: 'fit', points: 20, detail: 'industry = COMPUTER_SOFTWARE' },
      { ruleId: 'title', label: 'Director title', category: 'fit', points: 10, detail: 'jobtitle = IT Director' },
      { ruleId: 'clicks', label: 'E-mail clicks', category: 'behaviour', points: 10, detail: 'email_clicks = 7 × 2, capped at 10' },
      { ruleId: 'pricing', label: 'Pricing page', category: 'behaviour', points: 15, detail: 'pricing_page_views = 1' },
    ]);
    expect(result.fitScore).toBe(30);
    expect(result.behaviourScore).toBe(25);
    expect(result.score).toBe(55);
    expect(result.version).toBe('t1');
  });

  it('adds a line for the exclusion or fast track that fired', () => {
    const excluded = qualifyMql(contact({ email: 'a@rival.example' }), def);
    expect(excluded.breakdown.at(-1)).toEqual({
      ruleId: 'competitor',
      label: 'Competitor domain',
      category: 'exclusion',
      points: 0,
      detail: 'email domain rival.example',
    });
    const fast = qualifyMql(contact({ demo_requested: 'true' }), def);
    expect(fast.breakdown.at(-1)?.category).toBe('fastTrack');
  });

  it('formats the text a rep reads', () => {
    expect(formatBreakdown(result)).toBe(
      [
        'MQL qualified — segment SMB',
        'Fit:',
        '   +20  Software industry (industry = COMPUTER_SOFTWARE)',
        '   +10  Director title (jobtitle = IT Director)',
        'Behaviour:',
        '   +10  E-mail clicks (email_clicks = 7 × 2, capped at 10)',
        '   +15  Pricing page (pricing_page_views = 1)',
        'Total: 55 (fit 30, behaviour 25); threshold 30',
        '- Score 55 ≥ SMB threshold 30',
        'Definition version: t1',
      ].join('\n'),
    );
  });

  it('shows thresholds minimums and exclusions in the text', () => {
    const text = formatBreakdown(qualifyMql(contact({ numberofemployees: '5000', email: 'a@rival.example' }), def));
    expect(text).toContain('MQL not qualified — segment Enterprise');
    expect(text).toContain('Exclusion:\n  Competitor domain (email domain rival.example)');
    expect(text).toContain('threshold 40, min fit 20, min behaviour 10');
  });

  it('stays within 32,000 characters and keeps the total and version', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({
      id: `r${i}`,
      label: `Rule ${i} ${'x'.repeat(100)}`,
      points: 1,
      when: { property: 'industry', op: 'exists' },
    }));
    const big = mql({ ...baseDefinition, fit: many });
    const text = formatBreakdown(qualifyMql(contact({ industry: 'X' }), big));
    expect(text.length).toBeLessThanOrEqual(SALESFORCE_BREAKDOWN_MAX_CHARS);
    expect(text).toContain('[… breakdown shortened …]');
    expect(text.endsWith('Definition version: t1')).toBe(true);
    expect(text).toContain('Total: 400');
  });
});

describe('requiredProperties', () => {
  it('lists every property the definition reads, sorted and unique', () => {
    expect(requiredProperties(def)).toEqual([
      'demo_requested',
      'email',
      'email_clicks',
      'industry',
      'jobtitle',
      'numberofemployees',
      'pricing_page_views',
    ]);
  });
});

describe('definition validation', () => {
  it('reports every problem with its path', () => {
    const result = parseMqlDefinition('mql-definition.yaml', {
      version: 'v',
      fit: [
        { id: 'a', label: 'A', points: 1, when: { property: 'x', op: 'eq', value: 'y' } },
        { id: 'b', label: 'B', when: { property: 'x', op: 'exists' } },
        { id: 'c', label: 'C', points: 'ten', when: { property: 'x', op: 'exists' } },
      ],
      behaviour: [{ id: 'd', label: 'D', perUnit: { property: 'clicks', points: 2, max: 0 } }],
      segments: [
        { id: 'big', label: 'Big', default: true, threshold: { total: 1 } },
        { id: 'small', label: 'Small', default: true, threshold: { total: 1 } },
      ],
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'fit[1].points: needs points (or perUnit)',
        expect.stringMatching(/^fit\[2\]\.points: /),
        'behaviour[0].perUnit.max: max must be > 0',
        'segments: exactly one segment must be default: true (found 2)',
      ]),
    );
    expect(paths).toHaveLength(4);
  });

  it('refuses duplicate rule ids', () => {
    const result = parseMqlDefinition('m.yaml', { ...baseDefinition, behaviour: [{ ...baseDefinition.behaviour[0], id: 'industry' }] });
    expect(result.ok ? [] : result.problems).toEqual([
      { file: 'm.yaml', path: 'behaviour[0].id', message: 'duplicate id "industry" (first used at fit[0])' },
    ]);
  });
});
