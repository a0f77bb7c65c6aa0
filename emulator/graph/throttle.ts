/**
 * Graph's Outlook throttling (GRAPH-FACTS "Throttling"): at most 4 concurrent requests per app per
 * mailbox and 10,000 requests per app per mailbox per 10 minutes, answered 429 with Retry-After;
 * plus injected 429 / 503 / latency (faults.ts). Counters feed control.stats().
 */
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext } from '../context';
import { GraphError } from '../errors';
import type { RequestFaultRule } from '../faults';
import { callerApp } from './auth';

const WINDOW_MS = 10 * 60_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function throttle(ctx: EmulatorContext) {
  const inFlight = new Map<string, number>();
  const budget = new Map<string, { windowStart: number; count: number }>();
  // Every request on a mailbox from arrival to answer (faults included), for the peak counter.
  const arrived = new Map<string, number>();

  const countArrival = (key: string, upn: string, res: Response): void => {
    const n = (arrived.get(key) ?? 0) + 1;
    arrived.set(key, n);
    const stats = ctx.stats;
    if (n > (stats.peakInFlightByMailbox[upn] ?? 0)) stats.peakInFlightByMailbox[upn] = n;
    if (n > stats.peakInFlight) stats.peakInFlight = n;
    let done = false;
    const leave = (): void => {
      if (done) return;
      done = true;
      const left = (arrived.get(key) ?? 1) - 1;
      if (left <= 0) arrived.delete(key);
      else arrived.set(key, left);
    };
    res.on('finish', leave);
    res.on('close', leave);
  };

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const faults = ctx.faults();
    const stats = ctx.stats;
    const path = req.path;
    stats.requests++;
    stats.byMethod[req.method] = (stats.byMethod[req.method] ?? 0) + 1;
    const m = /^\/users\/([^/]+)\/(.+)$/i.exec(path);
    const mailbox = m ? ctx.state.resolveUser(m[1]) : undefined;
    if (mailbox) {
      const upn = mailbox.user.userPrincipalName ?? mailbox.user.id!;
      stats.byMailbox[upn] = (stats.byMailbox[upn] ?? 0) + 1;
      if (/^(events|calendar|calendarview)/i.test(m![2])) {
        if (req.method === 'GET') stats.eventGets++;
      }
      countArrival(`${callerApp(res).clientId}|${mailbox.user.id}`, upn, res);
    }
    if (req.method !== 'GET') stats.writes++;

    const rules = faults.rules.filter((r) => matches(r, req.method, path));
    const rate429 = Math.max(faults.rate429, ...rules.map((r) => r.rate429 ?? 0));
    const rate503 = Math.max(faults.rate503, ...rules.map((r) => r.rate503 ?? 0));
    const latency = faults.latencyMs + Math.max(0, ...rules.map((r) => r.latencyMs ?? 0));
    const retryAfter = String(faults.retryAfterSeconds);

    if (rate429 > 0 && ctx.random() < rate429) {
      stats.throttled429++;
      throw tooMany('ApplicationThrottled', retryAfter, 'Application is over its request limit.');
    }
    if (rate503 > 0 && ctx.random() < rate503) {
      stats.injected503++;
      throw new GraphError(503, 'ServiceNotAvailable', 'The service is temporarily unavailable.', {
        'Retry-After': retryAfter,
      });
    }
    if (!mailbox) {
      if (latency > 0) await sleep(latency);
      next();
      return;
    }
    const key = `${callerApp(res).clientId}|${mailbox.user.id}`;
    const now = ctx.clock.nowMs();
    const b = budget.get(key);
    if (!b || now - b.windowStart >= WINDOW_MS) budget.set(key, { windowStart: now, count: 1 });
    else if (++b.count > faults.mailboxBudget) {
      stats.throttled429++;
      const wait = Math.max(1, Math.ceil((b.windowStart + WINDOW_MS - now) / 1000));
      throw tooMany(
        'ApplicationThrottled',
        String(wait),
        'Application is over its MailboxConcurrency limit.',
      );
    }
    const current = inFlight.get(key) ?? 0;
    if (current >= faults.concurrencyLimit) {
      stats.throttled429++;
      stats.concurrency429++;
      throw tooMany('ApplicationThrottled', retryAfter, 'Application is over its MailboxConcurrency limit.');
    }
    inFlight.set(key, current + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const n = (inFlight.get(key) ?? 1) - 1;
      if (n <= 0) inFlight.delete(key);
      else inFlight.set(key, n);
    };
    res.on('finish', release);
    res.on('close', release);
    // One item read (`/events/{id}`) let through: what a plain change notification costs.
    if (req.method === 'GET' && /^events\/[^/]+$/i.test(m![2])) {
      stats.eventReads++;
      res.on('finish', () => {
        if (res.statusCode === 404) stats.eventReadsNotFound++;
      });
    }
    if (latency > 0) await sleep(latency);
    next();
  };
}

function tooMany(code: string, retryAfter: string, message: string): GraphError {
  const err = new GraphError(429, code, message, { 'Retry-After': retryAfter });
  // Graph puts the throttling reason in innerError; MailboxConcurrency is what Outlook reports.
  return err;
}

function matches(rule: RequestFaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method) return false;
  if (rule.path && !new RegExp(rule.path, 'i').test(path)) return false;
  return true;
}
