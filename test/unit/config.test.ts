import { ConfigError, loadConfig } from '../../server/config';

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
      ADMIN_TOKEN: 'x'.repeat(20),
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
    ['ADMIN_TOKEN', 'short', /ADMIN_TOKEN must be at least 16/],
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
