import express, { type Request, type Response } from 'express';
import type { FaultSpec, SentNotification } from './context.ts';
import type { WriteLogEntry } from './store.ts';
import type { Row } from './validate.ts';
import type { WriteOverlap } from './write-tracker.ts';

/** Who a control-plane change is made as; default the simulated sales rep (REP_USER_ID). */
export interface ActAs {
  userId?: string;
}

/**
 * What the /_sim control endpoints drive; the same operations the in-process handle exposes.
 * Creates, updates and conversions act like a person in the Salesforce UI: no field-access
 * checks, and they stamp SystemModstamp and LastModifiedById like any save.
 */
export interface SimControls {
  records(object: string): Row[];
  getRecord(object: string, id: string): Row | undefined;
  createRecord(object: string, fields: Row, as?: ActAs): Row;
  /** Creates every row with one shared SystemModstamp, as a bulk edit in one transaction does. */
  createRecords(object: string, rows: Row[], as?: ActAs): Row[];
  updateRecord(object: string, id: string, fields: Row, as?: ActAs): Row;
  convertLead(id: string, as?: ActAs): Row;
  expireAccessTokens(): void;
  /** Revokes the refresh token and every access token issued from it; `restoreRefreshToken` undoes it. */
  revokeRefreshToken(): void;
  restoreRefreshToken(): void;
  /** Sets the org's rolling API usage and/or limit (what Sforce-Limit-Info and /limits report). */
  setApiUsage(usage: { used?: number; limit?: number }): void;
  injectFaults(fault: FaultSpec): void;
  /** Ends an outage early: drops every injected fault still pending. */
  clearFaults(): void;
  readonly calls: Record<string, number>;
  /** Every API save of one record, oldest first: what was written to it, in order. */
  writeLog(object: string, id: string): WriteLogEntry[];
  /** Times two write requests for the same record were in flight at once (see WriteTracker). */
  readonly overlaps: { count: number; records: WriteOverlap[] };
  /** Write requests received and not yet answered. */
  readonly writesInFlight: number;
  /** Custom notifications sent through the REST API (Custom Notification action), oldest first. */
  readonly notifications: SentNotification[];
  reset(): void;
}

function fields(req: Request): Row {
  return (req.body ?? {}) as Row;
}

/** `?as=<User id>` makes the change as that user instead of the simulated rep. */
function actAs(req: Request): ActAs {
  return typeof req.query.as === 'string' && req.query.as !== '' ? { userId: req.query.as } : {};
}

/**
 * Unauthenticated test controls under /_sim, for tests that run the service in another process.
 * The simulator listens on loopback only.
 */
export function controlRouter(controls: SimControls): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '10mb' }));
  router.get('/_sim/records/:object', (req: Request, res: Response) => {
    res.json(controls.records(String(req.params.object)));
  });
  router.get('/_sim/records/:object/:id', (req: Request, res: Response) => {
    const row = controls.getRecord(String(req.params.object), String(req.params.id));
    if (!row) res.status(404).json({ error: 'not found' });
    else res.json(row);
  });
  router.post('/_sim/records/:object', (req: Request, res: Response) => {
    const body: unknown = req.body;
    const object = String(req.params.object);
    if (Array.isArray(body)) res.status(201).json(controls.createRecords(object, body as Row[], actAs(req)));
    else res.status(201).json(controls.createRecord(object, fields(req), actAs(req)));
  });
  router.patch('/_sim/records/:object/:id', (req: Request, res: Response) => {
    res.json(controls.updateRecord(String(req.params.object), String(req.params.id), fields(req), actAs(req)));
  });
  router.post('/_sim/leads/:id/convert', (req: Request, res: Response) => {
    res.json(controls.convertLead(String(req.params.id), actAs(req)));
  });
  router.post('/_sim/faults', (req: Request, res: Response) => {
    controls.injectFaults(fields(req) as unknown as FaultSpec);
    res.status(204).end();
  });
  router.delete('/_sim/faults', (_req: Request, res: Response) => {
    controls.clearFaults();
    res.status(204).end();
  });
  router.get('/_sim/calls', (_req: Request, res: Response) => {
    res.json(controls.calls);
  });
  router.get('/_sim/notifications', (_req: Request, res: Response) => {
    res.json(controls.notifications);
  });
  router.get('/_sim/overlaps', (_req: Request, res: Response) => {
    res.json(controls.overlaps);
  });
  router.get('/_sim/write-log/:object/:id', (req: Request, res: Response) => {
    res.json(controls.writeLog(String(req.params.object), String(req.params.id)));
  });
  router.post('/_sim/reset', (_req: Request, res: Response) => {
    controls.reset();
    res.status(204).end();
  });
  router.post('/_sim/expire-tokens', (_req: Request, res: Response) => {
    controls.expireAccessTokens();
    res.status(204).end();
  });
  router.post('/_sim/refresh-token/revoke', (_req: Request, res: Response) => {
    controls.revokeRefreshToken();
    res.status(204).end();
  });
  router.post('/_sim/refresh-token/restore', (_req: Request, res: Response) => {
    controls.restoreRefreshToken();
    res.status(204).end();
  });
  router.post('/_sim/api-usage', (req: Request, res: Response) => {
    const body = fields(req);
    const number = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined);
    if ((body.used !== undefined && number(body.used) === undefined) || (body.limit !== undefined && number(body.limit) === undefined)) {
      res.status(400).json({ error: 'used and limit must be integers >= 0' });
      return;
    }
    controls.setApiUsage({
      ...(number(body.used) !== undefined ? { used: number(body.used) } : {}),
      ...(number(body.limit) !== undefined ? { limit: number(body.limit) } : {}),
    });
    res.status(204).end();
  });
  return router;
}
