/**
 * R2/K2 in a real browser against the real stack: the admin edits a synced room's maximum
 * duration in the Places tab, and Hector's API then gives it for that place.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { en } from '../../admin/i18n/en';
import { chromiumOrSkip, launchChromium } from './chromium';
import { TEST_ADMIN_TOKEN } from '../support/service';
import { ADMIN, startStack, type Stack } from '../support/stack';

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const { executablePath: CHROMIUM, required: REQUIRED } = chromiumOrSkip('test/browser/admin.places.test.ts');

jest.setTimeout(180_000);
// Not a stub: skipped only on a machine without Chromium; CI installs it and sets CI=true, which makes it required.
const suite = CHROMIUM || REQUIRED ? describe : describe.skip;

suite('admin page in Chromium: booking options of places (R2, K2)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error('CI=true and no Chromium found at /usr/bin/chromium');
    if (!fs.existsSync(path.join(ROOT, 'dist', 'web', 'admin', 'index.html'))) {
      process.stderr.write('dist/web/admin is missing: running npx webpack --mode production…\n');
      execSync('npx webpack --mode production', { cwd: ROOT, stdio: 'inherit' });
    }
    stack = await startStack({ label: 'admin-places-browser' });
    browser = await launchChromium(CHROMIUM);
    const context = await browser.newContext({
      locale: 'en-US',
      timezoneId: 'UTC',
      viewport: { width: 1440, height: 900 },
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.close();
  });

  it('R2/K2: a place’s maximum duration saved in the Places tab is what GET /api/hector/places gives', async () => {
    const room = [...(await stack.places()).values()].sort((a, b) => a.name.localeCompare(b.name))[0];
    await page.goto(`${stack.service.url}/admin/#/places`);
    await page.getByLabel(en.signIn.token).fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: en.signIn.submit }).click();
    await page.getByRole('tab', { name: en.tabs.places }).click();
    await page.getByText(en.booking.hint).waitFor();

    await page.getByRole('button', { name: en.booking.editOf(room.name), exact: true }).click();
    const form = page.getByRole('form', { name: en.booking.formTitle(room.name) });
    await form.getByLabel(en.booking.maxDuration).fill('75');
    await form.getByRole('button', { name: en.booking.save }).click();
    await page.getByText(en.booking.saved(room.name)).waitFor();
    await page
      .locator(`tr[data-place-id="${room.id}"]`)
      .getByText(`${en.booking.maxDuration}: ${en.booking.minutes(75)}`)
      .waitFor();

    const response = await fetch(`${stack.service.url}/api/hector/places`, { headers: ADMIN });
    const { items } = (await response.json()) as {
      items: Array<{ id: string; maxDurationMinutes: number | null }>;
    };
    expect(items.find((p) => p.id === room.id)?.maxDurationMinutes).toBe(75);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-places-booking.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
