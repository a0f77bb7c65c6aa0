import '@testing-library/jest-dom';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminApp, TOKEN_KEY, parseRoute } from '../../admin/components/AdminApp';
import { en } from '../../admin/i18n/en';
import { fr } from '../../admin/i18n/fr';
import { localize, type Localization } from '../../admin/i18n';
import type { ConnectionReport, SettingsView } from '../../contract/admin';
import type { Loan, Place } from '../../contract/hector';

/**
 * The admin page against a fake server: fetch is mocked at the boundary, everything between the
 * page and fetch is the real code.
 */
const TOKEN = 'the-admin-token';
const english = localize('en-GB');
const french = localize('fr-FR');

interface Call {
  method: string;
  path: string;
  body?: unknown;
  authorization?: string;
}
type Route = (call: Call) => [number, unknown] | undefined;

function fakeServer(...routes: Route[]) {
  const calls: Call[] = [];
  const fetch = jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://admin.test');
    const headers = init.headers as Record<string, string>;
    const call: Call = {
      method: init.method ?? 'GET',
      path: url.pathname + url.search,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
      authorization: headers?.Authorization,
    };
    calls.push(call);
    let answer: [number, unknown] | undefined;
    if (call.authorization !== `Bearer ${TOKEN}`) {
      answer = [401, { error: { code: 'UNAUTHORIZED', message: 'A valid admin token is required.' } }];
    }
    for (const route of routes) answer ??= route(call);
    const [status, body] = answer ?? [
      404,
      { error: { code: 'NOT_FOUND', message: `No route ${call.path}` } },
    ];
    return { ok: status >= 200 && status < 300, status, json: async () => body } as Response;
  });
  globalThis.fetch = fetch as unknown as typeof globalThis.fetch;
  return { calls, fetch };
}

const on =
  (method: string, path: string | RegExp, answer: (call: Call) => [number, unknown]): Route =>
  (call) =>
    call.method === method && (typeof path === 'string' ? call.path === path : path.test(call.path))
      ? answer(call)
      : undefined;

const TENANT = '99999999-8888-4777-8666-555555555555';

const settings = (overrides: Partial<SettingsView> = {}): SettingsView => ({
  configured: true,
  primaryDomain: 'universite.test',
  tenantId: TENANT,
  clientId: '11111111-2222-4333-8444-555555555555',
  clientSecretSet: true,
  defaultStoreId: null,
  defaultUserEmail: 'camille.martin@universite.test',
  ignoredTags: 'non-hector',
  enabled: true,
  connection: null,
  updatedAt: '2026-11-25T09:00:00.000Z',
  secretExpiresAt: null,
  ...overrides,
});

const aConnection = (overrides: Partial<ConnectionReport>): ConnectionReport => ({
  ok: true,
  testedAt: '2026-11-25T09:00:00.000Z',
  tenantId: TENANT,
  grantedPermissions: [],
  missingPermissions: [],
  message: '',
  ...overrides,
});

const aPlace = (id: string, name: string, active = true): Place => ({
  id,
  name,
  email: `${id}@universite.test`,
  address: null,
  building: 'Bâtiment A',
  capacity: 20,
  storeId: 'store-1',
  active,
  synced: true,
  externalKey: `${id}@universite.test`,
  schedule: null,
  maxDurationMinutes: null,
  autoCheckOut: null,
  autoClose: null,
  checkInBeforeMinutes: null,
  checkInAfterMinutes: null,
});

const aLoan = (overrides: Partial<Loan> = {}): Loan => ({
  id: 'loan-1',
  number: 1042,
  status: 'new',
  statusLabel: { fr: 'Nouveau', en: 'New' },
  phase: 'not_started',
  start: '2026-12-01T08:00:00.000Z',
  end: '2026-12-01T09:30:00.000Z',
  requester: { id: 'user-1', email: 'alice.martin@universite.test', name: 'Alice Martin' },
  store: { id: 'store-1', name: 'Campus' },
  items: [
    { kind: 'place', id: 'curie', name: 'Salle Curie', status: 'active', email: 'curie@universite.test' },
    {
      kind: 'place',
      id: 'pasteur',
      name: 'Amphi Pasteur',
      status: 'cancelled',
      email: 'pasteur@universite.test',
    },
  ],
  origin: 'outlook',
  notes: null,
  checkedInAt: null,
  version: 1,
  createdAt: '2026-11-25T09:00:00.000Z',
  updatedAt: '2026-11-25T09:00:00.000Z',
  // What the server's status table allows from 'new'.
  allowedStatuses: ['assigned', 'suspended', 'partially_out', 'out', 'cancelled', 'refused'],
  allowedActions: ['edit', 'cancel', 'refuse', 'check-out'],
  allowedItemActions: { curie: ['cancel'], pasteur: [] },
  ...overrides,
});

const common: Route[] = [
  on('GET', '/api/admin/integration', () => [200, settings()]),
  on('GET', '/api/hector/stores', () => [200, { items: [{ id: 'store-1', name: 'Campus' }] }]),
  on('GET', '/api/hector/places', () => [
    200,
    {
      items: [
        aPlace('curie', 'Salle Curie'),
        aPlace('pasteur', 'Amphi Pasteur'),
        aPlace('old', 'Ancienne salle', false),
      ],
    },
  ]),
];

function renderPage(l10n: Localization = english, hash = '#/integration', journalRefreshMs?: number) {
  window.location.hash = hash;
  return render(
    <FluentProvider theme={webLightTheme}>
      <AdminApp l10n={l10n} journalRefreshMs={journalRefreshMs} />
    </FluentProvider>,
  );
}

/** A field by the start of its label (required fields add a "*" after it). */
const label = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

const signedIn = () => sessionStorage.setItem(TOKEN_KEY, TOKEN);

beforeEach(() => {
  sessionStorage.clear();
  window.location.hash = '';
});

describe('admin page: sign-in', () => {
  it('a wrong token shows the server’s message and is not kept', async () => {
    const { calls } = fakeServer(...common);
    renderPage();
    fireEvent.change(screen.getByLabelText(/Admin token/), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: en.signIn.submit }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A valid admin token is required.');
    expect(calls[0].authorization).toBe('Bearer wrong');
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(screen.queryByRole('tablist')).not.toBeInTheDocument();
  });

  it('an empty token is asked for before any request', async () => {
    const { calls } = fakeServer(...common);
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: en.signIn.submit }));
    expect(await screen.findByText(en.signIn.required)).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it('the right token opens the tabs and stays in sessionStorage; a later 401 signs out', async () => {
    fakeServer(...common);
    renderPage(french);
    fireEvent.change(screen.getByLabelText(/Jeton d’administration/), { target: { value: TOKEN } });
    fireEvent.click(screen.getByRole('button', { name: fr.signIn.submit }));
    const tabs = await screen.findByRole('tablist');
    for (const name of Object.values(fr.tabs).slice(1)) {
      expect(within(tabs).getByRole('tab', { name })).toBeInTheDocument();
    }
    expect(within(tabs).getByRole('tab', { name: fr.tabs.integration })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe(TOKEN);

    // The server stops accepting it (token rotated): back to sign-in, saying why.
    sessionStorage.setItem(TOKEN_KEY, 'rotated');
    fakeServer(() => [401, { error: { code: 'UNAUTHORIZED', message: 'nope' } }]);
    fireEvent.click(within(tabs).getByRole('tab', { name: fr.tabs.places }));
    expect(await screen.findByText(fr.signIn.expired)).toBeInTheDocument();
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it('hash routes: #/loans/{id} opens one loan, anything unknown the integration tab', () => {
    expect(parseRoute('#/loans/abc-1')).toEqual({ tab: 'loans', loanId: 'abc-1' });
    expect(parseRoute('#/journal')).toEqual({ tab: 'journal' });
    expect(parseRoute('#/nowhere')).toEqual({ tab: 'integration' });
    expect(parseRoute('')).toEqual({ tab: 'integration' });
  });
});

describe('admin page: integration settings (S1, S2)', () => {
  it('S1: the secret is write-only: a hint says one is saved, and an empty field keeps it', async () => {
    const { calls } = fakeServer(
      ...common,
      on('PUT', '/api/admin/integration', () => [
        200,
        settings({ connection: aConnection({ ok: true, missingPermissions: [], message: 'Connected.' }) }),
      ]),
    );
    signedIn();
    renderPage();
    expect(await screen.findByText(en.integration.secretSaved)).toBeInTheDocument();
    expect(screen.getByLabelText(label(en.integration.primaryDomain))).toHaveValue('universite.test');
    fireEvent.click(screen.getByRole('button', { name: en.integration.save }));
    expect(await screen.findByText(en.integration.connectionOk)).toBeInTheDocument();
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.body).toEqual({
      primaryDomain: 'universite.test',
      clientId: '11111111-2222-4333-8444-555555555555',
      defaultStoreId: null,
      defaultUserEmail: 'camille.martin@universite.test',
      ignoredTags: 'non-hector',
      enabled: true,
    });
  });

  it('S2: saving shows each missing permission and what it breaks', async () => {
    const missing = [
      { permission: 'Place.Read.All', breaks: 'Rooms cannot be listed through the Places API.' },
      { permission: 'Calendars.ReadWrite', breaks: 'Events cannot be written.' },
    ];
    const { calls } = fakeServer(
      ...common,
      on('PUT', '/api/admin/integration', () => [
        200,
        settings({ connection: aConnection({ ok: false, missingPermissions: missing, message: 'missing' }) }),
      ]),
    );
    signedIn();
    renderPage();
    const secret = await screen.findByLabelText(label(en.integration.clientSecret));
    fireEvent.change(secret, { target: { value: 'new-secret' } });
    fireEvent.click(screen.getByRole('button', { name: en.integration.save }));
    const list = await screen.findByTestId('missing-permissions');
    expect(list).toHaveTextContent('Place.Read.All — Rooms cannot be listed through the Places API.');
    expect(list).toHaveTextContent('Calendars.ReadWrite — Events cannot be written.');
    expect(screen.getByText(en.integration.connectionMissing)).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PUT')?.body).toMatchObject({ clientSecret: 'new-secret' });
    expect(secret).toHaveValue('');
  });

  it('S2: a connection test naming mailboxes outside the access policy says so, with the server’s message', async () => {
    const message =
      "Connected: every required permission is granted. The default user's mailbox is outside the app's access policy (camille.martin@universite.test): add it to the policy's group.";
    fakeServer(
      ...common,
      on('PUT', '/api/admin/integration', () => [
        200,
        settings({
          connection: aConnection({
            ok: false,
            outsideAccessPolicy: ['camille.martin@universite.test'],
            message,
          }),
        }),
      ]),
    );
    signedIn();
    renderPage();
    const secret = await screen.findByLabelText(label(en.integration.clientSecret));
    fireEvent.change(secret, { target: { value: 'new-secret' } });
    fireEvent.click(screen.getByRole('button', { name: en.integration.save }));
    expect(await screen.findByText(en.integration.connectionOutsidePolicy)).toBeInTheDocument();
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(screen.queryByText(en.integration.connectionMissing)).not.toBeInTheDocument();
  });

  it('S2: a refused save shows the server’s message and its field problems, no stack trace', async () => {
    fakeServer(
      ...common,
      on('PUT', '/api/admin/integration', () => [
        400,
        {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Some settings are not valid.',
            details: {
              issues: [{ field: 'clientId', message: 'must be the application (client) id, a GUID' }],
            },
          },
        },
      ]),
    );
    signedIn();
    renderPage();
    fireEvent.change(await screen.findByLabelText(label(en.integration.clientId)), {
      target: { value: 'x' },
    });
    fireEvent.click(screen.getByRole('button', { name: en.integration.save }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Some settings are not valid. (clientId: must be the application (client) id, a GUID)',
    );
  });
});

describe('admin page: loans', () => {
  const loans = [
    aLoan(),
    aLoan({
      id: 'loan-2',
      number: 1043,
      status: 'cancelled',
      statusLabel: { fr: 'Annulé', en: 'Cancelled' },
      phase: 'archived',
      allowedStatuses: [],
      allowedActions: [],
      allowedItemActions: {},
      origin: 'hector',
      start: '2026-12-02T13:00:00.000Z',
      end: '2026-12-02T14:00:00.000Z',
    }),
  ];

  it('shows number, status label, dates in the browser’s locale, requester, items with status, origin', async () => {
    fakeServer(
      ...common,
      on('GET', /^\/api\/hector\/loans\?/, () => [200, { items: loans }]),
    );
    signedIn();
    renderPage(french, '#/loans');
    const table = await screen.findByTestId('loans-table');
    const row = (await within(table).findByRole('link', { name: fr.loans.open(1042) })).closest('tr')!;
    const cells = within(row).getAllByRole('cell');
    const local = (iso: string) =>
      new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
    expect(cells[1]).toHaveTextContent('Nouveau');
    expect(cells[2]).toHaveTextContent(local('2026-12-01T08:00:00.000Z'));
    expect(cells[3]).toHaveTextContent(local('2026-12-01T09:30:00.000Z'));
    expect(cells[4]).toHaveTextContent('Alice Martin');
    expect(cells[5]).toHaveTextContent('Salle Curie · SalleActif');
    expect(cells[5]).toHaveTextContent('Amphi Pasteur · SalleAnnulé');
    expect(cells[6]).toHaveTextContent('Outlook');
    expect(within(cells[7]).getByRole('button', { name: `${fr.loans.cancel} 1042` })).toBeInTheDocument();
    // A cancelled loan cannot be cancelled again.
    const other = within(table)
      .getByRole('link', { name: fr.loans.open(1043) })
      .closest('tr')!;
    expect(other).toHaveTextContent('Annulé');
    expect(within(other).queryByRole('button')).not.toBeInTheDocument();
  });

  it('offers the actions the server allows for each loan, whatever its status', async () => {
    // A new loan that Hector would let be refused, but whose answer says it may only be cancelled.
    fakeServer(
      ...common,
      on('GET', /^\/api\/hector\/loans\?/, () => [
        200,
        { items: [aLoan({ allowedStatuses: ['cancelled'], allowedActions: ['cancel'] })] },
      ]),
    );
    signedIn();
    renderPage(english, '#/loans');
    const table = await screen.findByTestId('loans-table');
    const row = (await within(table).findByRole('link', { name: en.loans.open(1042) })).closest('tr')!;
    expect(within(row).getByRole('button', { name: `${en.loans.cancel} 1042` })).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: `${en.loans.refuse} 1042` })).not.toBeInTheDocument();
  });

  it('filters by status and dates through the API', async () => {
    const { calls } = fakeServer(
      ...common,
      on('GET', /^\/api\/hector\/loans\?/, () => [200, { items: loans }]),
    );
    signedIn();
    renderPage(english, '#/loans');
    await screen.findByTestId('loans-table');
    fireEvent.change(screen.getByLabelText(label(en.loans.filterStatus)), { target: { value: 'cancelled' } });
    fireEvent.change(screen.getByLabelText(label(en.loans.filterFrom)), { target: { value: '2026-12-01' } });
    fireEvent.click(screen.getByRole('button', { name: en.loans.apply }));
    await waitFor(() => expect(calls.some((c) => c.path.includes('status=cancelled'))).toBe(true));
    const query = new URLSearchParams(
      calls
        .filter((c) => c.path.includes('status='))
        .pop()!
        .path.split('?')[1],
    );
    expect(new Date(query.get('from')!).getTime()).toBe(new Date(2026, 11, 1).getTime());
  });

  it('new loan: the form says what is wrong before asking the server, then creates the loan', async () => {
    let created = false;
    const { calls } = fakeServer(
      ...common,
      on('GET', /^\/api\/hector\/loans\?/, () => [200, { items: created ? [aLoan({ number: 1050 })] : [] }]),
      on('POST', '/api/hector/loans', () => {
        created = true;
        return [201, aLoan({ number: 1050 })];
      }),
    );
    signedIn();
    renderPage(english, '#/loans');
    fireEvent.click(await screen.findByRole('button', { name: en.loans.newLoan }));
    const form = screen.getByRole('form', { name: en.loans.newLoanHeading });
    // Inactive places are not offered.
    expect(within(form).queryByLabelText('Ancienne salle')).not.toBeInTheDocument();

    fireEvent.change(within(form).getByLabelText(label(en.loans.requesterEmail)), {
      target: { value: 'not-an-email' },
    });
    fireEvent.change(within(form).getByLabelText(label(en.loans.startField)), {
      target: { value: '2026-12-01T09:10' },
    });
    fireEvent.change(within(form).getByLabelText(label(en.loans.endField)), {
      target: { value: '2026-12-01T08:00' },
    });
    fireEvent.click(within(form).getByRole('button', { name: en.loans.create }));
    expect(await within(form).findByText(en.loans.errors.email)).toBeInTheDocument();
    expect(within(form).getByText(en.loans.errors.places)).toBeInTheDocument();
    expect(within(form).getByText(en.loans.errors.quarter)).toBeInTheDocument();

    fireEvent.change(within(form).getByLabelText(label(en.loans.startField)), {
      target: { value: '2026-12-01T09:15' },
    });
    fireEvent.click(within(form).getByRole('button', { name: en.loans.create }));
    expect(await within(form).findByText(en.loans.errors.order)).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    fireEvent.change(within(form).getByLabelText(label(en.loans.requesterEmail)), {
      target: { value: 'alice.martin@universite.test' },
    });
    fireEvent.click(within(form).getByLabelText('Salle Curie'));
    fireEvent.change(within(form).getByLabelText(label(en.loans.endField)), {
      target: { value: '2026-12-01T10:45' },
    });
    fireEvent.click(within(form).getByRole('button', { name: en.loans.create }));
    expect(await screen.findByText(en.loans.created(1050))).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      requester: { email: 'alice.martin@universite.test' },
      start: new Date(2026, 11, 1, 9, 15).toISOString(),
      end: new Date(2026, 11, 1, 10, 45).toISOString(),
      items: [{ kind: 'place', id: 'curie' }],
    });
    expect(await screen.findByRole('link', { name: en.loans.open(1050) })).toBeInTheDocument();
  });

  it('a loan the server refuses (conflict) shows its message in the form', async () => {
    fakeServer(
      ...common,
      on('GET', /^\/api\/hector\/loans\?/, () => [200, { items: [] }]),
      on('POST', '/api/hector/loans', () => [
        422,
        { error: { code: 'LOAN_CONFLICT', message: 'Salle Curie is already lent (loan 1042).' } },
      ]),
    );
    signedIn();
    renderPage(english, '#/loans');
    fireEvent.click(await screen.findByRole('button', { name: en.loans.newLoan }));
    const form = screen.getByRole('form', { name: en.loans.newLoanHeading });
    fireEvent.change(within(form).getByLabelText(label(en.loans.requesterEmail)), {
      target: { value: 'alice.martin@universite.test' },
    });
    fireEvent.click(within(form).getByLabelText('Salle Curie'));
    fireEvent.change(within(form).getByLabelText(label(en.loans.startField)), {
      target: { value: '2026-12-01T09:00' },
    });
    fireEvent.change(within(form).getByLabelText(label(en.loans.endField)), {
      target: { value: '2026-12-01T10:00' },
    });
    fireEvent.click(within(form).getByRole('button', { name: en.loans.create }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'Salle Curie is already lent (loan 1042).',
    );
  });

  it('#/loans/{id} opens one loan with its journal', async () => {
    fakeServer(
      ...common,
      on('GET', '/api/hector/loans/loan-1', () => [200, aLoan()]),
      on('GET', /^\/api\/admin\/journal\?loanId=loan-1/, () => [
        200,
        {
          items: [
            {
              id: '7',
              at: '2026-11-25T10:00:00.000Z',
              kind: 'created',
              message: 'Loan 1042 created from the event',
              iCalUId: 'ical-1',
              eventId: null,
              roomEmail: 'curie@universite.test',
              loanId: 'loan-1',
              details: null,
            },
          ],
        },
      ]),
    );
    signedIn();
    renderPage(english, '#/loans/loan-1');
    expect(await screen.findByRole('heading', { name: en.loans.detailHeading(1042) })).toBeInTheDocument();
    expect(screen.getByTestId('loan-detail')).toHaveTextContent(
      'Alice Martin <alice.martin@universite.test>',
    );
    expect(await screen.findByText('Loan 1042 created from the event')).toBeInTheDocument();
  });
});

describe('admin page: places and journal', () => {
  it('R1: inactive places stay listed, greyed and marked inactive', async () => {
    fakeServer(...common);
    signedIn();
    renderPage(english, '#/places');
    const table = await screen.findByTestId('places-table');
    const old = (await within(table).findByText('Ancienne salle')).closest('tr')!;
    expect(old).toHaveAttribute('data-active', 'false');
    expect(old).toHaveTextContent(en.places.inactive);
    expect(within(table).getByText('Salle Curie').closest('tr')).toHaveAttribute('data-active', 'true');
  });

  it('B4: the journal filters by loan id and refreshes itself when asked to', async () => {
    const entry = {
      id: '1',
      at: '2026-11-25T10:00:00.000Z',
      kind: 'ignored',
      message: 'Ignored: the room declined',
      iCalUId: 'ical-9',
      eventId: null,
      roomEmail: 'curie@universite.test',
      loanId: null,
      details: null,
    };
    const { calls } = fakeServer(
      ...common,
      on('GET', /^\/api\/admin\/journal/, () => [200, { items: [entry] }]),
    );
    signedIn();
    renderPage(english, '#/journal', 30);
    expect(await screen.findByText('Ignored: the room declined')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('journal-table')).getByText(en.journal.kinds.ignored),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(label(en.journal.loanId)), { target: { value: 'loan-7' } });
    fireEvent.click(screen.getByRole('button', { name: en.journal.filter }));
    await waitFor(() => expect(calls.some((c) => c.path.includes('loanId=loan-7'))).toBe(true));
    const before = calls.length;
    fireEvent.click(screen.getByRole('switch', { name: en.journal.autoRefresh }));
    await waitFor(() => expect(calls.length).toBeGreaterThan(before + 1));
    expect(calls.slice(before).every((c) => c.path.includes('loanId=loan-7'))).toBe(true);
    fireEvent.click(screen.getByRole('switch', { name: en.journal.autoRefresh }));
  });
});

describe('admin page: journal filters and the loan workflow (issue 15)', () => {
  const entry = (id: string, message: string) => ({
    id,
    at: '2026-11-25T10:00:00.000Z',
    kind: 'error',
    message,
    code: null,
    params: null,
    iCalUId: null,
    eventId: null,
    roomEmail: 'curie@universite.test',
    loanId: null,
    details: null,
  });

  it('B4: every filter goes to the API, in the page language, and older pages follow the cursor', async () => {
    const { calls } = fakeServer(
      ...common,
      on('GET', /^\/api\/admin\/journal\?.*cursor=c1/, () => [
        200,
        { items: [entry('1', 'Older entry')], nextCursor: null },
      ]),
      on('GET', /^\/api\/admin\/journal/, () => [
        200,
        { items: [entry('2', 'Newest entry')], nextCursor: 'c1' },
      ]),
    );
    signedIn();
    renderPage(french, '#/journal');
    expect(await screen.findByText('Newest entry')).toBeInTheDocument();
    const form = screen.getByRole('search', { name: fr.journal.filters });
    fireEvent.change(within(form).getByLabelText(label(fr.journal.kindFilter)), {
      target: { value: 'error' },
    });
    fireEvent.change(within(form).getByLabelText(label(fr.journal.roomFilter)), {
      target: { value: 'curie@universite.test' },
    });
    fireEvent.change(within(form).getByLabelText(label(fr.journal.from)), {
      target: { value: '2026-11-20' },
    });
    fireEvent.change(within(form).getByLabelText(label(fr.journal.to)), { target: { value: '2026-11-25' } });
    fireEvent.change(within(form).getByLabelText(label(fr.journal.loanNumber)), {
      target: { value: '1042' },
    });
    fireEvent.change(within(form).getByLabelText(label(fr.journal.text)), { target: { value: 'Calendars' } });
    fireEvent.click(within(form).getByRole('button', { name: fr.journal.filter }));
    await waitFor(() => expect(calls.some((c) => c.path.includes('q=Calendars'))).toBe(true));
    const query = new URLSearchParams(
      calls
        .filter((c) => c.path.includes('q=Calendars'))
        .pop()!
        .path.split('?')[1],
    );
    expect(query.get('kind')).toBe('error');
    expect(query.get('roomEmail')).toBe('curie@universite.test');
    expect(query.get('loanNumber')).toBe('1042');
    expect(query.get('lang')).toBe('fr');
    expect(Date.parse(query.get('from')!)).toBeLessThan(Date.parse(query.get('to')!));

    fireEvent.click(await screen.findByRole('button', { name: fr.journal.more }));
    expect(await screen.findByText('Older entry')).toBeInTheDocument();
    expect(screen.getByText('Newest entry')).toBeInTheDocument();
    expect(calls.some((c) => c.path.includes('cursor=c1') && c.path.includes('q=Calendars'))).toBe(true);
    expect(screen.queryByRole('button', { name: fr.journal.more })).not.toBeInTheDocument();
  });

  it('K1: the loan page offers only the allowed actions; edit sends dates and items with the version', async () => {
    const loan = aLoan({
      allowedActions: ['edit', 'check-out'],
      allowedItemActions: { curie: ['cancel'], pasteur: [] },
    });
    const { calls } = fakeServer(
      ...common,
      on('GET', '/api/hector/loans/loan-1', () => [200, loan]),
      on('GET', /^\/api\/admin\/journal/, () => [200, { items: [], nextCursor: null }]),
      on('GET', '/api/hector/assets', () => [
        200,
        { items: [{ id: 'beamer', name: 'Projecteur', storeId: 'store-1', active: true }] },
      ]),
      on('PATCH', '/api/hector/loans/loan-1', () => [200, { ...loan, version: 2 }]),
      on('POST', '/api/hector/loans/loan-1/items/curie/cancel', () => [200, loan]),
    );
    signedIn();
    renderPage(english, '#/loans/loan-1');
    expect(await screen.findByRole('heading', { name: en.loans.detailHeading(1042) })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: `${en.loans.checkOut} 1042` })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: `${en.loans.cancel} 1042` })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: `${en.loans.returnLoan} 1042` })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: en.loans.cancelItem('Salle Curie') })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: en.loans.cancelItem('Amphi Pasteur') }),
    ).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: en.loans.cancelItem('Salle Curie') }));
    fireEvent.click(await screen.findByRole('button', { name: en.common.yes }));
    await waitFor(() =>
      expect(calls.some((c) => c.method === 'POST' && c.path.endsWith('/items/curie/cancel'))).toBe(true),
    );

    fireEvent.click(await screen.findByRole('button', { name: en.loans.editHeading(1042) }));
    const form = await screen.findByRole('form', { name: en.loans.editHeading(1042) });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Projecteur' }));
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Amphi Pasteur' }));
    fireEvent.click(within(form).getByRole('button', { name: en.loans.save }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const patch = calls.find((c) => c.method === 'PATCH')!.body as Record<string, unknown>;
    expect(patch).toEqual({
      items: [
        { kind: 'place', id: 'curie' },
        { kind: 'place', id: 'pasteur' },
        { kind: 'asset', id: 'beamer' },
      ],
      version: 1,
    });
  });
});

describe('admin i18n', () => {
  function keys(value: unknown, prefix = ''): string[] {
    if (typeof value !== 'object' || value === null) return [prefix];
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }
  it('French and English have the same keys; navigator.language "fr…" picks French', () => {
    expect(keys(fr).sort()).toEqual(keys(en).sort());
    expect(localize('fr-CA').strings).toBe(fr);
    expect(localize('de-DE').strings).toBe(en);
  });
});
