/**
 * App registrations and their client secrets (GDC api-reference/v1.0/api/application-get.md,
 * application-list.md, resources/passwordcredential.md): readable with Application.Read.All (or
 * higher), else 403 Authorization_RequestDenied; each secret listed with its expiry and `hint`
 * (first 3 characters), never its text.
 */
import {
  SAMPLE_CLIENT_ID,
  SAMPLE_CLIENT_SECRET,
  SAMPLE_PERMISSIONS,
  SECRET_LIFETIME_DAYS,
  startEmulator,
  type RunningEmulator,
} from '../../emulator';
import { appToken } from './support';

const DAY_MS = 24 * 3_600_000;
const FILTER = `$filter=appId eq '${SAMPLE_CLIENT_ID}'&$select=id,appId,passwordCredentials`;

describe('GET /applications (the app registration and its passwordCredentials)', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startEmulator({ tls: false });
    token = await appToken(emu);
  });
  afterAll(async () => {
    await emu.close();
  });
  afterEach(() => {
    emu.control.reset();
  });

  const get = async (
    path: string,
  ): Promise<{ status: number; text: string; body: Record<string, unknown> }> => {
    const res = await fetch(`${emu.graphUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown> };
  };
  const grant = (...extra: string[]): void =>
    emu.control.setPermissions(SAMPLE_CLIENT_ID, [...SAMPLE_PERMISSIONS, ...extra]);

  it('without Application.Read.All (the sample tenant is least-privilege): 403 Authorization_RequestDenied', async () => {
    for (const path of [`/applications?${FILTER}`, `/applications(appId='${SAMPLE_CLIENT_ID}')`]) {
      const res = await get(path);
      expect(res.status).toBe(403);
      expect((res.body.error as { code: string }).code).toBe('Authorization_RequestDenied');
      expect(res.text).not.toContain('passwordCredentials');
    }
  });

  it('with Application.Read.All: the secret with its endDateTime and hint, never its text', async () => {
    grant('Application.Read.All');
    const now = emu.control.clock.now().getTime();
    const list = await get(`/applications?${FILTER}`);
    expect(list.status).toBe(200);
    const apps = list.body.value as Array<Record<string, unknown>>;
    expect(apps).toHaveLength(1);
    expect(Object.keys(apps[0]).sort()).toEqual(['appId', 'id', 'passwordCredentials']);
    expect(apps[0].appId).toBe(SAMPLE_CLIENT_ID);
    expect(apps[0].id).not.toBe(SAMPLE_CLIENT_ID); // the object id is not the client id
    const [secret] = apps[0].passwordCredentials as Array<Record<string, unknown>>;
    expect(secret).toMatchObject({
      keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      hint: SAMPLE_CLIENT_SECRET.slice(0, 3),
      secretText: null,
    });
    const end = Date.parse(secret.endDateTime as string);
    expect(Math.abs(end - (now + SECRET_LIFETIME_DAYS * DAY_MS))).toBeLessThan(60_000);
    expect(list.text).not.toContain(SAMPLE_CLIENT_SECRET);

    const one = await get(`/applications(appId='${SAMPLE_CLIENT_ID}')`);
    expect(one.status).toBe(200);
    expect(one.body.passwordCredentials).toEqual(apps[0].passwordCredentials);
    expect(one.text).not.toContain(SAMPLE_CLIENT_SECRET);
    const byObjectId = await get(`/applications/${String(apps[0].id)}?$select=appId`);
    expect(byObjectId.body).toMatchObject({ appId: SAMPLE_CLIENT_ID });
  });

  it('Directory.Read.All also reads it; another appId: an empty list, or 404 Request_ResourceNotFound', async () => {
    grant('Directory.Read.All');
    expect((await get(`/applications?${FILTER}`)).status).toBe(200);
    const other = '99999999-9999-4999-8999-999999999999';
    expect((await get(`/applications?$filter=appId eq '${other}'`)).body.value).toEqual([]);
    const missing = await get(`/applications(appId='${other}')`);
    expect(missing.status).toBe(404);
    expect((missing.body.error as { code: string }).code).toBe('Request_ResourceNotFound');
  });

  it('the control API sets the secret expiry (and reset restores the seed)', async () => {
    grant('Application.Read.All');
    const at = new Date(emu.control.clock.now().getTime() + 20 * DAY_MS).toISOString();
    const res = await fetch(`${emu.url}/_emulator/apps/${SAMPLE_CLIENT_ID}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secretExpiresAt: at }),
    });
    expect(res.status).toBe(200);
    const view = (await res.json()) as Record<string, unknown>;
    expect(view.passwordCredentials).toEqual([{ keyId: expect.any(String), hint: 'emu', endDateTime: at }]);
    expect(JSON.stringify(view)).not.toContain(SAMPLE_CLIENT_SECRET);
    const one = await get(`/applications(appId='${SAMPLE_CLIENT_ID}')?$select=passwordCredentials`);
    expect((one.body.passwordCredentials as Array<{ endDateTime: string }>)[0].endDateTime).toBe(at);

    const bad = await fetch(`${emu.url}/_emulator/apps/${SAMPLE_CLIENT_ID}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secretExpiresAt: 'next spring' }),
    });
    expect(bad.status).toBe(400);
    expect(emu.control.app(SAMPLE_CLIENT_ID)?.passwordCredentials[0].endDateTime).toBe(at);

    emu.control.reset();
    expect(emu.control.app(SAMPLE_CLIENT_ID)?.passwordCredentials[0].endDateTime).not.toBe(at);
  });
});
