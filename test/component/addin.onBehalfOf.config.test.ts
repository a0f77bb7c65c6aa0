import request from 'supertest';
import { sampleSeed, SAMPLE_API_APP, SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS } from '../../emulator';
import { at, startStack, waitFor, type Stack } from '../support/stack';

// Issue 13, part 2: who does on-behalf-of. The simpler set-up for admins — the Hector app itself
// exposes the add-in's API (ADDIN_CLIENT_ID = the saved client id) — uses the saved secret; a
// separate add-in app without ADDIN_CLIENT_SECRET has no on-behalf-of, and the app-only read's
// 403 becomes a reason, never a 502.
jest.setTimeout(90_000);

const ORGANIZER = 'hugo.bernard@universite.test';
const A102 = 'salle-a102@universite.test';
const WITHOUT_CALENDARS = SAMPLE_PERMISSIONS.filter((p) => !p.startsWith('Calendars.'));

async function bookedMeeting(stack: Stack): Promise<{ eventId: string; loanId: string }> {
  const event = stack.emulator.control.person(ORGANIZER).createMeeting({
    subject: 'Comité',
    start: at(4, '10:00'),
    end: at(4, '11:00'),
    rooms: [A102],
  });
  const loanId = await waitFor(
    async () => (await stack.journal({ iCalUId: event.iCalUId! })).find((e) => e.loanId)?.loanId ?? undefined,
    { what: 'the loan of the meeting' },
  );
  return { eventId: event.id!, loanId };
}

const ask = async (stack: Stack, eventId: string) =>
  request(stack.service.url)
    .get('/api/addin/loan')
    .query({ itemId: eventId, lang: 'fr' })
    .set('Authorization', `Bearer ${await stack.emulator.control.issueUserToken({ upn: ORGANIZER })}`);

describe('A1: the Hector app exposes the add-in API — on-behalf-of with the saved secret', () => {
  const uri = `api://localhost/${SAMPLE_CLIENT_ID}`;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      label: 'addin-obo-same-app',
      // One registration: the add-in's API is the Hector app (its own secret, no second one).
      tenant: {
        ...sampleSeed(),
        apiApp: { ...SAMPLE_API_APP, clientId: SAMPLE_CLIENT_ID, applicationIdUri: uri, clientSecret: '' },
      },
      env: { ADDIN_CLIENT_ID: SAMPLE_CLIENT_ID, ADDIN_APP_ID_URI: uri },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('A1: with the app denied every calendar, the loan still shows (read on behalf of the user)', async () => {
    const meeting = await bookedMeeting(stack);
    stack.emulator.control.setPermissions(SAMPLE_CLIENT_ID, WITHOUT_CALENDARS);
    stack.emulator.control.resetStats();
    const res = await ask(stack, meeting.eventId);
    expect(res.status).toBe(200);
    expect(res.body.loan.id).toBe(meeting.loanId);
    expect(stack.emulator.control.stats().oboTokens).toBe(1);
  });
});

describe('A2: a separate add-in app without ADDIN_CLIENT_SECRET — the app-only read, its 403 a reason', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      label: 'addin-obo-off',
      env: { ADDIN_CLIENT_ID: SAMPLE_API_APP.clientId, ADDIN_APP_ID_URI: SAMPLE_API_APP.applicationIdUri },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('A1: the app may read the mailbox → the loan, with no on-behalf-of token asked for', async () => {
    const meeting = await bookedMeeting(stack);
    stack.emulator.control.resetStats();
    const res = await ask(stack, meeting.eventId);
    expect(res.status).toBe(200);
    expect(res.body.loan.id).toBe(meeting.loanId);
    expect(stack.emulator.control.stats()).toMatchObject({ oboTokens: 0, delegatedRequests: 0 });

    stack.emulator.control.setPermissions(SAMPLE_CLIENT_ID, WITHOUT_CALENDARS);
    const denied = await ask(stack, meeting.eventId);
    expect(denied.status).toBe(200);
    expect(denied.body.reason.code).toBe('no_access');
    expect(denied.body.reason.message).toMatch(/n'a pas accès à votre calendrier/);
  });
});
