import { caseSafeSuffix } from './ids.ts';

/** 18-char User ids (key prefix 005), so they fit reference fields such as OwnerId like real ones. */
function userId(n: number): string {
  const id15 = `005Hs0000000${String(n).padStart(3, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

/** The user the OAuth token belongs to: every REST API write runs as this user. */
export const INTEGRATION_USER_ID = userId(1);

/** The sales rep behind /_sim edits and conversions (what a person does in the Salesforce UI). */
export const REP_USER_ID = userId(2);

/** Further sales reps, for lead assignment rules that route among several people (round robin). */
export const SALES_REP_IDS = [userId(3), userId(4), userId(5)] as const;

/** The sales manager the sandbox's reps report to (User.ManagerId). */
export const SALES_MANAGER_ID = userId(10);

/** A rep who left: the user stays in the org but inactive, so it cannot own new Leads. */
export const INACTIVE_REP_ID = userId(11);
