import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  buildLead,
  type LeadPlan,
  type SalesforceNames,
  withLeadId,
  withLeadOwner,
  withoutLeadId,
} from '../../../../src/core/handoff/build-lead.ts';
import { shippedBundle } from '../helpers.ts';

let sf: SalesforceNames;
beforeAll(() => {
  sf = shippedBundle().fieldMapping.salesforce;
});

const at = new Date('2026-05-01T09:30:00.000Z');
const mql = { score: 60, breakdown: 'Fit 40 + Behaviour 20', definitionVersion: 'v7', handedOffAt: at };
const mapped = { Email: 'jane@acme.example', Company: 'Acme' };

describe('buildLead', () => {
  it('an MQL: mapped fields, external id, MQL status and the MQL fields', () => {
    expect(buildLead({ kind: 'mql', contactId: '501', mapped, status: 'Open - Not Contacted', mql }, sf)).toEqual({
      ...mapped,
      [sf.externalIdField]: '501',
      [sf.statusField]: 'Open - Not Contacted',
      [sf.fields.score]: 60,
      [sf.fields.breakdown]: 'Fit 40 + Behaviour 20',
      [sf.fields.definitionVersion]: 'v7',
      [sf.fields.mqlDate]: sf.mqlDateType === 'date' ? '2026-05-01' : '2026-05-01T09:30:00.000Z',
    });
  });

  it('the MQL date follows the field type', () => {
    const asDate = buildLead({ kind: 'mql', contactId: '1', mapped: {}, status: 'S', mql }, { ...sf, mqlDateType: 'date' });
    const asDateTime = buildLead({ kind: 'mql', contactId: '1', mapped: {}, status: 'S', mql }, { ...sf, mqlDateType: 'datetime' });
    expect(asDate[sf.fields.mqlDate]).toBe('2026-05-01');
    expect(asDateTime[sf.fields.mqlDate]).toBe('2026-05-01T09:30:00.000Z');
  });

  const sentTable: Array<[string, Extract<LeadPlan, { kind: 'sent' }>, Record<string, unknown>]> = [
    [
      'a sent MQL clears an earlier rejection and carries the first-touch due time',
      { kind: 'sent', lead: { Company: 'Acme' }, firstTouchDue: new Date('2026-05-01T13:30:00Z') },
      { Company: 'Acme', Rejection_Reason__c: null, Rejection_Note__c: null, SLA_Due__c: '2026-05-01T13:30:00.000Z' },
    ],
    [
      'no first-touch clock: the due time is empty',
      { kind: 'sent', lead: { Company: 'Acme' }, firstTouchDue: null },
      { Company: 'Acme', Rejection_Reason__c: null, Rejection_Note__c: null, SLA_Due__c: null },
    ],
  ];
  it.each(sentTable)('%s', (_name, plan, expected) => {
    const names = {
      ...sf,
      fields: { ...sf.fields, rejectionReason: 'Rejection_Reason__c', rejectionNote: 'Rejection_Note__c', slaDue: 'SLA_Due__c' },
    };
    expect(buildLead(plan, names)).toEqual(expected);
  });

  it('the owner routing chose is set on the Lead to create (a User or a queue)', () => {
    expect(withLeadOwner({ Company: 'Acme' }, '00G000000000001')).toEqual({ Company: 'Acme', OwnerId: '00G000000000001' });
  });

  it('an update: mapped fields and the external id only, never Status or MQL fields', () => {
    expect(buildLead({ kind: 'update', contactId: '501', mapped }, sf)).toEqual({ ...mapped, [sf.externalIdField]: '501' });
  });

  it("an adopted Lead takes the handoff fields from the sent Lead, keeping the rep's Status and rejection fields", () => {
    const sent = buildLead(
      { kind: 'sent', lead: buildLead({ kind: 'mql', contactId: '501', mapped, status: 'Open', mql }, sf), firstTouchDue: null },
      sf,
    );
    const adopted = buildLead({ kind: 'adopt', update: { Company: 'Acme Updated' }, sent }, sf);
    expect(adopted).toEqual({
      Company: 'Acme Updated',
      [sf.externalIdField]: '501',
      [sf.fields.score]: 60,
      [sf.fields.breakdown]: mql.breakdown,
      [sf.fields.definitionVersion]: 'v7',
      [sf.fields.mqlDate]: sent[sf.fields.mqlDate],
    });
    expect(adopted).not.toHaveProperty(sf.statusField);
    expect(adopted).not.toHaveProperty(sf.fields.slaDue);
  });

  it('an adopted Lead missing a handoff field sends it empty', () => {
    expect(buildLead({ kind: 'adopt', update: {}, sent: {} }, sf)[sf.fields.score]).toBeNull();
  });

  it('addresses a record by Id and strips it again', () => {
    expect(withLeadId({ A: 1 }, '00Q')).toEqual({ A: 1, Id: '00Q' });
    expect(withoutLeadId({ A: 1, Id: '00Q' })).toEqual({ A: 1 });
  });
});
