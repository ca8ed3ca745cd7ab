import { LogLevel, type Logger as SlackLogger, WebClient } from '@slack/web-api';
import type { DeliveryOutcome, NotificationRecipient, OwnerNotification } from '../../core/routing/owner-notification.ts';
import type { Logger } from '../../log.ts';
import type { NotificationChannel } from './channel.ts';
import { NOTIFY_LIMITS } from './limits.ts';
import { slackMessageOf } from './slack-message.ts';
import { slackErrorCode, slackFailureOf } from './slack-outcome.ts';

export interface SlackChannelOptions {
  /** Bot token (`xoxb-…`) with chat:write and users:read.email. Never logged, never in an outcome. */
  token: string;
  /** Web API base, `https://slack.com/api/` by default; the sandbox points it at the Slack simulator. */
  apiUrl?: string;
  logger: Logger;
  timeoutMs?: number;
}

/** The WebClient's own log lines go to ours at debug (it already drops tokens from what it prints). */
function clientLogger(log: Logger): SlackLogger {
  const forward = (...msg: unknown[]) => log.debug('slack web client', { detail: msg.map(String).join(' ') });
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: forward,
    error: forward,
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}

type Target = { channel: string; via: 'dm' | 'channel' } | { failure: Exclude<DeliveryOutcome, { status: 'delivered' }> };

/**
 * Slack through the Web API: the owner's own DM when a Slack user has their e-mail (users.lookupByEmail, scope
 * users:read.email; `users_not_found` otherwise), else the recipient's pool channel. The client's retries are off and
 * rate limits come back as errors (retryConfig, rejectRateLimitedCalls): the notification queue does the waiting.
 */
export function createSlackChannel(options: SlackChannelOptions): NotificationChannel {
  const log = options.logger.child({ module: 'notify-slack' });
  const client = new WebClient(options.token, {
    slackApiUrl: options.apiUrl ?? 'https://slack.com/api/',
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? NOTIFY_LIMITS.slack.timeoutMs,
    logger: clientLogger(log),
  });

  const findTarget = async (to: NotificationRecipient): Promise<Target | undefined> => {
    if (to.email) {
      try {
        const found = await client.users.lookupByEmail({ email: to.email });
        // A deactivated account still answers the lookup, but nobody reads its DMs: the pool channel does better.
        if (found.user?.id && !found.user.deleted) return { channel: found.user.id, via: 'dm' };
      } catch (error) {
        if (slackErrorCode(error) !== 'users_not_found') return { failure: slackFailureOf('users.lookupByEmail', error) };
      }
    }
    return to.slackChannel ? { channel: to.slackChannel, via: 'channel' } : undefined;
  };

  return {
    name: 'slack',
    async deliver(notification: OwnerNotification, to: NotificationRecipient): Promise<DeliveryOutcome> {
      const target = await findTarget(to);
      if (!target) {
        const reason = to.email
          ? 'no Slack user has the recipient’s e-mail address and the recipient has no Slack channel'
          : 'the recipient has neither an e-mail address nor a Slack channel';
        return { status: 'undeliverable', reason };
      }
      if ('failure' in target) return target.failure;
      const message = slackMessageOf(notification);
      try {
        const posted = await client.chat.postMessage({ channel: target.channel, text: message.text, blocks: message.blocks });
        log.info('owner notified on Slack', { key: notification.key, leadId: notification.leadId, via: target.via });
        return { status: 'delivered', detail: `Slack ${target.via} ${posted.channel ?? target.channel} ts ${posted.ts ?? '?'}` };
      } catch (error) {
        const failure = slackFailureOf('chat.postMessage', error);
        log.warn('Slack notification not delivered', { key: notification.key, status: failure.status, reason: failure.reason });
        return failure;
      }
    },
  };
}
