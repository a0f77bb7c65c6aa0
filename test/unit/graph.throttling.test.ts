import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { mailboxOf, retryAfterMs, ThrottlingMiddleware } from '../../server/graph/middleware';
import { formatAddress, toRelative } from '../../server/graph/gateway';

/** A fake end of the chain: answers from a script and records concurrency per mailbox. */
class Terminal implements Middleware {
  inFlight = new Map<string, number>();
  peak = new Map<string, number>();
  calls = 0;
  constructor(
    private readonly answer: (n: number) => Response,
    private readonly delayMs = 5,
  ) {}
  async execute(context: Context): Promise<void> {
    const key = mailboxOf(String(context.request));
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    this.peak.set(key, Math.max(this.peak.get(key) ?? 0, this.inFlight.get(key)!));
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.inFlight.set(key, this.inFlight.get(key)! - 1);
    context.response = this.answer(++this.calls);
  }
}

const chain = (terminal: Terminal, sleeps: number[] = [], options = {}) => {
  const throttling = new ThrottlingMiddleware({
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  throttling.setNext(terminal);
  return throttling;
};

const run = (m: Middleware, url: string): Promise<Context> => {
  const context: Context = { request: url, options: { method: 'GET' } };
  return m.execute(context).then(() => context);
};

describe('graph throttling middleware', () => {
  it('DESIGN throttling: at most 4 concurrent requests per mailbox, others unhindered', async () => {
    const terminal = new Terminal(() => new Response('{}', { status: 200 }));
    const m = chain(terminal);
    await Promise.all([
      ...Array.from({ length: 12 }, () => run(m, 'http://g/v1.0/users/salle-a001@u.test/events')),
      ...Array.from({ length: 6 }, () => run(m, 'http://g/v1.0/users/salle-b001@u.test/events')),
    ]);
    expect(terminal.peak.get('salle-a001@u.test')).toBe(4);
    expect(terminal.peak.get('salle-b001@u.test')).toBe(4);
    expect(terminal.calls).toBe(18);
  });

  it('DESIGN throttling: 429 honours Retry-After in seconds, then succeeds', async () => {
    const terminal = new Terminal((n) =>
      n === 1
        ? new Response('', { status: 429, headers: { 'Retry-After': '3' } })
        : new Response('{}', { status: 200 }),
    );
    const sleeps: number[] = [];
    const context = await run(chain(terminal, sleeps), 'http://g/v1.0/users/x/events');
    expect(context.response?.status).toBe(200);
    expect(sleeps).toEqual([3000]);
  });

  it('DESIGN throttling: 503/504 without Retry-After back off exponentially with jitter', async () => {
    const terminal = new Terminal((n) => new Response('', { status: n < 4 ? (n % 2 ? 503 : 504) : 200 }));
    const sleeps: number[] = [];
    await run(chain(terminal, sleeps, { baseDelayMs: 100 }), 'http://g/v1.0/subscriptions');
    // backoff/2 + random(0.5) * backoff/2 with backoff = 100, 200, 400
    expect(sleeps).toEqual([75, 150, 300]);
  });

  it('DESIGN throttling: gives the 429 back after the last retry (the job retries later)', async () => {
    const terminal = new Terminal(() => new Response('', { status: 429, headers: { 'Retry-After': '1' } }));
    const context = await run(chain(terminal, [], { maxRetries: 2 }), 'http://g/v1.0/users/x/events');
    expect(context.response?.status).toBe(429);
    expect(terminal.calls).toBe(3);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Wed, 25 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('turns http nextLinks into relative paths (graph-client only follows https links)', () => {
    expect(
      toRelative('http://127.0.0.1:4000/v1.0/users?$skiptoken=abc%3D', 'http://127.0.0.1:4000/v1.0'),
    ).toBe('/users?$skiptoken=abc%3D');
    expect(
      toRelative(
        'https://graph.microsoft.com/v1.0/places/microsoft.graph.room?$skip=100',
        'http://127.0.0.1:1/v1.0',
      ),
    ).toBe('/places/microsoft.graph.room?$skip=100');
    expect(toRelative('/users?x=1', 'http://h/v1.0')).toBe('/users?x=1');
  });

  it('R1: formats a room address on one line', () => {
    expect(
      formatAddress({
        street: '12 rue des Écoles',
        postalCode: '75005',
        city: 'Paris',
        countryOrRegion: 'France',
      }),
    ).toBe('12 rue des Écoles, 75005 Paris, France');
    expect(formatAddress(null)).toBeNull();
  });
});
