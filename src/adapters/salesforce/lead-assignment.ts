import type { LeadAssignment } from './salesforce-port.ts';

/** The SALESFORCE_LEAD_ASSIGNMENT setting (validated by the environment schema) as the port's choice. */
export function leadAssignmentOf(setting: string): LeadAssignment {
  if (setting === 'active-rule') return { kind: 'active-rule' };
  if (setting === 'none') return { kind: 'none' };
  return { kind: 'rule', ruleId: setting };
}

export function describeLeadAssignment(assignment: LeadAssignment): string {
  if (assignment.kind === 'active-rule') return "the org's active lead assignment rule";
  if (assignment.kind === 'none') return 'no assignment rule';
  return `assignment rule ${assignment.ruleId}`;
}
