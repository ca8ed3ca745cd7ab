import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { validateMappingFiles } from '../../../../src/config/mappings.ts';
import { parseSlaRules } from '../../../../src/core/sla/sla-schema.ts';
import { shippedBundle, shippedFiles } from '../helpers.ts';

const FILE = 'sla-rules.yaml';
const files = shippedFiles();
const base = parse(files[FILE] ?? '') as Record<string, unknown>;
const problemsOf = (data: unknown): string[] => {
  const result = parseSlaRules(FILE, data);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};
const edit = (change: (copy: any) => void): unknown => {
  const copy = structuredClone(base);
  change(copy);
  return copy;
};

describe('shipped sla-rules.yaml', () => {
  it('loads into the bundle with its version stamp', () => {
    const { sla, versions } = shippedBundle();
    expect(sla.version).toBe(versions.sla);
    expect(sla.version).toMatch(/^2025\.2@[0-9a-f]{7}$/);
    expect(sla.calendar.timeZone).toBe('Europe/Berlin');
    expect(sla.calendar.businessHours.sat).toBeNull();
    expect(sla.calendar.holidays).toEqual(expect.arrayContaining(['2026-12-24', '2026-12-25']));
    expect(sla.rules.map((r) => [r.id, r.firstTouch, r.disposition])).toEqual([
      ['demo-request', { within: 5, unit: 'minutes' }, { within: 2, unit: 'businessDays' }],
      ['enterprise', { within: 2, unit: 'businessHours' }, { within: 5, unit: 'businessDays' }],
      ['content', { within: 4, unit: 'businessHours' }, { within: 5, unit: 'businessDays' }],
    ]);
    // firstCallOrEmail is opt-in: its Lead fields exist only with Sales Engagement (Object Reference, Lead).
    expect(sla.firstTouch.detectBy).toEqual(['statusLeavesInitial', 'activityLogged']);
  });
});

describe('sla-rules.yaml validation', () => {
  it.each([
    [
      'a time zone that is not IANA',
      (c: any) => {
        c.calendar.timeZone = 'Berlin';
      },
      ['calendar.timeZone: timeZone must be an IANA time zone such as Europe/Berlin'],
    ],
    [
      'closing before opening',
      (c: any) => {
        c.calendar.businessHours.mon = ['17:30', '09:00'];
      },
      ['calendar.businessHours.mon: opening time must be before closing time'],
    ],
    [
      'a time that is not HH:MM',
      (c: any) => {
        c.calendar.businessHours.tue = ['9am', '17:30'];
      },
      ['calendar.businessHours.tue[0]: time must be HH:MM (24-hour clock, 00:00–23:59)'],
    ],
    [
      'a week without business hours',
      (c: any) => {
        for (const d of ['mon', 'tue', 'wed', 'thu', 'fri']) c.calendar.businessHours[d] = null;
      },
      ['calendar.businessHours: at least one day must have business hours'],
    ],
    [
      'an impossible holiday and a duplicate',
      (c: any) => {
        c.calendar.holidays = ['2026-02-30', '2026-12-25', '2026-12-25'];
      },
      ['calendar.holidays[0]: holiday must be a real date as YYYY-MM-DD', 'calendar.holidays[2]: duplicate holiday 2026-12-25'],
    ],
    [
      'an unknown unit',
      (c: any) => {
        c.rules[0].firstTouch.unit = 'hours';
      },
      [expect.stringMatching(/^rules\[0\]\.firstTouch\.unit: /)],
    ],
    [
      'a fractional number of business days',
      (c: any) => {
        c.rules[1].disposition.within = 1.5;
      },
      ['rules[1].disposition.within: within must be a whole number of businessDays (use businessHours for part of a day)'],
    ],
    [
      'a zero limit',
      (c: any) => {
        c.rules[0].firstTouch.within = 0;
      },
      ['rules[0].firstTouch.within: within must be > 0'],
    ],
    [
      'a negative fractional limit',
      (c: any) => {
        c.rules[0].firstTouch.within = -0.5;
      },
      ['rules[0].firstTouch.within: within must be > 0'],
    ],
    [
      'a bad warning duration',
      (c: any) => {
        c.rules[0].warnBefore.firstTouch = '2 minutes';
      },
      ["rules[0].warnBefore.firstTouch: duration must be a whole number and m, h or d, such as '2m', '1h' or '1d'"],
    ],
    [
      'two defaults',
      (c: any) => {
        c.rules[1].default = true;
        delete c.rules[1].when;
      },
      ['rules: exactly one rule must be default: true (found 2)'],
    ],
    [
      'a default with when',
      (c: any) => {
        c.rules[2].when = { segment: ['smb'] };
      },
      ['rules[2].when: the default rule has no when'],
    ],
    [
      'a rule without when',
      (c: any) => {
        delete c.rules[1].when;
      },
      ['rules[1].when: a non-default rule needs when'],
    ],
    [
      'an empty when',
      (c: any) => {
        c.rules[1].when = {};
      },
      ['rules[1].when: when needs source, segment or fastTrack'],
    ],
    [
      'a lower-case source',
      (c: any) => {
        c.rules[1].when = { source: ['paid_search'] };
      },
      ['rules[1].when.source[0]: source must be an hs_analytics_source internal value such as PAID_SEARCH'],
    ],
    [
      'a duplicate id',
      (c: any) => {
        c.rules[1].id = 'demo-request';
      },
      ['rules[1].id: duplicate id "demo-request" (first used at rules[0])'],
    ],
    [
      'an unknown detector',
      (c: any) => {
        c.firstTouch.detectBy = ['emailOpened'];
      },
      [expect.stringMatching(/^firstTouch\.detectBy\[0\]: /)],
    ],
  ])('%s', (_name, change, expected) => {
    expect(problemsOf(edit(change))).toEqual(expected);
  });

  it.each([
    ['minutes', 0.5],
    ['businessMinutes', 2.5],
    ['businessHours', 1.5],
  ])('a fractional limit in %s is accepted', (unit, within) => {
    const result = parseSlaRules(
      FILE,
      edit((c) => {
        c.rules[1].firstTouch = { within, unit };
      }),
    );
    expect(result.ok && result.value.rules[1]?.firstTouch).toEqual({ within, unit });
  });

  it('detectBy defaults to the detectors every org serves (firstCallOrEmail needs Sales Engagement, Object Reference: Lead)', () => {
    const result = parseSlaRules(
      FILE,
      edit((c) => {
        delete c.firstTouch;
      }),
    );
    expect(result.ok && result.value.firstTouch.detectBy).toEqual(['statusLeavesInitial', 'activityLogged']);
  });

  it('a segment the MQL definition lacks is reported with file, path and line', () => {
    const text = (files[FILE] ?? '').replace('segment: [enterprise]', 'segment: [enterprize]');
    const result = validateMappingFiles({ ...files, [FILE]: text });
    const line = text.split('\n').findIndex((l) => l.includes('segment: [enterprize]')) + 1;
    expect(result.ok ? [] : result.problems).toEqual([
      {
        file: FILE,
        path: 'rules[1].when.segment[0]',
        line,
        message: 'segment "enterprize" is not a segment of the MQL definition (enterprise, smb)',
      },
    ]);
  });

  it('a broken sla file is reported alongside the other files', () => {
    const result = validateMappingFiles({
      ...files,
      [FILE]: (files[FILE] ?? '').replace('timeZone: Europe/Berlin', 'timeZone: Mars/Olympus'),
    });
    expect(result.ok ? [] : result.problems.map((p) => [p.file, p.path, typeof p.line])).toEqual([[FILE, 'calendar.timeZone', 'number']]);
  });
});
