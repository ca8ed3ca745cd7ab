import express, { type Request, type Router } from 'express';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyV3 } from '../../adapters/hubspot/signature.ts';
import type { HubSpotWebhookEvent } from '../../adapters/hubspot/webhook-event.ts';
import type { IngestResult } from '../../jobs/ingest-webhooks.ts';
import type { Logger } from '../../log.ts';
import type { StageMetrics } from '../../metrics/stage-metrics.ts';
import type { RejectedEventInput } from '../../store/rejected-events.ts';
import { HttpError } from '../errors.ts';
import { screenDelivery } from './screen-delivery.ts';

export interface HubSpotWebhookDeps {
  clientSecret: string;
  /** The URL HubSpot calls, without the path: the signature covers the full URI HubSpot used. */
  publicBaseUrl: string;
  /** Stores the good events and records the refused ones (see screen-delivery.ts). */
  ingest: (events: HubSpotWebhookEvent[], rejected: RejectedEventInput[]) => Promise<IngestResult>;
  logger: Logger;
  now?: () => number;
  maxBodyBytes?: string;
  /** Told each delivery's `ingest` stage: request received (before its body is read) → inbox rows committed. */
  metrics?: StageMetrics;
}

/** HubSpot decodes these escapes in the URI before signing; we must do the same before comparing. */
const SIGNED_URI_DECODES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function signedUriOf(publicBaseUrl: string, originalUrl: string): string {
  const decoded = originalUrl.replace(/%[0-9A-F]{2}/gi, (encoded) => SIGNED_URI_DECODES[encoded.toUpperCase()] ?? encoded);
  return `${publicBaseUrl.replace(/\/+$/, '')}${decoded}`;
}

/**
 * POST /webhooks/hubspot: raw bytes → signature → JSON → each event checked on its own → durable inbox → 200.
 * All work happens later, so HubSpot is answered well inside its timeout and a crash after the answer loses
 * nothing. An event that cannot be accepted is recorded as rejected; the rest of its delivery is stored.
 */
export function hubspotWebhookRouter(deps: HubSpotWebhookDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ module: 'webhook.hubspot' });
  router.post(
    '/webhooks/hubspot',
    (_req, res, next) => {
      res.locals.receivedAtMs = performance.now();
      next();
    },
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
        const text = body.toString('utf8');
        // JSON can only carry U+0000 as the escape \u0000, so without one there is nothing to replace.
        const { events, rejected } = screenDelivery(parseJson(text), { mayHoldNul: text.includes('\\u0000') });
        const result = await deps.ingest(events, rejected);
        // Once per event stored or redelivered: each waited this long for its inbox row.
        deps.metrics?.stage('ingest', (performance.now() - Number(res.locals.receivedAtMs)) / 1000, events.length);
        const received = events.length + rejected.length;
        // debug, not info: HubSpot delivers hundreds of these a second in a burst, and one JSON line each
        // costs the event loop that answers them (refusals stay at warn).
        log.debug('webhook accepted', {
          events: received,
          stored: result.stored,
          duplicates: result.duplicates,
          rejected: rejected.length,
        });
        res.status(200).json({ received, stored: result.stored, duplicates: result.duplicates, rejected: rejected.length });
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}

/**
 * V8's JSON.parse does not recurse, so any nesting parses; what could not take it (zod, JSON.stringify,
 * PostgreSQL) only sees an event once screenDelivery has bounded its depth.
 */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `request body is not valid JSON: ${(error as Error).message}`);
  }
}
