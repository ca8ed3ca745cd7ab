import { SANDBOX_ASSIGNMENT_RULE } from '../../src/sandbox/sandbox.ts';
import { SANDBOX_DIRECTORY } from '../../src/simulators/salesforce/sandbox-directory.ts';
import type { SalesforceSimulator } from '../../src/simulators/salesforce/server.ts';
import { type SlackSimulator, startSlackSimulator } from '../../src/simulators/slack/server.ts';
import { type SmtpCatcher, startSmtpCatcher } from '../../src/simulators/smtp/catcher.ts';

export const NOTIFY_CHANNELS = ['slack', 'email', 'salesforce'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

/** One notification as it arrived: the Lead it links to and when it arrived, in the bench process's clock (epoch ms). */
export interface Arrival {
  channel: NotifyChannel;
  leadId: string;
  at: number;
}

/**
 * Where the owner notifications of a bench world arrive: the Slack simulator and the SMTP catcher, in the bench's
 * process, and the Salesforce simulator's custom notifications. The org gets the sandbox's team (users with
 * e-mails), its active round-robin rule among the reps, and Slack users by the same e-mails, so every new Lead has
 * an owner who is on every channel.
 */
export interface NotificationReceivers {
  slack: SlackSimulator;
  mail: SmtpCatcher;
  /** The service's notification settings pointing at the receivers. */
  env: Record<string, string>;
  /** Every notification that arrived so far, per channel; a Lead's first arrival per channel counts. */
  arrivals(salesforce: SalesforceSimulator): Arrival[];
  close(): Promise<void>;
}

/** What the Salesforce simulator is seeded with so routing gives every Lead a rep (spread into its options). */
export const NOTIFY_ORG = { ...SANDBOX_DIRECTORY, assignmentRules: [SANDBOX_ASSIGNMENT_RULE] };

const SLACK_TOKEN = 'xoxb-bench-0000-notify';
/** The link every message carries (compose-notification.ts): `<instance>/lightning/r/Lead/<id>/view`. */
const LEAD_LINK = /\/lightning\/r\/Lead\/([A-Za-z0-9]{15,18})\/view/;

/** Salesforce's "2026-11-22T10:00:00.123+0000" as epoch ms. */
const salesforceTime = (value: string): number => Date.parse(value.replace(/\+0000$/, 'Z'));

export async function startNotificationReceivers(): Promise<NotificationReceivers> {
  // The Slack simulator reads its clock exactly once per accepted chat.postMessage (the message's ts, whole
  // seconds), right before it keeps the message; recording that instant gives each message its arrival in ms.
  const slackAcceptedAt: number[] = [];
  const slack = await startSlackSimulator({
    token: SLACK_TOKEN,
    users: SANDBOX_DIRECTORY.users
      .filter((user) => user.isActive !== false)
      .map((user, i) => ({ id: `U0BENCH${i}`, email: user.email, name: `${user.firstName} ${user.lastName}` })),
    now: () => {
      const at = Date.now();
      slackAcceptedAt.push(at);
      return at;
    },
  });
  const mail = await startSmtpCatcher();
  const leadOf = (text: string | undefined) => (text ? LEAD_LINK.exec(text)?.[1] : undefined);
  return {
    slack,
    mail,
    env: {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SMTP_URL: mail.url,
      NOTIFY_EMAIL_FROM: 'Handoff <handoff@bench.example>',
      NOTIFY_SALESFORCE_PUSH: 'true',
    },
    arrivals(salesforce) {
      const found: Arrival[] = [];
      const messages = slack.messages();
      if (messages.length !== slackAcceptedAt.length)
        throw new Error(`Slack simulator: ${messages.length} messages but ${slackAcceptedAt.length} clock readings`);
      messages.forEach((message, i) => {
        const leadId = leadOf(message.text);
        if (leadId) found.push({ channel: 'slack', leadId, at: slackAcceptedAt[i]! });
      });
      for (const message of mail.messages()) {
        const leadId = leadOf(message.text);
        if (leadId) found.push({ channel: 'email', leadId, at: Date.parse(message.receivedAt) });
      }
      for (const sent of salesforce.notifications) {
        if (sent.targetId) found.push({ channel: 'salesforce', leadId: sent.targetId, at: salesforceTime(sent.at) });
      }
      return found;
    },
    async close() {
      await slack.close();
      await mail.close();
    },
  };
}
