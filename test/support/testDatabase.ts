import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Where a test's data lives. With DATABASE_URL set (CI's PostgreSQL run), each call makes a
 * fresh database on that server so test files never see each other's rows; otherwise PGlite
 * in a fresh temporary DATA_DIR. Either way the same service code runs.
 */
export interface TestStorage {
  kind: 'pglite' | 'postgres';
  dataDir: string;
  databaseUrl?: string;
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const onPostgres = (): boolean => Boolean(process.env.DATABASE_URL);

export async function createTestStorage(label = 'test'): Promise<TestStorage> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `hector-${label}-`));
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    return {
      kind: 'pglite',
      dataDir,
      env: { DATA_DIR: dataDir },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `t_${label.replace(/\W/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`.toLowerCase();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    kind: 'postgres',
    dataDir,
    databaseUrl,
    env: { DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
