import type { SalesforceSimulator } from '../../../../src/simulators/salesforce/server.ts';

/** A REST client for one simulator: logs in by refresh-token grant and sends JSON to /services/data/vXX.X. */
export interface SimApi {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  query<T>(soql: string): Promise<T[]>;
}

export async function simApi(
  sim: SalesforceSimulator,
  creds: { clientId: string; clientSecret: string; refreshToken: string },
  version = '66.0',
): Promise<SimApi> {
  const res = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      refresh_token: creds.refreshToken,
    }).toString(),
  });
  const token = ((await res.json()) as { access_token: string }).access_token;
  const call: SimApi['call'] = async (method, path, body, headers = {}) => {
    const answer = await fetch(`${sim.url}/services/data/v${version}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await answer.text();
    return { status: answer.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return {
    call,
    query: async <T>(soql: string) => {
      const answer = await call('GET', `/query?q=${encodeURIComponent(soql)}`);
      if (answer.status !== 200) throw new Error(`query failed: ${JSON.stringify(answer.body)}`);
      return (answer.body as { records: T[] }).records;
    },
  };
}
