import { SimApiError } from './api-error.ts';

/**
 * Lead assignment rules and the REST API's Assignment Rule header, as the REST API Developer Guide
 * ("Assignment Rule Header") describes them:
 * - header `Sforce-Auto-Assign` absent or `TRUE` (case-insensitive): the org's active rule runs on every
 *   create AND update of a Lead;
 * - `FALSE`: no rule runs;
 * - an AssignmentRule id: that rule runs for created Leads only (the doc names created records alone for
 *   this value); per the SOAP API's AssignmentRuleHeader the rule may be inactive, and an id that is not in
 *   Salesforce id form fails the call with MALFORMED_ID.
 * A rule either assigns one user or deals the Leads out in turn (round robin). The docs do not say what a
 * well-formed id of no rule in the org does; the simulator then runs no rule.
 */
export interface AssignmentRuleOption {
  /** An AssignmentRule id: key prefix 01Q, 15 or 18 characters. */
  id: string;
  name: string;
  /** At most one rule per object is active in Salesforce. */
  active: boolean;
  /** One User id, or several dealt out in turn. */
  assignTo: string | string[];
}

/** What one write request asked for in its header. */
export type AssignmentDirective = { kind: 'active' } | { kind: 'none' } | { kind: 'rule'; id: string };

export const ASSIGNMENT_HEADER = 'Sforce-Auto-Assign';

const RULE_ID = /^01Q[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/;

/** Reads the header of one request; an unreadable value fails the whole call as Salesforce does. */
export function readAssignmentHeader(value: string | undefined): AssignmentDirective {
  if (value === undefined || value.trim() === '' || value.trim().toUpperCase() === 'TRUE') return { kind: 'active' };
  if (value.trim().toUpperCase() === 'FALSE') return { kind: 'none' };
  if (RULE_ID.test(value.trim())) return { kind: 'rule', id: value.trim() };
  throw new SimApiError(400, 'MALFORMED_ID', `${ASSIGNMENT_HEADER}: invalid assignment rule id: ${value}`);
}

function checkRules(rules: AssignmentRuleOption[]): AssignmentRuleOption[] {
  for (const rule of rules) {
    if (!RULE_ID.test(rule.id)) throw new Error(`assignment rule ${rule.name}: id must be 01Q plus 12 or 15 characters, got "${rule.id}"`);
    const users = Array.isArray(rule.assignTo) ? rule.assignTo : [rule.assignTo];
    if (users.length === 0) throw new Error(`assignment rule ${rule.name}: assignTo needs at least one user`);
  }
  if (rules.filter((rule) => rule.active).length > 1) throw new Error('at most one lead assignment rule can be active');
  return rules.map((rule) => ({ ...rule }));
}

/** The org's lead assignment rules; decides the owner a saved Lead gets, if any rule runs. */
export class AssignmentRules {
  private readonly rules: AssignmentRuleOption[];
  private turns = new Map<string, number>();

  constructor(rules: AssignmentRuleOption[] = []) {
    this.rules = checkRules(rules);
  }

  /** The owner the rule that runs gives this Lead, or undefined when no rule runs. */
  ownerFor(directive: AssignmentDirective, operation: 'create' | 'update'): string | undefined {
    const rule = this.ruleFor(directive, operation);
    if (!rule) return undefined;
    const users = Array.isArray(rule.assignTo) ? rule.assignTo : [rule.assignTo];
    const turn = this.turns.get(rule.id) ?? 0;
    this.turns.set(rule.id, turn + 1);
    return users[turn % users.length];
  }

  /** Round robins start over (the simulator's reset). */
  reset(): void {
    this.turns.clear();
  }

  private ruleFor(directive: AssignmentDirective, operation: 'create' | 'update'): AssignmentRuleOption | undefined {
    if (directive.kind === 'none') return undefined;
    if (directive.kind === 'active') return this.rules.find((rule) => rule.active);
    if (operation !== 'create') return undefined;
    // 15- and 18-character forms of one id name the same rule.
    return this.rules.find((rule) => rule.id.slice(0, 15) === directive.id.slice(0, 15));
  }
}
