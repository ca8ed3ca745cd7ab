import { ProviderError } from '../../errors.ts';
import { actionFailure } from './action-answer.ts';
import type { HttpCall } from './client.ts';
import { fromApiError } from './errors.ts';
import { SALESFORCE_LIMITS } from './limits.ts';
import type { CustomNotificationInput, NotificationSendResult } from './salesforce-port.ts';
import { chunk, soqlString } from './soql.ts';

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

/**
 * Sends many notifications, up to `inputsPerCall` inputs per request, and reads each input's answer (Actions Developer
 * Guide: one `{ actionName, errors, isSuccess, outputValues }` per input, in input order). A request whose status is
 * not 2xx but whose body still answers every input (one refused input can fail the status) is read the same way,
 * so a refused input fails alone and the delivered ones are not sent again.
 */
export async function sendCustomNotifications(
  send: Send,
  base: string,
  inputs: CustomNotificationInput[],
): Promise<NotificationSendResult[]> {
  const results: NotificationSendResult[] = [];
  for (const part of chunk(inputs, SALESFORCE_LIMITS.customNotification.inputsPerCall)) {
    let body: unknown;
    try {
      body = await send<unknown>('salesforce.sendCustomNotifications', {
        method: 'POST',
        url: `${base}/${SALESFORCE_LIMITS.customNotification.path}`,
        body: { inputs: part.map(actionInput) },
      });
    } catch (error) {
      body = answersIn(error, part.length);
      if (body === undefined) throw error;
    }
    results.push(...perInput(body, part.length));
  }
  return results;
}

/**
 * The per-input answers a refused request carried in its body, if all are there: jsforce keeps an array body as the
 * error's `data` (MULTIPLE_API_ERRORS), or, when it could not read it, as the error's text.
 */
function answersIn(error: unknown, count: number): unknown[] | undefined {
  if (!(error instanceof ProviderError)) return undefined;
  const cause = error.cause as { data?: unknown; message?: unknown } | undefined;
  const complete = (list: unknown): unknown[] | undefined => (Array.isArray(list) && list.length === count ? list : undefined);
  if (Array.isArray(cause?.data)) return complete(cause.data);
  const text = cause?.message;
  if (typeof text !== 'string' || !text.trimStart().startsWith('[')) return undefined;
  try {
    return complete(JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function perInput(body: unknown, count: number): NotificationSendResult[] {
  if (!Array.isArray(body) || body.length !== count)
    throw new ProviderError(
      'salesforce',
      `custom notification action answered ${Array.isArray(body) ? body.length : 'no'} results for ${count} inputs`,
      {
        retryable: false,
        code: 'UNEXPECTED_ANSWER',
      },
    );
  return body.map((answer): NotificationSendResult => {
    if ((answer as { isSuccess?: unknown } | null)?.isSuccess === true) return { ok: true };
    const failed = actionFailure([answer]) ?? { code: 'ACTION_FAILED', message: 'the notification was not sent (no reason given)' };
    return { ok: false, error: fromApiError(failed.code, failed.message, undefined) };
  });
}

/** CustomNotificationType (Object Reference, API 47.0+) is queryable by its DeveloperName. */
export async function customNotificationTypeId(query: Query, developerName: string): Promise<string | undefined> {
  const rows = await query<{ Id: string }>(
    `SELECT Id FROM CustomNotificationType WHERE DeveloperName = ${soqlString(developerName)} LIMIT 1`,
  );
  return rows[0]?.Id;
}
