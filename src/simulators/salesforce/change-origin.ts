import type { Request, Response } from 'express';
import type { SimContext } from './context.ts';

/**
 * REST API Developer Guide, "Call Options Header": `Sforce-Call-Options: client=<name>` names the calling client
 * (further options such as defaultNamespace may follow, comma-separated).
 */
export const CALL_OPTIONS_HEADER = 'Sforce-Call-Options';

/** The `client` option of a Sforce-Call-Options value, if it names one. */
export function callOptionsClient(value: string | undefined): string | undefined {
  for (const option of (value ?? '').split(/[,;]/)) {
    const [name, ...rest] = option.split('=');
    const client = rest.join('=').trim();
    if (name?.trim() === 'client' && client !== '') return client;
  }
  return undefined;
}

/**
 * ChangeEventHeader Fields (Change Data Capture Developer Guide; also Apex Reference, "ChangeEventHeader Class"):
 * changeOrigin is `com/salesforce/api/<API name>/<API version>;client=<client id>`, the `;client=` part only when the
 * call set a client id in its Call Options header; e.g. `com/salesforce/api/rest/66.0;client=Handoff`.
 */
export function restChangeOrigin(version: string, client: string | undefined): string {
  const origin = `com/salesforce/api/rest/${version}`;
  return client === undefined ? origin : `${origin};client=${client}`;
}

/** The changeOrigin of what a REST request under /services/data/vXX.X saves. */
export function requestChangeOrigin(req: Request): string {
  const version = String(req.params.version ?? '').replace(/^v/, '');
  return restChangeOrigin(version, callOptionsClient(req.get(CALL_OPTIONS_HEADER)));
}

/** A write route whose saves form one commit: their change events go out when it is done, through its origin. */
export function committing(context: SimContext, handler: (req: Request, res: Response) => void) {
  return (req: Request, res: Response): void => {
    context.store.commit(requestChangeOrigin(req), () => handler(req, res));
  };
}
