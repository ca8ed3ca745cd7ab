/**
 * Invocable actions (Actions Developer Guide) answer one `{ actionName, errors, isSuccess, outputValues }` per input,
 * each error `{ statusCode, message, fields }`. A refused input comes back in the body, with HTTP 200 or 400, so the
 * adapter reads the answer rather than the status alone.
 */

interface ActionError {
  statusCode?: unknown;
  message?: unknown;
}

interface ActionAnswer {
  actionName?: unknown;
  isSuccess?: unknown;
  errors?: unknown;
}

export interface ActionFailure {
  code: string;
  message: string;
}

function isAnswerList(body: unknown): body is ActionAnswer[] {
  return (
    Array.isArray(body) &&
    body.length > 0 &&
    body.every((entry) => typeof entry === 'object' && entry !== null && 'isSuccess' in entry && 'actionName' in entry)
  );
}

/** The first refused input's status code and message; undefined when every input succeeded or it is no action answer. */
export function actionFailure(body: unknown): ActionFailure | undefined {
  if (!isAnswerList(body)) return undefined;
  const failed = body.find((answer) => answer.isSuccess !== true);
  if (!failed) return undefined;
  const first = (Array.isArray(failed.errors) ? failed.errors[0] : undefined) as ActionError | undefined;
  return {
    code: typeof first?.statusCode === 'string' ? first.statusCode : 'ACTION_FAILED',
    message: typeof first?.message === 'string' ? first.message.slice(0, 500) : `${String(failed.actionName)} failed`,
  };
}

/** jsforce keeps a non-2xx body it cannot read as `{ errorCode, message }` as the raw text of the response. */
export function actionFailureInText(text: unknown): ActionFailure | undefined {
  if (typeof text !== 'string' || !text.trimStart().startsWith('[')) return undefined;
  try {
    return actionFailure(JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
