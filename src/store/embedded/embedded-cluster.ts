import { execFile } from 'node:child_process';
import { appendFile, chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { freeLoopbackPort } from '../../free-port.ts';
import type { Logger } from '../../log.ts';
import { processState } from '../process-state.ts';
import { postgresBinaries, type PostgresBinaries } from './binaries.ts';
import { checkReachable, clusterUser, type ClusterUser } from './cluster-user.ts';
import { clearStale, findLeftover } from './leftover-server.ts';
import { clusterPassword, clusterPaths, exists, handoffConf, INCLUDE_LINE, refuseEarlierStore } from './cluster-files.ts';

/** The cluster's superuser; Handoff's data lives in its own databases. */
const SUPERUSER = 'handoff';
const START_TIMEOUT_SECONDS = 60;

export interface EmbeddedCluster {
  /** A connection URL for one database of the cluster (which must exist). */
  urlFor(database: string): string;
  /** Resolves when the postmaster stops without being asked to (killed, crashed). */
  readonly lost: Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server in `<dataDir>/postgres`, started with pg_ctl so it runs in its own session: a
 * service killed with SIGKILL leaves it running, and the next start finds it (PostgreSQL's postmaster.pid)
 * and stops it cleanly before starting with this run's settings. PostgreSQL's own lock refuses a second
 * postmaster on one directory. The caller holds the data directory's lock, so no other service uses it.
 */
export async function startEmbeddedCluster(dataDirGiven: string, logger: Logger): Promise<EmbeddedCluster> {
  const log = logger.child({ module: 'embedded-postgres' });
  // Absolute: the postmaster's command line and its backends' working folder are compared with it.
  const dataDir = resolve(dataDirGiven);
  const paths = clusterPaths(dataDir);
  await mkdir(dataDir, { recursive: true });
  await refuseEarlierStore(dataDir);
  const [binaries, user] = await Promise.all([postgresBinaries(), clusterUser()]);
  if (user) await checkReachable(paths.cluster, user);
  const ctl = controller(binaries, user);

  const isNew = !(await exists(join(paths.cluster, 'PG_VERSION')));
  const password = await clusterPassword(paths.password, isNew);
  if (isNew) {
    const started = Date.now();
    await initialise(ctl, paths.cluster, password, user);
    log.info('embedded PostgreSQL initialised', { dir: paths.cluster, ms: Date.now() - started });
  } else {
    await settleLeftover(ctl, paths.cluster, log);
  }

  const port = await freeLoopbackPort();
  await writeOwned(join(paths.cluster, 'handoff.conf'), handoffConf(port), user);
  await rm(paths.startLog, { force: true });
  await writeOwned(paths.startLog, '', user);
  try {
    await ctl.run(['start', '-D', paths.cluster, '-l', paths.startLog, '-w', '-t', String(START_TIMEOUT_SECONDS), '-s']);
  } catch (error) {
    const said = await readFile(paths.startLog, 'utf8').catch(() => '');
    throw new Error(`the embedded PostgreSQL did not start: ${(error as Error).message}\n${said.slice(-2_000)}`);
  }
  // Line 1 of postmaster.pid is the postmaster's pid (PostgreSQL documentation, "Database File Layout").
  const postmasterPid = Number((await readFile(join(paths.cluster, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  log.info('embedded PostgreSQL started', { dir: paths.cluster, port, pid: postmasterPid });

  let stopping = false;
  const urlFor = (database: string) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    urlFor,
    lost: watchPostmaster(postmasterPid, () => stopping),
    async stop() {
      stopping = true;
      await ctl.run(['stop', '-D', paths.cluster, '-m', 'fast', '-w', '-t', String(START_TIMEOUT_SECONDS), '-s']);
      log.info('embedded PostgreSQL stopped', { dir: paths.cluster });
    },
  };
}

/** Stops the server a killed run left in `dataDir`, if any, without starting one (tests and tools). */
export async function stopLeftoverServer(dataDir: string, logger: Logger): Promise<void> {
  const cluster = clusterPaths(resolve(dataDir)).cluster;
  if (!(await exists(join(cluster, 'PG_VERSION')))) return;
  const [binaries, user] = await Promise.all([postgresBinaries(), clusterUser()]);
  await settleLeftover(controller(binaries, user), cluster, logger.child({ module: 'embedded-postgres' }));
}

/** A server a killed run left is stopped (never two on one folder); a dead one's pid file is cleared. */
async function settleLeftover(ctl: Controller, cluster: string, log: Logger): Promise<void> {
  const leftover = await findLeftover(cluster);
  if (leftover.kind === 'running') {
    log.warn('a database server an earlier run left (killed?) is stopped before this start', { dir: cluster, pid: leftover.pid });
    await ctl.run(['stop', '-D', cluster, '-m', 'fast', '-w', '-t', String(START_TIMEOUT_SECONDS), '-s']).catch(async (error: unknown) => {
      if ((await findLeftover(cluster)).kind === 'running') throw error;
    });
  }
  if ((await findLeftover(cluster)).kind === 'stale') {
    log.warn('the database server of an earlier run was killed; PostgreSQL recovers its committed work at this start', { dir: cluster });
    await clearStale(cluster, START_TIMEOUT_SECONDS * 1000);
  }
}

/** Creates the database unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string, options: { recreate?: boolean } = {}): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const quoted = client.escapeIdentifier(name);
    if (options.recreate) await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoted}`);
  } finally {
    await client.end();
  }
}

interface Controller {
  run(args: string[]): Promise<void>;
  initdb(args: string[]): Promise<void>;
}

function controller(binaries: PostgresBinaries, user: ClusterUser | undefined): Controller {
  // The programs run as the database user; LC_ALL=C keeps their messages (which we show) in one language.
  const options = { ...(user ?? {}), env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' } };
  const exec = (file: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = execFile(file, args, options, (error, stdout, stderr) => {
        if (error) reject(new Error(`${file.split('/').pop()} ${args[0]}: ${stderr.trim() || stdout.trim() || error.message}`));
        else resolve();
      });
      child.stdin?.end();
    });
  return {
    run: (args) => exec(binaries.pg_ctl, args),
    initdb: (args) => exec(binaries.initdb, args),
  };
}

async function initialise(ctl: Controller, cluster: string, password: string, user: ClusterUser | undefined): Promise<void> {
  await mkdir(cluster, { recursive: true, mode: 0o700 });
  if (user) await chown(cluster, user.uid, user.gid);
  await chmod(cluster, 0o700);
  // initdb reads the password from a file only the database user can read (never a command line `ps` shows),
  // removed at once. Not /dev/stdin: as another user, re-opening the service's pipe is refused.
  const passwordFile = join(dirname(cluster), `.initdb-password-${process.pid}`);
  await writeOwned(passwordFile, `${password}\n`, user);
  try {
    await ctl.initdb(['-D', cluster, '--username', SUPERUSER, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale']);
  } finally {
    await rm(passwordFile, { force: true });
  }
  await appendFile(join(cluster, 'postgresql.conf'), INCLUDE_LINE);
}

/** Files in the cluster folder belong to the database user, as PostgreSQL expects. */
async function writeOwned(path: string, text: string, user: ClusterUser | undefined): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  if (user) await chown(path, user.uid, user.gid);
}


/** Checks every second whether the postmaster still runs; resolves once it has gone without a stop. */
function watchPostmaster(pid: number, stopping: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (stopping()) return clearInterval(timer);
      void processState(pid).then((state) => {
        if (state.kind === 'gone' && !stopping()) {
          clearInterval(timer);
          resolve();
        }
      });
    }, 1_000);
    timer.unref();
  });
}
