// Once per jest run, before any worker starts: a directory for the run's test storages and the
// PGlite template (test/support/testDatabase.ts), on tmpfs where there is one — a PGlite copy is
// ≈ 1,100 small files, several times faster to write there than on the machine's disk. Workers
// inherit these variables.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
  const base = isWritableDir('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'hector-tests-'));
  process.env.HECTOR_TEST_RUN_DIR = dir;
  process.env.HECTOR_TEST_TEMPLATE_DB = `t_template_${path.basename(dir).slice('hector-tests-'.length)}`
    .toLowerCase()
    .replace(/\W/g, '_');
};

function isWritableDir(dir) {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
