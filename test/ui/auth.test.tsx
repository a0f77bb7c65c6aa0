import { apiScopes, createTokenSource, SignInRequiredError, type NestableClient } from '../../addin/auth';
import type { AuthHost } from '../../addin/host';

const settings = { clientId: 'client-1', scopes: ['api://hector.example.org/client-1/access_as_user'] };

function host(overrides: Partial<AuthHost> = {}): AuthHost {
  return {
    nestedAppAuthSupported: () => true,
    officeSsoToken: jest.fn(async () => 'office-sso-token'),
    ...overrides,
  };
}

describe('auth.ts: a token for our API', () => {
  it('uses the host shim’s token function first (the harness)', async () => {
    const load = jest.fn();
    const source = createTokenSource(host({ hostToken: async () => 'harness-token' }), settings, load);
    expect(await source.getToken()).toBe('harness-token');
    expect(load).not.toHaveBeenCalled();
  });

  it('nested app authentication: silent first', async () => {
    const client: NestableClient = {
      acquireTokenSilent: jest.fn(async () => ({ accessToken: 'silent-token' })),
      acquireTokenPopup: jest.fn(),
    };
    const source = createTokenSource(host(), settings, async () => client);
    expect(await source.getToken()).toBe('silent-token');
    expect(client.acquireTokenSilent).toHaveBeenCalledWith({
      scopes: settings.scopes,
      forceRefresh: undefined,
    });
    expect(client.acquireTokenPopup).not.toHaveBeenCalled();
  });

  it('nested app authentication: popup when silent fails; sign-in needed when both fail', async () => {
    const client: NestableClient = {
      acquireTokenSilent: jest.fn(async () => Promise.reject(new Error('interaction_required'))),
      acquireTokenPopup: jest
        .fn()
        .mockResolvedValueOnce({ accessToken: 'popup-token' })
        .mockRejectedValueOnce(new Error('user_cancelled')),
    };
    const load = jest.fn(async () => client);
    const source = createTokenSource(host(), settings, load);
    expect(await source.getToken()).toBe('popup-token');
    await expect(source.getToken()).rejects.toBeInstanceOf(SignInRequiredError);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('falls back to Office SSO where NestedAppAuth 1.1 is not supported', async () => {
    const officeSsoToken = jest.fn(async () => 'office-sso-token');
    const source = createTokenSource(
      host({ nestedAppAuthSupported: () => false, officeSsoToken }),
      settings,
      jest.fn(),
    );
    expect(await source.getToken({ forceRefresh: true })).toBe('office-sso-token');
    expect(officeSsoToken).toHaveBeenCalledWith({ allowSignInPrompt: true, forceRefresh: true });
  });

  it('Office SSO failure means sign-in needed', async () => {
    const source = createTokenSource(
      host({
        nestedAppAuthSupported: () => false,
        officeSsoToken: async () => Promise.reject(new Error('13001')),
      }),
      settings,
      jest.fn(),
    );
    await expect(source.getToken()).rejects.toBeInstanceOf(SignInRequiredError);
  });

  it('the scope names our API on the deployment’s host', () => {
    expect(apiScopes('https://hector.example.org', 'abc')).toEqual([
      'api://hector.example.org/abc/access_as_user',
    ]);
  });

  it('A1: the scope names the Application ID URI the admin chose when the page gives one', () => {
    expect(apiScopes('https://hector.example.org', 'abc', 'api://hector-api.example.org/')).toEqual([
      'api://hector-api.example.org/access_as_user',
    ]);
    expect(apiScopes('https://hector.example.org', 'abc', '')).toEqual([
      'api://hector.example.org/abc/access_as_user',
    ]);
  });
});
