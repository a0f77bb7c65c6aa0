import { ConfidentialClientApplication } from '@azure/msal-node';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import {
  sampleSeed,
  SAMPLE_API_APP,
  SAMPLE_API_CLIENT_SECRET,
  startEmulator,
  type RunningEmulator,
} from '../../emulator';
import { trustingNetworkClient } from './support';

// Issue 13, part 1 and 2: token versions and the on-behalf-of grant, as Entra ID and Graph do them.
// Sources: entra-docs access-tokens.md ("Token formats": accessTokenAcceptedVersion null or 1 → v1.0),
// access-token-claims-reference.md (v1.0: upn, unique_name, appid; v2.0: preferred_username, azp),
// v2-oauth2-on-behalf-of-flow.md (the grant; Graph tokens are v1.0).

const CAMILLE = 'camille.martin@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const GRAPH = 'https://graph.microsoft.com';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ tls: false });
});
afterAll(() => emu.close());
afterEach(() => {
  emu.control.reset();
  emu.control.resetStats();
});

const api = () => emu.control.apiClientId;
const keys = () => createRemoteJWKSet(new URL(`${emu.authorityUrl}/${emu.tenantId}/discovery/v2.0/keys`));

async function post(path: string, form: Record<string, string>) {
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const oboForm = (assertion: string, extra: Record<string, string> = {}) => ({
  grant_type: JWT_BEARER,
  client_id: api(),
  client_secret: SAMPLE_API_CLIENT_SECRET,
  assertion,
  requested_token_use: 'on_behalf_of',
  scope: `${GRAPH}/Calendars.Read offline_access openid profile`,
  ...extra,
});

const obo = (assertion: string, extra: Record<string, string> = {}) =>
  post(`/${emu.tenantId}/oauth2/v2.0/token`, oboForm(assertion, extra));

async function graphGet(token: string, path: string) {
  const res = await fetch(`${emu.graphUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json().catch(() => ({}))) as { iCalUId?: string; error?: { code: string } };
  return { status: res.status, body };
}

describe('token versions of the add-in API app (entra-docs access-tokens.md "Token formats")', () => {
  it('v1.0 by default (manifest requestedAccessTokenVersion null): sts.windows.net issuer, aud = Application ID URI, upn', async () => {
    const token = await emu.control.issueUserToken({ upn: CAMILLE });
    const { payload } = await jwtVerify(token, keys(), {
      issuer: `https://sts.windows.net/${emu.tenantId}/`,
      audience: SAMPLE_API_APP.applicationIdUri,
    });
    expect(payload).toMatchObject({
      ver: '1.0',
      tid: emu.tenantId,
      scp: 'access_as_user',
      upn: CAMILLE,
      unique_name: CAMILLE,
      appid: expect.any(String),
    });
    expect(typeof payload.oid).toBe('string');
    expect(payload).not.toHaveProperty('preferred_username');
    expect(payload).not.toHaveProperty('azp');
  });

  it('v2.0 once the app asks for it (PUT /_emulator/apps/{clientId}): …/v2.0 issuer, aud = client id, preferred_username', async () => {
    const put = await fetch(`${emu.url}/_emulator/apps/${api()}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accessTokenVersion: 2 }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ accessTokenVersion: 2, clientId: api() });
    // The control route keeps its URL and body, and follows the app's version.
    const res = await fetch(`${emu.url}/_emulator/tokens/user`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ upn: CAMILLE }),
    });
    const { access_token: token } = (await res.json()) as { access_token: string };
    const { payload } = await jwtVerify(token, keys(), {
      issuer: `${emu.authorityUrl}/${emu.tenantId}/v2.0`,
      audience: api(),
    });
    expect(payload).toMatchObject({ ver: '2.0', preferred_username: CAMILLE, azp: expect.any(String) });
    expect(payload).not.toHaveProperty('upn');
    expect(payload).not.toHaveProperty('appid');
  });

  it('a seed can start the app at v2.0; a bad version is a 400 and changes nothing', async () => {
    const v2 = await startEmulator({
      tls: false,
      tenant: { ...sampleSeed(), apiApp: { ...SAMPLE_API_APP, accessTokenVersion: 2 } },
    });
    try {
      expect(decodeJwt(await v2.control.issueUserToken({ upn: CAMILLE })).ver).toBe('2.0');
    } finally {
      await v2.close();
    }
    const put = await fetch(`${emu.url}/_emulator/apps/${api()}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accessTokenVersion: 3 }),
    });
    expect(put.status).toBe(400);
    expect(emu.control.apiApp().accessTokenVersion).toBe(1);
  });

  it('the v1.0 OpenID configuration names the sts.windows.net issuer and the same keys', async () => {
    const v1 = (await (
      await fetch(`${emu.authorityUrl}/${emu.tenantId}/.well-known/openid-configuration`)
    ).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(v1.issuer).toBe(`https://sts.windows.net/${emu.tenantId}/`);
    const v1Keys = (await (await fetch(v1.jwks_uri)).json()) as { keys: Array<{ kid: string }> };
    const v2Keys = (await (
      await fetch(`${emu.authorityUrl}/${emu.tenantId}/discovery/v2.0/keys`)
    ).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(v1Keys.keys.map((k) => k.kid)).toEqual(v2Keys.keys.map((k) => k.kid));
  });
});

describe('the on-behalf-of grant (entra-docs v2-oauth2-on-behalf-of-flow.md)', () => {
  it('a user token for the API → a delegated v1.0 Graph token for that user with the consented scope', async () => {
    const assertion = await emu.control.issueUserToken({ upn: CAMILLE });
    const res = await obo(assertion, { client_info: '1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: `${GRAPH}/Calendars.Read` });
    const claims = decodeJwt(String(res.body.access_token));
    const camille = emu.control.state().users.find((u) => u.userPrincipalName === CAMILLE)!;
    expect(claims).toMatchObject({
      aud: GRAPH,
      iss: `https://sts.windows.net/${emu.tenantId}/`,
      ver: '1.0',
      idtyp: 'user',
      appid: api(),
      oid: camille.id,
      upn: CAMILLE,
      scp: 'Calendars.Read',
    });
    expect(emu.control.stats().oboTokens).toBe(1);
  });

  it('a v2.0 assertion (aud = client id) is accepted too; msal-node acquireTokenOnBehalfOf works', async () => {
    emu.control.configureApiApp(api(), { accessTokenVersion: 2 });
    const msal = new ConfidentialClientApplication({
      auth: { clientId: api(), clientSecret: SAMPLE_API_CLIENT_SECRET, ...emu.control.msalAuthOptions() },
      system: { networkClient: trustingNetworkClient() },
    });
    const result = await msal.acquireTokenOnBehalfOf({
      oboAssertion: await emu.control.issueUserToken({ upn: HUGO }),
      scopes: [`${GRAPH}/Calendars.Read`],
    });
    expect(decodeJwt(result!.accessToken)).toMatchObject({ upn: HUGO, scp: 'Calendars.Read' });
  });

  it('an assertion for another audience → invalid_grant AADSTS500131', async () => {
    const res = await obo(
      await emu.control.issueUserToken({ upn: CAMILLE, audience: `api://evil.example/${api()}` }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
    expect(String(res.body.error_description)).toMatch(/^AADSTS500131: Assertion audience does not match/);
    expect(res.body.error_codes).toEqual([500131]);
  });

  it('an expired assertion → invalid_grant AADSTS500133', async () => {
    const res = await obo(await emu.control.issueUserToken({ upn: CAMILLE, expiresInSeconds: -600 }));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
    expect(String(res.body.error_description)).toMatch(
      /^AADSTS500133: Assertion is not within its valid time range/,
    );
  });

  it('a scope without admin consent → invalid_grant AADSTS65001; a wrong secret → invalid_client AADSTS7000215', async () => {
    const assertion = await emu.control.issueUserToken({ upn: CAMILLE });
    const write = await obo(assertion, { scope: `${GRAPH}/Calendars.ReadWrite` });
    expect(write.status).toBe(400);
    expect(String(write.body.error_description)).toMatch(/^AADSTS65001:/);
    const secret = await obo(assertion, { client_secret: 'nope' });
    expect(secret.status).toBe(401);
    expect(secret.body.error).toBe('invalid_client');
    expect(emu.control.stats().oboTokens).toBe(0);
  });
});

describe('Graph with a delegated token: the signed-in user’s own mailbox only, with the consented scope', () => {
  const delegated = async (upn: string) =>
    String((await obo(await emu.control.issueUserToken({ upn }))).body.access_token);

  it('reads its own events by /me, by its UPN and by its id', async () => {
    const event = emu.control.person(CAMILLE).createMeeting({
      subject: 'Point',
      start: '2026-12-10T09:00:00Z',
      end: '2026-12-10T09:30:00Z',
    });
    const token = await delegated(CAMILLE);
    const camilleId = emu.control.state().users.find((u) => u.userPrincipalName === CAMILLE)!.id!;
    for (const path of [
      `/me/events/${event.id}`,
      `/users/${CAMILLE}/events/${event.id}`,
      `/users/${camilleId}/events/${event.id}`,
    ]) {
      const res = await graphGet(token, path);
      expect(res.status).toBe(200);
      expect(res.body.iCalUId).toBe(event.iCalUId);
    }
    expect(emu.control.stats().delegatedRequests).toBe(3);
  });

  it("another user's mailbox, the directory and writes → 403 ErrorAccessDenied", async () => {
    const hugos = emu.control.person(HUGO).createMeeting({
      subject: 'Privé',
      start: '2026-12-10T10:00:00Z',
      end: '2026-12-10T11:00:00Z',
    });
    const token = await delegated(CAMILLE);
    for (const path of [
      `/users/${HUGO}/events/${hugos.id}`,
      `/users/${HUGO}/events`,
      '/users',
      '/places/microsoft.graph.room',
    ]) {
      const res = await graphGet(token, path);
      expect(res.status).toBe(403);
      expect(res.body.error?.code).toBe('ErrorAccessDenied');
    }
    const write = await fetch(`${emu.graphUrl}/me/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ subject: 'x' }),
    });
    expect(write.status).toBe(403);
  });
});
