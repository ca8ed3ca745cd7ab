import { describe, expect, it } from '@jest/globals';
import { propertiesRead } from '../../src/core/calibration/evaluation-record.ts';
import type { ContactResult } from '../../src/jobs/handoff/contact-result.ts';
import { decideAndWrite, handoffContacts } from '../../src/jobs/handoff/handoff-contacts.ts';
import { persistResults } from '../../src/jobs/handoff/persist-results.ts';
import { insertEvents } from '../../src/store/inbox.ts';
import { evaluationsForContact } from '../../src/store/mql-evaluations.ts';
import { type ReplayWorld, useReplayWorld } from './support/replay-world.ts';

/** The handoff keeps every MQL evaluation it makes (issue 18), in the batch's own transaction. */
describe('MQL evaluations written by the handoff', () => {
  let w: ReplayWorld;
  useReplayWorld((world) => (w = world));
  const tableText = async () =>
    (await w.fresh.db.query<{ text: string }>(`SELECT coalesce(string_agg(t::text, ' '), '') AS text FROM mql_evaluations t`)).rows[0]!
      .text;

  it('keeps qualified and not-qualified evaluations of one batch, with only the values the definition read', async () => {
    const qualifying = w.hubspot.createContact({
      email: 'grace.hopper@navy.example',
      firstname: 'Grace',
      lastname: 'Hopper',
      phone: '+1 555 0199',
      jobtitle: 'VP Engineering',
      demo_requested: 'true',
      hs_analytics_source: 'ORGANIC_SEARCH',
    });
    const quiet = w.hubspot.createContact({ email: 'alan@bletchley.example', lastname: 'Turing', jobtitle: 'Engineer', email_clicks: '2' });
    await w.webhook(qualifying);
    await w.webhook(quiet);
    expect((await handoffContacts([qualifying, quiet], w.handoff)).outcomes).toEqual({ handed_off: 1, not_qualified: 1 });

    const [handedOff] = await evaluationsForContact(w.fresh.db, qualifying);
    expect(handedOff).toMatchObject({
      definitionVersion: w.bundle.versions.mql,
      segmentId: 'smb',
      qualified: true,
      fastTrack: 'demo-request',
      source: 'ORGANIC_SEARCH',
      emailDomains: { email: 'navy.example' },
      purged: false,
    });
    // Exactly the properties the shipped definition reads: no name, no phone, no address.
    expect(Object.keys(handedOff!.values!).sort()).toEqual(propertiesRead(w.bundle.mql).filter((property) => property !== 'email'));
    expect(handedOff!.values).toMatchObject({ jobtitle: 'VP Engineering', demo_requested: 'true', 'company.industry': null });
    expect(handedOff!.values).not.toHaveProperty('firstname');
    expect(handedOff!.values).not.toHaveProperty('phone');
    expect(handedOff!.breakdown.map((line) => line.ruleId)).toContain('job-title-decision-maker');

    const [notQualified] = await evaluationsForContact(w.fresh.db, quiet);
    expect(notQualified).toMatchObject({ qualified: false, fastTrack: null, emailDomains: { email: 'bletchley.example' } });
    expect(notQualified!.values).toMatchObject({ jobtitle: 'Engineer', email_clicks: '2' });

    const text = await tableText();
    for (const personal of ['grace', 'Hopper', '555', 'alan', 'Turing'])
      expect({ personal, found: text.includes(personal) }).toEqual({ personal, found: false });
  });

  it('keeps the evaluations of a backfill unit (the same decisions, decideAndWrite with linked contacts left alone)', async () => {
    const id = w.hubspot.createContact({ email: 'ada@engines.example', jobtitle: 'Director of Analysis', demo_requested: 'true' });
    const read = await w.handoff.hubspot.readContacts([id], w.bundle.hubspotProperties);
    const results: ContactResult[] = [];
    const newResult = (contactId: string) => {
      const result: ContactResult = { contactId, eventIds: [], outcome: 'pending', history: [] };
      results.push(result);
      return result;
    };
    await decideAndWrite(read.contacts, newResult, w.bundle, w.handoff, new Map(), { linked: 'skip' });
    await persistResults(w.fresh.db, results, new Map());
    expect(await evaluationsForContact(w.fresh.db, id)).toEqual([
      expect.objectContaining({ qualified: true, fastTrack: 'demo-request', emailDomains: { email: 'engines.example' } }),
    ]);
  });

  it('erases the values with the contact when HubSpot deletes it, and keeps the verdict', async () => {
    const id = w.hubspot.createContact({ email: 'hedy@frequency.example', jobtitle: 'Chief Inventor', demo_requested: 'true' });
    await w.webhook(id);
    await handoffContacts([id], w.handoff);
    expect((await evaluationsForContact(w.fresh.db, id))[0]?.values).toMatchObject({ jobtitle: 'Chief Inventor' });

    await insertEvents(w.fresh.db, [
      {
        dedupeKey: `evaluations-deletion:${id}`,
        source: 'hubspot',
        eventType: 'contact.deletion',
        objectType: 'contact',
        objectId: id,
        occurredAt: new Date(),
        payload: { subscriptionType: 'contact.deletion', objectId: Number(id) },
      },
    ]);
    await handoffContacts([id], w.handoff);
    const [erased] = await evaluationsForContact(w.fresh.db, id);
    expect(erased).toMatchObject({ purged: true, values: null, emailDomains: null, qualified: true, fastTrack: 'demo-request' });
    expect(erased!.breakdown.every((line) => !('detail' in line))).toBe(true);
    expect(await tableText()).not.toContain('Chief Inventor');
  });
});
