import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs, one line per event. Secrets never reach a log line: the paths below are redacted
 * wherever they appear (request headers, settings objects, errors that carry a request).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hector-outlook' },
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
