import { describe, expect, it } from '@jest/globals';
import type { NotificationKind, OwnerNotification } from '../../src/core/routing/owner-notification.ts';
import { deliverDueNotifications } from '../../src/jobs/notify/deliver-notifications.ts';
import { purgePersonalData } from '../../src/jobs/privacy/purge-personal-data.ts';
import { silentLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';
import { assignmentsForContact, confirmAssignments, reserveAssignments } from '../../src/store/lead-assignments.ts';
import { enqueueOwnerNotifications, notificationsForAssignments } from '../../src/store/owner-notifications.ts';
import { eraseContactData } from '../../src/store/personal-data.ts';
import { useFreshDatabase } from '../support/databases.ts';

const DAY = 86_400_000;
const OWNER = '005A00000000001';

const message = (contactName: string, kind: NotificationKind): OwnerNotification => ({
  key: `${contactName}-${kind}`,
  kind,
  title: `New MQL: ${contactName}, Customer AG — enterprise, score 72`,
  facts: [{ label: 'Who', value: contactName }],
  leadId: '00Q1',
  leadUrl: 'https://acme.my.salesforce.com/lightning/r/Lead/00Q1/view',
});

/** Everything the notification rows hold, as text. */
async function notificationText(db: Database): Promise<string> {
  const result = await db.query<{ text: string }>(`SELECT coalesce(string_agg(t::text, ' '), '') AS text FROM owner_notifications t`);
  return result.rows[0]?.text ?? '';
}

describe('owner routing and personal data', () => {
  let db: Database;
  useFreshDatabase((opened) => (db = opened));

  /** A contact assigned (or only reserved) with a notification on each given channel, queued at `queuedAt`. */
  async function assigned(contactId: string, contactName: string, options: { reserveOnly?: boolean; queuedAt?: Date } = {}) {
    return db.transaction(async (tx) => {
      const [id] = await reserveAssignments(tx, [
        {
          contactId,
          kind: 'initial',
          decision: {
            rule: { id: 'r', label: 'R' },
            strategy: 'pool',
            owner: { kind: 'user', id: OWNER },
            reason: 'r',
            passed: [],
            skipped: [],
          },
          routingVersion: '1',
          decidedAt: new Date(),
        },
      ]);
      const assignmentId = id as string;
      if (options.reserveOnly) return assignmentId;
      await confirmAssignments(tx, [{ assignmentId, leadId: `00Q${contactId}`, ownerId: null, assignedAt: new Date() }]);
      await enqueueOwnerNotifications(
        tx,
        (['slack', 'email'] as const).map((channel) => ({
          assignmentId,
          kind: 'assigned' as const,
          channel,
          recipient: { salesforceId: OWNER, email: 'ana@acme.example', name: 'Ana Rep' },
          content: message(contactName, 'assigned'),
        })),
        options.queuedAt ? { now: options.queuedAt } : {},
      );
      if (options.queuedAt)
        await tx.query('UPDATE owner_notifications SET created_at = $2 WHERE assignment_id = $1', [
          assignmentId,
          options.queuedAt.toISOString(),
        ]);
      return assignmentId;
    });
  }

  it('erasing a contact clears its notifications, parks the unsent ones and releases its reservation; other contacts keep theirs', async () => {
    const erased = await assigned('701', 'Ada Lovelace');
    const reserved = await assigned('701', 'Ada Lovelace', { reserveOnly: true });
    const kept = await assigned('702', 'Grace Hopper');
    const counts = await db.transaction((tx) =>
      eraseContactData(tx, { contactId: '701', eventType: 'contact.privacyDeletion', eventIds: [], now: new Date() }),
    );
    expect(counts).toMatchObject({ ownerNotifications: 2, assignmentsReleased: 1 });
    const text = await notificationText(db);
    expect(text).not.toContain('Ada Lovelace');
    expect(text).toContain('Grace Hopper');
    expect((await notificationsForAssignments(db, [erased])).map((n) => [n.state, n.hasContent, n.lastError])).toEqual([
      ['parked', false, 'the contact was erased (contact.privacyDeletion) before delivery'],
      ['parked', false, 'the contact was erased (contact.privacyDeletion) before delivery'],
    ]);
    expect((await notificationsForAssignments(db, [kept])).every((n) => n.state === 'pending' && n.hasContent)).toBe(true);
    expect((await assignmentsForContact(db, '701')).find((a) => a.id === reserved)?.state).toBe('released');

    // A sender that had claimed nothing yet finds nothing of the erased contact to send.
    const sent: string[] = [];
    await deliverDueNotifications({
      db,
      channels: (['slack', 'email'] as const).map((name) => ({
        name,
        deliver: async (n) => {
          sent.push(n.title);
          return { status: 'delivered', detail: 'ok' };
        },
      })),
      now: () => new Date(Date.now() + 1000),
      logger: silentLogger(),
    });
    expect(sent.some((title) => title.includes('Ada'))).toBe(false);
    expect(sent.filter((title) => title.includes('Grace'))).toHaveLength(2);
  });

  it('retention clears parked notifications past PERSONAL_DATA_RETENTION_DAYS, never pending ones or newer parked ones', async () => {
    const old = new Date(Date.now() - 40 * DAY);
    const parkedOld = await assigned('711', 'Hedy Lamarr', { queuedAt: old });
    const parkedNew = await assigned('712', 'Katherine Johnson');
    const pendingOld = await assigned('713', 'Mary Jackson', { queuedAt: old });
    await db.query(`UPDATE owner_notifications SET state = 'parked', last_error = 'no such user' WHERE assignment_id = ANY($1::bigint[])`, [
      [parkedOld, parkedNew],
    ]);
    const counts = await purgePersonalData({ db, logger: silentLogger(), now: () => new Date(), retentionDays: 30 });
    expect(counts.ownerNotifications).toBe(2);
    const text = await notificationText(db);
    expect(text).not.toContain('Hedy Lamarr');
    expect(text).toContain('Katherine Johnson');
    expect(text).toContain('Mary Jackson');
    const [row] = await notificationsForAssignments(db, [parkedOld]);
    expect(row).toMatchObject({ state: 'parked', lastError: 'no such user', hasContent: false });
    expect((await notificationsForAssignments(db, [pendingOld])).every((n) => n.state === 'pending' && n.hasContent)).toBe(true);
    expect((await purgePersonalData({ db, logger: silentLogger(), now: () => new Date(), retentionDays: 30 })).ownerNotifications).toBe(0);
  });
});
