import { describe, expect, it } from '@jest/globals';
import { parseMappingFiles } from '../../../src/config/mappings.ts';
import { decideLeadChange, leadFieldsToRead } from '../../../src/core/sales/decide-lead-change.ts';
import { fitText } from '../../../src/core/sales/flags.ts';
import type { LeadChangeOutcome, LeadMemory, LeadState } from '../../../src/core/sales/lead-change-types.ts';
import { shippedBundle, shippedFiles } from './helpers.ts';

const bundle = shippedBundle();
const withoutSal = parseMappingFiles({
  ...shippedFiles(),
  'status-map.yaml': (shippedFiles()['status-map.yaml'] ?? '').replace('useSal: true', 'useSal: false'),
});
const now = new Date('2025-03-10T09:30:00.000Z');
const CODES =
  'bad_fit, no_budget, no_authority, no_need, bad_timing, unresponsive, competitor, duplicate, student_or_researcher, invalid_data, other';

const baseFields = {
  Email: 'jane@acme.example',
  FirstName: 'Jane',
  LastName: 'Doe',
  Company: 'Acme',
  Title: 'VP Engineering',
  Phone: null,
  Country: 'Germany',
  Rejection_Reason__c: null,
  Rejection_Note__c: null,
  Handoff_Sync_Status__c: null,
  Budget_Confirmed__c: 'false',
  Decision_Maker__c: 'false',
  Need__c: null,
  Timeline__c: null,
};
function lead(over: Partial<Omit<LeadState, 'fields'>> = {}, fields: Record<string, string | null> = {}): LeadState {
  return {
    id: '00Q000000000001',
    hubspotContactId: '501',
    status: 'Accepted',
    isConverted: false,
    convertedContactId: null,
    convertedOpportunityId: null,
    ownerId: '005OWNER',
    lastModifiedById: '005REP',
    systemModstamp: '2025-03-10T09:00:00.000Z',
    ...over,
    fields: { ...baseFields, ...fields },
  };
}
const mappedBack = {
  email: 'jane@acme.example',
  firstname: 'Jane',
  lastname: 'Doe',
  company: 'Acme',
  jobtitle: 'VP Engineering',
  country: 'Germany',
};
const bantMet = { Need__c: 'Replace spreadsheets', Timeline__c: '0-3 months', Decision_Maker__c: 'true' };

function expectKind<K extends LeadChangeOutcome['kind']>(outcome: LeadChangeOutcome, kind: K): Extract<LeadChangeOutcome, { kind: K }> {
  expect(outcome.kind).toBe(kind);
  if (outcome.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<LeadChangeOutcome, { kind: K }>;
}
const memoryOf = (state: LeadState, over: Partial<LeadMemory> = {}): LeadMemory => {
  const decision = decideLeadChange(state, undefined, bundle, now);
  return { stage: decision.stage, status: state.status, fingerprint: decision.fingerprint, flagged: null, ...over };
};

describe('leadFieldsToRead', () => {
  it('lists standard, Handoff, BANT and reverse-mapped fields once each', () => {
    expect(leadFieldsToRead(bundle)).toEqual([
      'Id',
      'Status',
      'IsConverted',
      'ConvertedContactId',
      'ConvertedOpportunityId',
      'OwnerId',
      'LastModifiedById',
      'SystemModstamp',
      'Handoff_HubSpot_Id__c',
      'Rejection_Reason__c',
      'Rejection_Note__c',
      'Handoff_Sync_Status__c',
      'Budget_Confirmed__c',
      'Decision_Maker__c',
      'Need__c',
      'Timeline__c',
      'Email',
      'FirstName',
      'LastName',
      'Company',
      'Title',
      'Phone',
      'Country',
    ]);
  });

  it('drops a field named twice, ignoring case (SOQL names are case-insensitive)', () => {
    const text = `${shippedFiles()['field-mapping.yaml']}  - hubspot: need_summary\n    salesforce: need__c\n    direction: to_hubspot\n`;
    const fields = leadFieldsToRead(parseMappingFiles({ ...shippedFiles(), 'field-mapping.yaml': text }));
    expect(fields.filter((f) => f.toLowerCase() === 'need__c')).toEqual(['Need__c']);
  });
});

describe('stage from the status map', () => {
  it.each([
    ['Marketing Accepted', 'mal', 'lead', 'NEW'],
    ['Open - Not Contacted', 'mql', 'marketingqualifiedlead', 'NEW'],
    ['Accepted', 'sal', 'marketingqualifiedlead', 'IN_PROGRESS'],
    ['Working - Contacted', 'sal', 'marketingqualifiedlead', 'IN_PROGRESS'],
    ['Recycled', 'recycled', 'lead', 'BAD_TIMING'],
  ])('"%s" → %s propagates lifecycle %s / %s with the mapped fields', (status, stage, lifecyclestage, leadStatus) => {
    const decision = decideLeadChange(lead({ status }), undefined, bundle, now);
    expect(decision.stage).toBe(stage);
    const outcome = expectKind(decision.outcome, 'propagate');
    expect(outcome.hubspot).toEqual({
      properties: { ...mappedBack, hs_lead_status: leadStatus },
      lifecyclestage,
      lists: { add: [], remove: [] },
    });
    expect(outcome.history.action).toBe('status_synced');
    expect(outcome.syncStatus).toBe(`Synced to HubSpot: ${stage}`);
  });

  it('without SAL, an accepted Lead resolves to the stage the status map names', () => {
    const decision = decideLeadChange(lead({ status: 'Accepted' }), undefined, withoutSal, now);
    expect(decision.stage).toBe('mql');
    const outcome = expectKind(decision.outcome, 'propagate');
    expect(outcome.hubspot).toMatchObject({ lifecyclestage: 'marketingqualifiedlead', properties: { hs_lead_status: 'NEW' } });
    expect(outcome.syncStatus).toBe('Synced to HubSpot: mql');
  });

  it.each([
    ['Nurturing', 'Lead Status "Nurturing" is not in the status map'],
    [null, 'the Lead has no status'],
  ])('status %s → none, saying why', (status, reason) => {
    const decision = decideLeadChange(lead({ status }), undefined, bundle, now);
    expect(decision).toMatchObject({ stage: null, outcome: { kind: 'none', reason } });
  });

  it('a mapped field value a reverse transform cannot convert is reported in the history', () => {
    const text = `${shippedFiles()['field-mapping.yaml']}  - hubspot: seats\n    salesforce: Seats__c\n    direction: to_hubspot\n    reverseTransforms: [integer]\n`;
    const custom = parseMappingFiles({ ...shippedFiles(), 'field-mapping.yaml': text });
    const outcome = expectKind(decideLeadChange(lead({}, { Seats__c: 'many' }), undefined, custom, now).outcome, 'propagate');
    expect(outcome.hubspot.properties).not.toHaveProperty('seats');
    expect(outcome.history.detail.mappingProblems).toEqual(['seats: Seats__c: integer: "many" is not a number']);
  });
});

describe('fingerprint', () => {
  const base = lead({ status: 'Rejected' }, { Rejection_Reason__c: 'bad_fit' });
  const fingerprint = (state: LeadState) => decideLeadChange(state, undefined, bundle, now).fingerprint;

  it('ignores our own sync-status writes, SystemModstamp and LastModifiedById', () => {
    const touched = {
      ...base,
      systemModstamp: '2025-03-10T10:00:00.000Z',
      lastModifiedById: '005INTEGRATION',
      fields: { ...base.fields, Handoff_Sync_Status__c: 'Synced to HubSpot: rejected (bad_fit)' },
    };
    expect(fingerprint(touched)).toBe(fingerprint(base));
    expect(decideLeadChange(touched, memoryOf(base), bundle, now).outcome).toEqual({
      kind: 'none',
      reason: 'no change since last processed',
    });
  });

  it.each([
    ['status', { ...base, status: 'Closed - Not Converted' }],
    ['isConverted', { ...base, isConverted: true }],
    ['converted contact', { ...base, convertedContactId: '003X' }],
    ['converted opportunity', { ...base, convertedOpportunityId: '006X' }],
    ['rejection reason', lead({ status: 'Rejected' }, { Rejection_Reason__c: 'no_need' })],
    ['rejection note', lead({ status: 'Rejected' }, { Rejection_Reason__c: 'bad_fit', Rejection_Note__c: 'Too small' })],
    ['a BANT field', lead({ status: 'Rejected' }, { Rejection_Reason__c: 'bad_fit', Timeline__c: '3-6 months' })],
    ['a reverse-mapped field', lead({ status: 'Rejected' }, { Rejection_Reason__c: 'bad_fit', Title: 'CTO' })],
  ])('changes with the %s', (_what, changed) => {
    expect(fingerprint(changed)).not.toBe(fingerprint(base));
  });

  it('is stable whatever order the fields arrive in', () => {
    const reversed = { ...base, fields: Object.fromEntries(Object.entries(base.fields).reverse()) };
    expect(fingerprint(reversed)).toBe(fingerprint(base));
  });
});

describe('rejections', () => {
  it.each([
    [
      'no reason',
      null,
      'missing_rejection_reason',
      'Rejected without a reason: choose one in Rejection_Reason__c.',
      `Blocked: choose a rejection reason — ${CODES}`,
    ],
    [
      'a blank reason',
      '  ',
      'missing_rejection_reason',
      'Rejected without a reason: choose one in Rejection_Reason__c.',
      `Blocked: choose a rejection reason — ${CODES}`,
    ],
    [
      'an unknown code',
      'too_expensive',
      'invalid_rejection_reason',
      '"too_expensive" is not a valid rejection reason.',
      `Blocked: "too_expensive" is not a valid rejection reason — ${CODES}`,
    ],
  ])('with %s → flagged, listing the valid codes, never propagated', (_what, reason, kind, start, syncStatus) => {
    const decision = decideLeadChange(lead({ status: 'Rejected' }, { Rejection_Reason__c: reason }), undefined, bundle, now);
    expect(decision.stage).toBe('rejected');
    const outcome = expectKind(decision.outcome, 'flag');
    expect(outcome.flag).toBe(kind);
    expect(outcome.message).toBe(`${start} Valid codes: ${CODES}.`);
    expect(outcome.syncStatus).toBe(syncStatus);
    expect(outcome.syncStatus.length).toBeLessThanOrEqual(255);
    expect(outcome.task.description).toContain('This Lead is set to "Rejected"');
    expect(outcome.task.description).toContain('- other: Other (explain in the note) (needs a note)');
    expect(outcome.task.description).toContain('- bad_timing: Bad timing');
  });

  it('task subjects say what is missing', () => {
    const subject = (reason: string | null, note: string | null = null) => {
      const outcome = decideLeadChange(
        lead({ status: 'Rejected' }, { Rejection_Reason__c: reason, Rejection_Note__c: note }),
        undefined,
        bundle,
        now,
      ).outcome;
      return expectKind(outcome, 'flag').task.subject;
    };
    expect(subject(null)).toBe('Handoff: choose a rejection reason');
    expect(subject('nope')).toBe('Handoff: fix the rejection reason');
    expect(subject('other')).toBe('Handoff: add a rejection note');
  });

  it('an absurdly long invalid code still leaves the sync status within 255 characters', () => {
    const outcome = expectKind(
      decideLeadChange(lead({ status: 'Rejected' }, { Rejection_Reason__c: 'x'.repeat(400) }), undefined, bundle, now).outcome,
      'flag',
    );
    expect(outcome.syncStatus.length).toBeLessThanOrEqual(255);
    expect(outcome.syncStatus).toBe(`Blocked: "${'x'.repeat(59)}…" is not a valid rejection reason — ${CODES}`);
    expect(outcome.message).toContain(`Valid codes: ${CODES}.`);
  });

  it.each([
    ['short text', 'Synced', 'Synced'],
    ['exactly 255', 'a'.repeat(255), 'a'.repeat(255)],
    ['256 characters', 'a'.repeat(256), `${'a'.repeat(254)}…`],
  ])('fitText keeps Salesforce Text(255): %s', (_what, text, expected) => {
    expect(fitText(text)).toBe(expected);
  });

  it('"other" needs a note', () => {
    const outcome = expectKind(
      decideLeadChange(lead({ status: 'Rejected' }, { Rejection_Reason__c: 'other', Rejection_Note__c: ' ' }), undefined, bundle, now)
        .outcome,
      'flag',
    );
    expect(outcome).toMatchObject({
      flag: 'missing_rejection_note',
      message: 'Reason other (Other (explain in the note)) needs a note in Rejection_Note__c.',
      syncStatus: 'Blocked: reason other needs a note in Rejection_Note__c',
    });
    expect(outcome.task.description).toContain('Write the note in Rejection_Note__c.');
  });

  it('a hold reason: rejected stage values, reason fields, nurture list in, sales-ready list out', () => {
    const decision = decideLeadChange(
      lead({ status: 'Closed - Not Converted' }, { Rejection_Reason__c: 'bad_fit' }),
      undefined,
      bundle,
      now,
    );
    const outcome = expectKind(decision.outcome, 'propagate');
    expect(outcome.hubspot).toEqual({
      properties: {
        ...mappedBack,
        hs_lead_status: 'UNQUALIFIED',
        handoff_rejection_reason: 'bad_fit',
        handoff_rejection_note: '',
        handoff_rejected_at: '2025-03-10T09:30:00.000Z',
        handoff_rejected_by: '005REP',
        handoff_recycle_after: '',
      },
      lifecyclestage: 'other',
      lists: { add: ['Nurture – Bad fit'], remove: ['Sales ready – MQLs'] },
    });
    expect(outcome.history).toMatchObject({
      action: 'rejected',
      detail: { reasonCode: 'bad_fit', lifecycle: 'hold', nurtureList: 'Nurture – Bad fit' },
    });
    expect(outcome.syncStatus).toBe('Synced to HubSpot: rejected (bad_fit)');
  });

  it('a recycle reason: recycled stage values and the recycle-after date', () => {
    const decision = decideLeadChange(
      lead({ status: 'Rejected' }, { Rejection_Reason__c: 'bad_timing', Rejection_Note__c: ' Next budget cycle ' }),
      undefined,
      bundle,
      now,
    );
    const outcome = expectKind(decision.outcome, 'propagate');
    expect(outcome.hubspot.lifecyclestage).toBe('lead');
    expect(outcome.hubspot.properties).toMatchObject({
      hs_lead_status: 'BAD_TIMING',
      handoff_rejection_reason: 'bad_timing',
      handoff_rejection_note: 'Next budget cycle',
      handoff_recycle_after: '2025-06-08',
    });
    expect(outcome.hubspot.lists).toEqual({ add: ['Nurture – Bad timing'], remove: ['Sales ready – MQLs'] });
    expect(outcome.history).toMatchObject({ action: 'recycled', detail: { recycleAfter: '2025-06-08', lifecycle: 'recycle' } });
  });

  it('a recycle reason without recycleAfterDays clears the recycle date', () => {
    const outcome = expectKind(
      decideLeadChange(lead({ status: 'Rejected' }, { Rejection_Reason__c: 'no_authority' }), undefined, bundle, now).outcome,
      'propagate',
    );
    expect(outcome.hubspot.properties.handoff_recycle_after).toBe('');
    expect(outcome.history.action).toBe('recycled');
  });

  it.each([
    ['2025-03-10T09:30:00.000Z', 'bad_timing', '2025-06-08'],
    ['2023-12-01T00:00:00.000Z', 'bad_timing', '2024-02-29'], // leap day
    ['2025-10-02T23:59:59.999Z', 'bad_timing', '2025-12-31'], // late in the UTC day stays on that day
    ['2025-12-15T12:00:00.000Z', 'unresponsive', '2026-02-13'], // across the year end, 60 days
    ['2025-03-30T01:30:00.000Z', 'no_budget', '2025-09-26'], // across a DST change elsewhere: UTC days only
  ])('recycle date: rejected at %s with %s → %s', (at, code, expected) => {
    const outcome = expectKind(
      decideLeadChange(lead({ status: 'Rejected' }, { Rejection_Reason__c: code }), undefined, bundle, new Date(at)).outcome,
      'propagate',
    );
    expect(outcome.hubspot.properties.handoff_recycle_after).toBe(expected);
    expect(outcome.hubspot.properties.handoff_rejected_at).toBe(at);
  });

  it('the reason code is read trimmed and case-insensitively', () => {
    const outcome = expectKind(
      decideLeadChange(lead({ status: 'Rejected' }, { Rejection_Reason__c: ' Bad_Timing ' }), undefined, bundle, now).outcome,
      'propagate',
    );
    expect(outcome.hubspot.properties.handoff_rejection_reason).toBe('bad_timing');
  });

  it.each([
    [{ lastModifiedById: '005REP', ownerId: '005OWNER' }, '005REP'],
    [{ lastModifiedById: null, ownerId: '005OWNER' }, '005OWNER'],
    [{ lastModifiedById: null, ownerId: null }, undefined],
  ])('rejected-by from %j → %s', (who, expected) => {
    const outcome = expectKind(
      decideLeadChange(lead({ status: 'Rejected', ...who }, { Rejection_Reason__c: 'bad_fit' }), undefined, bundle, now).outcome,
      'propagate',
    );
    expect(outcome.hubspot.properties.handoff_rejected_by).toBe(expected);
  });

  it('a flagged Lead whose reason is now filled propagates normally', () => {
    const blocked = lead({ status: 'Rejected' });
    const memory = memoryOf(blocked, { flagged: 'missing_rejection_reason' });
    expect(decideLeadChange(blocked, memory, bundle, now).outcome.kind).toBe('none');
    const fixed = lead({ status: 'Rejected' }, { Rejection_Reason__c: 'no_need' });
    const outcome = expectKind(decideLeadChange(fixed, memory, bundle, now).outcome, 'propagate');
    expect(outcome.history.action).toBe('rejected');
    expect(outcome.hubspot.lists.add).toEqual(['Nurture – No need']);
  });

  it('a flagged Lead stays flagged when only other fields change', () => {
    const blocked = lead({ status: 'Rejected' });
    const memory = memoryOf(blocked, { flagged: 'missing_rejection_reason' });
    const outcome = decideLeadChange(lead({ status: 'Rejected' }, { Title: 'CTO' }), memory, bundle, now).outcome;
    expect(expectKind(outcome, 'flag').flag).toBe('missing_rejection_reason');
  });
});

describe('SQL means BANT', () => {
  it.each([
    ['need, timeline and authority', true, bantMet],
    ['need, timeline and budget', true, { ...bantMet, Decision_Maker__c: 'false', Budget_Confirmed__c: 'true' }],
    ['need and timeline only', false, { ...bantMet, Decision_Maker__c: 'false' }],
    ['timeline too far out', false, { ...bantMet, Timeline__c: '6-12 months' }],
    ['need empty', false, { ...bantMet, Need__c: '  ' }],
    ['nothing filled', false, {}],
  ])('%s → qualified %s', (_what, qualified, fields) => {
    const outcome = decideLeadChange(lead({ status: 'Qualified' }, fields), undefined, bundle, now).outcome;
    expect(outcome.kind).toBe(qualified ? 'propagate' : 'flag');
  });

  it('met → SQL lifecycle with the met criteria recorded', () => {
    const decision = decideLeadChange(lead({ status: 'Qualified' }, { ...bantMet, Budget_Confirmed__c: 'true' }), undefined, bundle, now);
    expect(decision.stage).toBe('sql');
    const outcome = expectKind(decision.outcome, 'propagate');
    expect(outcome.hubspot).toEqual({
      properties: {
        ...mappedBack,
        hs_lead_status: 'CONNECTED',
        handoff_sql_criteria: 'Budget confirmed, Decision maker, Need identified, Buying within 6 months',
      },
      lifecyclestage: 'salesqualifiedlead',
      lists: { add: [], remove: [] },
    });
    expect(outcome.history.action).toBe('sql_qualified');
    expect(outcome.history.detail.criteria).toEqual([
      { key: 'budget', label: 'Budget confirmed', detail: 'Budget_Confirmed__c = true' },
      { key: 'authority', label: 'Decision maker', detail: 'Decision_Maker__c = true' },
      { key: 'need', label: 'Need identified', detail: 'Need__c = Replace spreadsheets' },
      { key: 'timeline', label: 'Buying within 6 months', detail: 'Timeline__c = 0-3 months' },
    ]);
    expect(outcome.syncStatus).toBe('Synced to HubSpot: sql');
  });

  it('not met → flagged with what is met and what is missing', () => {
    const outcome = expectKind(
      decideLeadChange(
        lead({ status: 'Qualified' }, { Need__c: 'Replace spreadsheets', Timeline__c: '12+ months' }),
        undefined,
        bundle,
        now,
      ).outcome,
      'flag',
    );
    expect(outcome.flag).toBe('bant_not_met');
    expect(outcome.message).toBe(
      'Not an SQL yet: BANT needs Need identified and Buying within 6 months, plus Budget confirmed or Decision maker. Met: Need identified. ' +
        'Missing: Buying within 6 months (Timeline__c = 12+ months); one of Budget confirmed (Budget_Confirmed__c = false) or Decision maker (Decision_Maker__c = false).',
    );
    expect(outcome.syncStatus).toBe('Blocked: BANT not met — missing Buying within 6 months; one of Budget confirmed or Decision maker');
    expect(outcome.task.subject).toBe('Handoff: complete BANT before qualifying');
    expect(outcome.task.description).toContain('- Buying within 6 months: Timeline__c (not met: Timeline__c = 12+ months)');
    expect(outcome.task.description).toContain('- Need identified: Need__c (met)');
  });

  it('nothing met says so', () => {
    const outcome = expectKind(decideLeadChange(lead({ status: 'Qualified' }), undefined, bundle, now).outcome, 'flag');
    expect(outcome.message).toContain(
      'Met: none. Missing: Need identified (Need__c is empty); Buying within 6 months (Timeline__c is empty); one of',
    );
  });
});

describe('conversion', () => {
  it('converted with an opportunity → opportunity stage, history with the converted ids', () => {
    const converted = lead({ status: 'Closed - Converted', isConverted: true, convertedContactId: '003C', convertedOpportunityId: '006O' });
    const decision = decideLeadChange(converted, undefined, bundle, now);
    expect(decision.stage).toBe('opportunity');
    const outcome = expectKind(decision.outcome, 'propagate');
    expect(outcome.hubspot).toEqual({
      properties: { ...mappedBack, hs_lead_status: 'OPEN_DEAL' },
      lifecyclestage: 'opportunity',
      lists: { add: [], remove: [] },
    });
    expect(outcome.history).toMatchObject({ action: 'converted', detail: { convertedContactId: '003C', convertedOpportunityId: '006O' } });
  });

  it('converted without an opportunity → SQL, never flagged (a converted Lead cannot be updated)', () => {
    const converted = lead(
      { status: 'Closed - Converted', isConverted: true, convertedContactId: '003C' },
      { Need__c: 'Replace spreadsheets' },
    );
    const decision = decideLeadChange(converted, undefined, bundle, now);
    expect(decision.stage).toBe('sql');
    const outcome = expectKind(decision.outcome, 'propagate');
    expect(outcome.hubspot).toMatchObject({
      lifecyclestage: 'salesqualifiedlead',
      properties: { hs_lead_status: 'CONNECTED', handoff_sql_criteria: 'Need identified' },
    });
    expect(outcome.history).toMatchObject({ action: 'converted', detail: { convertedContactId: '003C', convertedOpportunityId: null } });
  });
});

describe('field-only changes', () => {
  it('same stage and decision values, other mapped fields → only those fields are copied', () => {
    const before = lead({ status: 'Rejected' }, { Rejection_Reason__c: 'bad_timing' });
    const after = lead({ status: 'Rejected' }, { Rejection_Reason__c: 'bad_timing', Title: 'CTO', Phone: '+49 30 1234' });
    const outcome = expectKind(decideLeadChange(after, memoryOf(before), bundle, now).outcome, 'propagate');
    expect(outcome.hubspot).toEqual({
      properties: { ...mappedBack, jobtitle: 'CTO', phone: '+49 30 1234' },
      lists: { add: [], remove: [] },
    });
    expect(outcome.history.action).toBe('fields_synced');
    expect(outcome.syncStatus).toBe('Synced to HubSpot: rejected');
  });

  it('a changed reason with the same status is a new rejection, not a field sync', () => {
    const before = lead({ status: 'Rejected' }, { Rejection_Reason__c: 'bad_timing' });
    const after = lead({ status: 'Rejected' }, { Rejection_Reason__c: 'competitor' });
    const outcome = expectKind(decideLeadChange(after, memoryOf(before), bundle, now).outcome, 'propagate');
    expect(outcome.history.action).toBe('rejected');
    expect(outcome.hubspot.lists.add).toEqual(['Excluded – Competitors']);
  });

  it('a field still holding the value we wrote is our own echo: not copied back, whatever HubSpot holds now', () => {
    const { jobtitle: _ours, ...others } = mappedBack;
    const firstSighting = decideLeadChange(lead({ status: 'Open - Not Contacted' }), undefined, bundle, now, {
      Title: ['VP Engineering'],
      Phone: [null],
    });
    expect(expectKind(firstSighting.outcome, 'propagate').hubspot.properties).toEqual({ ...others, hs_lead_status: 'NEW' });

    const before = lead({ status: 'Accepted' });
    const ourRefresh = lead({ status: 'Accepted' }, { Title: 'CTO' });
    const outcome = expectKind(
      decideLeadChange(ourRefresh, memoryOf(before), bundle, now, { Title: ['VP Engineering', 'CTO'], Email: ['jane@acme.example'] })
        .outcome,
      'propagate',
    );
    expect(outcome.history.action).toBe('fields_synced');
    const { email: _email, ...rest } = others;
    expect(outcome.hubspot.properties).toEqual(rest);
    // A rep who then types something else is copied as before.
    const repEdit = lead({ status: 'Accepted' }, { Title: 'Head of Data' });
    const after = expectKind(decideLeadChange(repEdit, memoryOf(ourRefresh), bundle, now, { Title: ['CTO'] }).outcome, 'propagate');
    expect(after.hubspot.properties).toMatchObject({ jobtitle: 'Head of Data' });
  });

  it('a memory fingerprint that is not ours counts as a full change', () => {
    const state = lead({ status: 'Accepted' }, { Title: 'CTO' });
    const outcome = expectKind(
      decideLeadChange(state, { stage: 'sal', status: 'Accepted', fingerprint: 'legacy-hash', flagged: null }, bundle, now).outcome,
      'propagate',
    );
    expect(outcome.history.action).toBe('status_synced');
  });
});
