import type { AssignmentRuleOption } from './assignment-rules.ts';
import { caseSafeSuffix } from './ids.ts';
import { INTEGRATION_USER_ID, REP_USER_ID, SALES_REP_IDS } from './users.ts';
import type { Row } from './validate.ts';

/** One user of the org; Name is built from FirstName and LastName as Salesforce does. */
export interface SimUserOption {
  id: string;
  firstName?: string;
  lastName: string;
  email: string;
  /** Default: the e-mail address (Salesforce usernames look like one). */
  username?: string;
  /** Default true. */
  isActive?: boolean;
  managerId?: string | null;
}

/** A queue: a Group of Type 'Queue', named by admins by its DeveloperName (the "Queue Name" in Setup). */
export interface SimQueueOption {
  id?: string;
  developerName: string;
  /** The label; default the developer name with spaces. */
  name?: string;
  email?: string | null;
  /** Supported Objects (one QueueSobject row each); default ['Lead']. */
  sobjectTypes?: string[];
}

export interface SimAccountOption {
  id?: string;
  name: string;
  website?: string | null;
  ownerId: string;
}

export interface SimNotificationTypeOption {
  id?: string;
  developerName: string;
  /** CustomNotifTypeName; default the developer name with spaces. */
  name?: string;
  desktop?: boolean;
  mobile?: boolean;
}

export interface DirectoryOptions {
  users?: SimUserOption[];
  queues?: SimQueueOption[];
  accounts?: SimAccountOption[];
  notificationTypes?: SimNotificationTypeOption[];
  assignmentRules?: AssignmentRuleOption[];
}

/** The notification type salesforce-metadata/ deploys (notificationtypes/Handoff_Lead_Assigned). */
export const HANDOFF_NOTIFICATION_TYPE: SimNotificationTypeOption = {
  developerName: 'Handoff_Lead_Assigned',
  name: 'Handoff Lead Assigned',
  desktop: true,
  mobile: true,
};

/** The API's running user: always in the org, whatever the options say. */
const INTEGRATION_USER: SimUserOption = {
  id: INTEGRATION_USER_ID,
  firstName: 'Handoff',
  lastName: 'Integration',
  email: 'integration@handoff.example',
};

/** Without a `users` option: the rep behind /_sim edits and the round-robin reps, all active. */
const DEFAULT_TEAM: SimUserOption[] = [REP_USER_ID, ...SALES_REP_IDS].map((id, i) => ({
  id,
  firstName: 'Rep',
  lastName: String(i + 1),
  email: `rep${i + 1}@handoff.example`,
}));

/**
 * Fixed ids for seeded setup rows, so a reset brings back the same org. The "Hs1" middle keeps them apart from
 * ids the simulator mints for records ("Hs00…", see ids.ts).
 */
export function seedId(prefix: string, n: number): string {
  const id15 = `${prefix}Hs1${String(n).padStart(9, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

const spaced = (developerName: string): string => developerName.replace(/_/g, ' ');

function userRow(user: SimUserOption): Row {
  return {
    Id: user.id,
    Username: user.username ?? user.email,
    FirstName: user.firstName ?? null,
    LastName: user.lastName,
    Name: [user.firstName, user.lastName].filter(Boolean).join(' '),
    Email: user.email,
    IsActive: user.isActive ?? true,
    ManagerId: user.managerId ?? null,
    UserType: 'Standard',
  };
}

/** Rows per directory object, in the order given; checks what the org itself would refuse to hold. */
export function directoryRows(options: DirectoryOptions): Map<string, Row[]> {
  const given = options.users ?? DEFAULT_TEAM;
  const users = given.some((u) => u.id === INTEGRATION_USER_ID) ? given : [INTEGRATION_USER, ...given];
  const userIds = new Set(users.map((u) => u.id));
  for (const user of users) {
    if (!/^005[0-9A-Za-z]{15}$/.test(user.id)) throw new Error(`user ${user.lastName}: id must be an 18-character User id (005…)`);
    if (user.managerId && !userIds.has(user.managerId)) throw new Error(`user ${user.id}: manager ${user.managerId} is not a user`);
  }
  const queues = (options.queues ?? []).map((q, i) => ({ ...q, id: q.id ?? seedId('00G', i + 1) }));
  const names = new Set<string>();
  for (const queue of queues) {
    const key = queue.developerName.toLowerCase();
    if (names.has(key)) throw new Error(`queue ${queue.developerName}: developer names are unique in an org`);
    names.add(key);
  }
  const queueRows = queues.map((q) => ({
    Id: q.id,
    Name: q.name ?? spaced(q.developerName),
    DeveloperName: q.developerName,
    Type: 'Queue',
    Email: q.email ?? null,
  }));
  let supportRow = 0;
  const supports = queues.flatMap((q) =>
    (q.sobjectTypes ?? ['Lead']).map((type) => ({ Id: seedId('03g', ++supportRow), QueueId: q.id, SobjectType: type })),
  );
  for (const account of options.accounts ?? []) {
    // Queues cannot own Accounts: only users do.
    if (!userIds.has(account.ownerId)) throw new Error(`account ${account.name}: owner ${account.ownerId} is not a user`);
  }
  const accounts = (options.accounts ?? []).map((a, i) => ({
    Id: a.id ?? seedId('001', i + 1),
    Name: a.name,
    Website: a.website ?? null,
    OwnerId: a.ownerId,
  }));
  const rules = (options.assignmentRules ?? []).map((r) => ({ Id: r.id, Name: r.name, SobjectType: 'Lead', Active: r.active }));
  const types = (options.notificationTypes ?? [HANDOFF_NOTIFICATION_TYPE]).map((t, i) => ({
    Id: t.id ?? seedId('0ML', i + 1),
    DeveloperName: t.developerName,
    CustomNotifTypeName: t.name ?? spaced(t.developerName),
    MasterLabel: t.name ?? spaced(t.developerName),
    Description: null,
    Desktop: t.desktop ?? true,
    Mobile: t.mobile ?? true,
  }));
  return new Map<string, Row[]>([
    ['User', users.map(userRow)],
    ['Group', queueRows],
    ['QueueSobject', supports],
    ['Account', accounts],
    ['AssignmentRule', rules],
    ['CustomNotificationType', types],
  ]);
}
