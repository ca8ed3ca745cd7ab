import { z } from 'zod';
import type { NotificationSettings } from '../adapters/notify/channels.ts';

/**
 * The owner-notification variables, as a shape to spread into the service's env schema
 * (`z.object({ ...others, ...notificationEnvShape })`), plus the one cross-variable rule in `notificationEnvProblems`.
 * No message repeats a value: SLACK_BOT_TOKEN and SMTP_URL hold secrets.
 */
const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** Slack bot tokens start `xoxb-` ("Tokens": bot tokens); a user (`xoxp-`) or app-level (`xapp-`) token is refused. */
const SLACK_BOT_TOKEN = /^xoxb-[A-Za-z0-9-]+$/;

const smtpUrl = optionalString.superRefine((value, ctx) => {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a URL such as smtp://user:pass@smtp.example.com:587 or smtps://…:465' });
    return;
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    ctx.addIssue({ code: 'custom', message: `must start with smtp:// or smtps://, not ${url.protocol}//` });
  } else if (url.hostname === '') ctx.addIssue({ code: 'custom', message: 'names no host' });
});

/** `handoff@example.com` or `Handoff <handoff@example.com>`. */
const MAIL_ADDRESS = /^(?:[^<>@\s]+@[^<>@\s]+|[^<>]*<[^<>@\s]+@[^<>@\s]+>)$/;

export const notificationEnvShape = {
  SLACK_BOT_TOKEN: optionalString.refine((token) => token === undefined || SLACK_BOT_TOKEN.test(token), {
    message: 'must be a Slack bot token (xoxb-…), from the app’s OAuth & Permissions page',
  }),
  SLACK_API_URL: z
    .string()
    .trim()
    .default('https://slack.com/api/')
    .transform((text) => (text === '' ? 'https://slack.com/api/' : text))
    .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://slack.com/api/' }))
    .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
  SMTP_URL: smtpUrl,
  NOTIFY_EMAIL_FROM: optionalString.refine((from) => from === undefined || MAIL_ADDRESS.test(from), {
    message: 'must be an address such as handoff@example.com or "Handoff <handoff@example.com>"',
  }),
  SALESFORCE_NOTIFICATION_TYPE: z
    .string()
    .trim()
    .default('Handoff_Lead_Assigned')
    .transform((text) => (text === '' ? 'Handoff_Lead_Assigned' : text))
    // Salesforce API names: a letter first, then letters, digits and single underscores, no trailing underscore.
    .pipe(z.string().regex(/^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)$/, 'must be the DeveloperName of a CustomNotificationType')),
  /**
   * The Salesforce notification needs nothing but the Salesforce connection (and the package's notification type), so
   * it is available by default; routing.yaml's notify.channels chooses what is used. `false` turns it off everywhere.
   */
  NOTIFY_SALESFORCE_PUSH: z
    .string()
    .trim()
    .default('true')
    .transform((text) => (text === '' ? 'true' : text.toLowerCase()))
    .pipe(z.enum(['true', 'false'], { message: 'must be true or false' }))
    .transform((text) => text === 'true'),
};

const notificationEnvSchema = z.object(notificationEnvShape);
export type NotificationEnv = z.infer<typeof notificationEnvSchema>;

/** Rules across variables, as `VARIABLE: problem` lines like the rest of the env's problems. */
export function notificationEnvProblems(env: NotificationEnv): string[] {
  const problems: string[] = [];
  if (env.SMTP_URL !== undefined && env.NOTIFY_EMAIL_FROM === undefined) {
    problems.push('NOTIFY_EMAIL_FROM: required when SMTP_URL is set (the sender of owner notifications)');
  }
  return problems;
}

/** The same rule for a `superRefine` on the whole env object. */
export function checkNotificationEnv(env: NotificationEnv, ctx: z.RefinementCtx): void {
  for (const problem of notificationEnvProblems(env)) {
    const at = problem.indexOf(':');
    ctx.addIssue({ code: 'custom', path: [problem.slice(0, at)], message: problem.slice(at + 2) });
  }
}

/** What buildNotificationChannels needs, from the parsed env. */
export function notificationSettingsOf(env: NotificationEnv): NotificationSettings {
  return {
    slackBotToken: env.SLACK_BOT_TOKEN,
    slackApiUrl: env.SLACK_API_URL,
    smtpUrl: env.SMTP_URL,
    emailFrom: env.NOTIFY_EMAIL_FROM,
    salesforcePush: env.NOTIFY_SALESFORCE_PUSH,
    salesforceNotificationType: env.SALESFORCE_NOTIFICATION_TYPE,
  };
}
