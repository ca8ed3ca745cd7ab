import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The pid on line 1 of the cluster's postmaster.pid (line 2 is the data directory, line 4 the port: PostgreSQL
 * documentation, "Database File Layout"; src/include/utils/pidfile.h), or undefined when there is none.
 */
export async function postmasterPid(cluster: string): Promise<number | undefined> {
  const text = await readFile(join(cluster, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
