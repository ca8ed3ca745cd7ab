import { PassThrough } from 'node:stream';
import type { NotificationRecipient, OwnerNotification } from '../../../src/core/routing/owner-notification.ts';
import { createLogger, type Logger } from '../../../src/log.ts';

/** A notification as core composes it for a new MQL. */
export function sampleNotification(overrides: Partial<OwnerNotification> = {}): OwnerNotification {
  return {
    key: 'assign-42.005000000000001AAA',
    kind: 'assigned',
    title: 'New MQL: Jane Doe, Acme GmbH — enterprise, score 72',
    facts: [
      { label: 'Who', value: 'Jane Doe, VP Sales' },
      { label: 'Company', value: 'Acme GmbH' },
      { label: 'Segment', value: 'enterprise' },
      { label: 'Score', value: '72 (demo request +30, pricing page +15)' },
      { label: 'SLA due', value: '2026-12-07T14:00:00Z' },
    ],
    leadId: '00Q000000000001AAA',
    leadUrl: 'https://acme.my.salesforce.com/lightning/r/Lead/00Q000000000001AAA/view',
    ...overrides,
  };
}

export const OWNER: NotificationRecipient = {
  salesforceId: '005000000000001AAA',
  email: 'owner.one@acme.example.com',
  name: 'Olga Owner',
  slackChannel: '#inbound',
};

/** A logger whose JSON lines the test can read (after winston has written them). */
export function capturingLogger(): { logger: Logger; lines: () => Promise<string[]> } {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  return {
    logger: createLogger('debug', stream),
    lines: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return lines;
    },
  };
}
