/**
 * Test helpers: the REAL msal-node and graph-client wired to an emulator the way the service will
 * wire them (see emulator/README.md), and a tiny webhook receiver.
 */
import { ConfidentialClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { Client, HTTPMessageHandler, RetryHandler, RetryHandlerOptions, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RunningEmulator } from '../../emulator';

/** An msal network module that trusts the emulator's CA (msal uses global fetch otherwise). */
export function trustingNetworkClient(ca?: string): INetworkModule {
  const send = <T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const lib = u.protocol === 'https:' ? https : http;
      const req = lib.request(u, { method, headers: options?.headers, ...(ca ? { ca } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = String(v);
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ headers, status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as T });
        });
      });
      req.on('error', reject);
      if (options?.body) req.write(options.body);
      req.end();
    });
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

export function msalFor(emu: RunningEmulator, secret = emu.control.clientSecret, clientId = emu.control.clientId): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId, clientSecret: secret, ...emu.control.msalAuthOptions() },
    system: { networkClient: trustingNetworkClient(emu.caCert) },
  });
}

export async function appToken(emu: RunningEmulator): Promise<string> {
  const r = await msalFor(emu).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
  if (!r?.accessToken) throw new Error('no token');
  return r.accessToken;
}

/** graph-client's AuthenticationHandler drops the token on non-https hosts: add it ourselves. */
class BearerMiddleware implements Middleware {
  private next?: Middleware;
  constructor(private readonly token: () => Promise<string>) {}
  async execute(context: Context): Promise<void> {
    const options = (context.options ?? {}) as RequestInit;
    const headers = new Headers(options.headers);
    headers.set('Authorization', `Bearer ${await this.token()}`);
    context.options = { ...options, headers };
    await this.next!.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * Undici's Agent, taken from Node's own global dispatcher (Node 20 does not export undici): a
 * dispatcher with `connect.ca` makes global fetch trust the emulator's CA for these calls only.
 */
async function trustingDispatcher(ca: string): Promise<unknown> {
  const key = Symbol.for('undici.globalDispatcher.1');
  const g = globalThis as unknown as Record<symbol, { constructor: new (o: unknown) => unknown } | undefined>;
  if (!g[key]) await fetch('http://127.0.0.1:9/').catch(() => undefined);
  const current = g[key];
  if (!current) throw new Error('No undici global dispatcher found');
  return new current.constructor({ connect: { ca } });
}

export async function graphClientFor(emu: RunningEmulator, opts: { retries?: number } = {}): Promise<Client> {
  const msal = msalFor(emu);
  const token = async (): Promise<string> =>
    (await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }))!.accessToken;
  const auth = new BearerMiddleware(token);
  const retry = new RetryHandler(new RetryHandlerOptions(1, opts.retries ?? 0));
  const final = new HTTPMessageHandler();
  auth.setNext(retry);
  retry.setNext(final);
  const fetchOptions = emu.caCert ? ({ dispatcher: await trustingDispatcher(emu.caCert) } as RequestInit) : undefined;
  return Client.initWithMiddleware({ middleware: auth, baseUrl: `${emu.url}/`, defaultVersion: 'v1.0', fetchOptions });
}

/** graph-client mis-follows http nextLinks (appends them to baseUrl): make them relative. */
export function relativeLink(link: string, emu: RunningEmulator): string {
  return link.startsWith(emu.graphUrl) ? link.slice(emu.graphUrl.length) : link;
}

export interface Received {
  path: string;
  query: URLSearchParams;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A webhook endpoint on http://127.0.0.1; `handler` decides each answer. */
export async function startReceiver(
  handler: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void,
): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ path: u.pathname, query: u.searchParams, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The well-behaved answer to Graph's validation handshake; 202 to notifications. */
export function goodWebhook(req: http.IncomingMessage, _body: string, res: http.ServerResponse): void {
  const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
  if (token !== null) {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
    return;
  }
  res.writeHead(202).end();
}

export function inDays(days: number, hourUtc: number, emu: RunningEmulator): string {
  const d = new Date(emu.control.clock.nowMs() + days * 86_400_000);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.toISOString();
}
