import express, { type Router } from 'express';
import type { Metrics } from '../metrics/metrics.ts';

/**
 * GET /metrics in the Prometheus text format. Unauthenticated like /healthz: it carries counters with bounded
 * code labels only, never record ids or personal data.
 */
export function metricsRouter(metrics: Pick<Metrics, 'registry'>): Router {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.type(metrics.registry.contentType).send(text);
  });
  return router;
}
