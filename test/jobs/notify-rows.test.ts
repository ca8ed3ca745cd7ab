import { describe, expect, it } from '@jest/globals';
import type { AssignmentSummary } from '../../src/core/routing/compose-notification.ts';
import { routingSchema } from '../../src/core/routing/routing-schema.ts';
import { notificationRows, recipientOf } from '../../src/jobs/notify/notification-rows.ts';
import type { ResolvedDirectory } from '../../src/jobs/routing/routing-deps.ts';

const ANA = '005A00000000001';
const QUEUE = '00G000000000001';
const directory: ResolvedDirectory = {
  users: new Map([['ana@acme.example', { id: ANA, active: true }]]),
  queues: new Map([['Inbound_Leads', { id: QUEUE, supportsLead: true }]]),
  people: new Map([[ANA, { id: ANA, name: 'Ana Rep', email: 'ana@acme.example', active: true, managerId: null }]]),
};
const summary: AssignmentSummary = {
  assignmentId: '42',
  leadId: '00Q000000000001',
  instanceUrl: 'https://acme.my.salesforce.com/',
  name: 'Jane Doe',
  company: 'Customer AG',
  segment: 'enterprise',
  score: 72,
  breakdown: [{ label: 'Job title', points: 30, category: 'fit' }],
  timeZone: 'Europe/Berlin',
  routedBy: 'DACH: round robin in pool DACH reps',
};

describe('notification rows of one assignment', () => {
  it('gives each recipient its message on every configured channel; a queue or unknown person gets the pool channel only', () => {
    const routing = routingSchema.parse({ version: '1', notify: { channels: ['slack', 'salesforce'] }, fallback: 'salesforce-rules' });
    const rows = notificationRows(routing, summary, [
      { kind: 'assigned', recipient: recipientOf(directory, ANA, '#dach') },
      { kind: 'assigned', recipient: recipientOf(directory, QUEUE, '#dach') },
    ]);
    // Recipient by recipient, each message composed once and sent on every channel.
    expect(rows.map((r) => [r.channel, r.kind, r.recipient, r.content.key])).toEqual([
      ['slack', 'assigned', { salesforceId: ANA, email: 'ana@acme.example', name: 'Ana Rep', slackChannel: '#dach' }, `42-assigned-${ANA}`],
      [
        'salesforce',
        'assigned',
        { salesforceId: ANA, email: 'ana@acme.example', name: 'Ana Rep', slackChannel: '#dach' },
        `42-assigned-${ANA}`,
      ],
      ['slack', 'assigned', { salesforceId: QUEUE, slackChannel: '#dach' }, `42-assigned-${QUEUE}`],
      ['salesforce', 'assigned', { salesforceId: QUEUE, slackChannel: '#dach' }, `42-assigned-${QUEUE}`],
    ]);
    expect(rows[0]?.content).toBe(rows[1]?.content);
    expect(rows[0]?.content.leadUrl).toBe('https://acme.my.salesforce.com/lightning/r/Lead/00Q000000000001/view');
  });

  it('queues nothing when routing.yaml names no channel', () => {
    const routing = routingSchema.parse({ version: '1', fallback: 'salesforce-rules' });
    expect(notificationRows(routing, summary, [{ kind: 'assigned', recipient: recipientOf(directory, ANA) }])).toEqual([]);
  });
});
