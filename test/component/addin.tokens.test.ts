import { decodeJwt } from 'jose';
import request from 'supertest';
import { SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS } from '../../emulator';
import type { AddinErrorBody } from '../../contract/addin';
import { at, startStack, waitFor, type Stack } from '../support/stack';

// Issue 13, parts 1 and 2, on the real service and emulator: both token versions are accepted
// (entra-docs access-tokens.md: an API gets v1.0 tokens unless its manifest asks for v2.0), the
// audience is exactly our client id or Application ID URI, and the caller's event is read with the
// caller's own rights (on-behalf-of, delegated Calendars.Read), so an app denied the mailbox
// (an application access policy, here: the app's calendar permissions withdrawn) still shows it.
jest.setTimeout(60_000);

const ORGANIZER = 'hugo.bernard@universite.test';
const A001 = 'salle-a001@universite.test';
const API = '33333333-3333-4333-8333-333333333333';
const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';
const WITHOUT_CALENDARS = SAMPLE_PERMISSIONS.filter((p) => !p.startsWith('Calendars.'));

let stack: Stack;
let meeting: { eventId: string; loanId: string };

beforeAll(async () => {
  stack = await startStack({ label: 'addin-tokens' });
  const event = stack.emulator.control.person(ORGANIZER).createMeeting({
    subject: 'Jury',
    start: at(3, '14:00'),
    end: at(3, '15:00'),
    rooms: [A001],
  });
  const loanId = await waitFor(
    async () => (await stack.journal({ iCalUId: event.iCalUId! })).find((e) => e.loanId)?.loanId ?? undefined,
    { what: 'the loan of the meeting' },
  );
  meeting = { eventId: event.id!, loanId };
}, 60_000);
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  const control = stack.emulator.control;
  control.configureApiApp(API, { accessTokenVersion: null, delegatedPermissions: ['Calendars.Read'] });
  control.setPermissions(SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS);
});

const token = (extra: Record<string, unknown> = {}) =>
  stack.emulator.control.issueUserToken({ upn: ORGANIZER, ...extra });
const ask = (bearer: string) =>
  request(stack.service.url)
    .get('/api/addin/loan')
    .query({ itemId: meeting.eventId, lang: 'en' })
    .set('Authorization', `Bearer ${bearer}`);
const useVersion = (v: 1 | 2) => stack.emulator.control.configureApiApp(API, { accessTokenVersion: v });

describe('A1: both Entra ID token versions open the loan', () => {
  it('A1: a v1.0 token (the default: sts.windows.net issuer, aud = Application ID URI) → 200 with the loan', async () => {
    const bearer = await token();
    expect(decodeJwt(bearer)).toMatchObject({ ver: '1.0', aud: `api://localhost/${API}` });
    const res = await ask(bearer);
    expect(res.status).toBe(200);
    expect(res.body.loan.id).toBe(meeting.loanId);
  });

  it('A1: a v2.0 token (manifest requestedAccessTokenVersion 2: aud = client id) → 200 with the loan', async () => {
    useVersion(2);
    const bearer = await token();
    expect(decodeJwt(bearer)).toMatchObject({ ver: '2.0', aud: API });
    const res = await ask(bearer);
    expect(res.status).toBe(200);
    expect(res.body.loan.id).toBe(meeting.loanId);
  });
});

describe('A1: only our audience and our tenant (401)', () => {
  const refused = async (bearer: string, why: RegExp) => {
    const res = await ask(bearer);
    expect(res.status).toBe(401);
    expect((res.body as AddinErrorBody).error.code).toBe('INVALID_TOKEN');
    expect((res.body as AddinErrorBody).error.message).toMatch(why);
  };

  it.each([1, 2] as const)('A1: v%s.0 token for api://evil.example/<our client id> → 401', async (v) => {
    useVersion(v);
    await refused(await token({ audience: `api://evil.example/${API}` }), /another application/);
  });

  it.each([1, 2] as const)('A1: v%s.0 token of another tenant → 401', async (v) => {
    useVersion(v);
    await refused(await token({ tenantId: OTHER_TENANT }), /another authority or tenant/);
  });
});

describe("A1: the caller's event is read with the caller's rights (on-behalf-of)", () => {
  it('A1: with the app denied every calendar, the add-in still shows the loan — read by a delegated token', async () => {
    const control = stack.emulator.control;
    control.setPermissions(SAMPLE_CLIENT_ID, WITHOUT_CALENDARS);
    control.resetStats();
    const res = await ask(await token());
    expect(res.status).toBe(200);
    expect(res.body.loan.id).toBe(meeting.loanId);
    const stats = control.stats();
    expect(stats.oboTokens).toBe(1);
    expect(stats.delegatedRequests).toBeGreaterThanOrEqual(1);
  });

  it('A2: on-behalf-of refused (no admin consent) and the app denied the mailbox → 200 reason no_access, never 502', async () => {
    const control = stack.emulator.control;
    control.configureApiApp(API, { delegatedPermissions: [] });
    control.setPermissions(SAMPLE_CLIENT_ID, WITHOUT_CALENDARS);
    const res = await ask(await token());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      reason: { code: 'no_access', message: expect.stringMatching(/Calendars\.Read/) },
    });
  });

  it('A1: on-behalf-of refused but the app may read → the app-only read still shows the loan', async () => {
    const control = stack.emulator.control;
    control.configureApiApp(API, { delegatedPermissions: [] });
    control.resetStats();
    const res = await ask(await token());
    expect(res.status).toBe(200);
    expect(res.body.loan.id).toBe(meeting.loanId);
    expect(control.stats()).toMatchObject({ oboTokens: 0, delegatedRequests: 0 });
  });
});
