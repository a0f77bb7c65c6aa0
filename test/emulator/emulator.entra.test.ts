import { jwtVerify, createRemoteJWKSet, createLocalJWKSet } from 'jose';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { msalFor, trustingNetworkClient } from './support';

describe.each([
  ['https', true],
  ['http', false],
])('Entra ID over %s', (_name, tls) => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ tls });
  });
  afterAll(() => emu.close());

  it('msal-node gets an app token by client credentials (GRAPH-FACTS "Entra ID")', async () => {
    const r = await msalFor(emu).acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(r?.accessToken).toMatch(/^ey/);
    const payload = JSON.parse(Buffer.from(r!.accessToken.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: emu.tenantId,
      appid: emu.control.clientId,
    });
    expect(payload.roles).toEqual(
      expect.arrayContaining(['Calendars.ReadWrite', 'Place.Read.All', 'User.Read.All']),
    );
  });

  it('a wrong secret is refused with invalid_client / AADSTS7000215', async () => {
    await expect(
      msalFor(emu, 'wrong-secret').acquireTokenByClientCredential({
        scopes: ['https://graph.microsoft.com/.default'],
      }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS7000215'),
    });
  });

  it('OpenID configuration resolves by tenant id and by primary domain; unknown tenant → 400', async () => {
    const net = trustingNetworkClient(emu.caCert);
    const byId = await net.sendGetRequestAsync<Record<string, string>>(
      `${emu.authorityUrl}/${emu.tenantId}/v2.0/.well-known/openid-configuration`,
    );
    const byDomain = await net.sendGetRequestAsync<Record<string, string>>(
      `${emu.authorityUrl}/universite.test/v2.0/.well-known/openid-configuration`,
    );
    expect(byId.body.issuer).toBe(`${emu.authorityUrl}/${emu.tenantId}/v2.0`);
    expect(byDomain.body.token_endpoint).toBe(`${emu.authorityUrl}/${emu.tenantId}/oauth2/v2.0/token`);
    const unknown = await net.sendGetRequestAsync(
      `${emu.authorityUrl}/nope.example/v2.0/.well-known/openid-configuration`,
    );
    expect(unknown.status).toBe(400);
  });

  it('a user token for the add-in API verifies with jose against the JWKS', async () => {
    // Setup: this test reads a v2.0 token; the app's default is v1.0 (emulator.tokens.test.ts).
    emu.control.configureApiApp(emu.control.apiClientId, { accessTokenVersion: 2 });
    const token = await emu.control.issueUserToken({ upn: 'camille.martin@universite.test' });
    emu.control.configureApiApp(emu.control.apiClientId, { accessTokenVersion: null });
    const net = trustingNetworkClient(emu.caCert);
    const jwks = await net.sendGetRequestAsync<{ keys: [] }>(
      `${emu.authorityUrl}/${emu.tenantId}/discovery/v2.0/keys`,
    );
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.body), {
      issuer: `${emu.authorityUrl}/${emu.tenantId}/v2.0`,
      audience: '33333333-3333-4333-8333-333333333333',
    });
    expect(payload).toMatchObject({
      tid: emu.tenantId,
      scp: 'access_as_user',
      preferred_username: 'camille.martin@universite.test',
      name: 'Camille Martin',
    });
    expect(typeof payload.oid).toBe('string');
    if (!tls) {
      // Over http jose can fetch the JWKS itself.
      await expect(
        jwtVerify(
          token,
          createRemoteJWKSet(new URL(`${emu.authorityUrl}/${emu.tenantId}/discovery/v2.0/keys`)),
        ),
      ).resolves.toBeTruthy();
    }
  });
});
