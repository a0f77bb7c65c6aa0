/**
 * Bearer-token check for /v1.0 and per-app permission checks. Permissions are read from the app
 * registration at request time (not only from the token's roles) so that `setPermissions` takes
 * effect at once in tests even while msal-node serves a cached token (known difference: real Graph
 * needs a new token).
 */
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext } from '../context';
import { GraphError } from '../errors';
import type { AppRegistration } from '../model';

export interface CallerLocals {
  app: AppRegistration;
}

export function requireAppToken(ctx: EmulatorContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const m = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '');
    if (!m) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const claims = await ctx.tokens.verifyAppToken(m[1]);
    const app = ctx.state.apps.get(claims.appid);
    if (!app) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    (res.locals as CallerLocals).app = app;
    next();
  };
}

export function callerApp(res: Response): AppRegistration {
  return (res.locals as CallerLocals).app;
}

type Denial = 'directory' | 'mailbox';

/** Throws Graph's 403 unless the app holds one of the permissions. */
export function requirePermission(res: Response, anyOf: string[], kind: Denial = 'mailbox'): void {
  const app = callerApp(res);
  if (anyOf.some((p) => app.permissions.includes(p))) return;
  if (kind === 'directory') {
    throw new GraphError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  }
  throw new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
}

export const READ_CALENDARS = ['Calendars.Read', 'Calendars.ReadBasic.All', 'Calendars.ReadWrite'];
export const WRITE_CALENDARS = ['Calendars.ReadWrite'];
export const READ_USERS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'];
export const READ_MAILBOX_SETTINGS = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];
export const READ_PLACES = ['Place.Read.All', 'Place.ReadWrite.All'];
