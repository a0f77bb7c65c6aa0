import fc from 'fast-check';
import { ConfigError, loadConfig } from '../../server/config';

// Issue 16: fuzzing the configuration — any environment either loads or stops start-up with one
// ConfigError line naming a variable, and a secret's value is never in that line.
const VARIABLES = [
  'PORT',
  'HOST',
  'PUBLIC_URL',
  'DATA_DIR',
  'DATABASE_URL',
  'SECRET_KEY',
  'ADMIN_TOKEN',
  'LOG_LEVEL',
  'GRAPH_BASE_URL',
  'AUTHORITY_URL',
  'JSON_BODY_LIMIT',
  'SHUTDOWN_TIMEOUT_MS',
  'ROOM_IMPORT_INTERVAL_MINUTES',
  'JOURNAL_RETENTION_DAYS',
  'HECTOR_LOAN_URL',
  'TLS_CERT_FILE',
  'TLS_KEY_FILE',
  'ADDIN_CLIENT_ID',
  'ADDIN_APP_ID_URI',
  'ADDIN_CLIENT_SECRET',
  'ADDIN_SCOPE',
  'TEST_MODE',
] as const;
const SECRET_VARIABLES = ['SECRET_KEY', 'ADMIN_TOKEN', 'ADDIN_CLIENT_SECRET'];

const value = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('0', '1', 'true', 'false', '-1', '65536', '127.0.0.1', '0.0.0.0', 'localhost'),
  fc.constantFrom(
    'http://127.0.0.1:4000/v1.0',
    'https://graph.microsoft.com/v1.0',
    'https://login.microsoftonline.com',
    'postgres://u:pw@h/db',
  ),
  fc.stringMatching(/^[0-9a-f]{64}$/),
  fc.uuid(),
  fc.webUrl(),
);

describe('issue 16: config fuzzing', () => {
  it('any environment: a Config, or one ConfigError line that never shows a secret value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...VARIABLES), value, { maxKeys: 8 }), (env) => {
        try {
          const config = loadConfig(env);
          // What loaded is coherent: test mode only with the emulator on loopback.
          if (config.testMode) {
            expect(config.graphBaseUrl).not.toMatch(/microsoft\.com/);
            expect(config.authorityUrl).not.toMatch(/microsoftonline\.com/);
          }
          if (config.adminToken !== undefined) expect(config.adminToken.length).toBeGreaterThanOrEqual(32);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          const message = (error as Error).message;
          expect(message).not.toContain('\n');
          for (const name of SECRET_VARIABLES) {
            const secret = env[name as keyof typeof env];
            // (A value also given to a variable that may be shown proves nothing.)
            const elsewhere = Object.entries(env).some(
              ([k, v]) => k !== name && !!secret && v.includes(secret),
            );
            if (secret && secret.length >= 6 && !elsewhere) expect(message).not.toContain(secret);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
