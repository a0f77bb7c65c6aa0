import type { RequestHandler } from 'express';

/**
 * Per-page Content-Security-Policy (issue 16). helmet's global CSP and framing protection are off
 * (createApp): each page gets the policy it can live with.
 *
 * - The admin page keeps the admin token: nothing but its own files, never framed.
 * - The task pane runs inside Outlook: Office.js comes from Microsoft's CDN (appsforoffice…, which
 *   also loads from ajax.aspnetcdn.com: OfficeDev/office-js#1005), sign-in talks to the
 *   authority, and only Outlook's own hosts may frame it — Outlook on the web and the new Outlook
 *   (outlook.office.com, outlook.office365.com, outlook.live.com, outlook.cloud.microsoft:
 *   EratoLab/erato#776) and Office on the web's frames (*.officeapps.live.com: OfficeDev/office-js#3342).
 *   Desktop Outlook opens the pane top-level, where frame-ancestors does not apply.
 *
 * Fluent UI (Griffel) writes <style> elements at run time: style-src needs 'unsafe-inline'; no
 * script is inline, so script-src does not.
 */
export const OUTLOOK_FRAME_ANCESTORS = [
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook.live.com',
  'https://outlook.cloud.microsoft',
  'https://*.outlook.office.com',
  'https://*.officeapps.live.com',
];

export const OFFICE_JS_SOURCES = ['https://appsforoffice.microsoft.com', 'https://ajax.aspnetcdn.com'];

const policy = (directives: Record<string, string[]>): string =>
  Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');

export const ADMIN_PAGE_CSP = policy({
  'default-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
});

export function taskPaneCsp(authorityUrl: string): string {
  const authorities = [...new Set(['https://login.microsoftonline.com', new URL(authorityUrl).origin])];
  return policy({
    'default-src': ["'self'"],
    'script-src': ["'self'", ...OFFICE_JS_SOURCES],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', ...OFFICE_JS_SOURCES],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...authorities, ...OFFICE_JS_SOURCES],
    'frame-src': ["'self'", ...authorities, ...OFFICE_JS_SOURCES],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': OUTLOOK_FRAME_ANCESTORS,
  });
}

export const adminPageHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', ADMIN_PAGE_CSP);
  // For browsers that predate frame-ancestors.
  res.setHeader('X-Frame-Options', 'DENY');
  next();
};

/** No X-Frame-Options here: its only values (DENY, SAMEORIGIN) would forbid Outlook's frame. */
export const taskPaneHeaders =
  (authorityUrl: string): RequestHandler =>
  (_req, res, next) => {
    res.setHeader('Content-Security-Policy', taskPaneCsp(authorityUrl));
    next();
  };
