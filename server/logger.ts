import pino, { type Logger } from 'pino';
import { redactDeep, redactString } from './redact';

export type { Logger };

/**
 * JSON logs, one line per event. Secrets never reach a log line: the paths below are redacted by
 * pino itself (cheap, the common cases), and every object logged is walked to any depth
 * (server/redact.ts: secret keys, `validationToken=` in URLs, Bearer tokens in strings). The
 * walk runs only for lines at an enabled level.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hector-outlook' },
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
      hooks: {
        // The message string too (it may quote a URL).
        logMethod(args, method) {
          const next = args.map((a) => (typeof a === 'string' ? redactString(a) : a)) as typeof args;
          return method.apply(this, next);
        },
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.clientSecret',
          '*.client_secret',
          '*.secret',
          '*.token',
          '*.accessToken',
          '*.clientState',
          'clientSecret',
          'clientState',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
