import express, { type Express, type Router } from 'express';
import type { Logger } from '../log.ts';
import { errorHandler, notFound } from './errors.ts';
import { requestBudgets, securityHeaders } from './security.ts';

export interface AppParts {
  logger: Logger;
  routers: Router[];
}

/** The Express app: routers in order, then one 404 and one error handler. */
export function createHttpApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders());
  for (const budget of requestBudgets()) app.use(budget.path, budget.handler);
  for (const router of parts.routers) app.use(router);
  app.use(notFound);
  app.use(errorHandler(parts.logger));
  return app;
}
