import { SALESFORCE_LIMITS } from '../../adapters/salesforce/limits.ts';
import {
  assignmentRules,
  type DirectoryUser,
  queuesByDeveloperNames,
  usersByEmails,
  usersByIds,
} from '../../adapters/salesforce/org-directory.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';

/** What the checks read: SOQL over the directory, and the notification type's id. */
export type RoutingCheckPort = Pick<SalesforcePort, 'query' | 'customNotificationTypeId'>;

import { ProviderError } from '../../errors.ts';

/** One place a routing file names something in the Salesforce org. */
export interface RoutingReference {
  file: string;
  path: string;
  kind: 'user' | 'queue' | 'assignmentRule' | 'notificationType';
  /** A user: an e-mail address or a User id (005…); a queue: its API name; a rule: its id (01Q…); a type: its API name. */
  value: string;
}

export interface RoutingProblem {
  file: string;
  path: string;
  message: string;
}

const USER_ID = /^005[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/;
const short = (id: string): string => id.slice(0, 15);
const at = (ref: RoutingReference, message: string): RoutingProblem => ({ file: ref.file, path: ref.path, message });

/** Users are told apart by id only: their names and e-mail addresses are personal data and stay out of messages. */
function userProblem(ref: RoutingReference, matches: DirectoryUser[], by: 'id' | 'e-mail address'): RoutingProblem | undefined {
  const active = matches.filter((u) => u.isActive);
  if (active.length === 1) return undefined;
  if (active.length > 1) {
    const ids = active.map((u) => u.id).join(', ');
    return at(ref, `${active.length} active Salesforce users share this e-mail address (${ids}); name one by its user id instead`);
  }
  if (matches.length > 0) {
    const ids = matches.map((u) => u.id).join(', ');
    return at(ref, `the Salesforce user with this ${by} is inactive (${ids}), so it cannot own Leads; reactivate it or name another user`);
  }
  return at(ref, `no Salesforce user has this ${by}${by === 'id' ? ` (${ref.value})` : ''}`);
}

async function userProblems(port: RoutingCheckPort, refs: RoutingReference[]): Promise<RoutingProblem[]> {
  const byId = refs.filter((r) => USER_ID.test(r.value.trim()));
  const byEmail = refs.filter((r) => !USER_ID.test(r.value.trim()) && r.value.includes('@'));
  const neither = refs.filter((r) => !USER_ID.test(r.value.trim()) && !r.value.includes('@'));
  const [found, mailed] = await Promise.all([
    byId.length > 0
      ? usersByIds(
          port,
          byId.map((r) => r.value.trim()),
        )
      : [],
    byEmail.length > 0
      ? usersByEmails(
          port,
          byEmail.map((r) => r.value),
        )
      : [],
  ]);
  return [
    ...neither.map((r) => at(r, `"${r.value}" is neither a Salesforce user id (005…) nor an e-mail address`)),
    ...byId.flatMap(
      (r) =>
        userProblem(
          r,
          found.filter((u) => short(u.id) === short(r.value.trim())),
          'id',
        ) ?? [],
    ),
    ...byEmail.flatMap(
      (r) =>
        userProblem(
          r,
          mailed.filter((u) => u.email.toLowerCase() === r.value.trim().toLowerCase()),
          'e-mail address',
        ) ?? [],
    ),
  ];
}

async function queueProblems(port: RoutingCheckPort, refs: RoutingReference[]): Promise<RoutingProblem[]> {
  if (refs.length === 0) return [];
  const queues = await queuesByDeveloperNames(
    port,
    refs.map((r) => r.value),
  );
  return refs.flatMap((ref) => {
    const queue = queues.find((q) => q.developerName.toLowerCase() === ref.value.trim().toLowerCase());
    if (!queue) return [at(ref, `no queue has the API name "${ref.value}" (Setup → Queues: use the Queue Name, not its label)`)];
    if (!queue.supportsLead)
      return [at(ref, `queue "${queue.developerName}" cannot own Leads: add Lead to its Supported Objects (Setup → Queues)`)];
    return [];
  });
}

async function ruleProblems(port: RoutingCheckPort, refs: RoutingReference[]): Promise<RoutingProblem[]> {
  if (refs.length === 0) return [];
  const wellFormed = refs.filter((r) => SALESFORCE_LIMITS.assignmentRuleHeader.ruleIdPattern.test(r.value.trim()));
  const rules = wellFormed.length > 0 ? await assignmentRules(port) : [];
  return refs.flatMap((ref) => {
    if (!wellFormed.includes(ref))
      return [at(ref, `"${ref.value}" is not an assignment rule id (they are 15 or 18 characters and start with 01Q)`)];
    if (rules.some((rule) => short(rule.id) === short(ref.value.trim()))) return [];
    return [at(ref, `no Lead assignment rule has the id ${ref.value} (Setup → Lead Assignment Rules; the id is in the rule's URL)`)];
  });
}

async function notificationTypeProblems(port: RoutingCheckPort, refs: RoutingReference[]): Promise<RoutingProblem[]> {
  const names = [...new Set(refs.map((r) => r.value.trim()))];
  const found = new Map(await Promise.all(names.map(async (name) => [name, await port.customNotificationTypeId(name)] as const)));
  return refs.flatMap((ref) =>
    found.get(ref.value.trim())
      ? []
      : [
          at(
            ref,
            `no custom notification type has the API name "${ref.value}": deploy salesforce-metadata/ (it has Handoff_Lead_Assigned) or create one in Setup → Custom Notifications`,
          ),
        ],
  );
}

const WHAT: Record<RoutingReference['kind'], string> = {
  user: 'Salesforce users',
  queue: 'Salesforce queues',
  assignmentRule: 'Salesforce lead assignment rules',
  notificationType: 'Salesforce custom notification types',
};

/** A Salesforce that cannot be asked is one problem at the first reference of that kind; anything else is a bug. */
async function orUnreachable(refs: RoutingReference[], check: () => Promise<RoutingProblem[]>): Promise<RoutingProblem[]> {
  const first = refs[0];
  if (!first) return [];
  try {
    return await check();
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return [at(first, `could not look up ${WHAT[first.kind]}: ${error.message}`)];
  }
}

/**
 * Checks every user, queue, assignment rule and notification type a routing file names against the org: a user must
 * be exactly one active user (an e-mail two active users share is ambiguous), a queue must be able to own Leads, a
 * rule must be a Lead assignment rule, a notification type must exist. One lookup per kind, problems in file order.
 */
export async function routingReferenceProblems(port: RoutingCheckPort, refs: RoutingReference[]): Promise<RoutingProblem[]> {
  const of = (kind: RoutingReference['kind']) => refs.filter((r) => r.kind === kind);
  const checks: Array<[RoutingReference[], (refs: RoutingReference[]) => Promise<RoutingProblem[]>]> = [
    [of('user'), (r) => userProblems(port, r)],
    [of('queue'), (r) => queueProblems(port, r)],
    [of('assignmentRule'), (r) => ruleProblems(port, r)],
    [of('notificationType'), (r) => notificationTypeProblems(port, r)],
  ];
  const problems = (await Promise.all(checks.map(([kindRefs, check]) => orUnreachable(kindRefs, () => check(kindRefs))))).flat();
  const order = new Map(refs.map((ref, i) => [`${ref.file}\u0000${ref.path}`, i]));
  const place = (p: RoutingProblem): number => order.get(`${p.file}\u0000${p.path}`) ?? refs.length;
  return problems.sort((a, b) => place(a) - place(b));
}
