/**
 * The admin page in a real browser against the real stack (emulator + service + integration
 * saved + rooms imported): sign in with the admin token, see the sample rooms as places, make a
 * loan through the form and find it in the list, read the journal. One screenshot per tab goes
 * to test-artifacts/.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { en } from '../../admin/i18n/en';
import { chromiumOrSkip, launchChromium } from './chromium';
import { TEST_ADMIN_TOKEN } from '../support/service';
import { DEFAULT_USER, at, startStack, waitFor, type Stack } from '../support/stack';
import { settled } from '../support/settled';

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const { executablePath: CHROMIUM, required: REQUIRED } = chromiumOrSkip('test/browser/admin.test.ts');

jest.setTimeout(180_000);
// Not a stub: skipped only on a machine without Chromium; CI installs it and sets CI=true, which makes it required.
const suite = CHROMIUM || REQUIRED ? describe : describe.skip;

suite('admin page in Chromium, against the real stack', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const failedResponses: string[] = [];

  const shot = async (name: string) => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `admin-${name}.png`), fullPage: true });
  };
  const openTab = async (name: string) => {
    await page.getByRole('tab', { name }).click();
  };

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error('CI=true and no Chromium found at /usr/bin/chromium');
    if (!fs.existsSync(path.join(ROOT, 'dist', 'web', 'admin', 'index.html'))) {
      process.stderr.write('dist/web/admin is missing: running npx webpack --mode production…\n');
      execSync('npx webpack --mode production', { cwd: ROOT, stdio: 'inherit' });
    }
    stack = await startStack({ label: 'admin-browser' });
    browser = await launchChromium(CHROMIUM);
    // A fixed locale and zone: the form's local times then read as UTC.
    const context = await browser.newContext({
      locale: 'en-US',
      timezoneId: 'UTC',
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) failedResponses.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.close();
  });

  it('S1: a wrong token is refused with the server’s message; the admin token signs in', async () => {
    await page.goto(`${stack.service.url}/admin/`);
    await page.getByLabel(en.signIn.token).fill('not-the-token');
    await page.getByRole('button', { name: en.signIn.submit }).click();
    await page
      .getByRole('alert')
      .getByText(/admin token is required/i)
      .waitFor();

    await page.getByLabel(en.signIn.token).fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: en.signIn.submit }).click();
    await page.getByRole('tablist').waitFor();
    // The stack saved the sample tenant's settings: the form shows them, the secret only as a hint.
    await page.getByText(en.integration.secretSaved).waitFor();
    expect(await page.getByLabel(en.integration.primaryDomain).inputValue()).toBe('universite.test');
    await page.getByText(en.integration.connectionOk).waitFor();
    await shot('integration');
  });

  it('R1/S3: the places list shows the sample tenant’s rooms', async () => {
    await openTab(en.tabs.places);
    const rooms = [...(await stack.places()).values()];
    expect(rooms.length).toBeGreaterThan(5);
    const table = page.getByTestId('places-table');
    for (const room of rooms.slice(0, 3))
      await table.getByRole('cell', { name: room.name, exact: true }).waitFor();
    expect(await table.getByRole('row').count()).toBeGreaterThanOrEqual(rooms.length + 1);
    await shot('places');
  });

  it('HC1: a loan made through the form appears in the list', async () => {
    await openTab(en.tabs.loans);
    await page.getByRole('button', { name: en.loans.newLoan }).click();
    const form = page.getByRole('form', { name: en.loans.newLoanHeading });
    const room = [...(await stack.places()).values()][0];
    await form.getByLabel(en.loans.requesterEmail).fill(DEFAULT_USER);
    await form.getByLabel(room.name, { exact: true }).check();
    // timezoneId is UTC, so a datetime-local value is the UTC instant's first 16 characters.
    await form.getByLabel(en.loans.startField).fill(at(3, '10:00').slice(0, 16));
    await form.getByLabel(en.loans.endField).fill(at(3, '11:00').slice(0, 16));
    await form.getByRole('button', { name: en.loans.create }).click();

    const loan = await waitFor(async () => (await stack.loans()).find((l) => l.origin === 'hector'), {
      what: 'the loan made in the form',
    });
    await page.getByText(en.loans.created(loan.number)).waitFor();
    const row = page.getByTestId('loans-table').locator(`tr[data-loan-id="${loan.id}"]`);
    await row.getByRole('link', { name: en.loans.open(loan.number) }).waitFor();
    expect(await row.textContent()).toContain(room.name);
    expect(loan.start).toBe(at(3, '10:00'));
    await shot('loans');

    // The add-in's "Open in Hector" link leads to #/loans/{id}.
    await page.goto(`${stack.service.url}/admin/#/loans/${loan.id}`);
    await page.getByRole('heading', { name: en.loans.detailHeading(loan.number) }).waitFor();
    await shot('loan');
  });

  it('B4: the journal lists the sync’s decisions, newest first', async () => {
    // Nothing left to decide: the newest entry the API gives is the one the page shows first.
    await settled(stack);
    await openTab(en.tabs.journal);
    const rows = page.getByTestId('journal-table').locator('tbody tr[data-kind]');
    await rows.first().waitFor();
    const entries = await stack.journal();
    expect(entries.length).toBeGreaterThan(0);
    expect(await rows.first().textContent()).toContain(entries[0].message);
    await shot('journal');
  });

  it('E1: each synced room has a live subscription', async () => {
    await openTab(en.tabs.subscriptions);
    const table = page.getByTestId('subscriptions-table');
    await table.locator('tbody tr[data-state]').first().waitFor();
    expect(await table.locator('tbody tr[data-state="active"]').count()).toBe((await stack.places()).size);
    await shot('subscriptions');
    // Only the wrong token's 401 failed (Chromium logs it), and nothing else went wrong.
    expect(failedResponses).toEqual(['401 /api/admin/integration']);
    expect(consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
