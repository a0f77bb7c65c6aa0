import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { adminPageHeaders, taskPaneHeaders } from './pagePolicies';

/**
 * The add-in's files: the built task pane (/addin), the admin page (/admin), the icons (/assets)
 * and the manifests (GET /manifest.xml, GET /manifest.json) with this deployment's PUBLIC_URL in
 * every URL, so admins sideload the file their own server gives them (A3).
 */

/** The base every URL of the manifests in the repository is written against (the dev server). */
export const MANIFEST_BASE_URL = 'https://localhost:3000';
/** The API client id placeholder of the manifests and of taskpane.html. */
export const PLACEHOLDER_API_CLIENT_ID = '33333333-3333-4333-8333-333333333333';

export interface AddinStaticOptions {
  /**
   * The deployment's public address, e.g. https://hector.example.org (no trailing slash needed);
   * a function when it is only known once the server listens (PUBLIC_URL with port 0 in tests).
   */
  publicUrl: string | (() => string);
  /** Our API's Entra ID client id; the placeholder stays when it is not configured. */
  apiClientId?: string;
  /**
   * Our API's Application ID URI when the admin chose one (ADDIN_APP_ID_URI): the manifests' SSO
   * resource and the task pane's scope name it instead of `api://{host}/{client id}`.
   */
  apiAppIdUri?: string;
  /** Where manifest.xml, manifest.json and assets/ are (default: the repository root). */
  rootDir?: string;
  /** Where webpack wrote the pages (default: <rootDir>/dist/web). */
  webDir?: string;
  /** The Entra ID authority the task pane signs in with (its CSP lets it connect there). */
  authorityUrl?: string;
}

/** The manifest text with the deployment's address (and API client id) in place of the dev ones. */
export function renderManifest(
  text: string,
  options: { publicUrl: string; apiClientId?: string; apiAppIdUri?: string; xml: boolean },
): string {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const host = new URL(publicUrl).host;
  const devHost = new URL(MANIFEST_BASE_URL).host;
  const escape = options.xml ? escapeXml : escapeJsonString;
  let out = text;
  // First the SSO resource (it names the dev host too): Office asks Entra ID for exactly this URI.
  if (options.apiAppIdUri)
    out = out.split(`api://${devHost}/${PLACEHOLDER_API_CLIENT_ID}`).join(escape(options.apiAppIdUri));
  out = out.split(MANIFEST_BASE_URL).join(escape(publicUrl));
  // What is left names the host alone: api://localhost:3000/<id> (the SSO resource), validDomains.
  out = out.split(devHost).join(escape(host));
  if (options.apiClientId) out = out.split(PLACEHOLDER_API_CLIENT_ID).join(escape(options.apiClientId));
  return out;
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escapeJsonString = (s: string): string => JSON.stringify(s).slice(1, -1);

/** The repository root: the nearest folder above `start` that holds manifest.xml. */
export function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'manifest.xml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

const NOT_BUILT = (what: string) =>
  `The ${what} is not built on this server: run npm run build (or npm run build:web), then reload.\n`;

export function addinStaticRouter(options: AddinStaticOptions): Router {
  const rootDir = options.rootDir ?? findRoot(__dirname);
  const webDir = options.webDir ?? path.join(rootDir, 'dist', 'web');
  const addinDir = path.join(webDir, 'addin');
  const adminDir = path.join(webDir, 'admin');
  const router = Router();
  const currentPublicUrl = () =>
    typeof options.publicUrl === 'function' ? options.publicUrl() : options.publicUrl;

  const notBuilt = (res: Response, what: string) => {
    res.status(503).type('text/plain').setHeader('Retry-After', '30').send(NOT_BUILT(what));
  };

  // Manifests: read on each request (small files; an edited manifest needs no restart).
  const manifest = (file: string, type: string, xml: boolean) => (_req: unknown, res: Response) => {
    let text: string;
    try {
      text = fs.readFileSync(path.join(rootDir, file), 'utf8');
    } catch {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: `${file} is missing on this server.` } });
      return;
    }
    res
      .status(200)
      .type(type)
      .setHeader('Cache-Control', 'no-cache')
      .send(
        renderManifest(text, {
          publicUrl: currentPublicUrl(),
          apiClientId: options.apiClientId,
          apiAppIdUri: options.apiAppIdUri,
          xml,
        }),
      );
  };
  router.get('/manifest.xml', manifest('manifest.xml', 'application/xml; charset=utf-8', true));
  router.get('/manifest.json', manifest('manifest.json', 'application/json; charset=utf-8', false));

  // Icons: only the PNG files of assets/ (the folder also holds their generator).
  router.get('/assets/:file', (req, res, next) => {
    const file = req.params.file;
    if (!/^[\w.-]+\.png$/.test(file)) return next();
    res.sendFile(path.join(rootDir, 'assets', file), { maxAge: '1d' }, (error) => {
      if (error && !res.headersSent) next();
    });
  });

  // The task pane page: no cache (it names the hashed bundles), the API client id filled in.
  const taskpane = (_req: unknown, res: Response) => {
    const page = path.join(addinDir, 'taskpane.html');
    if (!fs.existsSync(page)) return notBuilt(res, 'Outlook add-in');
    let html = fs.readFileSync(page, 'utf8');
    if (options.apiClientId)
      html = html.split(PLACEHOLDER_API_CLIENT_ID).join(escapeXml(options.apiClientId));
    if (options.apiAppIdUri)
      html = html
        .split('<meta name="hector-api-app-id-uri" content="" />')
        .join(`<meta name="hector-api-app-id-uri" content="${escapeXml(options.apiAppIdUri)}" />`);
    res.status(200).type('html').setHeader('Cache-Control', 'no-cache').send(html);
  };
  router.use('/addin', taskPaneHeaders(options.authorityUrl ?? 'https://login.microsoftonline.com'));
  router.get(['/addin', '/addin/'], (_req, res) => res.redirect(302, '/addin/taskpane.html'));
  router.get('/addin/taskpane.html', taskpane);
  router.use('/addin', (req, res, next) => {
    if (!fs.existsSync(addinDir)) return notBuilt(res, 'Outlook add-in');
    next();
  });
  // Bundles carry a content hash in their names: cache them for good.
  router.use(
    '/addin',
    express.static(addinDir, { index: false, immutable: true, maxAge: '365d', fallthrough: true }),
  );

  router.use('/admin', adminPageHeaders);
  router.use('/admin', (req, res, next) => {
    if (!fs.existsSync(path.join(adminDir, 'index.html'))) return notBuilt(res, 'admin page');
    next();
  });
  router.use(
    '/admin',
    express.static(adminDir, {
      index: 'index.html',
      setHeaders: (res, file) => {
        res.setHeader(
          'Cache-Control',
          file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        );
      },
    }),
  );
  return router;
}
