import { sql } from 'kysely';
import type { Database } from '../../server/store/database';
import { openPgliteDatabase } from '../../server/store/pgliteDatabase';
import { onPostgres } from '../support/testDatabase';

/**
 * PGlite runs in a worker thread (server/store/pgliteThread.ts, issue 20): what crosses the thread
 * must be what the service relied on when PGlite ran on the HTTP thread. On PostgreSQL (CI's
 * DATABASE_URL run) there is no PGlite to test.
 */
(onPostgres() ? describe.skip : describe)('PGlite in its own thread', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPgliteDatabase(undefined);
    await database.executeSql(
      'CREATE TABLE t (id text PRIMARY KEY, at timestamptz NOT NULL, doc jsonb NOT NULL, n bigint)',
    );
  }, 60_000);
  afterAll(() => database.close());

  it('E1: values come back as PGlite parsed them (Date, json objects, null)', async () => {
    const at = new Date('2026-12-02T08:30:00.000Z');
    await database.executeSql('INSERT INTO t (id, at, doc) VALUES ($1, $2, $3)', [
      'a',
      at,
      JSON.stringify({ room: 'salle-a001', seats: [1, 2] }),
    ]);
    const { rows } = await database.executeSql('SELECT at, doc, n FROM t WHERE id = $1', ['a']);
    expect(rows).toEqual([{ at, doc: { room: 'salle-a001', seats: [1, 2] }, n: null }]);
    // A Date (structured clone makes it in Node's own realm, not jest's: no toBeInstanceOf here).
    expect(Object.prototype.toString.call(rows[0].at)).toBe('[object Date]');
  });

  it("E1: a database error keeps PostgreSQL's fields (a unique violation is code 23505)", async () => {
    await database.executeSql("INSERT INTO t (id, at, doc) VALUES ('dup', now(), '{}')");
    const failure = await database
      .executeSql("INSERT INTO t (id, at, doc) VALUES ('dup', now(), '{}')")
      .then(() => undefined)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ code: '23505', constraint: 't_pkey' });
  });

  it('E1: a multi-statement script (pg-boss) runs, and returns the rows of its statements', async () => {
    const { rows } = await database.executeSql("SELECT 1 AS one; SELECT 'two' AS two");
    expect(rows).toEqual([{ one: 1 }, { two: 'two' }]);
  });

  it('E1: a transaction that throws is rolled back; one that ends is committed', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO t (id, at, doc) VALUES ('rolled', now(), '{}')`.execute(trx);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    await database.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO t (id, at, doc) VALUES ('kept', now(), '{}')`.execute(trx);
    });
    const { rows } = await database.executeSql("SELECT id FROM t WHERE id IN ('rolled', 'kept')");
    expect(rows).toEqual([{ id: 'kept' }]);
  });

  it('E1: after close, a query fails instead of waiting forever', async () => {
    const other = await openPgliteDatabase(undefined);
    await other.close();
    await expect(other.executeSql('SELECT 1')).rejects.toThrow();
  }, 60_000);
});
