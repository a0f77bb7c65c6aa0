import '@testing-library/jest-dom';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminApp, TOKEN_KEY } from '../../admin/components/AdminApp';
import { localize, type Localization } from '../../admin/i18n';
import type { AdminStatus, DeadLetter, ReconcileRun, RoomDrift } from '../../contract/admin';

/**
 * B6 in the admin page (issue 15): the Status tab shows each room's subscription, the queue, the
 * lag and the warnings; a dead letter is retried with its button; Re-sync shows its progress until
 * the run ends. fetch is faked at the boundary; the fake's run moves one room per poll.
 */
const english = localize('en-GB');
const french = localize('fr-FR');
const NOW = Date.now();
const iso = (plusMs: number) => new Date(NOW + plusMs).toISOString();

const aStatus = (): AdminStatus => ({
  rooms: [
    {
      email: 'salle-a101@universite.test',
      name: 'Salle A-101',
      active: true,
      subscription: { id: 'sub-1', state: 'active', expiresAt: iso(3 * 86_400_000) },
      lastNotificationAt: iso(-60_000),
      lastReconcileAt: iso(-3_600_000),
      errors: 0,
    },
    {
      email: 'salle-b001@universite.test',
      name: 'Amphi B-001',
      active: true,
      subscription: { id: null, state: 'missing', expiresAt: null },
      lastNotificationAt: null,
      lastReconcileAt: null,
      errors: 2,
    },
  ],
  queue: { depth: 3, deadLetters: 1, byQueue: {} },
  lag: { inbound: { p50Ms: 1200, p95Ms: 4500, count: 12 }, outbound: { p50Ms: null, p95Ms: null, count: 0 } },
  credentials: {
    secretExpiresAt: iso(10 * 86_400_000),
    warning: 'The client secret expires soon',
    source: 'settings',
  },
  checkedAt: iso(0),
});

const aDeadLetter: DeadLetter = {
  id: '0b5d3f1e-1111-4222-8333-444455556666',
  queue: 'inbound-room-event',
  job: { roomEmail: 'salle-a101@universite.test', eventId: 'AAMk1' },
  lastError: 'The service is temporarily unavailable.',
  attempts: 2,
  at: iso(-600_000),
};

const drift: RoomDrift[] = [
  {
    roomEmail: 'salle-a101@universite.test',
    meetingsWithoutLoan: [
      {
        iCalUId: 'ical-1',
        eventId: 'AAMk-room-copy-1',
        subject: 'Conseil de faculté',
        start: iso(86_400_000),
        reason: 'Hector cannot read the meeting: the service is temporarily unavailable.',
      },
    ],
    loansWithoutMeeting: [{ loanId: 'loan-7', number: 1007, reason: "No meeting in the room's calendar." }],
  },
  { roomEmail: 'salle-b001@universite.test', meetingsWithoutLoan: [], loansWithoutMeeting: [] },
];

function fakeServer(options: { latest?: ReconcileRun } = {}) {
  const calls: Array<{ method: string; path: string }> = [];
  let deadLetters = [aDeadLetter];
  const fixes: unknown[] = [];
  let polls = 0;
  const run = (): ReconcileRun => {
    const done = Math.min(polls, 2);
    return {
      id: 'run-1',
      state: done === 2 ? 'finished' : 'running',
      roomsDone: done,
      roomsTotal: 2,
      itemsQueued: done * 3,
      startedAt: iso(0),
      finishedAt: done === 2 ? iso(1000) : null,
      errors: [],
      ...(options.latest?.reason ? { reason: options.latest.reason } : {}),
      ...(done === 2 ? { drift } : {}),
    };
  };
  const answer = (method: string, path: string, body?: unknown): [number, unknown] => {
    if (method === 'GET' && path === '/api/admin/status')
      return [200, { ...aStatus(), latestReconcileRun: options.latest ?? null }];
    if (method === 'GET' && path === '/api/admin/dead-letters') return [200, { deadLetters }];
    if (method === 'POST' && path === `/api/admin/dead-letters/${aDeadLetter.id}/retry`) {
      deadLetters = [];
      return [200, { id: 'new-job', queue: aDeadLetter.queue }];
    }
    if (method === 'POST' && path === '/api/admin/reconcile') return [202, { id: 'run-1' }];
    if (method === 'POST' && path === '/api/admin/reconcile/run-1/fix') {
      fixes.push(body);
      return [202, { ...(body as object), queue: 'q' }];
    }
    if (method === 'GET' && path === '/api/admin/reconcile/run-1') {
      polls++;
      return [200, run()];
    }
    return [404, { error: { code: 'NOT_FOUND', message: `No route ${path}` } }];
  };
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://admin.test');
    const method = init.method ?? 'GET';
    calls.push({ method, path: url.pathname });
    const [status, body] = answer(
      method,
      url.pathname,
      init.body ? JSON.parse(String(init.body)) : undefined,
    );
    return { ok: status >= 200 && status < 300, status, json: async () => body } as Response;
  }) as unknown as typeof globalThis.fetch;
  return { calls, fixes };
}

function renderStatus(l10n: Localization = english) {
  sessionStorage.setItem(TOKEN_KEY, 'the-admin-token');
  window.location.hash = '#/status';
  return render(
    <FluentProvider theme={webLightTheme}>
      <AdminApp l10n={l10n} />
    </FluentProvider>,
  );
}

beforeEach(() => {
  sessionStorage.clear();
  window.location.hash = '';
});

describe('admin page: the Status tab (B6, issue 15)', () => {
  it('B6: rooms with their subscription state and expiry, the queue, the lag and the warnings', async () => {
    fakeServer();
    renderStatus();
    const t = english.strings.status;
    const rooms = await screen.findByRole('table', { name: t.roomsHeading });
    const missing = within(rooms).getByText('Amphi B-001').closest('tr')!;
    expect(missing).toHaveAttribute('data-state', 'missing');
    expect(within(missing as HTMLElement).getByText('no subscription')).toBeInTheDocument();
    expect(within(screen.getByTestId('status-queue')).getByText('3')).toBeInTheDocument();
    expect(screen.getByTestId('status-lag')).toHaveTextContent(
      'median 1.2 s, 95th percentile 4.5 s (12 changes)',
    );
    expect(screen.getByTestId('status-lag')).toHaveTextContent(t.noLag);
    const warnings = screen.getByTestId('status-warnings');
    expect(warnings).toHaveTextContent(/The client secret expires on .* \(in (9|10) days\)/);
    expect(warnings).toHaveTextContent('Amphi B-001: no subscription.');
    expect(warnings).toHaveTextContent('Amphi B-001: 2 errors in the last 24 hours');
  });

  it('B6: a dead letter is retried with its labelled button, and leaves the list', async () => {
    const { calls } = fakeServer();
    renderStatus();
    const t = english.strings.status;
    const table = await screen.findByRole('table', { name: t.deadHeading });
    expect(within(table).getByText('The service is temporarily unavailable.')).toBeInTheDocument();
    fireEvent.click(within(table).getByRole('button', { name: /^Retry the job of inbound-room-event/ }));
    expect(await screen.findByText(t.retried)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText(t.noDeadLetters)).toBeInTheDocument());
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      `/api/admin/dead-letters/${aDeadLetter.id}/retry`,
    ]);
  });

  it('B1: Re-sync shows a labelled progress bar until the run is finished', async () => {
    fakeServer();
    const { container } = renderStatus();
    const t = english.strings.status;
    fireEvent.click(await screen.findByRole('button', { name: t.resync }));
    const bar = await screen.findByRole('progressbar', { name: t.progressLabel });
    expect(bar).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText(t.states.finished)).toBeInTheDocument(), { timeout: 10_000 });
    expect(container).toHaveTextContent(t.progress(2, 2, 6));
    expect(screen.getByRole('button', { name: t.resync })).toBeEnabled();
  }, 15_000);

  it('B2: after the re-sync, the drift per room with its reasons; Fix queues each item again', async () => {
    const { fixes } = fakeServer();
    renderStatus();
    const t = english.strings.status;
    fireEvent.click(await screen.findByRole('button', { name: t.resync }));
    const report = await screen.findByTestId('drift-report', {}, { timeout: 10_000 });
    const room = within(report).getByRole('region', { name: 'Salle A-101' });
    expect(room).toHaveTextContent(t.driftRoom('Salle A-101', 1, 1));
    const meetings = within(room).getByRole('table', { name: `${t.meetingsWithoutLoan} — Salle A-101` });
    expect(meetings).toHaveTextContent('Conseil de faculté');
    expect(meetings).toHaveTextContent('the service is temporarily unavailable');
    const loans = within(room).getByRole('table', { name: `${t.loansWithoutMeeting} — Salle A-101` });
    expect(loans).toHaveTextContent("1007No meeting in the room's calendar.");
    // A room without drift is not listed.
    expect(within(report).queryByRole('region', { name: 'Amphi B-001' })).not.toBeInTheDocument();
    fireEvent.click(within(meetings).getByRole('button', { name: t.fixMeetingLabel('Conseil de faculté') }));
    expect(await within(meetings).findByText(t.fixQueued)).toBeInTheDocument();
    fireEvent.click(within(loans).getByRole('button', { name: t.fixLoanLabel(1007) }));
    expect(await within(loans).findByText(t.fixQueued)).toBeInTheDocument();
    expect(fixes).toEqual([
      { kind: 'meeting', id: 'AAMk-room-copy-1' },
      { kind: 'loan', id: 'loan-7' },
    ]);
  }, 15_000);

  it('B1: the backfill already running when the tab opens is followed to finished, named as such', async () => {
    const { calls } = fakeServer({
      latest: {
        id: 'run-1',
        state: 'running',
        reason: 'activation',
        roomsDone: 0,
        roomsTotal: 2,
        itemsQueued: 0,
        startedAt: iso(0),
        finishedAt: null,
        errors: [],
      },
    });
    renderStatus();
    const t = english.strings.status;
    expect(await screen.findByText(t.backfill)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: t.progressLabel })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText(t.states.finished)).toBeInTheDocument(), { timeout: 10_000 });
    expect(await screen.findByTestId('drift-report')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/admin/reconcile')).toBe(false);
  }, 15_000);

  it('B6: in French', async () => {
    fakeServer();
    renderStatus(french);
    const t = french.strings.status;
    expect(await screen.findByRole('table', { name: t.roomsHeading })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: t.resync })).toBeInTheDocument();
    expect(screen.getByTestId('status-warnings')).toHaveTextContent('Amphi B-001 : aucun abonnement.');
  });
});
