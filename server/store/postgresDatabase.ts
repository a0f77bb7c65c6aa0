import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DatabaseUnavailableError, withTimeout, type Database, type SqlResult } from './database';
import type { Schema } from './schema';

/** The address of a database without its password, for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'the configured DATABASE_URL';
  }
}

export async function openPostgresDatabase(
  url: string,
  options: { connectTimeoutMs: number; poolSize?: number },
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 20,
    connectionTimeoutMillis: options.connectTimeoutMs,
    // Fail a query stuck on a dead server instead of waiting forever; /readyz relies on it.
    query_timeout: 60_000,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Nor a checked-out one (a transaction, a session lock): the pool listens only to idle clients,
  // and an 'error' nobody listens to kills the process. Its query fails instead, and the pool
  // drops the client on release (it is no longer queryable).
  pool.on('connect', (client) => client.on('error', () => undefined));

  try {
    await withTimeout(
      pool.query('SELECT 1'),
      options.connectTimeoutMs,
      `no answer within ${options.connectTimeoutMs} ms`,
    );
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw new DatabaseUnavailableError(`Cannot reach PostgreSQL at ${describeDatabaseUrl(url)}: ${reason}`, {
      cause: error,
    });
  }

  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    kind: 'postgres',
    db,
    async executeSql(text: string, values?: unknown[]): Promise<SqlResult> {
      const result = await pool.query(text, values);
      // A multi-statement script returns one result per statement.
      const results = Array.isArray(result) ? (result as pg.QueryResult[]) : [result];
      return { rows: results.flatMap((r) => r.rows ?? []) };
    },
    async withStartupLock<T>(fn: () => Promise<T>, lockName = 'startup'): Promise<T> {
      const client = await pool.connect();
      try {
        // A session-level advisory lock: held across the statements fn runs on other connections.
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [`hector-outlook:${lockName}`]);
        return await fn();
      } finally {
        await client
          .query('SELECT pg_advisory_unlock(hashtext($1))', [`hector-outlook:${lockName}`])
          .catch(() => undefined);
        client.release();
      }
    },
    async ping(timeoutMs = 2000) {
      await withTimeout(
        pool.query('SELECT 1').then(() => undefined),
        timeoutMs,
        'PostgreSQL did not answer',
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // ends the pool
    },
  };
}
