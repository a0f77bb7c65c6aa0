import fs from 'node:fs';
import path from 'node:path';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import express, { Router, type Request, type Response } from 'express';
import type { HarnessConfig, HarnessItem, HarnessToken } from '../../contract/harness';
import { AppError, badRequest, integrationNotConfigured, notFound } from '../errors';
import type { GraphGateway } from '../graph/gateway';

/**
 * The add-in harness (test mode only — never mounted otherwise): a page that plays Outlook for
 * the real task pane. `GET /harness?user=<upn>&event=<REST id>[&mode=read|compose][&lang=fr-FR]
 * [&theme=dark]` reads that event from the user's own mailbox in the emulator, embeds it for the
 * Office.js shim (addin/harness/index.ts), then loads the task-pane bundle as webpack built it.
 * `GET /harness/token?user=` gives that user's token from the emulator's Entra ID;
 * `GET /harness/item?user=&event=` one more item (the harness checks it before reloading on it).
 */
export interface HarnessDeps {
  graph(): Promise<GraphGateway | null>;
  /** The emulator's address (AUTHORITY_URL in test mode): its /_emulator/tokens/user issues tokens. */
  authorityUrl: string;
  /** The API client id the page's meta tag carries (as taskpane.html has it). */
  apiClientId?: string;
  /** Where webpack wrote the pages (dist/web). */
  webDir: string;
}

const UPN = /^[\w.+-]+@[\w.-]+$/;
const EVENT_ID = /^[A-Za-z0-9_=~+-]{1,1024}$/;

const utc = (value: MSGraph.DateTimeTimeZone | null | undefined): string => {
  const dateTime = value?.dateTime ?? '';
  return /[zZ]|[+-]\d\d:\d\d$/.test(dateTime) ? new Date(dateTime).toISOString() : `${dateTime}Z`;
};

function toHarnessItem(event: MSGraph.Event): HarnessItem {
  const person = (e: MSGraph.EmailAddress | null | undefined) => ({
    displayName: e?.name ?? e?.address ?? '',
    emailAddress: e?.address ?? '',
  });
  return {
    restId: event.id ?? '',
    subject: event.subject ?? '',
    start: utc(event.start),
    end: utc(event.end),
    location: event.location?.displayName ?? '',
    organizer: person(event.organizer?.emailAddress),
    requiredAttendees: (event.attendees ?? []).map((a) => person(a.emailAddress)),
    rooms: (event.attendees ?? []).filter((a) => a.type === 'resource').map((a) => person(a.emailAddress)),
  };
}

/** The scripts of our own that webpack put in taskpane.html (Office.js from the CDN left out). */
export function bundleScripts(taskpaneHtml: string): string[] {
  return [...taskpaneHtml.matchAll(/<script\b[^>]*\ssrc="?([^"\s>]+)"?[^>]*>/g)]
    .map((m) => m[1])
    .filter((src) => !/^(https?:)?\/\//i.test(src))
    .map((src) => (src.startsWith('/') ? src : `/addin/${src.replace(/^\.\//, '')}`));
}

const json = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
const attr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function harnessRouter(deps: HarnessDeps): Router {
  const router = Router();
  const harnessDir = path.join(deps.webDir, 'harness');

  const param = (req: Request, name: string, pattern: RegExp, required: boolean): string | undefined => {
    const value = typeof req.query[name] === 'string' ? (req.query[name] as string).trim() : '';
    if (!value) {
      if (required) throw badRequest(`The harness needs ?${name}=.`);
      return undefined;
    }
    if (!pattern.test(value)) throw badRequest(`?${name}= is not valid.`);
    return value;
  };

  async function itemOf(user: string, eventId: string): Promise<HarnessItem> {
    const graph = await deps.graph();
    if (!graph) throw integrationNotConfigured();
    const event = await graph.getEvent(user, eventId);
    if (!event) throw notFound(`No event ${eventId} in the mailbox of ${user}.`);
    return toHarnessItem(event);
  }

  router.get('/harness', async (req: Request, res: Response) => {
    const user = param(req, 'user', UPN, true)!;
    const eventId = param(req, 'event', EVENT_ID, false);
    const mode = req.query.mode === 'compose' ? 'compose' : 'read';
    const lang = param(req, 'lang', /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, false) ?? 'fr-FR';
    const theme = req.query.theme === 'dark' ? 'dark' : 'light';

    const taskpane = path.join(deps.webDir, 'addin', 'taskpane.html');
    const shim = fs.existsSync(harnessDir)
      ? fs.readdirSync(harnessDir).find((f) => /^harness\.[\w]+\.js$/.test(f))
      : undefined;
    if (!fs.existsSync(taskpane) || !shim) {
      res
        .status(503)
        .type('text/plain')
        .send('The add-in is not built: run npm run build:web (webpack) first.\n');
      return;
    }
    if (!eventId && mode === 'read') throw badRequest('A read-mode harness needs ?event=.');
    const item = eventId ? await itemOf(user, eventId) : null;
    const q = encodeURIComponent(user);
    const instant = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/;
    const draftStart = param(req, 'start', instant, false);
    const draftEnd = param(req, 'end', instant, false);
    const draftRooms = (param(req, 'rooms', /^[\w.+@,-]{1,2000}$/, false) ?? '').split(',').filter(Boolean);
    const draft =
      !item && mode === 'compose' && draftStart && draftEnd
        ? { draft: { start: draftStart, end: draftEnd, rooms: draftRooms } }
        : {};
    const config: HarnessConfig = {
      user,
      mode,
      displayLanguage: lang,
      theme,
      item,
      tokenUrl: `/harness/token?user=${q}`,
      itemUrl: `/harness/item?user=${q}`,
      ...draft,
    };
    const scripts = bundleScripts(fs.readFileSync(taskpane, 'utf8'));
    const clientId = deps.apiClientId
      ? `<meta name="hector-api-client-id" content="${attr(deps.apiClientId)}" />`
      : '';
    res
      .status(200)
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      .send(
        `<!doctype html>
<html lang="${attr(lang)}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    ${clientId}
    <title>Hector — Outlook harness (${attr(user)})</title>
    <script id="hector-harness-config" type="application/json">${json(config)}</script>
    <script src="/harness/${attr(shim)}"></script>
    ${scripts.map((src) => `<script defer src="${attr(src)}"></script>`).join('\n    ')}
    <style>html, body { margin: 0; padding: 0; } body { max-width: 360px; }</style>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`,
      );
  });

  router.get('/harness/token', async (req, res: Response<HarnessToken>) => {
    const user = param(req, 'user', UPN, true)!;
    const answer = await fetch(`${deps.authorityUrl}/_emulator/tokens/user`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ upn: user }),
    });
    if (!answer.ok) {
      throw new AppError('UPSTREAM_ERROR', `The emulator gave no token for ${user} (${answer.status}).`);
    }
    const body = (await answer.json()) as { access_token: string };
    res.setHeader('Cache-Control', 'no-store');
    res.json({ access_token: body.access_token, token_type: 'Bearer', expires_in: 3600 });
  });

  router.get('/harness/item', async (req, res: Response<HarnessItem>) => {
    const user = param(req, 'user', UPN, true)!;
    const eventId = param(req, 'event', EVENT_ID, true)!;
    res.setHeader('Cache-Control', 'no-store');
    res.json(await itemOf(user, eventId));
  });

  router.use('/harness', express.static(harnessDir, { index: false, maxAge: '1h' }));
  return router;
}
