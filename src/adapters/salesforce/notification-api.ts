import { actionFailure } from './action-answer.ts';
import type { HttpCall } from './client.ts';
import { fromApiError } from './errors.ts';
import { SALESFORCE_LIMITS } from './limits.ts';
import type { CustomNotificationInput } from './salesforce-port.ts';
import { soqlString } from './soql.ts';

type Send = <T>(operation: string, call: HttpCall) => Promise<T>;
type Query = <T extends Record<string, unknown>>(soql: string) => Promise<T[]>;

/** Our input in the action's names (Actions Developer Guide, "Custom Notification Actions", Inputs). */
function actionInput(input: CustomNotificationInput): Record<string, unknown> {
  return {
    customNotifTypeId: input.notificationTypeId,
    recipientIds: input.recipientIds,
    title: input.title,
    body: input.body,
    targetId: input.targetId,
  };
}

/**
 * Sends one custom notification. The action answers HTTP 200 or 400 with `isSuccess: false` and the reason in
 * `errors`; either way that reason becomes our provider error (retryable when its code is a transient one).
 */
export async function sendCustomNotification(send: Send, base: string, input: CustomNotificationInput): Promise<void> {
  await send<unknown>('salesforce.sendCustomNotification', {
    method: 'POST',
    url: `${base}/${SALESFORCE_LIMITS.customNotification.path}`,
    body: { inputs: [actionInput(input)] },
    refusal: (answer) => {
      const failed = actionFailure(answer);
      return failed ? fromApiError(failed.code, failed.message, answer) : undefined;
    },
  });
}

/** CustomNotificationType (Object Reference, API 47.0+) is queryable by its DeveloperName. */
export async function customNotificationTypeId(query: Query, developerName: string): Promise<string | undefined> {
  const rows = await query<{ Id: string }>(
    `SELECT Id FROM CustomNotificationType WHERE DeveloperName = ${soqlString(developerName)} LIMIT 1`,
  );
  return rows[0]?.Id;
}
