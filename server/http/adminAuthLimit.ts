import { Router } from 'express';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/**
 * Issue 16: a per-IP limit on failed admin authentications. After `maxFailures` 401s within
 * `windowMs` (counted from the first), every admin request from that address answers 429 with
 * Retry-After until the window ends — the right token too, or guessing would simply go on. A
 * success before the limit forgets the address's failures (an admin who mistyped). In memory: each
 * instance counts its own (ADMIN_TOKEN's 32 characters make guessing hopeless anyway).
 */
export interface AdminAuthLimitOptions {
  now: Clock;
  maxFailures?: number;
  windowMs?: number;
  logger?: Logger;
  /** Addresses remembered at most (a flood of spoofed sources cannot grow the map without bound). */
  maxAddresses?: number;
}

export const ADMIN_AUTH_MAX_FAILURES = 10;
export const ADMIN_AUTH_WINDOW_MS = 15 * 60_000;

export function adminAuthLimit(options: AdminAuthLimitOptions): Router {
  const maxFailures = options.maxFailures ?? ADMIN_AUTH_MAX_FAILURES;
  const windowMs = options.windowMs ?? ADMIN_AUTH_WINDOW_MS;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const failures = new Map<string, { since: number; count: number }>();

  const current = (ip: string, now: number) => {
    const entry = failures.get(ip);
    if (entry && now - entry.since >= windowMs) {
      failures.delete(ip);
      return undefined;
    }
    return entry;
  };

  const router = Router();
  router.use((req, res, next) => {
    const ip = req.ip ?? 'unknown';
    const now = options.now().getTime();
    const entry = current(ip, now);
    if (entry && entry.count >= maxFailures) {
      const seconds = Math.max(1, Math.ceil((entry.since + windowMs - now) / 1000));
      res.setHeader('Retry-After', String(seconds));
      next(
        new AppError(
          'RATE_LIMITED',
          `Too many failed admin authentications from this address: try again in ${seconds} s.`,
        ),
      );
      return;
    }
    res.on('finish', () => {
      const at = options.now().getTime();
      if (res.statusCode === 401) {
        const seen = current(ip, at);
        if (seen) seen.count++;
        else {
          if (failures.size >= maxAddresses) failures.clear();
          failures.set(ip, { since: at, count: 1 });
        }
        if ((seen?.count ?? 1) === maxFailures) {
          options.logger?.warn(
            { event: 'admin.auth_locked', ip, failures: maxFailures, windowMs },
            'too many failed admin authentications: address refused for a while',
          );
        }
      } else if (res.statusCode < 400) {
        failures.delete(ip);
      }
    });
    next();
  });
  return router;
}
