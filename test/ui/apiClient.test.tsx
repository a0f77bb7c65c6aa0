import { createApiClient } from '../../addin/api';
import { SignInRequiredError, type TokenSource } from '../../addin/auth';
import { aLoan } from './fixtures';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ({
    status,
    ok: status >= 200 && status < 300,
    headers: { get: (name: string) => headers[name] ?? null },
    json: async () => body,
  }) as unknown as Response;

function setup(responses: (Response | Error)[], tokens?: TokenSource, language?: string) {
  const fetch = jest.fn(async () => {
    const next = responses.shift();
    if (!next || next instanceof Error) throw next ?? new Error('no more responses');
    return next;
  });
  const getToken = jest.fn(async () => 'token-1');
  const sleep = jest.fn(async () => undefined);
  const api = createApiClient({
    apiBase: 'https://hector.example.org',
    tokens: tokens ?? { getToken },
    fetch: fetch as unknown as typeof globalThis.fetch,
    sleep,
    language,
  });
  return { api, fetch, getToken, sleep };
}

describe('api.ts: GET /api/addin/loan with the user’s token', () => {
  it('A1: sends the REST id and the bearer token, returns the loan', async () => {
    const { api, fetch } = setup([json(200, { loan: aLoan() })]);
    expect(await api.loan('AAMk/Gi2+x=')).toEqual({ kind: 'loan', loan: aLoan() });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://hector.example.org/api/addin/loan?itemId=AAMk%2FGi2%2Bx%3D');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer token-1');
  });

  it('A2: asks for status labels in Office’s display language, not the browser’s', async () => {
    const { api, fetch } = setup([json(200, { loan: aLoan() })], undefined, 'en-US');
    await api.loan('AAMk1');
    const [url] = fetch.mock.calls[0] as unknown as [string];
    expect(url).toBe('https://hector.example.org/api/addin/loan?itemId=AAMk1&lang=en-US');
  });

  it('A2: returns the server’s reason', async () => {
    const { api } = setup([
      json(200, { reason: { code: 'room_declined', message: 'Salle Curie a refusé' } }),
    ]);
    expect(await api.loan('x')).toEqual({
      kind: 'noLoan',
      reason: { code: 'room_declined', message: 'Salle Curie a refusé' },
    });
  });

  it('404 (not in the caller’s mailbox) reads as "not found"', async () => {
    const { api } = setup([json(404, { error: { code: 'NOT_FOUND', message: '' } })]);
    expect(await api.loan('x')).toEqual({ kind: 'noLoan', reason: { code: 'not_found' } });
  });

  it('401: one fresh token, then sign-in needed', async () => {
    const { api, getToken } = setup([json(401, {}), json(401, {})]);
    expect(await api.loan('x')).toEqual({ kind: 'error', error: 'sign_in' });
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(getToken).toHaveBeenLastCalledWith({ forceRefresh: true });
  });

  it('401 then 200 after a fresh token shows the loan', async () => {
    const { api } = setup([json(401, {}), json(200, { loan: aLoan() })]);
    expect((await api.loan('x')).kind).toBe('loan');
  });

  it('no token without the user: sign-in needed, no request', async () => {
    const tokens = { getToken: jest.fn(async () => Promise.reject(new SignInRequiredError())) };
    const { api, fetch } = setup([], tokens);
    expect(await api.loan('x')).toEqual({ kind: 'error', error: 'sign_in' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('network errors are retried, then "server unreachable"', async () => {
    const { api, fetch, sleep } = setup([
      new TypeError('fetch failed'),
      new TypeError('x'),
      new TypeError('y'),
    ]);
    expect(await api.loan('x')).toEqual({ kind: 'error', error: 'unreachable' });
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it('a 503 then a 200 recovers by itself', async () => {
    const { api } = setup([json(503, {}), json(200, { loan: aLoan() })]);
    expect((await api.loan('x')).kind).toBe('loan');
  });

  it('429 waits Retry-After, then says "busy" if it persists', async () => {
    const { api, sleep } = setup([json(429, {}, { 'Retry-After': '2' }), json(429, {}), json(429, {})]);
    expect(await api.loan('x')).toEqual({ kind: 'error', error: 'busy' });
    expect(sleep).toHaveBeenNthCalledWith(1, 2000);
  });
});
