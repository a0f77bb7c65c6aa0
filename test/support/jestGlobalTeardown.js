// After the run: the run's directory (storages a failed test left behind, the PGlite template)
// and, on PostgreSQL, the run's template database (test/support/testDatabase.ts).
const fs = require('node:fs');

module.exports = async () => {
  const dir = process.env.HECTOR_TEST_RUN_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  const template = process.env.HECTOR_TEST_TEMPLATE_DB;
  if (process.env.DATABASE_URL && template) {
    const pg = require('pg');
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
};
