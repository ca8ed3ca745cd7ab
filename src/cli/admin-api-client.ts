import { z } from 'zod';

/**
 * What the status, report and export commands share: they read a running service's admin API (ADMIN_TOKEN as a
 * bearer token) instead of the database, so they work alongside the service on the embedded store as well as on
 * PostgreSQL with several replicas.
 */
export interface AdminApiTarget {
  baseUrl: string;
  token: string;
  /** Who makes the change (X-Admin-Name): the version history shows it; left out, the service records "admin". */
  author?: string;
}

export type AdminAnswer<T> =
  | { ok: true; body: T }
  /** status is undefined when the service could not be reached. */
  | { ok: false; status: number | undefined; message: string };

/** The service on this machine, as `npm start` runs it. */
export function localServiceUrl(env: NodeJS.ProcessEnv): string {
  return `http://127.0.0.1:${env.PORT ?? '3000'}`;
}

/** ADMIN_TOKEN from the environment; when it is unset, says so on `out` and answers undefined (exit 2). */
export function adminTokenFrom(command: string, env: NodeJS.ProcessEnv, out: { write(text: string): unknown }): string | undefined {
  if (env.ADMIN_TOKEN) return env.ADMIN_TOKEN;
  out.write(`${command}: set ADMIN_TOKEN (the service's admin token)\n`);
  return undefined;
}

const errorBody = z.object({
  error: z.object({
    message: z.string(),
    details: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .catch(undefined),
  }),
});

/** GET `path` (with its query) from the admin API; the answer is checked against `schema`. Never throws. */
export async function adminGet<T>(target: AdminApiTarget, path: string, schema: z.ZodType<T>): Promise<AdminAnswer<T>> {
  return adminCall(target, path, schema, {});
}

/** POST `body` as JSON to `path` of the admin API; the answer is checked against `schema`. Never throws. */
export async function adminPost<T>(target: AdminApiTarget, path: string, body: unknown, schema: z.ZodType<T>): Promise<AdminAnswer<T>> {
  return adminCall(target, path, schema, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

async function adminCall<T>(
  target: AdminApiTarget,
  path: string,
  schema: z.ZodType<T>,
  init: { method?: string; body?: string; headers?: Record<string, string> },
): Promise<AdminAnswer<T>> {
  const url = `${target.baseUrl.replace(/\/+$/, '')}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/json',
        ...(target.author ? { 'x-admin-name': target.author } : {}),
        ...init.headers,
      },
    });
  } catch (error) {
    // fetch says only "fetch failed"; the cause names the refusal or the unknown host.
    const cause = (error as Error & { cause?: Error }).cause;
    return { ok: false, status: undefined, message: `cannot reach ${target.baseUrl}: ${cause?.message ?? (error as Error).message}` };
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) return { ok: false, status: response.status, message: describeRefusal(response, json) };
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, body: parsed.data };
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `\n  ${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('');
  return { ok: false, status: response.status, message: `unexpected answer from ${url} (is --url a Handoff service?)${problems}` };
}

function describeRefusal(response: Response, json: unknown): string {
  const body = errorBody.safeParse(json);
  const message = body.success ? body.data.error.message : response.statusText;
  const details = body.success ? (body.data.error.details ?? []).map((d) => `\n  ${d.path}: ${d.message}`).join('') : '';
  const hint = response.status === 401 ? ' (ADMIN_TOKEN must be the token the service runs with)' : '';
  return `${response.status} ${message}${hint}${details}`;
}
