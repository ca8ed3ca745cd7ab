import type { HttpCall } from './client.ts';
import { toProviderError } from './errors.ts';

/** One subrequest of POST /composite (REST API Developer Guide, "Composite Subrequest"). */
export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  body?: unknown;
  /** Headers the subrequest's resource supports (e.g. Sforce-Auto-Assign); Accept, Authorization and Content-Type are inherited. */
  httpHeaders?: Record<string, string>;
}

interface CompositeAnswer {
  compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }>;
}

export type CompositeSend = <T>(operation: string, call: HttpCall) => Promise<T>;

/** One subrequest's answer: its HTTP status and body. */
export interface SubrequestAnswer {
  status: number;
  body: unknown;
}

/**
 * Sends subrequests as one composite request (one API call; REST API Developer Guide, "Composite") and answers each
 * one's status and body in order. With allOrNone false each subrequest stands alone: one failing does not undo the
 * others, so the caller judges each (okBody).
 */
export async function runComposite(
  send: CompositeSend,
  base: string,
  operation: string,
  subrequests: CompositeSubrequest[],
  headers?: Record<string, string>,
): Promise<SubrequestAnswer[]> {
  const answer = await send<CompositeAnswer>(operation, {
    method: 'POST',
    url: `${base}/composite`,
    ...(headers ? { headers } : {}),
    body: {
      allOrNone: false,
      compositeRequest: subrequests.map((sub, index) => ({ ...sub, referenceId: `r${index}` })),
    },
  });
  return subrequests.map((_sub, index) => {
    const found = answer.compositeResponse.find((response) => response.referenceId === `r${index}`);
    if (!found) throw toProviderError({ errorCode: 'NO_RESULT', message: `composite answer has no result for subrequest r${index}` });
    return { status: found.httpStatusCode, body: found.body };
  });
}

/** A subrequest's body; an error status throws its first error as a ProviderError, as the request sent alone would. */
export function okBody(answer: SubrequestAnswer): unknown {
  if (answer.status < 300) return answer.body;
  const first = (Array.isArray(answer.body) ? answer.body[0] : answer.body) as { errorCode?: unknown; message?: unknown } | undefined;
  throw toProviderError({ errorCode: String(first?.errorCode ?? `ERROR_HTTP_${answer.status}`), message: String(first?.message ?? '') });
}

/** A GET query subrequest. */
export const querySubrequest = (base: string, soql: string): CompositeSubrequest => ({
  method: 'GET',
  url: `${base}/query?q=${encodeURIComponent(soql)}`,
});
