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

/** An operations event for whoever runs Handoff (credentials refused, an API budget spent): no personal data. */
export interface OpsAlert {
  event: 'salesforce_auth_failed' | 'salesforce_budget_exhausted' | 'hubspot_budget_exhausted';
  provider: 'hubspot' | 'salesforce';
  since: string;
  text: string;
  detail?: Record<string, unknown>;
}

export interface AlertSender {
  /** Resolves when every configured target accepted the alert; rejects naming the targets that did not. */
  send(alert: SlaAlert): Promise<void>;
  /** The same for an operations alert, to the operations targets (the SLA targets when none are set). */
  sendOps(alert: OpsAlert): Promise<void>;
}

export interface AlertTargets {
  /** A Slack-compatible incoming webhook: receives `{ text }`. */
  slackWebhookUrl?: string | undefined;
  /** A generic webhook: receives the alert as JSON. */
  webhookUrl?: string | undefined;
  /** Operations alerts go here instead, when either is set (so the sales channel does not hear about tokens). */
  opsSlackWebhookUrl?: string | undefined;
  opsWebhookUrl?: string | undefined;
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
  /** Posts to every given target; false when there was none. */
  const deliver = async (slackUrl: string | undefined, webhookUrl: string | undefined, alert: SlaAlert | OpsAlert): Promise<boolean> => {
    const deliveries: Promise<void>[] = [];
    if (slackUrl) deliveries.push(post(slackUrl, { text: alert.text }, 'Slack webhook'));
    if (webhookUrl) deliveries.push(post(webhookUrl, alert, 'alert webhook'));
    if (deliveries.length === 0) return false;
    const failures = (await Promise.allSettled(deliveries)).filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) throw new Error(`alert not delivered: ${failures.map((f) => (f.reason as Error).message).join('; ')}`);
    return true;
  };
  const opsTargets =
    targets.opsSlackWebhookUrl || targets.opsWebhookUrl
      ? { slack: targets.opsSlackWebhookUrl, webhook: targets.opsWebhookUrl }
      : { slack: targets.slackWebhookUrl, webhook: targets.webhookUrl };
  return {
    async send(alert) {
      if (!(await deliver(targets.slackWebhookUrl, targets.webhookUrl, alert))) {
        log.info('SLA alert (no alert webhook configured)', { event: alert.event, clock: alert.clock, leadId: alert.leadId });
      }
    },
    async sendOps(alert) {
      if (!(await deliver(opsTargets.slack, opsTargets.webhook, alert))) {
        log.warn('operations alert (no alert webhook configured)', { event: alert.event, provider: alert.provider, text: alert.text });
      }
    },
  };
}
