import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium for the browser suites and the add-in bench (never a downloaded browser),
 * with the flags TOOLCHAIN.md lists. playwright-core gives every launch a fresh profile.
 */
export const CHROMIUM_CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].filter((p): p is string => Boolean(p));

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function findChromium(): string | null {
  return CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/**
 * Whether the browser suite can run. Without Chromium it is skipped with a loud line — except
 * under CI=true, where a missing browser is a failure (`required` is then true).
 */
export function chromiumOrSkip(suite: string): { executablePath: string | null; required: boolean } {
  const executablePath = findChromium();
  const required = process.env.CI === 'true';
  if (!executablePath && !required) {
    console.warn(
      `\n${'!'.repeat(78)}\n!! ${suite}: SKIPPED — no Chromium found (${CHROMIUM_CANDIDATES.join(', ')}).\n` +
        `!! Install it with: apt-get install -y chromium   (CI=true turns this into a failure)\n${'!'.repeat(78)}\n`,
    );
  }
  return { executablePath, required };
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** The repository root (the folder that holds manifest.xml). */
export function repositoryRoot(start = __dirname): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'manifest.xml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** The task pane and the harness shim as the server serves them; built once when missing. */
export function ensureWebBuild(root = repositoryRoot()): void {
  const web = path.join(root, 'dist', 'web');
  const built =
    fs.existsSync(path.join(web, 'addin', 'taskpane.html')) &&
    fs.existsSync(path.join(web, 'harness')) &&
    fs.readdirSync(path.join(web, 'harness')).some((f) => f.endsWith('.js'));
  if (built) return;
  process.stderr.write('dist/web has no add-in or harness build: running npx webpack --mode production…\n');
  execSync('npx webpack --mode production', { cwd: root, stdio: 'inherit' });
}

/** Where screenshots go (test-artifacts/, ignored by git). */
export function artifactPath(name: string, root = repositoryRoot()): string {
  const dir = path.join(root, 'test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
