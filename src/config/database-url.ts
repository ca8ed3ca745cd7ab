/**
 * DATABASE_URL as libpq's connection URI ("Connection URIs", postgresql.org/docs/current/libpq-connect.html):
 * postgresql://[user[:password]@][host][:port][/dbname][?param=value…], scheme postgresql:// or postgres://, where
 * the host may also come as the `host` parameter (a socket directory). libpq lets host and database be left out
 * (local socket, the user's name); Handoff asks for both, so a typo never silently connects somewhere else. The
 * database goes in the path: node-postgres reads it from there (pg-connection-string), not from `dbname`.
 *
 * Problems never quote the value: it usually holds a password.
 */
const DATABASE_URL_SHAPE = 'postgresql://USER:PASSWORD@HOST:5432/DATABASE';

export function databaseUrlProblem(value: string): string | undefined {
  const unshown = '(the value is not shown: it may hold a password)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a URL; expected ${DATABASE_URL_SHAPE} ${unshown}`;
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    return `must start with postgresql:// or postgres://; expected ${DATABASE_URL_SHAPE} ${unshown}`;
  }
  const missing = [
    ...(url.hostname === '' && !url.searchParams.get('host') ? ['host'] : []),
    ...(url.pathname.replace(/^\//, '') === '' ? ['database name'] : []),
  ];
  if (missing.length > 0) return `names no ${missing.join(' and no ')}; expected ${DATABASE_URL_SHAPE} ${unshown}`;
  return undefined;
}
