/**
 * Application access policies (New-ApplicationAccessPolicy -AccessRight RestrictAccess; GF "Real
 * tenants", GDC concepts/auth-limit-mailbox-access.md): an app restricted to a set of mailboxes gets
 * 403 ErrorAccessDenied "Access to OData is disabled." for its app-only calls on the calendars, mail,
 * contacts and mailbox settings of every other mailbox. Directory reads (/users, /places) are not
 * Exchange data and stay open; delegated tokens (with `scp`) are not governed by these policies.
 */
import type { NextFunction, Request, Response } from 'express';
import { decodeJwt } from 'jose';
import type { EmulatorContext } from '../context';
import { GraphError } from '../errors';
import { callerApp } from './auth';

/** The exact error of the docs page (its "Handling API errors" section). */
export const accessPolicyDenied = (): GraphError =>
  new GraphError(403, 'ErrorAccessDenied', 'Access to OData is disabled.');

/** /users/{id}/<segment>… paths that are a mailbox's Exchange data (the policy's data sets). */
const MAILBOX_SEGMENTS = new Set(
  [
    'events',
    'calendar',
    'calendars',
    'calendarView',
    'calendarGroups',
    'mailboxSettings',
    'messages',
    'mailFolders',
    'sendMail',
    'contacts',
    'contactFolders',
    'findMeetingTimes',
    'translateExchangeIds',
  ].map((s) => s.toLowerCase()),
);

/** The user segment of a mailbox path, or null for directory and other paths. */
export function mailboxSegmentOf(path: string): string | null {
  const m = /^\/?users\/([^/?]+)\/([^/?(]+)/i.exec(path);
  return m && MAILBOX_SEGMENTS.has(m[2].toLowerCase()) ? m[1] : null;
}

/** A delegated token carries `scp` (the user's consented scopes); app-only tokens carry `roles`. */
function isDelegated(req: Request): boolean {
  const token = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1];
  if (!token) return false;
  try {
    return typeof decodeJwt(token).scp === 'string';
  } catch {
    return false; // requireAppToken has verified it already; an undecodable one never gets here
  }
}

/**
 * After the token check and throttling (so a denied call still counts in stats): the mailbox a
 * call touches — its path, or a new subscription's resource — must be in the caller's policy, when
 * the caller has one. ($batch steps come back through the front door, so each is checked alone.)
 */
export function enforceAccessPolicy(ctx: EmulatorContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const policy = ctx.state.accessPolicies.get(callerApp(res).clientId);
    if (!policy || isDelegated(req)) {
      next();
      return;
    }
    const mailboxId = mailboxOfCall(ctx, req);
    if (mailboxId && !policy.has(mailboxId)) throw accessPolicyDenied();
    next();
  };
}

function mailboxOfCall(ctx: EmulatorContext, req: Request): string | null {
  const segment = mailboxSegmentOf(req.path);
  if (segment) return ctx.state.resolveUser(segment)?.user.id ?? null; // unknown: the route's 404
  if (req.method === 'POST' && /^\/subscriptions\/?$/i.test(req.path)) {
    const resource = String((req.body as { resource?: unknown } | undefined)?.resource ?? '');
    const user = /^\/?users\/([^/]+)\//i.exec(resource)?.[1];
    return user ? (ctx.state.resolveUser(user)?.user.id ?? null) : null;
  }
  return null;
}
