/**
 * Bearer-token check for /v1.0 and per-app permission checks. Permissions are read from the app
 * registration at request time (not only from the token's roles) so that `setPermissions` takes
 * effect at once in tests even while msal-node serves a cached token (known difference: real Graph
 * needs a new token).
 *
 * A delegated token (from the OBO grant) acts as its user with its `scp`: it reaches that user's
 * own mailbox only — `/me/…` or `/users/{own id or UPN}/…` — and anything else is 403
 * ErrorAccessDenied (no calendar is shared with the user in this emulator).
 */
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext } from '../context';
import { GraphError } from '../errors';
import type { AppRegistration } from '../model';

export interface CallerLocals {
  /** For a delegated caller: the API app, its permissions being the token's delegated scopes. */
  app: AppRegistration;
  /** The signed-in user's id, for a delegated token only. */
  userId?: string;
}

const accessDenied = (): GraphError =>
  new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');

export function requireAppToken(ctx: EmulatorContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const m = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '');
    if (!m) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const claims = await ctx.tokens.verifyGraphToken(m[1]);
    const locals = res.locals as CallerLocals;
    if (claims.idtyp === 'user' && typeof claims.oid === 'string') {
      const user = ctx.state.users.get(claims.oid);
      if (!user || !claims.appid)
        throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
      locals.userId = claims.oid;
      locals.app = {
        clientId: claims.appid,
        clientSecret: '',
        displayName: 'add-in API (delegated)',
        permissions: (claims.scp ?? '').split(' ').filter(Boolean),
      };
      // /me is the signed-in user (Graph's alias); the routers only know /users/{id}.
      req.url = req.url.replace(/^\/me(?=[/?]|$)/i, `/users/${claims.oid}`);
      ctx.stats.delegatedRequests++;
      const own = /^\/users\/([^/?]+)\//i.exec(req.path);
      const isBatch = req.path === '/$batch'; // its parts come back through this check one by one
      if (!isBatch && (!own || ctx.state.resolveUser(own[1])?.user.id !== claims.oid)) throw accessDenied();
      next();
      return;
    }
    const app = claims.appid ? ctx.state.apps.get(claims.appid) : undefined;
    if (!app) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    locals.app = app;
    next();
  };
}

/** The signed-in user's id when the caller holds a delegated token; undefined for app-only. */
export function delegatedUser(res: Response): string | undefined {
  return (res.locals as CallerLocals).userId;
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
  throw accessDenied();
}

export const READ_CALENDARS = ['Calendars.Read', 'Calendars.ReadBasic.All', 'Calendars.ReadWrite'];
export const WRITE_CALENDARS = ['Calendars.ReadWrite'];
export const READ_USERS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'];
export const READ_MAILBOX_SETTINGS = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];
export const READ_PLACES = ['Place.Read.All', 'Place.ReadWrite.All'];
/**
 * Reading an application object (GDC api-reference/v1.0/api/application-get.md, application-list.md):
 * Application.Read.All, or a higher one. Application.ReadWrite.OwnedBy is left out: it reaches only
 * the apps whose owner the caller is, which an app is not of itself unless an admin made it so.
 */
export const READ_APPLICATIONS = [
  'Application.Read.All',
  'Application.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
