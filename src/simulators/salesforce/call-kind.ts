/** The simulated API's kinds of call, for counting, faults and the call log. */
export type CallKind =
  | 'token'
  | 'versions'
  | 'query'
  | 'composite'
  | 'describe'
  | 'retrieve'
  | 'create'
  | 'update'
  | 'upsert'
  | 'limits'
  | 'action'
  | 'other';

/** Names the endpoint kind from method and path (relative to /services/data). */
export function kindOf(method: string, path: string): CallKind {
  const parts = path.split('/').filter(Boolean);
  const rest = parts.slice(1);
  if (parts.length === 0) return 'versions';
  if (rest[0] === 'query') return 'query';
  if (rest[0] === 'limits') return 'limits';
  if (rest[0] === 'actions') return 'action';
  if (rest[0] === 'composite' && rest.length === 1) return 'composite';
  if (rest[0] === 'sobjects' && rest[2] === 'describe') return 'describe';
  if (rest[0] === 'composite' && rest[1] === 'sobjects') {
    if (method === 'POST') return 'create';
    if (method === 'PATCH') return rest.length >= 4 ? 'upsert' : 'update';
  }
  if (rest[0] === 'sobjects') {
    if (method === 'POST' && rest.length === 2) return 'create';
    if (method === 'GET' && rest.length >= 3) return 'retrieve';
    if (method === 'PATCH') return rest.length >= 4 ? 'upsert' : 'update';
  }
  return 'other';
}
