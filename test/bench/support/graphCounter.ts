import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through http proxy between the service and the emulator's Graph endpoint that counts
 * requests by kind ("GET /users/{room}/events/{id}/instances"). The emulator's own stats() count
 * requests by method and mailbox only; a bench that must say *which* reads a change costs puts
 * this in front (GRAPH_BASE_URL = its url). It forwards bytes unchanged: the gateway turns
 * @odata.nextLink into paths relative to its base URL, so later pages come through here too.
 */
export interface GraphCounter {
  /** GRAPH_BASE_URL for the service: the proxy's origin + the emulator's path (/v1.0). */
  url: string;
  /** Request counts by kind since the last reset. */
  counts(): Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

/** Path segments kept as they are; any other segment is an id, a mailbox or a key. */
const WORDS = new Set(
  [
    'users',
    'events',
    'instances',
    'calendarview',
    'delta',
    'calendar',
    'calendars',
    'subscriptions',
    'accept',
    'decline',
    'tentativelyaccept',
    'cancel',
    'translateexchangeids',
    '$batch',
    'places',
    'microsoft.graph.room',
    'organization',
    'mailboxsettings',
  ].map((w) => w.toLowerCase()),
);

/**
 * The kind of a request: its method and path with mailboxes named by what they are (`{room}`,
 * `{person}`, from `mailboxKind`) and ids as `{id}`; `?$filter=iCalUId` for a look-up by
 * iCalUId, and "(next page)" for a page reached through a nextLink ($skiptoken / $skip).
 */
export function requestKind(
  method: string,
  pathAndQuery: string,
  basePath: string,
  mailboxKind: (segment: string) => 'room' | 'person' | undefined,
): string {
  const url = new URL(pathAndQuery, 'http://x');
  let path = url.pathname;
  if (path.startsWith(basePath)) path = path.slice(basePath.length);
  const segments = path.split('/').filter(Boolean);
  const named = segments.map((s, i) => {
    const decoded = decodeURIComponent(s);
    if (i > 0 && segments[i - 1].toLowerCase() === 'users') return `{${mailboxKind(decoded) ?? 'mailbox'}}`;
    return WORDS.has(decoded.toLowerCase()) ? decoded : '{id}';
  });
  let kind = `${method} /${named.join('/')}`;
  const filter = url.searchParams.get('$filter') ?? '';
  if (/icaluid/i.test(filter)) kind += '?$filter=iCalUId';
  else if (filter) kind += `?$filter=${/^[\w/]+/.exec(filter)?.[0] ?? '…'}`;
  if (url.searchParams.has('$skiptoken') || url.searchParams.has('$skip')) kind += ' (next page)';
  return kind;
}

export async function startGraphCounter(
  targetGraphUrl: string,
  mailboxKind: (segment: string) => 'room' | 'person' | undefined,
): Promise<GraphCounter> {
  const target = new URL(targetGraphUrl);
  const basePath = target.pathname.replace(/\/+$/, '');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const kind = requestKind(req.method ?? 'GET', req.url ?? '/', basePath, mailboxKind);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'ProxyError', message: error.message } }));
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    counts: () => new Map(counts),
    reset: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
