import { z } from 'zod';
import { request } from './sandbox-clients.ts';

/**
 * Where the reps of the sandbox are told about a new Lead, read as they would read it: the local Slack
 * workspace (its /_sim/messages page) and the local mail catcher (/_sim/mail). The service logs both URLs
 * when it starts in sandbox mode.
 */
const slackMessageSchema = z.looseObject({
  channel: z.string(),
  /** Set for a direct message: the user it was posted to. */
  user: z.string().optional(),
  text: z.string().nullish(),
  ts: z.string(),
});
export type SlackSimMessage = z.infer<typeof slackMessageSchema>;

const caughtMailSchema = z.looseObject({
  to: z.array(z.string()),
  subject: z.string().nullish(),
  text: z.string().nullish(),
  receivedAt: z.string(),
});
export type CaughtMail = z.infer<typeof caughtMailSchema>;

export function slackInbox(messagesUrl: string) {
  return {
    messages: async () => (await request(z.object({ messages: z.array(slackMessageSchema) }), messagesUrl)).messages,
  };
}

export function mailInbox(caughtUrl: string) {
  return {
    messages: async () => (await request(z.object({ messages: z.array(caughtMailSchema) }), caughtUrl)).messages,
  };
}

export type SlackInbox = ReturnType<typeof slackInbox>;
export type MailInbox = ReturnType<typeof mailInbox>;
