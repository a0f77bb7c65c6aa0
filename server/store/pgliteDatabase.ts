import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { withTimeout, type Database, type SqlResult } from './database';
import { PgliteThread } from './pgliteThread';
import type { Schema } from './schema';

/**
 * Embedded PostgreSQL (WASM) in `dir`, or in memory when dir is undefined (tests), run in a worker
 * thread (pgliteThread.ts: its CPU stays off the HTTP thread).
 * PGlite has a single connection: Kysely's driver queues connection requests, and pg-boss's raw
 * SQL goes through that same queue so it can never slip inside one of our transactions.
 */
export async function openPgliteDatabase(dir: string | undefined): Promise<Database> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const pglite = await PgliteThread.open(dir);
  // The dialect's driver calls only query(text, params) → { rows, affectedRows } and close(),
  // which the thread provides; the cast stands in for the rest of PGlite's class it never uses.
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite as unknown as PGlite) });

  const executeSql = (text: string, values?: unknown[]): Promise<SqlResult> =>
    db.connection().execute(async () => {
      if (values && values.length > 0) {
        const result = await pglite.query(text, values);
        return { rows: result.rows };
      }
      // pg-boss sends multi-statement scripts without parameters; only exec accepts those.
      const results = await pglite.exec(text);
      return { rows: results.flatMap((r) => r.rows) };
    });

  let closed = false;
  return {
    kind: 'pglite',
    db,
    executeSql,
    withStartupLock: (fn) => fn(),
    async ping(timeoutMs = 2000) {
      await withTimeout(
        executeSql('SELECT 1 AS ok').then(() => undefined),
        timeoutMs,
        'PGlite did not answer',
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}
