import request from 'supertest';
import { SAMPLE_CLIENT_ID, SAMPLE_CLIENT_SECRET, SAMPLE_PERMISSIONS } from '../../emulator';
import type { AdminStatus } from '../../contract/admin';
import { ADMIN, sampleSettings, startStack, type Stack } from '../support/stack';

// Issue 15 "Credentials expiry" on the real service and emulator: the secret's expiry is read from
// the app registration in Graph when the app holds Application.Read.All, else the admin's date is
// used — silently, and the 403 is not asked again before a day (or a save).
jest.setTimeout(90_000);

const DAY_MS = 24 * 3_600_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ label: 'ops-secret-expiry' });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  stack.emulator.control.setPermissions(SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS);
});

const statusText = async (): Promise<{ body: AdminStatus; text: string }> => {
  const res = await request(stack.service.url).get('/api/admin/status').set(ADMIN);
  expect(res.status).toBe(200);
  return { body: res.body as AdminStatus, text: res.text };
};
/** Saves the sample settings with the admin's date: a save also makes the service read Graph again. */
const saveWithAdminDate = async (iso: string): Promise<void> => {
  const saved = await request(stack.service.url)
    .put('/api/admin/integration')
    .set(ADMIN)
    .send(sampleSettings({ secretExpiresAt: iso }));
  expect(saved.status).toBe(200);
};
/** The emulator's secret (the one the service signs in with) expires in this many days. */
const emulatorSecretExpiresIn = (days: number): string => {
  const at = new Date(stack.emulator.control.clock.now().getTime() + days * DAY_MS).toISOString();
  stack.emulator.control.setSecretExpiry(SAMPLE_CLIENT_ID, { secretExpiresAt: at });
  return at;
};
const grantApplicationRead = (): void =>
  stack.emulator.control.setPermissions(SAMPLE_CLIENT_ID, [...SAMPLE_PERMISSIONS, 'Application.Read.All']);

describe('GET /api/admin/status: credentials from Graph or from the settings', () => {
  it("B6 S1: without Application.Read.All, the admin's date is used, silently; the 403 is not asked again at once", async () => {
    emulatorSecretExpiresIn(20); // would warn, were it readable
    const adminDate = new Date(Date.now() + 90 * DAY_MS).toISOString();
    await saveWithAdminDate(adminDate);

    const { body } = await statusText();
    expect(body.credentials).toEqual({ secretExpiresAt: adminDate, warning: null, source: 'settings' });
    const errors = await stack.journal({ kind: 'error' });
    expect(errors.filter((e) => /Application\.Read/.test(e.message))).toEqual([]);

    // Granted now: the refusal is kept (once a day at most), so still the admin's date…
    grantApplicationRead();
    expect((await statusText()).body.credentials.source).toBe('settings');
    // …until the settings are saved again.
    await saveWithAdminDate(adminDate);
    expect((await statusText()).body.credentials.source).toBe('graph');
  });

  it('B6 S1: with Application.Read.All and the secret expiring in 20 days, the status warns from Graph', async () => {
    grantApplicationRead();
    const graphDate = emulatorSecretExpiresIn(20);
    await saveWithAdminDate(new Date(Date.now() + 90 * DAY_MS).toISOString());

    const { body, text } = await statusText();
    expect(body.credentials).toMatchObject({ secretExpiresAt: graphDate, source: 'graph' });
    expect(body.credentials.warning).toMatch(
      new RegExp(`^The client secret expires on ${graphDate.slice(0, 10)} \\(in (19|20) days\\)`),
    );
    expect(body.credentials.warning).toContain('read from Entra ID');
    expect(text).not.toContain(SAMPLE_CLIENT_SECRET);
  });

  it("B6 S1: with Application.Read.All and a secret far from expiry, no warning; the date is Graph's", async () => {
    grantApplicationRead();
    const graphDate = emulatorSecretExpiresIn(400);
    const adminDate = new Date(Date.now() + 10 * DAY_MS).toISOString(); // would warn, were it used
    await saveWithAdminDate(adminDate);
    expect((await statusText()).body.credentials).toEqual({
      secretExpiresAt: graphDate,
      warning: null,
      source: 'graph',
    });
  });
});
