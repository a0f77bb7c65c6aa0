import type { Browser, Page } from 'playwright-core';
import { at, startStack, waitFor, type Stack } from '../support/stack';
import { artifactPath, chromiumOrSkip, ensureWebBuild, launchChromium } from './chromium';

// A1 A2 in a real browser: the harness plays Outlook (Office.js shim on a real emulator event, a
// user token from the emulator) and loads the task-pane bundle unchanged; Debian's Chromium.
jest.setTimeout(120_000);

const ORGANIZER = 'hugo.bernard@universite.test';
const ATTENDEE = 'lea.dubois@universite.test';
const OUTSIDER = 'jules.garcia@universite.test';
const A001 = 'salle-a001@universite.test';
/** How long the pane may take to show what it must (a waitFor deadline, not a benchmark). */
const SHOWN_WITHIN_MS = 2_000;

const { executablePath, required } = chromiumOrSkip('browser suite addin.harness');
// Not a stub: skipped only on a machine without Chromium; CI installs it and sets CI=true, which makes it required.
const describeIfChromium = executablePath || required ? describe : describe.skip;

describeIfChromium('A1 A2: the task pane in Chromium, through the harness', () => {
  let stack: Stack;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!executablePath) throw new Error('CI=true and no Chromium: install it (apt-get install -y chromium)');
    ensureWebBuild();
    [stack, browser] = await Promise.all([
      startStack({ label: 'addin-browser' }),
      launchChromium(executablePath),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const harnessUrl = (user: string, event?: string, extra: Record<string, string> = {}) => {
    const query = new URLSearchParams({ user, ...(event ? { event } : {}), ...extra });
    return `${stack.service.url}/harness?${query}`;
  };

  // The browser's language (Accept-Language, which the server's status labels follow) matches
  // Office's display language, as in Outlook.
  async function open(url: string, locale = 'fr-FR'): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width: 360, height: 640 },
      locale,
      extraHTTPHeaders: { 'Accept-Language': locale },
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    return page;
  }

  async function bookedMeeting(): Promise<{ organizerEventId: string; iCalUId: string; number: number }> {
    const event = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Soutenance de thèse',
      start: at(2, '13:00'),
      end: at(2, '15:00'),
      rooms: [A001],
      attendees: [ATTENDEE],
    });
    // The sync's own latency is measured elsewhere (inbound bench): wait for the loan first.
    const number = await waitFor(
      async () => {
        const entry = (await stack.journal({ iCalUId: event.iCalUId! })).find((e) => e.loanId);
        if (!entry) return undefined;
        return (await stack.loans()).find((l) => l.id === entry.loanId)?.number;
      },
      { what: 'the loan of the meeting' },
    );
    return { organizerEventId: event.id!, iCalUId: event.iCalUId!, number };
  }

  let meeting: Awaited<ReturnType<typeof bookedMeeting>>;
  beforeAll(async () => {
    meeting = await bookedMeeting();
  }, 60_000);

  it('A1: the organizer sees the loan number and "Nouveau" within 2 s', async () => {
    const page = await open(harnessUrl(ORGANIZER, meeting.organizerEventId));
    const card = page.getByTestId('loan-card');
    await card.waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    await expect(card.textContent()).resolves.toContain(String(meeting.number));
    await expect(card.getByText('Nouveau', { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(card.getByText('Salle A-001').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: artifactPath('addin-organizer-loan.png'), fullPage: true });
    await page.close();
  });

  it('A1: an attendee opening their own copy sees the same loan', async () => {
    const copy = stack.emulator.control.eventsOf(ATTENDEE).find((e) => e.iCalUId === meeting.iCalUId);
    expect(copy?.id).toBeDefined();
    expect(copy!.id).not.toBe(meeting.organizerEventId);
    const page = await open(harnessUrl(ATTENDEE, copy!.id!));
    const card = page.getByTestId('loan-card');
    await card.waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    await expect(card.textContent()).resolves.toContain(String(meeting.number));
    await expect(card.getByText('Nouveau', { exact: true }).first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: artifactPath('addin-attendee-loan.png'), fullPage: true });
    await page.close();
  });

  it('A1: in English when Office speaks English (compose mode, saved event)', async () => {
    const page = await open(
      harnessUrl(ORGANIZER, meeting.organizerEventId, { mode: 'compose', lang: 'en-US' }),
      'en-US',
    );
    const card = page.getByTestId('loan-card');
    await card.waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    await page.screenshot({ path: artifactPath('addin-compose-en-loan.png'), fullPage: true });
    await expect(card.getByText('New', { exact: true }).first().isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('A2: a meeting without a room says why there is no loan', async () => {
    const event = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Point téléphonique',
      start: at(2, '16:00'),
      end: at(2, '16:30'),
      attendees: [ATTENDEE],
    });
    const page = await open(harnessUrl(ORGANIZER, event.id!));
    const reason = page.locator('[data-testid="no-loan"][data-reason="no_synced_room"]');
    await reason.waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    await page.screenshot({ path: artifactPath('addin-no-synced-room.png'), fullPage: true });
    await page.close();
  });

  it('A2: a new event not saved yet (compose mode) asks to save it first', async () => {
    const page = await open(harnessUrl(ORGANIZER, undefined, { mode: 'compose' }));
    const reason = page.locator('[data-testid="no-loan"][data-reason="not_saved"]');
    await reason.waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    await page.screenshot({ path: artifactPath('addin-not-saved.png'), fullPage: true });
    await page.close();
  });

  it('A1: opening another event loads the pane afresh on it (panes do not pin on appointments)', async () => {
    const other = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Sans salle',
      start: at(2, '17:00'),
      end: at(2, '17:30'),
    });
    const page = await open(harnessUrl(ORGANIZER, meeting.organizerEventId));
    await page.getByTestId('loan-card').waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    // A mark on this page's window: a pane loaded afresh (as Outlook does) no longer has it.
    await page.evaluate(() => Object.assign(globalThis, { __samePane: true }));
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('event') === other.id),
      page.evaluate(
        (id) =>
          (
            globalThis as unknown as { __hectorHarness: { selectItem(id: string): Promise<void> } }
          ).__hectorHarness.selectItem(id),
        other.id!,
      ),
    ]);
    await page
      .locator('[data-testid="no-loan"][data-reason="no_synced_room"]')
      .waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    expect(await page.evaluate(() => (globalThis as { __samePane?: boolean }).__samePane)).toBeUndefined();
    await page.close();
  });

  it("flow 8: from the page, another user's token for the organizer's event gets 404", async () => {
    const page = await open(harnessUrl(ORGANIZER, meeting.organizerEventId));
    const status = await page.evaluate(
      async ({ outsider, itemId }) => {
        const { access_token } = (await (
          await fetch(`/harness/token?user=${encodeURIComponent(outsider)}`)
        ).json()) as {
          access_token: string;
        };
        const res = await fetch(`/api/addin/loan?itemId=${encodeURIComponent(itemId)}`, {
          headers: { Authorization: `Bearer ${access_token}` },
        });
        return res.status;
      },
      { outsider: OUTSIDER, itemId: meeting.organizerEventId },
    );
    expect(status).toBe(404);
    await page.close();
  });

  it('B3 A1 A2: opened on a series, the pane lists its occurrences with their loan numbers', async () => {
    const start = at(3, '10:00');
    const weekday = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
    const series = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Séminaire hebdomadaire',
      start,
      end: new Date(Date.parse(start) + 3_600_000).toISOString(),
      rooms: [A001],
      attendees: [ATTENDEE],
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: [weekday[new Date(start).getUTCDay()]] },
        range: { type: 'numbered', numberOfOccurrences: 3, startDate: start.slice(0, 10) },
      },
    });
    const occurrences = stack.emulator.control
      .person(ORGANIZER)
      .occurrences(
        series.id!,
        new Date().toISOString(),
        new Date(Date.now() + 60 * 86_400_000).toISOString(),
      );
    const numbers: number[] = [];
    for (const occ of occurrences) {
      numbers.push(
        await waitFor(
          async () => {
            const entry = (await stack.journal({ iCalUId: occ.iCalUId! })).find((e) => e.loanId);
            return entry ? (await stack.loans()).find((l) => l.id === entry.loanId)?.number : undefined;
          },
          { what: 'the loan of an occurrence' },
        ),
      );
    }
    const page = await open(harnessUrl(ORGANIZER, series.id!));
    const list = page.locator('[data-testid="series"][data-reason="series"]');
    await list.waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    const items = list.getByTestId('series-occurrence');
    await expect(items.count()).resolves.toBe(3);
    for (const [i, number] of numbers.entries()) {
      await expect(items.nth(i).textContent()).resolves.toContain(`Prêt ${number}`);
    }
    await expect(list.getByText('Nouveau', { exact: true }).first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: artifactPath('addin-series-list.png'), fullPage: true });
    await page.close();
  });

  it('the pages ran without a script error', () => {
    expect(pageErrors).toEqual([]);
  });
});
