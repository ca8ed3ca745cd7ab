// The admin API over fetch. The session cookie (HttpOnly) goes along automatically on same-origin calls; the
// server takes a change made with it only as JSON from this origin, so every change sends a JSON body.
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.details = body?.error?.details;
  }
}

let onUnauthorized = () => {};
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

export async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined || method !== 'GET') {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (response.status === 401) onUnauthorized();
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Problems a 400 carries, one line each, for showing next to the message. */
export function detailLines(error) {
  if (!Array.isArray(error.details)) return [];
  return error.details.map((d) => [d.file, d.line && `line ${d.line}`, d.path, d.message].filter(Boolean).join(' · '));
}
