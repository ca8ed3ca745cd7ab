import { describe, expect, it } from '@jest/globals';
import { decideLinkPath, type LinkFacts } from '../../../../src/core/handoff/link-state.ts';

const now = new Date('2026-05-01T12:00:00Z');
const lead = { salesforceObject: 'Lead' as const, salesforceId: '00Q1' };

describe('decideLinkPath', () => {
  const table: Array<[string, LinkFacts, 'follow' | 'skip', Record<string, unknown>]> = [
    ['not linked: judged as a new MQL', {}, 'follow', { kind: 'judge' }],
    ['not linked, backfill: judged too', {}, 'skip', { kind: 'judge' }],
    ['linked, backfill: left alone', { link: lead }, 'skip', { kind: 'leave', why: 'linked' }],
    [
      'linked to a Contact, backfill: left alone as linked',
      { link: { salesforceObject: 'Contact', salesforceId: '003' } },
      'skip',
      { kind: 'leave', why: 'linked' },
    ],
    [
      'linked to a Salesforce Contact: left alone',
      { link: { salesforceObject: 'Contact', salesforceId: '003' } },
      'follow',
      { kind: 'leave', why: 'salesforce_contact' },
    ],
    ['linked Lead: refreshed', { link: lead, leadStage: 'mql' }, 'follow', { kind: 'refresh', leadId: '00Q1' }],
    ['linked Lead the poll has not seen: refreshed', { link: lead }, 'follow', { kind: 'refresh', leadId: '00Q1' }],
    ['recycled with no date: re-qualified', { link: lead, leadStage: 'recycled' }, 'follow', { kind: 'requalify', leadId: '00Q1' }],
    [
      'rejected, recycle date passed: re-qualified',
      { link: lead, leadStage: 'rejected', recycleAfter: '2026-05-01' },
      'follow',
      { kind: 'requalify', leadId: '00Q1' },
    ],
    [
      'rejected, recycle date ahead: refreshed',
      { link: lead, leadStage: 'rejected', recycleAfter: '2026-05-02' },
      'follow',
      { kind: 'refresh', leadId: '00Q1' },
    ],
    ['rejected, no date: refreshed', { link: lead, leadStage: 'rejected' }, 'follow', { kind: 'refresh', leadId: '00Q1' }],
  ];
  it.each(table)('%s', (_name, facts, linked, expected) => {
    expect(decideLinkPath(facts, linked, now)).toEqual({ ...expected, reason: expect.any(String) });
  });
});
