import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Asset, Loan } from '../../contract/hector';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';
import { chromiumOrSkip, ensureWebBuild, launchChromium, repositoryRoot } from './chromium';
import request from 'supertest';

// Issue 17 in a real browser: the harness plays Outlook (Office.js shim on real emulator events,
// compose mode with enhancedLocation) and loads the task-pane bundle unchanged. Organizer and
// attendee, read and compose, French and English; screenshots under test-results/.
jest.setTimeout(180_000);

const ORGANIZER = 'hugo.bernard@universite.test';
const ATTENDEE = 'lea.dubois@universite.test';
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';
const A201 = 'salle-a201@universite.test';
/** A waitFor deadline for what the pane must show, not a benchmark. */
const SHOWN_WITHIN_MS = 5_000;

const { executablePath, required } = chromiumOrSkip('browser suite addin.actions');
// Not a stub: skipped only on a machine without Chromium; CI installs it and sets CI=true, which makes it required.
const describeIfChromium = executablePath || required ? describe : describe.skip;

const screenshot = (name: string): string => {
  const dir = path.join(repositoryRoot(), 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
};

const clock = { offsetMs: 0 };

describeIfChromium('B7 B8 B9: the task pane acts, in Chromium through the harness', () => {
  let stack: Stack;
  let browser: Browser;
  const pageErrors: string[] = [];
  let projector: Asset;
  let meeting: { organizerEventId: string; iCalUId: string; loanId: string };

  beforeAll(async () => {
    if (!executablePath) throw new Error('CI=true and no Chromium: install it (apt-get install -y chromium)');
    ensureWebBuild();
    [stack, browser] = await Promise.all([
      startStack({
        label: 'addin-actions-browser',
        // The service's clock: real time plus an offset the check-in test moves (B9).
        service: { now: () => new Date(Date.now() + clock.offsetMs) },
      }),
      launchChromium(executablePath),
    ]);
    const created = await request(stack.service.url)
      .post('/api/hector/assets')
      .set(ADMIN)
      .send({ name: 'Vidéoprojecteur', category: 'Vidéo' });
    projector = created.body as Asset;
    const event = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Conseil de laboratoire',
      start: at(3, '09:00'),
      end: at(3, '10:00'),
      rooms: [A201],
      attendees: [ATTENDEE],
    });
    const loanId = await waitFor(
      async () =>
        (await stack.journal({ iCalUId: event.iCalUId! })).find((e) => e.loanId)?.loanId ?? undefined,
      { what: 'the loan of the meeting' },
    );
    meeting = { organizerEventId: event.id!, iCalUId: event.iCalUId!, loanId };
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  const harnessUrl = (user: string, event?: string, extra: Record<string, string> = {}) =>
    `${stack.service.url}/harness?${new URLSearchParams({ user, ...(event ? { event } : {}), ...extra })}`;

  async function open(url: string, locale: string, width = 320): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width, height: 900 },
      locale,
      extraHTTPHeaders: { 'Accept-Language': locale },
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    return page;
  }

  const loan = async (id: string): Promise<Loan> =>
    (await request(stack.service.url).get(`/api/hector/loans/${id}`).set(ADMIN)).body as Loan;

  it('B7: the organizer adds equipment from the pane by keyboard, at 320 px, in French', async () => {
    const page = await open(harnessUrl(ORGANIZER, meeting.organizerEventId), 'fr-FR');
    const panel = page.getByTestId('assets-panel');
    await panel.waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    const add = panel.getByRole('button', { name: 'Ajouter Vidéoprojecteur' });
    await add.waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    // Nothing wider than the narrow pane.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    await add.focus();
    await page.keyboard.press('Enter');
    await panel.getByText('Vidéoprojecteur a été ajouté au prêt.').waitFor({ timeout: SHOWN_WITHIN_MS });
    await panel
      .getByRole('button', { name: 'Retirer Vidéoprojecteur' })
      .waitFor({ timeout: SHOWN_WITHIN_MS });
    // The loan card reloads with the asset among the items.
    await page.getByTestId('loan-card').getByText('Vidéoprojecteur').waitFor({ timeout: SHOWN_WITHIN_MS });
    expect(
      (await loan(meeting.loanId)).items.some((i) => i.id === projector.id && i.status === 'active'),
    ).toBe(true);
    await page.screenshot({ path: screenshot('addin-organizer-assets-fr.png'), fullPage: true });
    await page.close();
  });

  it('B7 B9: an attendee sees the equipment read-only and check-in outside its window, in English', async () => {
    const copy = stack.emulator.control.eventsOf(ATTENDEE).find((e) => e.iCalUId === meeting.iCalUId)!;
    const page = await open(harnessUrl(ATTENDEE, copy.id!, { lang: 'en-US' }), 'en-US');
    const panel = page.getByTestId('assets-panel');
    await panel.getByText('Only the organizer can change the equipment of this meeting.').waitFor({
      timeout: SHOWN_WITHIN_MS,
    });
    await panel.getByText('On the loan').waitFor({ timeout: SHOWN_WITHIN_MS });
    expect(await panel.getByRole('button').count()).toBe(0);
    // The meeting is days away: Hector names the window.
    await page.getByRole('button', { name: 'Check in' }).click();
    await page
      .getByTestId('check-in')
      .getByText(/Check-in is not open now\. Check-in is open from \d\d:\d\d to \d\d:\d\d/)
      .waitFor({ timeout: SHOWN_WITHIN_MS });
    expect((await loan(meeting.loanId)).checkedInAt).toBeNull();
    await page.screenshot({ path: screenshot('addin-attendee-readonly-en.png'), fullPage: true });
    await page.close();
  });

  it('B7 B9: an attendee sees the equipment read-only and check-in outside its window, in French', async () => {
    const copy = stack.emulator.control.eventsOf(ATTENDEE).find((e) => e.iCalUId === meeting.iCalUId)!;
    const page = await open(harnessUrl(ATTENDEE, copy.id!, { lang: 'fr-FR' }), 'fr-FR');
    const panel = page.getByTestId('assets-panel');
    await panel
      .getByText('Seul l’organisateur peut changer l’équipement de cette réunion.')
      .waitFor({ timeout: SHOWN_WITHIN_MS });
    await panel.getByText('Dans le prêt').waitFor({ timeout: SHOWN_WITHIN_MS });
    expect(await panel.getByRole('button').count()).toBe(0);
    await page.getByRole('button', { name: 'Je suis là' }).click();
    await page
      .getByTestId('check-in')
      .getByText(/La confirmation de présence n’est pas ouverte maintenant\./)
      .waitFor({ timeout: SHOWN_WITHIN_MS });
    expect((await loan(meeting.loanId)).checkedInAt).toBeNull();
    await page.screenshot({ path: screenshot('addin-attendee-readonly-fr.png'), fullPage: true });
    await page.close();
  });

  it('B7: the organizer removes the equipment by keyboard, in English', async () => {
    const page = await open(harnessUrl(ORGANIZER, meeting.organizerEventId, { lang: 'en-US' }), 'en-US');
    const panel = page.getByTestId('assets-panel');
    const remove = panel.getByRole('button', { name: 'Remove Vidéoprojecteur' });
    await remove.waitFor({ state: 'visible', timeout: SHOWN_WITHIN_MS });
    await remove.focus();
    await page.keyboard.press('Enter');
    await panel.getByText('Vidéoprojecteur was removed from the loan.').waitFor({ timeout: SHOWN_WITHIN_MS });
    await panel.getByRole('button', { name: 'Add Vidéoprojecteur' }).waitFor({ timeout: SHOWN_WITHIN_MS });
    expect(
      (await loan(meeting.loanId)).items.some((i) => i.id === projector.id && i.status === 'active'),
    ).toBe(false);
    await page.screenshot({ path: screenshot('addin-organizer-assets-en.png'), fullPage: true });
    // Back on the loan for the tests that follow (read-only view, check-in).
    await panel.getByRole('button', { name: 'Add Vidéoprojecteur' }).click();
    await panel.getByText('Vidéoprojecteur was added to the loan.').waitFor({ timeout: SHOWN_WITHIN_MS });
    await page.close();
  });

  it('B9: the organizer checks in inside the window, in English', async () => {
    const event = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Jury de thèse',
      start: at(3, '14:00'),
      end: at(3, '15:00'),
      rooms: [A102],
    });
    const loanId = await waitFor(
      async () =>
        (await stack.journal({ iCalUId: event.iCalUId! })).find((e) => e.loanId)?.loanId ?? undefined,
      { what: 'the loan of the second meeting' },
    );
    clock.offsetMs = Date.parse(at(3, '14:00')) + 3 * 60_000 - Date.now();
    try {
      const page = await open(harnessUrl(ORGANIZER, event.id!, { lang: 'en-US' }), 'en-US');
      const button = page.getByRole('button', { name: 'Check in' });
      await button.waitFor({ timeout: SHOWN_WITHIN_MS });
      await button.click();
      await page.getByText('You are checked in: the room is yours.').waitFor({ timeout: SHOWN_WITHIN_MS });
      const stored = await loan(loanId);
      expect(stored.status).toBe('out');
      expect(stored.checkedInAt).not.toBeNull();
      await page.screenshot({ path: screenshot('addin-organizer-checked-in-en.png'), fullPage: true });
      await page.close();
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('B9: the organizer checks in inside the window, in French', async () => {
    // Five minutes before the meeting's start, on the service's clock.
    clock.offsetMs = Date.parse(at(3, '09:00')) - 5 * 60_000 - Date.now();
    try {
      const page = await open(harnessUrl(ORGANIZER, meeting.organizerEventId), 'fr-FR');
      const button = page.getByRole('button', { name: 'Je suis là' });
      await button.waitFor({ timeout: SHOWN_WITHIN_MS });
      await button.focus();
      await page.keyboard.press('Enter');
      await page.getByText('Présence confirmée : la salle est à vous.').waitFor({ timeout: SHOWN_WITHIN_MS });
      // The loan card reloads: checked out in Hector.
      await page.getByTestId('loan-card').getByText('Sorti', { exact: true }).first().waitFor({
        timeout: SHOWN_WITHIN_MS,
      });
      const stored = await loan(meeting.loanId);
      expect(stored.status).toBe('out');
      expect(stored.checkedInAt).not.toBeNull();
      await page.screenshot({ path: screenshot('addin-organizer-checked-in-fr.png'), fullPage: true });
      await page.close();
    } finally {
      clock.offsetMs = 0;
    }
  });

  describe.each([
    ['fr-FR', 'est déjà prise par le prêt', 'Salles libres à proximité', 'Ajouter Salle A-102 à la réunion'],
    ['en-US', 'is taken by loan', 'Free rooms nearby', 'Add Salle A-102 to the meeting'],
  ])('B8 in %s', (locale, taken, alternativesHeading, addLabel) => {
    it('B8: composing, a room taken in Hector says so with the loan number; a free room is added', async () => {
      // Another (Hector) loan holds A-101 then.
      const start = at(4, locale === 'fr-FR' ? '09:00' : '14:00');
      const end = at(4, locale === 'fr-FR' ? '10:00' : '15:00');
      const places = await stack.places();
      const blocking = await request(stack.service.url)
        .post('/api/hector/loans')
        .set(ADMIN)
        .send({
          requester: { email: 'jules.garcia@universite.test' },
          start,
          end,
          items: [{ kind: 'place', id: places.get(A101)!.id }],
        });
      expect(blocking.status).toBe(201);
      const number = (blocking.body as Loan).number;
      // A new meeting being typed, not sent yet: its dates and room come from the compose form.
      const page = await open(
        harnessUrl(ORGANIZER, undefined, { mode: 'compose', lang: locale, start, end, rooms: A101 }),
        locale,
      );
      const panel = page.getByTestId('availability-panel');
      const room = panel.getByTestId('room-availability');
      await room.getByText(new RegExp(`${taken} #${number}`)).waitFor({ timeout: SHOWN_WITHIN_MS });
      await panel.getByText(alternativesHeading).waitFor({ timeout: SHOWN_WITHIN_MS });
      await page.screenshot({ path: screenshot(`addin-compose-availability-${locale}.png`), fullPage: true });
      const choose = panel.getByRole('button', { name: addLabel });
      await choose.focus();
      await page.keyboard.press('Enter');
      // Added through enhancedLocation.addAsync: the panel checks again with both rooms.
      await panel.getByTestId('room-availability').nth(1).waitFor({ timeout: SHOWN_WITHIN_MS });
      await expect(panel.getByTestId('room-availability').nth(1).textContent()).resolves.toContain(A102);
      await page.screenshot({ path: screenshot(`addin-compose-alternative-${locale}.png`), fullPage: true });
      await page.close();
    });
  });
});
