/**
 * Issue 16: the pages under their Content-Security-Policy in Chromium. The admin page and the task
 * pane load and run with no violation of their own policy; neither can be framed by a page that is
 * not allowed to (the admin page by none, the task pane by Outlook's hosts only).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { en } from '../../admin/i18n/en';
import type { Service } from '../../server/main';
import { chromiumOrSkip, launchChromium } from './chromium';
import { startTestService } from '../support/service';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

const ROOT = path.resolve(__dirname, '..', '..');
const { executablePath: CHROMIUM, required: REQUIRED } = chromiumOrSkip('test/browser/security.csp.test.ts');
jest.setTimeout(120_000);
// Not a stub: skipped only without Chromium (CI installs it; CI=true requires it) or before `npm run build`
// (CI builds first).
const suite =
  (CHROMIUM || REQUIRED) && fs.existsSync(path.join(ROOT, 'dist', 'web', 'admin', 'index.html'))
    ? describe
    : describe.skip;

/** Just enough of Office.js for the task pane to start outside Outlook (no item selected). */
const OFFICE_STAND_IN = `window.Office = {
  onReady: function (cb) { var info = { host: 'Outlook', platform: 'OfficeOnline' }; if (cb) cb(info); return Promise.resolve(info); },
  EventType: { OfficeThemeChanged: 'officeThemeChanged', ItemChanged: 'olkItemSelectedChanged' },
  AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
  MailboxEnums: { ItemType: { Appointment: 'appointment', Message: 'message' }, RestVersion: { v2_0: 'v2.0' } },
  context: {
    displayLanguage: 'en-US',
    requirements: { isSetSupported: function () { return false; } },
    mailbox: { item: null, addHandlerAsync: function (t, h, cb) { if (cb) cb({ status: 'succeeded' }); }, removeHandlerAsync: function () {} },
  },
  auth: { getAccessToken: function () { return Promise.reject(new Error('no SSO here')); } },
};`;

suite('issue 16: the pages under their CSP, in Chromium', () => {
  let storage: TestStorage;
  let service: Service;
  let browser: Browser;

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error('CI=true and no Chromium found at /usr/bin/chromium');
    storage = await createTestStorage('csp-browser');
    service = await startTestService(storage, { PUBLIC_URL: 'http://127.0.0.1:0' }, { workers: false });
    browser = await launchChromium(CHROMIUM);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await service?.close();
    await storage?.drop();
  });

  /** A fresh page that records every CSP violation it reports. */
  const openPage = async (): Promise<{ page: Page; violations: string[] }> => {
    const page = await (await browser.newContext()).newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (process.env.CSP_DEBUG) process.stderr.write(`console ${m.type()}: ${m.text()}\n`);
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    // Office.js comes from Microsoft's CDN, which this machine cannot reach: a stand-in on the same URL.
    await page.route('https://appsforoffice.microsoft.com/**', (route) =>
      route.fulfill({
        contentType: 'application/javascript',
        body: OFFICE_STAND_IN,
      }),
    );
    page.on('pageerror', (e) => process.env.CSP_DEBUG && process.stderr.write(`pageerror: ${e.message}\n`));
    return { page, violations };
  };

  it('S1: the admin page renders its sign-in under default-src self, without a violation', async () => {
    const { page, violations } = await openPage();
    await page.goto(`${service.url}/admin/`);
    await page.getByLabel(en.signIn.token).waitFor();
    expect(violations).toEqual([]);
  });

  it('A1: the task pane loads Office.js from its CDN and its own bundle, without a violation', async () => {
    const { page, violations } = await openPage();
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(new URL(r.url()).host);
    });
    await page.goto(`${service.url}/addin/taskpane.html`);
    await page.locator('#root > *').first().waitFor();
    expect(scripts).toContain('appsforoffice.microsoft.com');
    expect(violations).toEqual([]);
  });

  it.each([
    ['the admin page', '/admin/'],
    ['the task pane (not an Outlook host)', '/addin/taskpane.html'],
  ])('%s cannot be framed by another site', async (_what, pagePath) => {
    const { page } = await openPage();
    // Another origin (another port) framing the page, and, as a control, /healthz (no policy).
    const outer = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        `<iframe name="target" src="${service.url}${pagePath}"></iframe><iframe name="control" src="${service.url}/healthz"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => outer.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`http://127.0.0.1:${(outer.address() as AddressInfo).port}/`, { waitUntil: 'load' });
    } finally {
      outer.close();
    }
    const frame = (name: string) => page.frames().find((f) => f.name() === name)!;
    const text = (name: string) =>
      frame(name)
        .locator('body')
        .innerText({ timeout: 5000 })
        .catch(() => '');
    expect(await text('control')).toContain('alive');
    expect(frame('target').url()).not.toContain(pagePath);
    expect(
      await frame('target')
        .locator('#root')
        .count()
        .then((n) => n > 0)
        .catch(() => false),
    ).toBe(false);
  });
});
