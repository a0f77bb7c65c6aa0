/**
 * App registrations: `GET /applications?$filter=appId eq '…'`, `GET /applications(appId='…')` and
 * `GET /applications/{object id}` (GDC api-reference/v1.0/api/application-list.md, application-get.md),
 * app-only with Application.Read.All or higher (auth.ts READ_APPLICATIONS), else 403
 * Authorization_RequestDenied as for every directory read. Each client secret is listed as a
 * passwordCredential `{customKeyIdentifier, displayName, endDateTime, hint, keyId, secretText,
 * startDateTime}` with `hint` its first 3 characters and `secretText` null: the secret itself is
 * returned only once, by addPassword (GDC api-reference/v1.0/resources/passwordcredential.md).
 */
import express from 'express';
import type { EmulatorContext } from '../context';
import { GraphError } from '../errors';
import { stableGuid } from '../ids';
import type { AppRegistration } from '../model';
import { READ_APPLICATIONS, requirePermission } from './auth';
import { pageOf, parseFilter, parseTop, project, query, selectFields } from './odata';

/** The application object's id (its "Object ID"), distinct from its appId (the client id). */
export const applicationObjectId = (clientId: string): string => stableGuid(`application:${clientId}`);

export function presentApplication(app: AppRegistration): Record<string, unknown> {
  return {
    id: applicationObjectId(app.clientId),
    appId: app.clientId,
    displayName: app.displayName,
    signInAudience: 'AzureADMyOrg',
    passwordCredentials: (app.passwordCredentials ?? []).map((c) => ({
      customKeyIdentifier: null,
      displayName: c.displayName,
      endDateTime: c.endDateTime,
      hint: c.secretText.slice(0, 3),
      keyId: c.keyId,
      secretText: null,
      startDateTime: c.startDateTime,
    })),
  };
}

const notFound = (key: string): GraphError =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
  );

/** `(appId='…')` as sent, or with its quotes percent-encoded. */
const BY_APP_ID = /^\/applications\(appId=(?:'|%27)([^'/]*?)(?:'|%27)\)$/i;

export function applicationsRouter(ctx: EmulatorContext): express.Router {
  const router = express.Router();
  const { state } = ctx;
  const one = (
    res: express.Response,
    req: express.Request,
    app: AppRegistration | undefined,
    key: string,
  ) => {
    if (!app) throw notFound(key);
    res.json({
      '@odata.context': `${ctx.graphUrl()}/$metadata#applications/$entity`,
      ...project(presentApplication(app), selectFields(query(req, '$select'))),
    });
  };

  router.get('/applications', (req, res) => {
    requirePermission(res, READ_APPLICATIONS, 'directory');
    const filter = parseFilter(query(req, '$filter'));
    const select = selectFields(query(req, '$select'));
    const apps = [...state.apps.values()]
      .map(presentApplication)
      .filter((a) => filter(a))
      .map((a) => project(a, select));
    res.json({
      '@odata.context': `${ctx.graphUrl()}/$metadata#applications`,
      ...pageOf(req, apps, parseTop(req) ?? 100, ctx.url()),
    });
  });

  router.get(BY_APP_ID, (req, res) => {
    requirePermission(res, READ_APPLICATIONS, 'directory');
    const appId = decodeURIComponent(BY_APP_ID.exec(req.path)![1]).toLowerCase();
    const app = [...state.apps.values()].find((a) => a.clientId.toLowerCase() === appId);
    one(res, req, app, appId);
  });

  router.get('/applications/:id', (req, res) => {
    requirePermission(res, READ_APPLICATIONS, 'directory');
    const id = req.params.id.toLowerCase();
    const app = [...state.apps.values()].find((a) => applicationObjectId(a.clientId) === id);
    one(res, req, app, req.params.id);
  });

  return router;
}
