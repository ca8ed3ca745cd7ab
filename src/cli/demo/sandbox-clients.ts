import { z } from 'zod';
import type { KpiReport } from '../../kpis/kpi-types.ts';
import { kpiReport } from '../../kpis/kpi-types.ts';
import { DemoStepFailed } from './wait.ts';

/**
 * What the demo reads and does over HTTP, as a person would: the simulators' /_sim pages (the HubSpot and
 * Salesforce UIs of the sandbox) and the service's admin API. Every answer is checked with zod, so a changed
 * shape fails the demo with the path of what is wrong instead of printing "undefined".
 */
const contactSchema = z.looseObject({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SimContact = z.infer<typeof contactSchema>;
const companySchema = z.looseObject({ id: z.string() });

const listSchema = z.array(z.object({ listId: z.string(), name: z.string(), memberIds: z.array(z.string()) }));

const convertedSchema = z.looseObject({ Id: z.string(), ConvertedOpportunityId: z.string().nullish() });
const leadSchema = z.looseObject({
  Id: z.string(),
  Handoff_HubSpot_Id__c: z.string().nullish(),
  Status: z.string(),
  OwnerId: z.string(),
  CreatedDate: z.string(),
  MQL_Score__c: z.number().nullish(),
  MQL_Breakdown__c: z.string().nullish(),
  MQL_Definition_Version__c: z.string().nullish(),
  SLA_Due__c: z.string().nullish(),
  SLA_Breached__c: z.boolean().nullish(),
  Handoff_Sync_Status__c: z.string().nullish(),
});
export type SimLead = z.infer<typeof leadSchema>;

const taskSchema = z.looseObject({
  Id: z.string(),
  WhoId: z.string().nullish(),
  OwnerId: z.string(),
  Subject: z.string(),
  Status: z.string(),
});
export type SimTask = z.infer<typeof taskSchema>;

const historyEntrySchema = z.looseObject({
  action: z.string(),
  reason: z.string().nullable(),
  score: z.number().nullable(),
  definitionVersion: z.string().nullable(),
  salesforceId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  at: z.string(),
});
/** A routing decision in the record look-up, with how its notifications went (never their content). */
const assignmentSchema = z.looseObject({
  leadId: z.string().nullable(),
  kind: z.string(),
  state: z.string(),
  ruleId: z.string(),
  strategy: z.string(),
  ownerId: z.string().nullable(),
  decision: z.looseObject({ reason: z.string() }),
  notifications: z.array(
    z.looseObject({ channel: z.string(), recipientId: z.string(), state: z.string(), deliveredAt: z.string().nullable() }),
  ),
});
const recordViewSchema = z.looseObject({
  hubspotContactId: z.string(),
  history: z.array(historyEntrySchema),
  routing: z.array(assignmentSchema),
});
export type RecordView = z.infer<typeof recordViewSchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type AssignmentEntry = z.infer<typeof assignmentSchema>;

const userSchema = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  Email: z.string(),
  IsActive: z.boolean().optional(),
  ManagerId: z.string().nullish(),
});
export type SimUser = z.infer<typeof userSchema>;

/** A custom notification the simulated org accepted (the bell and mobile push of the owner). */
const pushSchema = z.looseObject({ at: z.string(), recipientIds: z.array(z.string()), title: z.string(), targetId: z.string().nullable() });

/** A configuration version (GET /api/config/active, drafts, publish): its files and the version of each. */
const configVersionSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  files: z.record(z.string(), z.string()),
  versions: z.record(z.string(), z.string()).nullable(),
});
const validationSchema = z.looseObject({
  ok: z.boolean(),
  problems: z.array(z.looseObject({ file: z.string(), path: z.string(), message: z.string() })),
});
/** GET /api/routing/pools: each pool's members and who the next Lead would go to. */
const poolListSchema = z.looseObject({
  routingVersion: z.string(),
  pools: z.array(
    z.looseObject({
      id: z.string(),
      label: z.string(),
      next: z.object({ member: z.string(), userId: z.string() }).nullable(),
      members: z.array(z.looseObject({ user: z.string(), name: z.string().nullable(), assignedToday: z.number() })),
    }),
  ),
});
export type PoolList = z.infer<typeof poolListSchema>;

const send = (url: string, init: RequestInit = {}) => fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });

export async function request<T>(schema: z.ZodType<T>, url: string, init: RequestInit = {}): Promise<T> {
  return answer(schema, await send(url, init), init.method ?? 'GET');
}

async function answer<T>(schema: z.ZodType<T>, response: Response, method: string): Promise<T> {
  const url = response.url;
  if (!response.ok) throw new Error(`${method} ${new URL(url).pathname} answered ${response.status}`);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw new DemoStepFailed(`unexpected answer from ${new URL(url).pathname}: ${problems}`);
  }
  return parsed.data;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export function hubspotSim(baseUrl: string) {
  return {
    /** As a marketer (or a form) creating a contact in the HubSpot UI: HubSpot then sends its signed webhook. */
    createContact: (properties: Record<string, string>, companyId?: string) =>
      request(contactSchema, `${baseUrl}/_sim/contacts`, json('POST', { properties, ...(companyId ? { companyId } : {}) })),
    /** A company record (size, industry): the contact's primary company once passed to createContact. */
    createCompany: (properties: Record<string, string>) =>
      request(companySchema, `${baseUrl}/_sim/companies`, json('POST', { properties })),
    contact: (id: string) => request(contactSchema, `${baseUrl}/_sim/contacts/${id}`),
    /** Names of the lists the contact is a member of. */
    listsOf: async (id: string) =>
      (await request(listSchema, `${baseUrl}/_sim/lists`)).filter((list) => list.memberIds.includes(id)).map((list) => list.name),
  };
}

export function salesforceSim(baseUrl: string) {
  return {
    leads: () => request(z.array(leadSchema), `${baseUrl}/_sim/records/Lead`),
    lead: (id: string) => request(leadSchema, `${baseUrl}/_sim/records/Lead/${id}`),
    /** As the sales rep saving the Lead in the Salesforce UI. */
    updateLead: (id: string, fields: Record<string, unknown>) =>
      request(leadSchema, `${baseUrl}/_sim/records/Lead/${id}`, json('PATCH', fields)),
    /** As the rep converting the Lead in the Salesforce UI (an Account, a Contact and an Opportunity). */
    convertLead: (id: string) => request(convertedSchema, `${baseUrl}/_sim/leads/${id}/convert`, json('POST', {})),
    /** As the rep saving the Opportunity in the Salesforce UI. */
    updateOpportunity: (id: string, fields: Record<string, unknown>) =>
      request(z.looseObject({ Id: z.string() }), `${baseUrl}/_sim/records/Opportunity/${id}`, json('PATCH', fields)),
    tasks: () => request(z.array(taskSchema), `${baseUrl}/_sim/records/Task`),
    users: () => request(z.array(userSchema), `${baseUrl}/_sim/records/User`),
    /** Custom notifications sent so far (customNotificationAction), as the recipients' bells would show them. */
    notifications: () => request(z.array(pushSchema), `${baseUrl}/_sim/notifications`),
  };
}

export function adminApi(baseUrl: string, token: string) {
  const auth = { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } };
  /** A change, as an admin makes it: X-Admin-Name says who, for the configuration history. */
  const change = (body: unknown): RequestInit => {
    const init = json('POST', body);
    return { ...init, headers: { ...auth.headers, ...(init.headers as Record<string, string>), 'x-admin-name': 'demo admin' } };
  };
  return {
    /** A contact's link and audit trail; undefined while the service knows nothing about it yet. */
    async record(contactId: string): Promise<RecordView | undefined> {
      const response = await send(`${baseUrl}/api/records/${contactId}`, auth);
      if (response.status === 404) return undefined;
      return answer(recordViewSchema, response, 'GET');
    },
    activeConfig: () => request(configVersionSchema, `${baseUrl}/api/config/active`, auth),
    createDraft: (files: Record<string, string>, comment: string, basedOn: string) =>
      request(configVersionSchema, `${baseUrl}/api/config/versions`, change({ files, comment, basedOn })),
    validate: (id: string) => request(validationSchema, `${baseUrl}/api/config/versions/${id}/validate`, change({})),
    publish: (id: string) => request(configVersionSchema, `${baseUrl}/api/config/versions/${id}/publish`, change({})),
    pools: () => request(poolListSchema, `${baseUrl}/api/routing/pools`, auth),
    kpis: (from: string, to: string): Promise<KpiReport> =>
      request(kpiReport, `${baseUrl}/api/kpis?${new URLSearchParams({ from, to })}`, auth),
  };
}

export type HubSpotSim = ReturnType<typeof hubspotSim>;
export type SalesforceSim = ReturnType<typeof salesforceSim>;
export type AdminApi = ReturnType<typeof adminApi>;
