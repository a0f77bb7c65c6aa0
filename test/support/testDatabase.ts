import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Database } from '../../server/store/database';
import { migrateToLatest } from '../../server/store/migrate';
import { openPgliteDatabase, pgliteDir } from '../../server/store/pgliteDatabase';
import { openPostgresDatabase } from '../../server/store/postgresDatabase';
import { JobQueue } from '../../server/store/queue';

/**
 * Where a test's data lives. With DATABASE_URL set (CI's PostgreSQL run), each call makes a
 * fresh database on that server so test files never see each other's rows; otherwise PGlite
 * in a fresh temporary DATA_DIR. Either way the same service code runs.
 *
 * A new database costs seconds before the first query (PGlite's initdb alone is ≈ 6 s of CPU on
 * the 2-core machine, then our migrations and pg-boss's schema), so under jest one migrated
 * template is made per run — by the first test file that asks for storage, under a lock in the
 * run directory `test/support/jestGlobalSetup.js` made — and each storage starts as a copy of it:
 * a copied PGlite directory, or `CREATE DATABASE … TEMPLATE` on PostgreSQL. The service's own
 * start then finds nothing to migrate. Outside jest (benches) every storage is made from scratch.
 */
export interface TestStorage {
  kind: 'pglite' | 'postgres';
  dataDir: string;
  databaseUrl?: string;
  env: Record<string, string>;
  drop(): Promise<void>;
}

export interface TestStorageOptions {
  /** An empty database that the service's first start migrates (tests of migrating itself). */
  empty?: boolean;
}

export const onPostgres = (): boolean => Boolean(process.env.DATABASE_URL);

/** Set by jestGlobalSetup.js: where this run's storages and its PGlite template live. */
const runDir = (): string | undefined => process.env.HECTOR_TEST_RUN_DIR || undefined;
/** Set by jestGlobalSetup.js: the name of this run's template database on PostgreSQL. */
const templateDatabase = (): string | undefined => process.env.HECTOR_TEST_TEMPLATE_DB || undefined;

export async function createTestStorage(
  label = 'test',
  options: TestStorageOptions = {},
): Promise<TestStorage> {
  const dataDir = fs.mkdtempSync(path.join(runDir() ?? os.tmpdir(), `hector-${label}-`));
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const template = options.empty ? undefined : await pgliteTemplate();
    // cp -a: a PGlite directory is ≈ 1,100 files, which fs.cpSync copies several times slower.
    if (template) execFileSync('cp', ['-a', template, pgliteDir(dataDir)]);
    return {
      kind: 'pglite',
      dataDir,
      env: { DATA_DIR: dataDir },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `t_${label.replace(/\W/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`.toLowerCase();
  const template = options.empty ? undefined : await postgresTemplate(adminUrl);
  await onServer(adminUrl, (c) =>
    c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`),
  );
  const databaseUrl = databaseUrlOf(adminUrl, name);
  return {
    kind: 'postgres',
    dataDir,
    databaseUrl,
    env: { DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await onServer(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** What a service start would do to an empty database: our migrations, then pg-boss's schema. */
async function migrateTemplate(database: Database): Promise<void> {
  try {
    await migrateToLatest(database);
    const queue = await JobQueue.start(database, { schedule: false });
    await queue.stop(1000);
  } finally {
    await database.close();
  }
}

/** The run's migrated PGlite directory, made once per run by whichever worker asks first. */
async function pgliteTemplate(): Promise<string | undefined> {
  const dir = runDir();
  if (!dir) return undefined;
  const template = path.join(dir, 'template', 'pglite');
  const ready = path.join(dir, 'template.ready');
  const failed = path.join(dir, 'template.failed');
  if (fs.existsSync(ready)) return template;
  if (claim(path.join(dir, 'template.lock'))) {
    try {
      await migrateTemplate(await openPgliteDatabase(template));
    } catch (error) {
      fs.writeFileSync(failed, String(error));
      throw error;
    }
    fs.writeFileSync(ready, '');
    return template;
  }
  // Another worker is making it: as long as an initdb takes on a loaded machine, at most.
  const deadline = Date.now() + 120_000;
  while (!fs.existsSync(ready)) {
    if (fs.existsSync(failed)) {
      throw new Error(`the PGlite template failed in another worker: ${fs.readFileSync(failed, 'utf8')}`);
    }
    if (Date.now() > deadline) throw new Error(`no PGlite template in ${template} after 120 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return template;
}

/** True for the one caller that creates the lock directory (mkdir is atomic). */
function claim(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * The run's template database on PostgreSQL, made once under an advisory lock (workers are
 * processes). It is migrated under another name and renamed when complete, so a copy is never
 * taken of a half-made template.
 */
async function postgresTemplate(adminUrl: string): Promise<string | undefined> {
  const template = templateDatabase();
  if (!template) return undefined;
  await onServer(adminUrl, async (c) => {
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    try {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount) return;
      const building = `${template}_building`;
      await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${building}`);
      await migrateTemplate(
        await openPostgresDatabase(databaseUrlOf(adminUrl, building), { connectTimeoutMs: 5000 }),
      );
      await c.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
  return template;
}

async function onServer<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function databaseUrlOf(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
