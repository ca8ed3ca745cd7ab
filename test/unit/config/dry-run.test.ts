import { describe, expect, it } from '@jest/globals';
import type { HubSpotPort } from '../../../src/adapters/hubspot/hubspot-port.ts';
import { parseMappingFiles } from '../../../src/config/mappings.ts';
import { dryRun, SAMPLE_CONTACT_ID } from '../../../src/config/versions/dry-run.ts';
import { ValidationError } from '../../../src/errors.ts';
import { shippedFiles } from '../core/helpers.ts';

const NOW = new Date('2025-03-01T10:00:00Z');
const files = shippedFiles();
const active = parseMappingFiles(files);
/** The draft lowers the SMB threshold from 50 to 40. */
const draft = parseMappingFiles({
  ...files,
  'mql-definition.yaml': (files['mql-definition.yaml'] ?? '').replace(
    'threshold: { total: 50, minFit: 15 }',
    'threshold: { total: 40, minFit: 15 }',
  ),
});

/** SMB contact scoring 40: software industry 15 + 50–999 employees 10 (both on its company) + three pricing page views 15. */
const PROPERTIES = {
  email: 'ana@acme.example',
  firstname: 'Ana',
  lastname: 'Lopez',
  company: 'Acme',
  pricing_page_views: '3',
  associatedcompanyid: '5001',
};
const COMPANY = { id: '5001', properties: { industry: 'COMPUTER_SOFTWARE', numberofemployees: '200' } };

/** A HubSpot port that records every call; only the reads answer (contact 901's associatedcompanyid names company 5001). */
function recordingHubSpot(contacts: Array<{ id: string; properties: Record<string, string> }>) {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const port = new Proxy({} as HubSpotPort, {
    get:
      (_target, method: string) =>
      async (...args: unknown[]) => {
        calls.push({ method, args });
        const [ids] = args as [string[]];
        if (method === 'readCompanies') return { companies: ids.includes(COMPANY.id) ? [COMPANY] : [], missing: [] };
        if (method !== 'readContacts') throw new Error(`dry run must not call ${method}`);
        return { contacts: contacts.filter((c) => ids.includes(c.id)), missing: ids.filter((id) => !contacts.some((c) => c.id === id)) };
      },
  });
  return { port, calls };
}

describe('dry run', () => {
  it('qualifies under a draft with a lower threshold a contact the active version does not, and shows the payload', async () => {
    const hubspot = recordingHubSpot([{ id: '901', properties: PROPERTIES }]);
    const result = await dryRun({ contactId: '901' }, { active, draft }, { hubspot: hubspot.port, now: NOW });

    expect(result.contactId).toBe('901');
    expect(result.active).toMatchObject({ qualified: false, score: 40, salesforcePayload: null, version: active.versions.mql });
    expect(result.active.breakdown).toContain('Total: 40 (fit 25, behaviour 15); threshold 50, min fit 15');
    expect(result.active.reasons.join(' ')).toMatch(/40/);
    expect(result.draft).toMatchObject({ qualified: true, score: 40, version: draft.versions.mql });
    expect(result.draft.version).not.toBe(result.active.version);
    expect(result.draft.breakdown).toContain('threshold 40');
    expect(result.draft.salesforcePayload).toEqual({
      Email: 'ana@acme.example',
      FirstName: 'Ana',
      LastName: 'Lopez',
      Company: 'Acme',
      Industry: 'Technology',
      NumberOfEmployees: 200,
      Handoff_HubSpot_Id__c: '901',
      Status: 'Open - Not Contacted',
      MQL_Score__c: 40,
      MQL_Breakdown__c: result.draft.breakdown,
      MQL_Definition_Version__c: draft.versions.mql,
      MQL_Date__c: '2025-03-01T10:00:00.000Z',
    });
  });

  it("reads the contact once with both versions' properties and associatedcompanyid, its primary company once, and writes nothing", async () => {
    const hubspot = recordingHubSpot([{ id: '901', properties: PROPERTIES }]);
    await dryRun({ contactId: '901' }, { active, draft }, { hubspot: hubspot.port, now: NOW });
    expect(hubspot.calls.map((c) => c.method)).toEqual(['readContacts', 'readCompanies']);
    const [ids, properties] = hubspot.calls[0]!.args as [string[], string[]];
    expect(ids).toEqual(['901']);
    const all = [...new Set([...active.hubspotProperties, ...draft.hubspotProperties])];
    expect(properties).toEqual([...all.filter((name) => !name.startsWith('company.')).sort(), 'associatedcompanyid']);
    expect(hubspot.calls[1]?.args).toEqual([['5001'], ['domain', 'industry', 'numberofemployees']]);
  });

  it('uses a pasted sample without calling HubSpot', async () => {
    const hubspot = recordingHubSpot([]);
    const sample = { ...PROPERTIES, 'company.industry': 'COMPUTER_SOFTWARE', 'company.numberofemployees': '200' };
    const result = await dryRun({ sample }, { active, draft }, { hubspot: hubspot.port, now: NOW });
    expect(hubspot.calls).toEqual([]);
    expect(result.contactId).toBeNull();
    expect(result.draft.salesforcePayload?.Handoff_HubSpot_Id__c).toBe(SAMPLE_CONTACT_ID);
  });

  it('says so when HubSpot has no such contact, or when neither or both inputs are given', async () => {
    const hubspot = recordingHubSpot([]);
    await expect(dryRun({ contactId: '404' }, { active, draft }, { hubspot: hubspot.port, now: NOW })).rejects.toThrow(
      'HubSpot has no contact 404',
    );
    await expect(dryRun({}, { active, draft }, { hubspot: hubspot.port, now: NOW })).rejects.toBeInstanceOf(ValidationError);
    await expect(dryRun({ contactId: '1', sample: {} }, { active, draft }, { hubspot: hubspot.port, now: NOW })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
