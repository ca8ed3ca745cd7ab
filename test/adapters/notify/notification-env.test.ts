import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  checkNotificationEnv,
  notificationEnvProblems,
  notificationEnvShape,
  notificationSettingsOf,
} from '../../../src/config/notification-env.ts';

/** The way the lead spreads the fragment into the env schema. */
const schema = z.object({ OTHER: z.string().optional(), ...notificationEnvShape }).superRefine(checkNotificationEnv);
const problemsOf = (env: Record<string, string>) => {
  const result = schema.safeParse(env);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('notification environment', () => {
  it('has working defaults: no Slack, no e-mail, Salesforce push available, type Handoff_Lead_Assigned', () => {
    const env = schema.parse({});
    expect(env).toEqual({
      SLACK_API_URL: 'https://slack.com/api/',
      SALESFORCE_NOTIFICATION_TYPE: 'Handoff_Lead_Assigned',
      NOTIFY_SALESFORCE_PUSH: true,
    });
    expect(notificationSettingsOf(env)).toEqual({
      slackBotToken: undefined,
      slackApiUrl: 'https://slack.com/api/',
      smtpUrl: undefined,
      emailFrom: undefined,
      salesforcePush: true,
      salesforceNotificationType: 'Handoff_Lead_Assigned',
    });
  });

  it('reads a full configuration; empty strings count as unset and the API URL gets its trailing slash', () => {
    const env = schema.parse({
      SLACK_BOT_TOKEN: 'xoxb-123-456-abc',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      SMTP_URL: 'smtps://mailer:p%40ss@smtp.example.com:465',
      NOTIFY_EMAIL_FROM: 'Handoff <handoff@example.com>',
      SALESFORCE_NOTIFICATION_TYPE: 'Lead_Assigned_2',
      NOTIFY_SALESFORCE_PUSH: 'TRUE',
    });
    expect(notificationSettingsOf(env)).toEqual({
      slackBotToken: 'xoxb-123-456-abc',
      slackApiUrl: 'http://127.0.0.1:9999/api/',
      smtpUrl: 'smtps://mailer:p%40ss@smtp.example.com:465',
      emailFrom: 'Handoff <handoff@example.com>',
      salesforcePush: true,
      salesforceNotificationType: 'Lead_Assigned_2',
    });
    expect(schema.parse({ SLACK_BOT_TOKEN: '', SMTP_URL: ' ', SALESFORCE_NOTIFICATION_TYPE: '' })).toMatchObject({
      SLACK_BOT_TOKEN: undefined,
      SMTP_URL: undefined,
      SALESFORCE_NOTIFICATION_TYPE: 'Handoff_Lead_Assigned',
    });
  });

  it('requires NOTIFY_EMAIL_FROM when SMTP_URL is set', () => {
    expect(problemsOf({ SMTP_URL: 'smtp://127.0.0.1:2525' })).toEqual([
      'NOTIFY_EMAIL_FROM: required when SMTP_URL is set (the sender of owner notifications)',
    ]);
    expect(notificationEnvProblems(schema.parse({ SMTP_URL: 'smtp://127.0.0.1:2525', NOTIFY_EMAIL_FROM: 'a@b.example' }))).toEqual([]);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token-secret' }, 'SLACK_BOT_TOKEN: must be a Slack bot token (xoxb-…)'],
    [{ SLACK_API_URL: 'ftp://slack.example.com/api/' }, 'SLACK_API_URL: must be an http(s) URL'],
    [
      { SMTP_URL: 'https://user:hunter2secret@mail.example.com', NOTIFY_EMAIL_FROM: 'a@b.example' },
      'SMTP_URL: must start with smtp:// or smtps://',
    ],
    [{ SMTP_URL: 'not a url hunter2secret', NOTIFY_EMAIL_FROM: 'a@b.example' }, 'SMTP_URL: must be a URL such as'],
    [{ NOTIFY_EMAIL_FROM: 'handoff' }, 'NOTIFY_EMAIL_FROM: must be an address'],
    [{ SALESFORCE_NOTIFICATION_TYPE: 'Bad__Name_' }, 'SALESFORCE_NOTIFICATION_TYPE: must be the DeveloperName'],
    [{ NOTIFY_SALESFORCE_PUSH: 'yes' }, 'NOTIFY_SALESFORCE_PUSH: must be true or false'],
  ])('refuses %j, naming the variable and never echoing a secret', (env, expected) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
    expect(problems.join(' ')).not.toMatch(/secret/);
  });
});
