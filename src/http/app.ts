import express, { type Express, type Router } from 'express';
import type { Logger } from '../log.ts';
import { errorHandler, notFound } from './errors.ts';
import { requestBudgets, securityHeaders } from './security.ts';

export interface AppParts {
  logger: Logger;
  routers: Router[];
  /**
   * Express's `trust proxy` (TRUST_PROXY): whose X-Forwarded-For names the client, and so req.ip, which the rate
   * limits key on. Default loopback: a proxy on this machine. Behind a load balancer, its addresses or hop count.
   */
  trustProxy?: boolean | number | string[];
}

/** The Express app: routers in order, then one 404 and one error handler. */
export function createHttpApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parts.trustProxy ?? ['loopback']);
  app.use(securityHeaders());
  for (const budget of requestBudgets()) app.use(budget.path, budget.handler);
  for (const router of parts.routers) app.use(router);
  app.use(notFound);
  app.use(errorHandler(parts.logger));
  return app;
}
