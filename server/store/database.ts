import type { Kysely } from 'kysely';
import type { Schema } from './schema';

/** Rows as pg-boss expects them from a custom `db.executeSql`. */
export interface SqlResult {
  rows: Record<string, unknown>[];
}

/**
 * The one database interface of the service. Two backends implement it: PGlite (embedded,
 * the default) and PostgreSQL (DATABASE_URL), so the same queries and the same queue run on both.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<Schema>;
  /** Raw SQL for pg-boss; serialized with Kysely's connection on PGlite (one connection). */
  executeSql(text: string, values?: unknown[]): Promise<SqlResult>;
  /**
   * Runs fn while holding a cluster-wide lock, so instances starting at once on one PostgreSQL
   * install schemas (ours and pg-boss's) one after the other. PGlite has one process: no lock.
   */
  withStartupLock<T>(fn: () => Promise<T>, lockName?: string): Promise<T>;
  /** Resolves when the database answers a trivial query within timeoutMs. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
