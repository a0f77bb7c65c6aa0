import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, decodeJwt } from 'jose';
import request from 'supertest';
import type { AddinErrorBody, AddinLoanResponse } from '../../contract/addin';
import { at, startStack, waitFor, type Stack } from '../support/stack';

// Flow 8: GET /api/addin/loan?itemId= with the user's own Entra ID token (issued by the emulator),
// on the real service with inbound sync running. A person books in the emulator as in Outlook.
jest.setTimeout(60_000);

const ORGANIZER = 'hugo.bernard@universite.test';
const ATTENDEE = 'lea.dubois@universite.test';
const OTHER = 'jules.garcia@universite.test';
const A001 = 'salle-a001@universite.test';
const A101 = 'salle-a101@universite.test';
const API = '33333333-3333-4333-8333-333333333333';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ label: 'addin-api' });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const token = (upn: string, extra: Record<string, unknown> = {}) =>
  stack.emulator.control.issueUserToken({ upn, ...extra });

const ask = (bearer: string | null, itemId?: string, lang = 'fr-FR') => {
  let req = request(stack.service.url).get('/api/addin/loan').set('Accept-Language', lang);
  if (itemId !== undefined) req = req.query({ itemId });
  if (bearer !== null) req = req.set('Authorization', `Bearer ${bearer}`);
  return req;
};

/** The copy of a meeting in one person's calendar (each has its own id, same iCalUId). */
function copyIn(upn: string, iCalUId: string): string {
  const copy = stack.emulator.control.eventsOf(upn).find((e) => e.iCalUId === iCalUId);
  if (!copy?.id) throw new Error(`${upn} has no copy of ${iCalUId}`);
  return copy.id;
}

let meeting: { organizerEventId: string; iCalUId: string; loanId: string };

describe('A1: the caller’s own event → its Hector loan', () => {
  beforeAll(async () => {
    const event = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Séminaire',
      start: at(3, '09:00'),
      end: at(3, '10:30'),
      rooms: [A001],
      attendees: [ATTENDEE],
    });
    const loanId = await waitFor(
      async () =>
        (await stack.journal({ iCalUId: event.iCalUId! })).find((e) => e.loanId)?.loanId ?? undefined,
      { what: 'the loan of the meeting' },
    );
    meeting = { organizerEventId: event.id!, iCalUId: event.iCalUId!, loanId };
  });

  it("A1: the organizer's event shows the loan: number, status in French, dates, requester, items, link", async () => {
    const res = await ask(await token(ORGANIZER), meeting.organizerEventId);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { loan } = res.body as { loan: NonNullable<Extract<AddinLoanResponse, { loan: unknown }>['loan']> };
    const [stored] = (await stack.loans()).filter((l) => l.id === meeting.loanId);
    expect(loan).toMatchObject({
      id: meeting.loanId,
      number: stored.number,
      status: 'new',
      statusLabel: 'Nouveau',
      start: at(3, '09:00'),
      end: at(3, '10:30'),
      requester: { email: ORGANIZER },
    });
    expect(loan.items).toEqual([
      expect.objectContaining({ kind: 'place', name: 'Salle A-001', status: 'new', statusLabel: 'Nouveau' }),
    ]);
    expect(loan.url).toContain(meeting.loanId);
  });

  it('A2: the status label follows Accept-Language, and ?lang= wins over it', async () => {
    const bearer = await token(ORGANIZER);
    expect((await ask(bearer, meeting.organizerEventId, 'en-GB,en;q=0.9')).body.loan.statusLabel).toBe('New');
    const res = await ask(bearer, meeting.organizerEventId, 'en-GB').query({ lang: 'fr' });
    expect(res.body.loan.statusLabel).toBe('Nouveau');
  });

  it("A1: an attendee's own copy (another id, same iCalUId) shows the same loan", async () => {
    const attendeeCopy = copyIn(ATTENDEE, meeting.iCalUId);
    expect(attendeeCopy).not.toBe(meeting.organizerEventId);
    const res = await ask(await token(ATTENDEE), attendeeCopy);
    expect(res.status).toBe(200);
    expect(res.body.loan.id).toBe(meeting.loanId);
  });

  it("flow 8: another user's token for the organizer's event id → 404 (nobody reads another person's loan)", async () => {
    for (const upn of [OTHER, ATTENDEE]) {
      const res = await ask(await token(upn), meeting.organizerEventId);
      expect(res.status).toBe(404);
      expect((res.body as AddinErrorBody).error.code).toBe('NOT_FOUND');
      expect(res.text).not.toContain(meeting.loanId);
    }
  });

  it("flow 8: a token whose audience is the API's URI (api://host/clientId) is accepted", async () => {
    const res = await ask(
      await token(ORGANIZER, { audience: `api://localhost/${API}` }),
      meeting.organizerEventId,
    );
    expect(res.status).toBe(200);
  });
});

describe('flow 8: only a valid token of the tenant for our API opens the door (401)', () => {
  const expect401 = async (bearer: string | null, why: RegExp) => {
    const res = await ask(bearer, meeting?.organizerEventId ?? 'AAMk-x');
    expect(res.status).toBe(401);
    const body = res.body as AddinErrorBody;
    expect(body.error.code).toBe('INVALID_TOKEN');
    expect(body.error.message).toMatch(why);
    if (bearer) expect(res.text).not.toContain(bearer);
  };

  it('no token, or not a Bearer token', async () => {
    await expect401(null, /Sign-in required/);
    const res = await request(stack.service.url)
      .get('/api/addin/loan')
      .query({ itemId: 'x' })
      .set('Authorization', 'Basic dXNlcjpwYXNz');
    expect(res.status).toBe(401);
  });

  it('an expired token', async () => {
    await expect401(await token(ORGANIZER, { expiresInSeconds: -120 }), /expired/);
  });

  it('a token for another application (wrong audience)', async () => {
    await expect401(
      await token(ORGANIZER, { audience: 'https://graph.microsoft.com' }),
      /another application/,
    );
  });

  it('a token of another tenant', async () => {
    await expect401(
      await token(ORGANIZER, { tenantId: '99999999-9999-4999-8999-999999999999' }),
      /another authority or tenant/,
    );
  });

  it('a token without our scope', async () => {
    await expect401(await token(ORGANIZER, { scopes: 'User.Read' }), /access_as_user/);
  });

  it('an unsigned token (alg none) and a token signed by a key that is not the tenant’s', async () => {
    const genuine = decodeJwt(await token(ORGANIZER));
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    await expect401(
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64(genuine)}.`,
      /not signed with RS256|not a valid/,
    );
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT(genuine)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'forged' })
      .sign(privateKey);
    await expect401(forged, /key of this tenant|not a valid/);
  });

  it('garbage', async () => {
    await expect401('not.a.jwt', /not a valid/);
  });
});

describe('A2 B4: no loan → the reason', () => {
  it('A2: a meeting without a synced room → no_synced_room', async () => {
    const event = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Café',
      start: at(4, '08:00'),
      end: at(4, '08:30'),
      attendees: [ATTENDEE],
    });
    const res = await ask(await token(ORGANIZER), event.id!);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reason: { code: 'no_synced_room', message: expect.any(String) } });
    expect(res.body.reason.message).toMatch(/salle synchronisée avec Hector/);
  });

  it('A2 V3: the only synced room declined (it was taken) → room_declined naming it', async () => {
    const when = { start: at(5, '14:00'), end: at(5, '15:00') };
    stack.emulator.control.person(OTHER).createMeeting({ subject: 'Premier', ...when, rooms: [A101] });
    const second = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Second',
      ...when,
      rooms: [A101],
    });
    const res = await ask(await token(ORGANIZER), second.id!);
    expect(res.status).toBe(200);
    expect(res.body.reason.code).toBe('room_declined');
    expect(res.body.reason.message).toContain('Salle A-101');
  });
});

describe('flow 8: bad requests and the per-user limit', () => {
  it('400 without an itemId or with one that cannot be an id', async () => {
    const bearer = await token(ORGANIZER);
    expect((await ask(bearer)).status).toBe(400);
    const res = await ask(bearer, '../../users');
    expect(res.status).toBe(400);
    expect((res.body as AddinErrorBody).error.code).toBe('BAD_REQUEST');
  });

  it('404 for an id that is no event of the caller', async () => {
    expect((await ask(await token(ORGANIZER), 'AAMkAGI2TG93AAA=')).status).toBe(404);
  });

  it('429 with Retry-After past 60 requests a minute for one user; others are not affected', async () => {
    const bearer = await token('chloe.thomas@universite.test');
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await ask(bearer)).status);
    expect(new Set(statuses)).toEqual(new Set([400]));
    const limited = await ask(bearer, 'x');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((limited.body as AddinErrorBody).error.code).toBe('RATE_LIMITED');
    expect((await ask(await token(ORGANIZER))).status).toBe(400);
  });
});
