import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { CompanyStore, type ContactCompanyLink } from './company-store.ts';
import { bearerAuth, CallCounter, endpointKey, FaultInjector, latency, RollingRateLimit, sendHubSpotError } from './guards.ts';
import { type OwnerSeed, OwnerStore, type SimOwner } from './owner-store.ts';
import { associationRoutes, companyRoutes } from './routes/companies.ts';
import { contactRoutes } from './routes/contacts.ts';
import { controlRoutes } from './routes/control.ts';
import { ListStore, listRoutes } from './routes/lists.ts';
import { ownerRoutes } from './routes/owners.ts';
import { propertyRoutes } from './routes/properties.ts';
import { searchRoutes } from './routes/search.ts';
import { ContactStore, type ContactWrite } from './store.ts';
import {
  type CallCounts,
  type ChangeOrigin,
  type FaultPlan,
  type HubSpotSimulatorOptions,
  type SimContact,
  SimHttpError,
} from './types.ts';
import { type DeliveryRecord, WebhookDispatcher } from './webhooks.ts';

export type { OwnerSeed, SimOwner } from './owner-store.ts';
export type { ContactWrite } from './store.ts';
export type { ApiCallSeen, CallCounts, FaultPlan, HubSpotSimulatorOptions, SimContact } from './types.ts';

export interface HubSpotSimulator {
  /** Base URL to hand the adapter, e.g. http://127.0.0.1:54321 */
  url: string;
  close(): Promise<void>;
  /** `writes(id)`: every update call for the contact, ours (changeSource INTEGRATION) and the UI's. */
  contacts: { get(id: string): SimContact | undefined; all(): SimContact[]; writes(id: string): ContactWrite[] };
  /** Creates a contact as a person in the HubSpot UI would (changeSource CRM_UI). */
  createContact(properties: Record<string, string>): string;
  /** Creates a company (only HubSpot's company properties, as the API takes them). */
  createCompany(properties: Record<string, string>): string;
  /** Associates a contact with a company, as its primary company unless `primary: false`. */
  associate(contactId: string, companyId: string, options?: { primary?: boolean }): void;
  companies: { get(id: string): SimContact | undefined; linksOf(contactId: string): ContactCompanyLink[] };
  /** Adds an owner to the portal (as adding a user in HubSpot's settings does); the answer has its id. */
  addOwner(seed: OwnerSeed): SimOwner;
  /** Every owner, active and archived. */
  owners: { all(): SimOwner[] };
  /** Deletes a contact as a person in the UI would; `privacy: true` is the GDPR delete (contact.privacyDeletion too). */
  deleteContact(id: string, options?: { privacy?: boolean }): void;
  /** Changes a contact as `changeSource` (default CRM_UI); UI writes may move lifecycle backwards. */
  updateContact(id: string, properties: Record<string, string>, changeSource?: string): SimContact;
  /** Members of the list with this name (record ids), or undefined when no such list exists. */
  lists: { members(name: string): string[] | undefined };
  readonly calls: CallCounts;
  /** The rolling-window limit and how many 429s it served (GET /_sim/rate-limit from another process). */
  readonly rateLimit: { max: number; windowMs: number; refused: number };
  /** Changes the rolling-window limit; the window and the 429 count start afresh. */
  setRateLimit(limit: { max: number; windowMs: number }): void;
  /** API answers with an error status so far, by status: e.g. how many 429s were served. */
  readonly refused: Record<string, number>;
  injectFaults(plan: FaultPlan): void;
  reset(): void;
  webhooks: { idle(): Promise<void>; deliveries: readonly DeliveryRecord[] };
}

const UI_ORIGIN: ChangeOrigin = { changeSource: 'CRM_UI', sourceId: 'userId:1' };
const DEFAULT_RATE_LIMIT = { windowMs: 10_000, max: 100 };

function errorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (error instanceof SimHttpError) sendHubSpotError(res, error.status, error.category, error.message, error.extra);
  else if ((error as { type?: string }).type === 'entity.parse.failed') {
    sendHubSpotError(res, 400, 'VALIDATION_ERROR', 'Invalid input JSON: the body could not be parsed');
  } else sendHubSpotError(res, 500, 'INTERNAL_ERROR', `Simulator failure: ${(error as Error)?.message ?? String(error)}`);
}

/** Starts an HTTP HubSpot look-alike on loopback. See the brief in the repo for the endpoints. */
export async function startHubSpotSimulator(options: HubSpotSimulatorOptions): Promise<HubSpotSimulator> {
  const now = options.now ?? Date.now;
  const dispatcher = options.webhook ? new WebhookDispatcher(options.webhook, now) : undefined;
  const store = new ContactStore(now, (change) => dispatcher?.record(change));
  const companies = new CompanyStore(now, (contactId, companyId) => store.setMaintained(contactId, 'associatedcompanyid', companyId));
  const lists = new ListStore();
  const owners = new OwnerStore(now, options.owners);
  const counter = new CallCounter();
  const faults = new FaultInjector();
  const limiter = new RollingRateLimit(options.rateLimit ?? DEFAULT_RATE_LIMIT, now);
  const apiOrigin: ChangeOrigin = { changeSource: 'INTEGRATION', sourceId: String(options.webhook?.appId ?? 0) };
  const reset = () => {
    store.reset();
    companies.reset();
    lists.reset();
    owners.reset();
    counter.reset();
    faults.reset();
    limiter.reset();
    dispatcher?.reset();
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '10mb' }));
  app.get('/_sim/rate-limit', (_req: Request, res: Response) => {
    res.json({ ...limiter.limits, refused: limiter.refused });
  });
  app.use(
    controlRoutes({
      store,
      companies,
      owners,
      lists: () => lists.all(),
      uiOrigin: UI_ORIGIN,
      calls: () => counter.snapshot(),
      refused: () => counter.refused(),
      injectFaults: (plan) => faults.inject(plan),
      reset,
    }),
  );
  if (options.onCall) {
    const onCall = options.onCall;
    app.use('/crm', (req, _res, next) => {
      onCall({ at: now(), endpoint: endpointKey(req.method, req.baseUrl + req.path) });
      next();
    });
  }
  app.use(
    '/crm',
    counter.middleware,
    latency(options.latencyMs ?? 0),
    bearerAuth(options.accessToken),
    faults.middleware,
    limiter.middleware,
  );
  app.use(contactRoutes(store, apiOrigin), searchRoutes(store), propertyRoutes(store), listRoutes(lists, store, now));
  app.use(companyRoutes(companies), associationRoutes(store, companies), propertyRoutes(companies, 'companies'));
  app.use(ownerRoutes(owners));
  app.use((req: Request, res: Response) => sendHubSpotError(res, 404, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`));
  app.use(errorHandler);

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    async close() {
      await dispatcher?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    contacts: { get: (id) => store.get(id), all: () => store.all(), writes: (id) => store.writesOf(id) },
    lists: { members: (name) => lists.membersOf(name) },
    createContact: (properties) => store.create(properties, UI_ORIGIN).id,
    createCompany: (properties) => companies.create(properties).id,
    associate(contactId, companyId, options = {}) {
      if (!store.get(contactId)) throw new Error(`no contact ${contactId} in the simulator`);
      companies.associate(contactId, companyId, options.primary !== false);
    },
    companies: { get: (id) => companies.get(id), linksOf: (contactId) => companies.linksOf(contactId) },
    addOwner: (seed) => owners.add(seed),
    owners: { all: () => owners.all() },
    deleteContact(id, options = {}) {
      if (!store.remove(id, UI_ORIGIN, { privacy: options.privacy === true })) throw new Error(`no contact ${id} in the simulator`);
    },
    updateContact(id, properties, changeSource = UI_ORIGIN.changeSource) {
      const origin = changeSource === 'INTEGRATION' ? apiOrigin : { changeSource, sourceId: UI_ORIGIN.sourceId };
      const contact = store.update(id, properties, origin, { forwardOnlyLifecycle: changeSource === 'INTEGRATION' });
      if (!contact) throw new Error(`no contact ${id} in the simulator`);
      return contact;
    },
    get calls() {
      return counter.snapshot();
    },
    get rateLimit() {
      return { ...limiter.limits, refused: limiter.refused };
    },
    setRateLimit: (limit) => limiter.configure(limit),
    get refused() {
      return counter.refused();
    },
    injectFaults: (plan) => faults.inject(plan),
    reset,
    webhooks: {
      idle: async () => dispatcher?.idle(),
      get deliveries() {
        return dispatcher?.deliveries ?? [];
      },
    },
  };
}
