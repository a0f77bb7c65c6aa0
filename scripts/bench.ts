import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm run bench -- NAME` runs test/bench/NAME.ts (compiled to dist/test/bench/NAME.js) and lets it
 * print its figures. Without a name it lists the benchmarks.
 */
const benchDir = path.join(__dirname, '..', 'test', 'bench');
const available = fs.existsSync(benchDir)
  ? fs
      .readdirSync(benchDir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => f.replace(/\.js$/, ''))
  : [];
const name = process.argv[2];
if (!name || !available.includes(name)) {
  process.stderr.write(
    `${name ? `Unknown benchmark "${name}". ` : ''}Usage: npm run bench -- NAME (one of: ${available.join(', ')})\n`,
  );
  process.exit(name ? 2 : 0);
}
const result = spawnSync(process.execPath, [path.join(benchDir, `${name}.js`), ...process.argv.slice(3)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
