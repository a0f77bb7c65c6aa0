/**
 * Test helpers: the REAL msal-node and graph-client wired to an emulator the way the service will
 * wire them (see emulator/README.md), and a tiny webhook receiver.
 */
import {
  ConfidentialClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import {
  Client,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RunningEmulator } from '../../emulator';

/** An msal network module that trusts the emulator's CA (msal uses global fetch otherwise). */
export function trustingNetworkClient(ca?: string): INetworkModule {
  const send = <T>(
    method: string,
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> =>
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

export function msalFor(
  emu: RunningEmulator,
  secret = emu.control.clientSecret,
  clientId = emu.control.clientId,
): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId, clientSecret: secret, ...emu.control.msalAuthOptions() },
    system: { networkClient: trustingNetworkClient(emu.caCert) },
  });
}

export async function appToken(emu: RunningEmulator): Promise<string> {
  const r = await msalFor(emu).acquireTokenByClientCredential({
    scopes: ['https://graph.microsoft.com/.default'],
  });
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
 * The last link of the chain over https: graph-client's HTTPMessageHandler calls global fetch,
 * which (Node 20, inside jest's sandbox) cannot be given a CA for one call; this sends the request
 * with node:https and an explicit `ca` instead. Over http the stock HTTPMessageHandler is used.
 */
class TrustingHttpsHandler implements Middleware {
  constructor(private readonly ca: string) {}
  async execute(context: Context): Promise<void> {
    const request =
      context.request instanceof Request
        ? context.request
        : new Request(String(context.request), context.options as RequestInit);
    const options = (context.options ?? {}) as RequestInit;
    const headers = new Headers(request.headers);
    new Headers(options.headers).forEach((v, k) => headers.set(k, v));
    const method = options.method ?? request.method;
    const body = options.body !== undefined && options.body !== null ? String(options.body) : undefined;
    context.response = await new Promise<Response>((resolve, reject) => {
      const req = https.request(
        new URL(request.url),
        { method, headers: Object.fromEntries(headers), ca: this.ca },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, String(v));
            const status = res.statusCode ?? 0;
            resolve(
              new Response(status === 204 || status === 202 ? null : Buffer.concat(chunks), {
                status,
                headers: h,
              }),
            );
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

export async function graphClientFor(emu: RunningEmulator, opts: { retries?: number } = {}): Promise<Client> {
  const msal = msalFor(emu);
  const token = async (): Promise<string> =>
    (await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }))!
      .accessToken;
  const auth = new BearerMiddleware(token);
  const retry = new RetryHandler(new RetryHandlerOptions(1, opts.retries ?? 0));
  const final = emu.caCert ? new TrustingHttpsHandler(emu.caCert) : new HTTPMessageHandler();
  auth.setNext(retry);
  retry.setNext(final);
  return Client.initWithMiddleware({ middleware: auth, baseUrl: `${emu.url}/`, defaultVersion: 'v1.0' });
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
