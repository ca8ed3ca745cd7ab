import express, { type Request, type Response } from 'express';
import { type RecordError, SimApiError } from './api-error.ts';
import type { SimContext } from './context.ts';

import { sfDateTime } from './ids.ts';
import type { Row } from './validate.ts';

/**
 * Actions Developer Guide, "Custom Notification Actions" (`POST /services/data/vXX.X/actions/standard/
 * customNotificationAction`, API 46.0+): customNotifTypeId, recipientIds (at most 500: users, groups, queues,
 * accounts or opportunities), title (≤ 250 characters) and body (≤ 750) are required, and a target (targetId or
 * targetPageRef). The guide gives the limits but not the status codes of a refused input; the simulator answers
 * with the API's general ones (REQUIRED_FIELD_MISSING, STRING_TOO_LONG, INVALID_CROSS_REFERENCE_KEY, LIMIT_EXCEEDED).
 */
export const NOTIFICATION_LIMITS = { recipients: 500, title: 250, body: 750 } as const;
const ACTION_NAME = 'customNotificationAction';
/** Key prefixes of the recipient kinds the guide lists: User, Group or queue, Account, Opportunity. */
const RECIPIENT_PREFIXES: Record<string, string> = { '005': 'User', '00G': 'Group', '001': 'Account', '006': 'Opportunity' };

const fail = (statusCode: string, message: string, fields: string[] = []): RecordError => ({ statusCode, message, fields });
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

function missing(input: Row): RecordError | undefined {
  for (const name of ['customNotifTypeId', 'title', 'body']) {
    if (!text(input[name])) return fail('REQUIRED_FIELD_MISSING', `Missing required input parameter: ${name}`, [name]);
  }
  if (!Array.isArray(input.recipientIds) || input.recipientIds.length === 0) {
    return fail('REQUIRED_FIELD_MISSING', 'Missing required input parameter: recipientIds', ['recipientIds']);
  }
  if (!text(input.targetId) && !text(input.targetPageRef)) {
    return fail('REQUIRED_FIELD_MISSING', 'Missing required input parameter: targetId or targetPageRef', ['targetId']);
  }
  return undefined;
}

function tooLong(input: Row): RecordError | undefined {
  for (const name of ['title', 'body'] as const) {
    const value = String(input[name]);
    if (value.length > NOTIFICATION_LIMITS[name]) {
      return fail('STRING_TOO_LONG', `${name}: data value too large (max length=${NOTIFICATION_LIMITS[name]})`, [name]);
    }
  }
  const count = (input.recipientIds as unknown[]).length;
  if (count > NOTIFICATION_LIMITS.recipients) {
    return fail('LIMIT_EXCEEDED', `recipientIds: at most ${NOTIFICATION_LIMITS.recipients} recipients, got ${count}`, ['recipientIds']);
  }
  return undefined;
}

function unknownReference(context: SimContext, input: Row): RecordError | undefined {
  const typeId = String(input.customNotifTypeId);
  if (!context.store.get('CustomNotificationType', typeId)) {
    return fail('INVALID_CROSS_REFERENCE_KEY', `customNotifTypeId: no custom notification type ${typeId}`, ['customNotifTypeId']);
  }
  for (const recipient of input.recipientIds as unknown[]) {
    const id = String(recipient);
    const object = RECIPIENT_PREFIXES[id.slice(0, 3)];
    if (!object || !context.store.get(object, id)) {
      return fail('INVALID_CROSS_REFERENCE_KEY', `recipientIds: ${id} is not a user, group, queue, account or opportunity`, [
        'recipientIds',
      ]);
    }
  }
  return undefined;
}

function send(context: SimContext, input: Row): Row {
  const problem = missing(input) ?? tooLong(input) ?? unknownReference(context, input);
  if (problem) return { actionName: ACTION_NAME, errors: [problem], isSuccess: false, outputValues: null };
  context.notifications.push({
    at: sfDateTime(context.store.nowMs()),
    notificationTypeId: String(input.customNotifTypeId),
    recipientIds: (input.recipientIds as unknown[]).map(String),
    title: String(input.title),
    body: String(input.body),
    targetId: text(input.targetId) ?? null,
    targetPageRef: text(input.targetPageRef) ?? null,
    senderId: text(input.senderId) ?? null,
  });
  return {
    actionName: ACTION_NAME,
    errors: null,
    isSuccess: true,
    outputValues: { SuccessMessage: 'Your custom notification is processed successfully.' },
  };
}

/** Every input is answered in order; the HTTP status is 400 when any of them failed, the body the same array. */
function postCustomNotification(context: SimContext) {
  return (req: Request, res: Response): void => {
    const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs) || inputs.some((input) => input === null || typeof input !== 'object' || Array.isArray(input))) {
      throw new SimApiError(400, 'JSON_PARSER_ERROR', 'The request body must be { inputs: [ { … } ] }');
    }
    const answers = (inputs as Row[]).map((input) => send(context, input));
    res.status(answers.every((answer) => answer.isSuccess === true) ? 200 : 400).json(answers);
  };
}

export function actionsRouter(context: SimContext): express.Router {
  const router = express.Router({ mergeParams: true });
  router.post(`/actions/standard/${ACTION_NAME}`, postCustomNotification(context));
  return router;
}
