import '@testing-library/jest-dom';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createAdminApi } from '../../admin/api';
import { RoomRemovalReview } from '../../admin/components/RoomRemovalReview';
import { localize } from '../../admin/i18n';
import type { RoomRemovalReview as Review } from '../../contract/admin';

/**
 * R1 guard in the admin page: an import that deactivated nothing because Places answered with
 * too few rooms asks the admin, who confirms or dismisses. fetch is faked at the boundary; the
 * admin API client between the component and fetch is the real one.
 */
const english = localize('en-GB');
const french = localize('fr-FR');
const rooms = Array.from({ length: 12 }, (_, i) => `salle-p${i}@universite.test`);
const review: Review = {
  id: 7,
  detectedAt: '2026-11-25T09:00:00.000Z',
  source: 'places',
  seen: 0,
  activeBefore: 12,
  rooms,
  status: 'pending',
  decidedAt: null,
  message: 'Room import held back…',
};

function fakeServer(waiting: Review | null) {
  const calls: Array<{ method: string; path: string }> = [];
  const fetch = jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const path = new URL(String(input), 'http://admin.test').pathname;
    const method = init.method ?? 'GET';
    calls.push({ method, path });
    const base = '/api/admin/integration/rooms/pending-removal';
    let body: unknown = { error: { code: 'NOT_FOUND', message: 'no route' } };
    let status = 404;
    if (method === 'GET' && path === base) [status, body] = [200, { review: waiting }];
    const decided = new RegExp(`^${base}/7/(confirm|dismiss)$`).exec(path);
    if (method === 'POST' && decided) {
      const confirmed = decided[1] === 'confirm';
      waiting = null;
      [status, body] = [
        200,
        {
          review: { ...review, status: confirmed ? 'confirmed' : 'dismissed' },
          deactivated: confirmed ? rooms : [],
        },
      ];
    }
    return { ok: status < 300, status, json: async () => body } as Response;
  });
  return { calls, api: createAdminApi({ token: 't', fetch: fetch as unknown as typeof globalThis.fetch }) };
}

const renderReview = (server: ReturnType<typeof fakeServer>, l10n = english) =>
  render(
    <FluentProvider theme={webLightTheme}>
      <RoomRemovalReview api={server.api} l10n={l10n} />
    </FluentProvider>,
  );

describe('admin page: a room removal held back by the import (R1)', () => {
  it('R1: shows the warning with the two-day lag, the rooms and both choices; confirm deactivates', async () => {
    const server = fakeServer(review);
    renderReview(server);
    expect(await screen.findByText(english.strings.roomRemoval.heading)).toBeInTheDocument();
    expect(screen.getByText(/up to two days/)).toBeInTheDocument();
    expect(screen.getByText(/only|no room/)).toHaveTextContent('received no room where 12 are synchronised');
    expect(screen.getByText(/salle-p0@universite.test/)).toHaveTextContent('and 2 more');
    fireEvent.click(screen.getByRole('button', { name: 'Deactivate the 12 rooms' }));
    expect(await screen.findByText('12 rooms deactivated. Their loans are kept.')).toBeInTheDocument();
    expect(server.calls).toContainEqual({
      method: 'POST',
      path: '/api/admin/integration/rooms/pending-removal/7/confirm',
    });
  });

  it('R1: dismiss keeps the rooms (French)', async () => {
    const server = fakeServer(review);
    renderReview(server, french);
    expect(await screen.findByText(/deux jours de retard/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Les garder' }));
    expect(await screen.findByText('Les salles restent synchronisées.')).toBeInTheDocument();
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toContain(
      'POST /api/admin/integration/rooms/pending-removal/7/dismiss',
    );
  });

  it('R1: nothing shows when no removal waits', async () => {
    const server = fakeServer(null);
    const { container } = renderReview(server);
    await waitFor(() => expect(server.calls).toHaveLength(1));
    expect(container).not.toHaveTextContent(english.strings.roomRemoval.heading);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
