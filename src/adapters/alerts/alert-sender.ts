import type { Logger } from '../../log.ts';

/** An SLA event for people: no personal data, only record ids, the rule and the times. */
export interface SlaAlert {
  event: 'sla_warning' | 'sla_breached';
  clock: 'first_touch' | 'disposition';
  leadId: string;
  hubspotContactId: string;
  rule: string;
  dueAt: string;
  lateByMs: number | null;
  text: string;
}

export interface AlertSender {
  /** Resolves when every configured target accepted the alert; rejects naming the targets that did not. */
  send(alert: SlaAlert): Promise<void>;
}

export interface AlertTargets {
  /** A Slack-compatible incoming webhook: receives `{ text }`. */
  slackWebhookUrl?: string | undefined;
  /** A generic webhook: receives the alert as JSON. */
  webhookUrl?: string | undefined;
}

const TIMEOUT_MS = 10_000;

export function createAlertSender(targets: AlertTargets, logger: Logger): AlertSender {
  const log = logger.child({ module: 'alerts' });
  const post = async (url: string, body: unknown, name: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`${name} answered ${response.status}`);
  };
  return {
    async send(alert) {
      const deliveries: Promise<void>[] = [];
      if (targets.slackWebhookUrl) deliveries.push(post(targets.slackWebhookUrl, { text: alert.text }, 'Slack webhook'));
      if (targets.webhookUrl) deliveries.push(post(targets.webhookUrl, alert, 'alert webhook'));
      if (deliveries.length === 0) {
        log.info('SLA alert (no alert webhook configured)', { event: alert.event, clock: alert.clock, leadId: alert.leadId });
        return;
      }
      const failures = (await Promise.allSettled(deliveries)).filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failures.length > 0) throw new Error(`alert not delivered: ${failures.map((f) => (f.reason as Error).message).join('; ')}`);
    },
  };
}
