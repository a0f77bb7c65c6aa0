import '@testing-library/jest-dom';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { AddinAssetsResponse, AvailabilityResponse } from '../../contract/addin';
import type { ActionResult, ActionsClient } from '../../addin/actionsApi';
import { AssetsPanel } from '../../addin/components/AssetsPanel';
import { AvailabilityPanel } from '../../addin/components/AvailabilityPanel';
import { CheckInButton } from '../../addin/components/CheckInButton';
import type { ComposeHost } from '../../addin/host';
import { aLoan, english, french, languages, renderInFluent } from './fixtures';

// Issue 17: the pane's actions, rendered without Office and without a server (plain data in).

const ok = <T,>(value: T): ActionResult<T> => ({ ok: true, value });

const catalogue = (canChange: boolean, onLoan = false): AddinAssetsResponse => ({
  canChange,
  items: [
    { id: 'a-1', name: 'Vidéoprojecteur', category: 'Vidéo', available: true, onLoan },
    {
      id: 'a-2',
      name: 'Micro sans fil',
      category: 'Audio',
      available: false,
      reason: 'Micro sans fil est déjà prise par le prêt #1043',
      onLoan: false,
    },
  ],
});

function fakeAssets(first: AddinAssetsResponse, after?: AddinAssetsResponse) {
  let current = first;
  const calls: string[] = [];
  const actions: Pick<ActionsClient, 'assets' | 'addAsset' | 'removeAsset'> = {
    assets: async () => ok(current),
    addAsset: async (_itemId, assetId) => {
      calls.push(`add ${assetId}`);
      if (after) current = after;
      return ok({ loans: [aLoan()] });
    },
    removeAsset: async (_itemId, assetId) => {
      calls.push(`remove ${assetId}`);
      return ok(null);
    },
  };
  return { actions, calls };
}

describe('B7: the assets panel', () => {
  describe.each(languages)('in %s', (_language, l10n) => {
    it('B7 V4: lists the assets with category and availability; a taken one says why and has no button', async () => {
      const { actions } = fakeAssets(catalogue(true));
      renderInFluent(<AssetsPanel itemId="item-1" actions={actions} l10n={l10n} />);
      const rows = await screen.findAllByTestId('asset-row');
      expect(rows).toHaveLength(2);
      expect(within(rows[0]).getByText('Vidéo')).toBeInTheDocument();
      expect(within(rows[0]).getByText(l10n.strings.assets.available)).toBeInTheDocument();
      expect(within(rows[1]).getByText(/prêt #1043/)).toBeInTheDocument();
      expect(within(rows[1]).getByText(l10n.strings.assets.unavailable)).toBeInTheDocument();
      expect(within(rows[1]).queryByRole('button')).toBeNull();
      expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent(l10n.strings.assets.heading);
    });

    it('B7: the organizer adds an asset with a keyboard-reachable button; the panel says so', async () => {
      const { actions, calls } = fakeAssets(catalogue(true), catalogue(true, true));
      const changed = jest.fn();
      renderInFluent(<AssetsPanel itemId="item-1" actions={actions} l10n={l10n} onChanged={changed} />);
      const add = await screen.findByRole('button', { name: l10n.strings.assets.add('Vidéoprojecteur') });
      add.focus();
      expect(add).toHaveFocus();
      fireEvent.click(add);
      await screen.findByText(l10n.strings.assets.added('Vidéoprojecteur'));
      expect(calls).toEqual(['add a-1']);
      expect(changed).toHaveBeenCalled();
      // Now on the loan: the same row offers to remove it.
      expect(
        await screen.findByRole('button', { name: l10n.strings.assets.remove('Vidéoprojecteur') }),
      ).toBeInTheDocument();
    });

    it('B7: attendees see the list read-only', async () => {
      const { actions } = fakeAssets(catalogue(false));
      renderInFluent(<AssetsPanel itemId="item-1" actions={actions} l10n={l10n} />);
      await screen.findAllByTestId('asset-row');
      expect(screen.getByText(l10n.strings.assets.readOnly)).toBeInTheDocument();
      expect(screen.queryByRole('button')).toBeNull();
    });
  });

  it('B7: the search filters by name or category', async () => {
    const { actions } = fakeAssets(catalogue(true));
    renderInFluent(<AssetsPanel itemId="item-1" actions={actions} l10n={french} />);
    await screen.findAllByTestId('asset-row');
    fireEvent.change(screen.getByRole('searchbox', { name: french.strings.assets.search }), {
      target: { value: 'audio' },
    });
    expect(screen.getAllByTestId('asset-row')).toHaveLength(1);
    expect(screen.getByText('Micro sans fil')).toBeInTheDocument();
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'zzz' } });
    expect(screen.getByText(french.strings.assets.none)).toBeInTheDocument();
  });

  it('B7 V4: a refused change shows Hector’s message', async () => {
    const actions: Pick<ActionsClient, 'assets' | 'addAsset' | 'removeAsset'> = {
      assets: async () => ok(catalogue(true)),
      addAsset: async () => ({
        ok: false,
        status: 409,
        code: 'LOAN_CONFLICT',
        message: 'lent by loan #1043',
      }),
      removeAsset: async () => ok(null),
    };
    renderInFluent(<AssetsPanel itemId="item-1" actions={actions} l10n={english} />);
    fireEvent.click(
      await screen.findByRole('button', { name: english.strings.assets.add('Vidéoprojecteur') }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      `${english.strings.assets.failed} lent by loan #1043`,
    );
  });
});

describe('B9: the check-in button', () => {
  it.each(languages)('B9: inside the window it checks in (%s)', async (_language, l10n) => {
    const checkIn = jest.fn(async () => ok({ loan: aLoan({ status: 'out' }) }));
    const done = jest.fn();
    renderInFluent(<CheckInButton itemId="item-1" actions={{ checkIn }} l10n={l10n} onCheckedIn={done} />);
    fireEvent.click(screen.getByRole('button', { name: l10n.strings.checkIn.button }));
    expect(await screen.findByText(l10n.strings.checkIn.done)).toBeInTheDocument();
    expect(checkIn).toHaveBeenCalledWith('item-1');
    expect(done).toHaveBeenCalledWith(expect.objectContaining({ status: 'out' }));
    expect(screen.getByRole('button', { name: l10n.strings.checkIn.already })).toBeDisabled();
  });

  it('B9: outside the window it shows the window Hector names', async () => {
    const checkIn = async () =>
      ({
        ok: false,
        status: 409,
        code: 'CHECK_IN_CLOSED',
        message: 'Check-in is open from 13:50 to 14:10 (Europe/Paris).',
      }) as const;
    renderInFluent(<CheckInButton itemId="item-1" actions={{ checkIn }} l10n={english} />);
    fireEvent.click(screen.getByRole('button', { name: english.strings.checkIn.button }));
    expect(await screen.findByRole('status')).toHaveTextContent('from 13:50 to 14:10');
    expect(screen.getByRole('button', { name: english.strings.checkIn.button })).toBeEnabled();
  });
});

describe('B8: availability while composing', () => {
  const answer: AvailabilityResponse = {
    rooms: [
      {
        email: 'salle-a101@universite.test',
        available: false,
        reasons: ['Salle A-101 est déjà prise par le prêt #1044'],
      },
    ],
    alternatives: [
      { email: 'salle-a102@universite.test', name: 'Salle A-102', building: 'Bâtiment A', capacity: 30 },
    ],
  };
  const host = (rooms: string[]): ComposeHost & { added: string[] } => {
    const added: string[] = [];
    return {
      added,
      meeting: async () => ({ start: '2026-12-03T09:00:00.000Z', end: '2026-12-03T10:00:00.000Z', rooms }),
      addRoom: async (email) => {
        added.push(email);
        return true;
      },
    };
  };

  it.each(languages)('B8: says why a room is not available and adds a free one (%s)', async (_l, l10n) => {
    const compose = host(['salle-a101@universite.test']);
    const availability = jest.fn(async () => ok(answer));
    renderInFluent(<AvailabilityPanel compose={compose} actions={{ availability }} l10n={l10n} />);
    const room = await screen.findByTestId('room-availability');
    expect(within(room).getByText(/prêt #1044/)).toBeInTheDocument();
    expect(within(room).getByText(l10n.strings.availability.unavailable)).toBeInTheDocument();
    expect(availability).toHaveBeenCalledWith({
      start: '2026-12-03T09:00:00.000Z',
      end: '2026-12-03T10:00:00.000Z',
      rooms: ['salle-a101@universite.test'],
    });
    const alternative = screen.getByTestId('room-alternative');
    expect(alternative).toHaveTextContent(`Bâtiment A · ${l10n.strings.availability.capacity(30)}`);
    fireEvent.click(
      within(alternative).getByRole('button', { name: l10n.strings.availability.choose('Salle A-102') }),
    );
    await screen.findByText(l10n.strings.availability.addedRoom('Salle A-102'));
    expect(compose.added).toEqual(['salle-a102@universite.test']);
  });

  it('B8: without a room it asks for one and does not call Hector', async () => {
    const availability = jest.fn(async () => ok(answer));
    renderInFluent(<AvailabilityPanel compose={host([])} actions={{ availability }} l10n={english} />);
    expect(await screen.findByText(english.strings.availability.noRooms)).toBeInTheDocument();
    await waitFor(() => expect(availability).not.toHaveBeenCalled());
  });
});
