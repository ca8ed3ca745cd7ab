import { randomBytes } from 'node:crypto';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the embedded cluster keeps its parts inside DATA_DIR. */
export function clusterPaths(dataDir: string) {
  return {
    /** PostgreSQL's own data directory, owned by the database user. */
    cluster: join(dataDir, 'postgres'),
    /** The generated password of the cluster's superuser, readable by the service's user only. */
    password: join(dataDir, 'postgres-password'),
    /** What PostgreSQL says while starting, before its own log collector takes over. */
    startLog: join(dataDir, 'postgres-start.log'),
  };
}

/** Reads the cluster's password, or makes one for a new cluster. Loopback-only, but never a fixed password. */
export async function clusterPassword(path: string, create: boolean): Promise<string> {
  if (create) {
    const password = randomBytes(24).toString('base64url');
    await writeFile(path, `${password}\n`, { mode: 0o600 });
    return password;
  }
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL's password file ${path} cannot be read (${(error as NodeJS.ErrnoException).code}); it is made with the cluster and must stay beside it`,
    );
  }
}

/**
 * Settings we own, rewritten at every start (postgresql.conf includes this file). Durability is PostgreSQL's
 * default and stated anyway: an acknowledged webhook is committed to disk. The server listens on loopback only,
 * with no Unix socket (the system's socket folder may not be writable, or may be another server's).
 */
export function handoffConf(port: number): string {
  return [
    '# Written by Handoff at each start; edits here are overwritten.',
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    "unix_socket_directories = ''",
    'fsync = on',
    'synchronous_commit = on',
    'full_page_writes = on',
    // Small by design: Handoff's working set is small and the whole service should fit in about 300 MiB.
    'shared_buffers = 32MB',
    'max_connections = 60',
    // Fewer resident processes: reads and writes in the backends themselves (no I/O worker processes), and no
    // logical replication launcher (nothing here replicates).
    "io_method = 'sync'",
    'max_logical_replication_workers = 0',
    // Logs in the cluster's log folder, one file per weekday, overwritten a week later: bounded on disk.
    'logging_collector = on',
    "log_directory = 'log'",
    "log_filename = 'postgresql-%a.log'",
    'log_truncate_on_rotation = on',
    'log_rotation_age = 1d',
    'log_rotation_size = 0',
    '',
  ].join('\n');
}

export const INCLUDE_LINE = "\ninclude_if_exists = 'handoff.conf'\n";

/**
 * Earlier versions kept an embedded PGlite database directly in DATA_DIR. This version cannot read it; it
 * refuses to start rather than quietly begin with an empty history beside it.
 */
export async function refuseEarlierStore(dataDir: string): Promise<void> {
  const marker = join(dataDir, 'PG_VERSION');
  if (!(await exists(marker))) return;
  throw new Error(
    `DATA_DIR ${dataDir} holds an embedded database from an earlier Handoff version (PGlite), which this version does not read. ` +
      'Export its configuration with that version (npm run export), then move DATA_DIR aside or choose another DATA_DIR; or set DATABASE_URL.',
  );
}

/** Whether `cluster` holds an initialised PostgreSQL data directory. */
export function hasCluster(cluster: string): Promise<boolean> {
  return exists(join(cluster, 'PG_VERSION'));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
