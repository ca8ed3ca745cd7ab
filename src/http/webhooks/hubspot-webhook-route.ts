import express, { type Request, type Router } from 'express';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyV3 } from '../../adapters/hubspot/signature.ts';
import { withoutNul } from '../../core/storable-text.ts';
import type { Logger } from '../../log.ts';
import { HttpError, describeIssues } from '../errors.ts';
import { hubspotWebhookBatchSchema, type HubSpotWebhookEvent } from '../../adapters/hubspot/webhook-event.ts';
import type { IngestResult } from '../../jobs/ingest-webhooks.ts';

export interface HubSpotWebhookDeps {
  clientSecret: string;
  /** The URL HubSpot calls, without the path: the signature covers the full URI HubSpot used. */
  publicBaseUrl: string;
  ingest: (events: HubSpotWebhookEvent[]) => Promise<IngestResult>;
  logger: Logger;
  now?: () => number;
  maxBodyBytes?: string;
}

/** HubSpot decodes these escapes in the URI before signing; we must do the same before comparing. */
const SIGNED_URI_DECODES: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function signedUriOf(publicBaseUrl: string, originalUrl: string): string {
  const decoded = originalUrl.replace(/%[0-9A-F]{2}/gi, (escape) => SIGNED_URI_DECODES[escape.toUpperCase()] ?? escape);
  return `${publicBaseUrl.replace(/\/+$/, '')}${decoded}`;
}

/**
 * POST /webhooks/hubspot: raw bytes → signature → zod → durable inbox → 200. All work happens later,
 * so HubSpot is answered well inside its timeout and a crash after the answer loses nothing.
 */
export function hubspotWebhookRouter(deps: HubSpotWebhookDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ module: 'webhook.hubspot' });
  router.post(
    '/webhooks/hubspot',
    express.raw({ type: () => true, limit: deps.maxBodyBytes ?? '1mb' }),
    async (req: Request, res, next) => {
      try {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const check = verifyV3(
          {
            method: req.method,
            uri: signedUriOf(deps.publicBaseUrl, req.originalUrl),
            body,
            timestamp: String(req.get(TIMESTAMP_HEADER) ?? ''),
            signature: req.get(SIGNATURE_HEADER),
          },
          deps.clientSecret,
          now(),
        );
        if (!check.ok) {
          log.warn('webhook refused', { reason: check.reason });
          throw new HttpError(401, 'invalid_signature', `webhook signature rejected: ${check.reason}`);
        }
        const events = parseBatch(body);
        const result = await deps.ingest(events);
        // debug, not info: HubSpot delivers hundreds of these a second in a burst, and one JSON line each
        // costs the event loop that answers them (refusals stay at warn).
        log.debug('webhook accepted', { events: events.length, stored: result.stored, duplicates: result.duplicates });
        res.status(200).json({ received: events.length, stored: result.stored, duplicates: result.duplicates });
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}

function parseBatch(body: Buffer): HubSpotWebhookEvent[] {
  let json: unknown;
  try {
    const text = body.toString('utf8');
    // PostgreSQL refuses U+0000 (see withoutNul); JSON can only carry it as the escape \u0000, so without one there is nothing to replace.
    json = text.includes('\\u0000') ? withoutNul(JSON.parse(text)) : JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `request body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = hubspotWebhookBatchSchema.safeParse(json);
  if (!parsed.success) {
    throw new HttpError(400, 'invalid_webhook', 'webhook body does not match the HubSpot event format', describeIssues(parsed.error.issues));
  }
  return parsed.data;
}
