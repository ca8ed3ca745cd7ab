import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** The SLA alert the service posts to SLA_ALERT_WEBHOOK_URL (src/adapters/alerts/alert-sender.ts). */
const slaAlertSchema = z.object({
  event: z.enum(['sla_warning', 'sla_breached']),
  clock: z.enum(['first_touch', 'disposition']),
  leadId: z.string(),
  hubspotContactId: z.string(),
  rule: z.string(),
  dueAt: z.string(),
  lateByMs: z.number().nullable(),
  text: z.string(),
});
export type ReceivedAlert = z.infer<typeof slaAlertSchema> & { receivedAt: Date };

export interface AlertInbox {
  url: string;
  alerts: ReceivedAlert[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * A loopback stand-in for the team's alert channel: the demo points the service's generic SLA alert webhook
 * here, so a breach is seen as it is delivered. A body that is not an alert gets a 400 naming the path.
 */
export async function startAlertInbox(): Promise<AlertInbox> {
  const alerts: ReceivedAlert[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) req.destroy();
    });
    req.on('end', () => {
      const parsed = req.method === 'POST' ? slaAlertSchema.safeParse(safeJson(body)) : undefined;
      if (parsed?.success) {
        alerts.push({ ...parsed.data, receivedAt: new Date() });
        res.writeHead(204).end();
        return;
      }
      const problem = parsed
        ? parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')
        : 'POST an SLA alert';
      res
        .writeHead(parsed ? 400 : 405, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'bad_alert', message: problem } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sla-alerts`,
    alerts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
