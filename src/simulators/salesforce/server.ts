import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { SimApiError } from './api-error.ts';
import { type AssignmentRuleOption, AssignmentRules } from './assignment-rules.ts';
import { collectionsRouter } from './collections.ts';
import { compositeRouter } from './composite.ts';
import { type ApiCallSeen, emptyCalls, type FaultSpec, type SimContext } from './context.ts';
import { controlRouter, type SimControls } from './control.ts';
import { describeRouter } from './describe.ts';
import { type DirectoryOptions, directoryRows } from './directory.ts';
import { dataGate } from './gate.ts';
import { convertLead } from './lead-convert.ts';
import { limitsRouter } from './limits.ts';
import { actionsRouter } from './notifications.ts';
import { ORG_ID, oauthRouter } from './oauth.ts';
import { type PubSubSimulator, startPubSubSimulator } from './pubsub/pubsub-server.ts';
import type { CdcEntity } from './pubsub/topics.ts';
import { queryRouter } from './query.ts';
import { buildSchema, type CustomFieldOption, DEFAULT_LEAD_STATUS, DEFAULT_LEAD_STATUSES, packageFields } from './schema.ts';
import { sobjectsRouter } from './sobjects.ts';
import { Store } from './store.ts';
import { INACTIVE_REP_ID, INTEGRATION_USER_ID, REP_USER_ID, SALES_MANAGER_ID, SALES_REP_IDS } from './users.ts';
import type { Row } from './validate.ts';
import { trackWrites, WriteTracker } from './write-tracker.ts';

export type { AssignmentRuleOption } from './assignment-rules.ts';
export { CALL_OPTIONS_HEADER } from './change-origin.ts';
export type { ApiCallSeen, CallKind, FaultSpec, SentNotification } from './context.ts';
export type { ActAs } from './control.ts';
export type { DirectoryOptions, SimAccountOption, SimNotificationTypeOption, SimQueueOption, SimUserOption } from './directory.ts';
export { HANDOFF_NOTIFICATION_TYPE } from './directory.ts';
export type { PubSubSimulator } from './pubsub/pubsub-server.ts';
export type { CdcEntity } from './pubsub/topics.ts';
export type { CustomFieldOption } from './schema.ts';
export type { WriteLogEntry } from './store.ts';
export type { WriteOverlap } from './write-tracker.ts';
export { INACTIVE_REP_ID, INTEGRATION_USER_ID, REP_USER_ID, SALES_MANAGER_ID, SALES_REP_IDS };

/**
 * The org's directory comes from `users` (default: the reps of users.ts; the integration user is always there),
 * `queues`, `accounts` (owned, with websites), `notificationTypes` (default: the package's Handoff_Lead_Assigned)
 * and `assignmentRules` (also queryable as AssignmentRule rows). See sandbox-directory.ts for a whole team.
 */
export interface SalesforceSimulatorOptions extends Omit<DirectoryOptions, 'assignmentRules'> {
  port?: number;
  host?: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** The JWT bearer flow: the public key (PEM or KeyObject) of the app's certificate, and the pre-authorized username. */
  jwt?: { publicKey: string | KeyObject; username: string };
  /** The client credentials flow has a run-as user; default true. */
  clientCredentialsUser?: boolean;
  /** The latest version the org offers; default the current release, 66.0 (Spring '26). */
  apiVersion?: string;
  latencyMs?: number;
  queryBatchSize?: number;
  /** Lead Status picklist values; default every status in the shipped status map. */
  leadStatuses?: string[];
  /** The Status a new Lead gets when none is sent (if it is in leadStatuses; else their first). */
  defaultLeadStatus?: string;
  apiLimit?: number;
  /** Replaces the package's custom fields entirely (then rejectionReasons and lossReasons have no effect). */
  customFields?: CustomFieldOption[];
  /** Taxonomy codes: makes Rejection_Reason__c a restricted picklist of them; default unrestricted. */
  rejectionReasons?: string[];
  /** revenue.yaml's loss-reason codes: makes Opportunity.Handoff_Loss_Reason__c a restricted picklist of them. */
  lossReasons?: string[];
  /** One SystemModstamp per collections request (Salesforce's transaction behaviour); default one per record. */
  stampPerRequest?: boolean;
  /** The org's lead assignment rules (at most one active), run on API writes per the Sforce-Auto-Assign header; default none. */
  assignmentRules?: AssignmentRuleOption[];
  /**
   * Sales Engagement (High Velocity Sales) is on: the Lead has FirstCallDateTime, FirstEmailDateTime and the
   * cadence fields. Default off, as in a standard Enterprise org, where a query naming them fails INVALID_FIELD.
   */
  salesEngagement?: boolean;
  now?: () => number;
  /** Told of every data call (under /services/data) as it arrives, before the latency. */
  onCall?: (call: ApiCallSeen) => void;
  /**
   * Also serve the Pub/Sub API (Lead and Opportunity change events over gRPC on loopback); off by default.
   * `entities`: the objects selected for Change Data Capture (default both); the others' channels are not found.
   */
  pubSub?: { keepAliveMs?: number; retainEvents?: number; entities?: CdcEntity[] };
}

export interface SalesforceSimulator extends SimControls {
  /** Both the login URL and the instance URL. */
  url: string;
  /** The Pub/Sub API, when `pubSub` was asked for. */
  pubSub?: PubSubSimulator;
  close(): Promise<void>;
}

function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

/** Every whole-request failure is rendered in Salesforce's shape. */
function renderError(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (error instanceof SimApiError) {
    res.status(error.status).json(error.body());
    return;
  }
  const parseFailed = (error as { type?: string }).type === 'entity.parse.failed';
  if (parseFailed) {
    res.status(400).json([{ message: 'Unexpected character in JSON body', errorCode: 'JSON_PARSER_ERROR' }]);
    return;
  }
  res.status(500).json([{ message: (error as Error).message ?? 'unexpected error', errorCode: 'UNKNOWN_EXCEPTION' }]);
}

/** The oldest version an org still serves: versions 21.0 to 30.0 were retired in Summer '25. */
const OLDEST_VERSION = 31;
/** Release names cycle Summer, Winter, Spring; v31.0 was Summer '14 (REST API Developer Guide, "Versions"). */
function releaseLabel(major: number): string {
  const step = major - OLDEST_VERSION;
  const season = ['Summer', 'Winter', 'Spring'][step % 3];
  const year = 14 + Math.floor((step + 2) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

/** REST API "Versions" (`GET /services/data/`): every version the org offers, oldest first, as label/url/version. */
function versions(context: SimContext) {
  return (_req: Request, res: Response): void => {
    const latest = Math.floor(Number(context.settings.apiVersion));
    const list = [];
    for (let major = OLDEST_VERSION; major <= latest; major++) {
      list.push({ label: releaseLabel(major), url: `/services/data/v${major}.0`, version: `${major}.0` });
    }
    res.json(list);
  };
}

/** Only versions the simulated org supports; anything newer is 404 like an unknown path. */
function checkVersion(context: SimContext) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const match = /^v(\d+\.\d)$/.exec(String(req.params.version));
    if (!match?.[1] || Number(match[1]) > Number(context.settings.apiVersion) || Number(match[1]) < OLDEST_VERSION) {
      next(new SimApiError(404, 'NOT_FOUND', 'The requested resource does not exist'));
      return;
    }
    next();
  };
}

function buildApp(context: SimContext, controls: SimControls): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(oauthRouter(context));
  app.use(controlRouter(controls));
  // The body is read first so a write is tracked as in flight for its whole duration, latency included.
  app.use('/services/data', express.json({ limit: '50mb' }), trackWrites(context), dataGate(context));
  app.get(['/services/data', '/services/data/'], versions(context));
  const data = express.Router({ mergeParams: true });
  data.use(checkVersion(context));
  data.use(
    queryRouter(context),
    describeRouter(context),
    sobjectsRouter(context),
    collectionsRouter(context),
    compositeRouter(context),
    limitsRouter(context),
    actionsRouter(context),
  );
  app.use('/services/data/:version', data);
  app.use('/services/data', (_req: Request, res: Response) => {
    res.status(404).json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
  app.use(renderError);
  return app;
}

function checkFault(fault: FaultSpec): FaultSpec {
  if (!Number.isInteger(fault.status) || typeof fault.errorCode !== 'string' || !Number.isInteger(fault.count) || fault.count < 1) {
    throw new Error('a fault needs { status: integer, errorCode: string, count: integer >= 1 }');
  }
  return { ...fault };
}

/** Defaults, then the fields as given: what a UI save of a new record does. */
function createAs(store: Store, object: string, fields: Row, userId: string): Row {
  const def = store.object(object);
  const values = store.normalize(def.name, fields);
  const defaults = Object.fromEntries(
    def.fields.filter((f) => f.defaultValue !== undefined && values[f.name] === undefined).map((f) => [f.name, f.defaultValue]),
  );
  const { id } = store.insert(def, { ...defaults, ...values }, userId);
  return store.get(def.name, String(id)) ?? {};
}

function controlsFor(context: SimContext): SimControls {
  const { store } = context;
  const user = (as?: { userId?: string }): string => as?.userId ?? REP_USER_ID;
  const initialApiLimit = context.settings.apiLimit;
  return {
    records: (object) => store.all(object),
    getRecord: (object, id) => store.get(object, id),
    createRecord: (object, fields, as) => createAs(store, object, fields, user(as)),
    createRecords: (object, rows, as) => store.transaction(() => rows.map((fields) => createAs(store, object, fields, user(as)))),
    updateRecord: (object, id, fields, as) => {
      const def = store.object(object);
      store.write(def, id, store.normalize(def.name, fields), user(as));
      return store.get(def.name, id) ?? {};
    },
    convertLead: (id, as) => convertLead(store, id, user(as)),
    expireAccessTokens: () => context.tokens.clear(),
    revokeRefreshToken: () => {
      context.settings.refreshTokenRevoked = true;
      context.tokens.clear();
    },
    restoreRefreshToken: () => {
      context.settings.refreshTokenRevoked = false;
    },
    setApiUsage: ({ used, limit }) => {
      if (used !== undefined) context.apiUsed = used;
      if (limit !== undefined) context.settings.apiLimit = limit;
    },
    injectFaults: (fault) => {
      context.faults.push(checkFault(fault));
    },
    clearFaults: () => {
      context.faults = [];
    },
    get calls() {
      return { ...context.calls };
    },
    writeLog: (object, id) => store.writesOf(object, id),
    get overlaps() {
      return { count: context.writes.overlaps.length, records: [...context.writes.overlaps] };
    },
    get writesInFlight() {
      return context.writes.writesInFlight;
    },
    get notifications() {
      return context.notifications.map((sent) => ({ ...sent, recipientIds: [...sent.recipientIds] }));
    },
    reset: () => {
      store.reset();
      context.writes.clearOverlaps();
      context.calls = emptyCalls();
      context.notifications = [];
      context.faults = [];
      context.cursors.clear();
      context.apiUsed = 0;
      context.settings.apiLimit = initialApiLimit;
      context.settings.refreshTokenRevoked = false;
    },
  };
}

const asPublicKey = (key: string | KeyObject): KeyObject => (typeof key === 'string' ? createPublicKey(key) : key);

/** Starts a Salesforce REST API look-alike on loopback for tests and local runs. */
export async function startSalesforceSimulator(options: SalesforceSimulatorOptions): Promise<SalesforceSimulator> {
  const host = options.host ?? '127.0.0.1';
  const settings = {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    refreshToken: options.refreshToken,
    apiVersion: options.apiVersion ?? '66.0',
    latencyMs: options.latencyMs ?? 0,
    queryBatchSize: options.queryBatchSize ?? 2000,
    apiLimit: options.apiLimit ?? 15000,
    refreshTokenRevoked: false,
    clientCredentialsUser: options.clientCredentialsUser ?? true,
    ...(options.jwt
      ? { jwt: { publicKey: asPublicKey(options.jwt.publicKey), username: options.jwt.username, now: options.now ?? Date.now } }
      : {}),
    stampPerRequest: options.stampPerRequest ?? false,
  };
  const schema = buildSchema(
    options.leadStatuses ?? DEFAULT_LEAD_STATUSES,
    options.customFields ?? packageFields(options.rejectionReasons, options.lossReasons),
    options.defaultLeadStatus ?? DEFAULT_LEAD_STATUS,
    { salesEngagement: options.salesEngagement ?? false },
  );
  const context: SimContext = {
    settings,
    store: new Store(schema, options.now, new AssignmentRules(options.assignmentRules)),
    baseUrl: '',
    tokens: new Set(),
    calls: emptyCalls(),
    faults: [],
    apiUsed: 0,
    cursors: new Map(),
    writes: new WriteTracker(),
    notifications: [],
    ...(options.onCall ? { onCall: options.onCall } : {}),
  };
  context.store.seed(directoryRows(options));
  const controls = controlsFor(context);
  const server = await listen(buildApp(context, controls), options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  context.baseUrl = `http://${host}:${port}`;
  const pubSub = options.pubSub
    ? await startPubSubSimulator({
        ...options.pubSub,
        store: context.store,
        host,
        auth: { tokens: context.tokens, instanceUrl: () => context.baseUrl, tenantId: ORG_ID },
      })
    : undefined;
  const closeHttp = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  const close = async (): Promise<void> => {
    await pubSub?.close();
    await closeHttp();
  };
  // The controls object is the prototype so its live `calls` getter keeps working.
  return Object.create(controls, {
    url: { value: context.baseUrl, enumerable: true },
    pubSub: { value: pubSub, enumerable: true },
    close: { value: close },
  }) as SalesforceSimulator;
}
