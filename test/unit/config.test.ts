import { ConfigError, loadConfig } from '../../server/config';

/** TEST_MODE's only accepted surroundings: the emulator, on loopback (issue 16). */
const EMULATOR_ENV = {
  GRAPH_BASE_URL: 'http://127.0.0.1:4000/v1.0',
  AUTHORITY_URL: 'http://127.0.0.1:4000',
  HOST: '127.0.0.1',
};

describe('config: every setting from the environment, validated', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.graphBaseUrl).toBe('https://graph.microsoft.com/v1.0');
    expect(config.authorityUrl).toBe('https://login.microsoftonline.com');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/data$/);
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8443',
      PUBLIC_URL: 'https://hector.example.org/',
      DATA_DIR: '/var/lib/hector',
      DATABASE_URL: 'postgres://hector:pw@db:5432/hector',
      SECRET_KEY: 'a'.repeat(64),
      ADMIN_TOKEN: 'x'.repeat(32),
      LOG_LEVEL: 'debug',
      GRAPH_BASE_URL: 'http://127.0.0.1:4000/v1.0',
      AUTHORITY_URL: 'http://127.0.0.1:4000',
    });
    expect(config).toMatchObject({
      port: 8443,
      publicUrl: 'https://hector.example.org',
      dataDir: '/var/lib/hector',
      databaseUrl: 'postgres://hector:pw@db:5432/hector',
      logLevel: 'debug',
      graphBaseUrl: 'http://127.0.0.1:4000/v1.0',
      authorityUrl: 'http://127.0.0.1:4000',
      hectorLoanUrl: 'https://hector.example.org/admin/#/loans/{id}',
    });
  });

  it.each([
    ['PORT', 'seventy', /PORT/],
    ['PORT', '70000', /PORT/],
    ['PUBLIC_URL', 'not a url', /PUBLIC_URL/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must start with postgres/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['SECRET_KEY', 'short', /SECRET_KEY must be 64 hexadecimal/],
    ['ADMIN_TOKEN', 'x'.repeat(31), /ADMIN_TOKEN must be at least 32 characters/],
    ['GRAPH_BASE_URL', 'ftp://x', /GRAPH_BASE_URL/],
  ])('a bad %s stops start-up with one line naming it', (variable, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never echoes a secret value in the error', () => {
    expect(() => loadConfig({ SECRET_KEY: 'my-secret-value' })).toThrow(/^(?!.*my-secret-value).*$/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).databaseUrl).toBeUndefined();
  });
});

describe('config: the add-in API app (issue 13: token audience and on-behalf-of)', () => {
  const id = '9a8b7c6d-0000-4000-8000-000000000001';

  it('A1: the Application ID URI defaults to api://{PUBLIC_URL host}/{ADDIN_CLIENT_ID}, as the add-in asks for it', () => {
    const config = loadConfig({ ADDIN_CLIENT_ID: id, PUBLIC_URL: 'https://hector.example.org:8443/' });
    expect(config.addinAppIdUri).toBe(`api://hector.example.org:8443/${id}`);
    expect(config.addinClientSecret).toBeUndefined();
    expect(loadConfig({ ADDIN_CLIENT_ID: id, ADDIN_APP_ID_URI: `api://${id}` }).addinAppIdUri).toBe(
      `api://${id}`,
    );
  });

  it("A1: test mode without ADDIN_CLIENT_ID uses the emulator's API app: client id, URI and secret", () => {
    expect(loadConfig({ TEST_MODE: 'true', ...EMULATOR_ENV })).toMatchObject({
      addinClientId: '33333333-3333-4333-8333-333333333333',
      addinAppIdUri: 'api://localhost/33333333-3333-4333-8333-333333333333',
      addinClientSecret: 'emulator-addin-secret',
    });
    expect(loadConfig({}).addinAppIdUri).toBeUndefined();
  });

  it('A1: a malformed ADDIN_APP_ID_URI stops start-up; ADDIN_CLIENT_SECRET is never echoed', () => {
    expect(() => loadConfig({ ADDIN_CLIENT_ID: id, ADDIN_APP_ID_URI: 'not a uri' })).toThrow(
      /ADDIN_APP_ID_URI/,
    );
    try {
      loadConfig({ ADDIN_CLIENT_SECRET: 'x'.repeat(2000) });
      throw new Error('accepted');
    } catch (error) {
      expect((error as Error).message).toMatch(/ADDIN_CLIENT_SECRET/);
      expect((error as Error).message).not.toContain('xxxx');
    }
  });
});

describe('config: the journal retention (issue 15)', () => {
  it('B4: JOURNAL_RETENTION_DAYS defaults to 180 and must be a whole number of days from 1 to 3650', () => {
    expect(loadConfig({}).journalRetentionDays).toBe(180);
    expect(loadConfig({ JOURNAL_RETENTION_DAYS: '30' }).journalRetentionDays).toBe(30);
    for (const bad of ['0', '-5', '1.5', 'forever', '3651']) {
      expect(() => loadConfig({ JOURNAL_RETENTION_DAYS: bad })).toThrow(ConfigError);
    }
  });
});

describe('config: issue 16 hardening', () => {
  const problem = (env: Record<string, string>): ConfigError => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('loadConfig accepted it');
  };

  it.each([
    ['the default (Microsoft) Graph and authority', { HOST: '127.0.0.1', TEST_MODE: 'true' }, /Graph/],
    ['graph.microsoft.com', { ...EMULATOR_ENV, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' }, /Graph/],
    [
      'a national cloud Graph',
      { ...EMULATOR_ENV, GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0' },
      /Graph/,
    ],
    [
      'login.microsoftonline.com',
      { ...EMULATOR_ENV, AUTHORITY_URL: 'https://login.microsoftonline.com' },
      /Entra/,
    ],
    [
      'login.microsoftonline.com with a trailing dot',
      { ...EMULATOR_ENV, AUTHORITY_URL: 'https://LOGIN.microsoftonline.com./' },
      /Entra/,
    ],
    [
      'listening on every interface (the default HOST)',
      { GRAPH_BASE_URL: EMULATOR_ENV.GRAPH_BASE_URL, AUTHORITY_URL: EMULATOR_ENV.AUTHORITY_URL },
      /loopback/,
    ],
    ['listening on a LAN address', { ...EMULATOR_ENV, HOST: '192.168.1.10' }, /loopback/],
    ['listening on ::', { ...EMULATOR_ENV, HOST: '::' }, /loopback/],
  ])('issue 16: TEST_MODE is refused at start-up with %s', (_what, env, message) => {
    const error = problem({ ...env, TEST_MODE: 'true' });
    expect(error.variable).toBe('TEST_MODE');
    expect(error.message).toMatch(message);
  });

  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])(
    'issue 16: TEST_MODE with the emulator on loopback (%s) is accepted',
    (host) => {
      expect(loadConfig({ ...EMULATOR_ENV, HOST: host, TEST_MODE: 'true' }).testMode).toBe(true);
    },
  );

  it('issue 16: without TEST_MODE, Microsoft endpoints on every interface are the normal production set-up', () => {
    expect(loadConfig({}).testMode).toBe(false);
  });

  it('issue 16: ADMIN_TOKEN under 32 characters stops start-up with a clear line that does not echo it', () => {
    const error = problem({ ADMIN_TOKEN: 'correct-horse-battery-staple' });
    expect(error.variable).toBe('ADMIN_TOKEN');
    expect(error.message).toMatch(/at least 32 characters/);
    expect(error.message).not.toContain('correct-horse');
    expect(loadConfig({ ADMIN_TOKEN: 'y'.repeat(32) }).adminToken).toBe('y'.repeat(32));
  });
});
