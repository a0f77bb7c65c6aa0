import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startThrowawayPostgres, type ThrowawayPostgres } from './throwawayPostgres';

/**
 * The PostgreSQL server a bench measures on: the one DATABASE_URL points at (its user may create
 * databases), else a throwaway cluster started for this run. Each measurement gets a fresh database,
 * dropped afterwards, so runs never see each other's rows.
 */
export interface BenchPostgres {
  /** "PostgreSQL 15.14", for the figures' tables. */
  label: string;
  /** Where the server comes from, for one line of output. */
  origin: string;
  withFreshDatabase<T>(prefix: string, fn: (url: string) => Promise<T>): Promise<T>;
  /** Stops the throwaway cluster, if one was started. */
  close(): void;
}

export type BenchPostgresOpen =
  { available: true; postgres: BenchPostgres } | { available: false; reason: string };

export async function openBenchPostgres(): Promise<BenchPostgresOpen> {
  let adminUrl = process.env.DATABASE_URL;
  let cluster: ThrowawayPostgres | undefined;
  if (!adminUrl) {
    const start = await startThrowawayPostgres();
    if (!start.started) {
      return { available: false, reason: `${start.reason}, and DATABASE_URL is not set` };
    }
    cluster = start.server;
    adminUrl = cluster.adminUrl;
  }
  const serverUrl = adminUrl;
  try {
    const version = await withAdmin(serverUrl, async (admin) => {
      const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
      return rows[0].server_version.split(' ')[0];
    });
    const host = new URL(serverUrl).host;
    return {
      available: true,
      postgres: {
        label: `PostgreSQL ${version}`,
        origin: cluster
          ? `a throwaway cluster on ${host} (fsync off), removed at the end`
          : `DATABASE_URL (${host})`,
        withFreshDatabase: (prefix, fn) => withFreshDatabase(serverUrl, prefix, fn),
        close: () => cluster?.stop(),
      },
    };
  } catch (error) {
    cluster?.stop();
    throw error;
  }
}

async function withAdmin<T>(adminUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

async function withFreshDatabase<T>(
  adminUrl: string,
  prefix: string,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const name = `${prefix.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`.toLowerCase();
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}
