import '@testing-library/jest-dom';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminApp, TOKEN_KEY } from '../../admin/components/AdminApp';
import { en } from '../../admin/i18n/en';
import { fr } from '../../admin/i18n/fr';
import { localize, type Localization } from '../../admin/i18n';
import type { Asset, Place, Store } from '../../contract/hector';

/**
 * R2/K1/K2 in the admin page: a place's booking options and its store's settings, edited by hand
 * and saved through /api/hector. fetch is faked at the boundary; the fake keeps what was PATCHed,
 * so the page's reload shows what the server would.
 */
const TOKEN = 'the-admin-token';
const english = localize('en-GB');
const french = localize('fr-FR');

interface Call {
  method: string;
  path: string;
  body?: unknown;
}

const aPlace = (id: string, name: string, overrides: Partial<Place> = {}): Place => ({
  id,
  name,
  email: `${id}@universite.test`,
  address: null,
  building: 'Bâtiment A',
  capacity: 20,
  storeId: 'store-1',
  active: true,
  synced: true,
  externalKey: `${id}@universite.test`,
  schedule: null,
  maxDurationMinutes: null,
  autoCheckOut: null,
  autoClose: null,
  checkInBeforeMinutes: null,
  checkInAfterMinutes: null,
  ...overrides,
});

const aStore = (overrides: Partial<Store> = {}): Store => ({
  id: 'store-1',
  name: 'Campus',
  timeZone: 'Europe/Paris',
  isDefault: true,
  schedule: { mon: [{ from: '08:00', to: '20:00' }] },
  bookingWindowDays: 90,
  maxDurationMinutes: 240,
  autoReleaseMinutes: null,
  checkInBeforeMinutes: 10,
  checkInAfterMinutes: 10,
  autoCheckOut: true,
  autoClose: false,
  ...overrides,
});

/** A fake /api/hector holding places and stores; `refuse` answers a PATCH instead of applying it. */
function fakeHector(options: { refuse?: [number, unknown] } = {}) {
  const calls: Call[] = [];
  const places = new Map([
    ['curie', aPlace('curie', 'Salle Curie')],
    ['pasteur', aPlace('pasteur', 'Amphi Pasteur', { maxDurationMinutes: 60 })],
  ]);
  const stores = new Map([['store-1', aStore()]]);
  const assets = new Map<string, Asset>([
    ['asset-1', { id: 'asset-1', name: 'Vidéoprojecteur', category: null, storeId: 'store-1', active: true }],
  ]);
  const answer = (call: Call): [number, unknown] => {
    const patch = /^\/api\/hector\/(places|stores|assets)\/([^/]+)$/.exec(call.path);
    if (call.method === 'GET' && call.path === '/api/hector/assets')
      return [200, { items: [...assets.values()] }];
    if (call.method === 'POST' && call.path === '/api/hector/assets') {
      const created = {
        id: `asset-${assets.size + 1}`,
        storeId: 'store-1',
        active: true,
        ...(call.body as object),
      };
      assets.set(created.id, created as Asset);
      return [201, created];
    }
    if (call.method === 'GET' && call.path === '/api/hector/places')
      return [200, { items: [...places.values()] }];
    if (call.method === 'GET' && call.path === '/api/hector/stores')
      return [200, { items: [...stores.values()] }];
    if (call.method === 'PATCH' && patch) {
      if (options.refuse) return options.refuse;
      const table = ({ places, stores, assets } as const)[patch[1] as 'places' | 'stores' | 'assets'] as Map<
        string,
        Place | Store | Asset
      >;
      const current = table.get(decodeURIComponent(patch[2]));
      if (!current) return [404, { error: { code: 'NOT_FOUND', message: 'No such thing.' } }];
      const updated = { ...current, ...(call.body as object) };
      table.set(current.id, updated);
      return [200, updated];
    }
    return [404, { error: { code: 'NOT_FOUND', message: `No route ${call.path}` } }];
  };
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://admin.test');
    const call: Call = {
      method: init.method ?? 'GET',
      path: url.pathname + url.search,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const [status, body] = answer(call);
    return { ok: status >= 200 && status < 300, status, json: async () => body } as Response;
  }) as unknown as typeof globalThis.fetch;
  return { calls, places, stores, assets };
}

function renderPlaces(l10n: Localization = english) {
  sessionStorage.setItem(TOKEN_KEY, TOKEN);
  window.location.hash = '#/places';
  return render(
    <FluentProvider theme={webLightTheme}>
      <AdminApp l10n={l10n} />
    </FluentProvider>,
  );
}

const patches = (calls: Call[]) => calls.filter((c) => c.method === 'PATCH');

async function openPlaceForm(l10n: Localization, name: string) {
  const b = l10n.strings.booking;
  fireEvent.click(await screen.findByRole('button', { name: b.editOf(name) }));
  return screen.findByRole('form', { name: b.formTitle(name) });
}

beforeEach(() => {
  sessionStorage.clear();
  window.location.hash = '';
});

describe('admin page: booking options of places and stores (R2, K1, K2)', () => {
  it('R2: the Places tab says why booking options are set here, in the admin’s language', async () => {
    fakeHector();
    renderPlaces(french);
    expect(await screen.findByText(new RegExp(fr.booking.hint.slice(0, 40)))).toBeInTheDocument();
    const row = (await screen.findByText('Amphi Pasteur')).closest('tr')!;
    expect(row).toHaveTextContent(`${fr.booking.maxDuration}: 60 min`);
    const curie = screen.getByText('Salle Curie').closest('tr')!;
    expect(curie).toHaveTextContent(`${fr.booking.maxDuration}: ${fr.booking.storeValue('240 min')}`);
  });

  it('K2: editing a place’s maximum duration sends only that option and shows the new value', async () => {
    const { calls } = fakeHector();
    renderPlaces();
    const b = en.booking;
    const form = await openPlaceForm(english, 'Salle Curie');
    const duration = within(form).getByLabelText(b.maxDuration);
    expect(duration).toHaveValue('');
    expect(within(form).getByText(b.maxDurationPlaceHint('240 min'))).toBeInTheDocument();
    fireEvent.change(duration, { target: { value: '90' } });
    fireEvent.click(within(form).getByRole('button', { name: b.save }));

    expect(await screen.findByText(b.saved('Salle Curie'))).toBeInTheDocument();
    expect(patches(calls)).toEqual([
      { method: 'PATCH', path: '/api/hector/places/curie', body: { maxDurationMinutes: 90 } },
    ]);
    expect(screen.queryByRole('form', { name: b.formTitle('Salle Curie') })).not.toBeInTheDocument();
    const row = screen.getByText('Salle Curie').closest('tr')!;
    await waitFor(() => expect(row).toHaveTextContent(`${b.maxDuration}: 90 min`));
  });

  it('K2/K1: a schedule of its own and automatic check-out off; emptying the duration uses the store’s', async () => {
    const { calls } = fakeHector();
    renderPlaces();
    const b = en.booking;
    const form = await openPlaceForm(english, 'Amphi Pasteur');
    fireEvent.click(within(form).getByRole('radio', { name: b.ownSchedule }));
    fireEvent.click(within(form).getByRole('checkbox', { name: b.days.mon }));
    fireEvent.change(within(form).getByLabelText(b.opens(b.days.mon)), { target: { value: '9:00' } });
    fireEvent.change(within(form).getByLabelText(b.closes(b.days.mon)), { target: { value: '08:00' } });
    fireEvent.change(within(form).getByLabelText(b.maxDuration), { target: { value: '' } });
    const checkOut = within(form).getByRole('radiogroup', { name: b.autoCheckOut });
    fireEvent.click(within(checkOut).getByRole('radio', { name: b.off }));
    fireEvent.click(within(form).getByRole('button', { name: b.save }));

    // The close before the open is refused in the form, before any request.
    expect(await within(form).findByText(b.errors.order)).toBeInTheDocument();
    expect(patches(calls)).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText(b.closes(b.days.mon)), { target: { value: '12:00' } });
    fireEvent.click(within(form).getByRole('button', { name: b.save }));
    await screen.findByText(b.saved('Amphi Pasteur'));
    expect(patches(calls)[0].body).toEqual({
      schedule: {
        mon: [{ from: '09:00', to: '12:00' }],
        tue: [],
        wed: [],
        thu: [],
        fri: [],
        sat: [],
        sun: [],
      },
      maxDurationMinutes: null,
      autoCheckOut: false,
    });
  });

  it('a 422 from the server is shown in its words and the form stays open', async () => {
    const message = 'The maximum duration of Salle Curie cannot exceed the store’s booking rules.';
    const { calls } = fakeHector({ refuse: [422, { error: { code: 'RULE_BROKEN', message } }] });
    renderPlaces();
    const form = await openPlaceForm(english, 'Salle Curie');
    fireEvent.change(within(form).getByLabelText(en.booking.maxDuration), { target: { value: '600' } });
    fireEvent.click(within(form).getByRole('button', { name: en.booking.save }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(message);
    expect(patches(calls)).toHaveLength(1);
    expect(screen.getByRole('form', { name: en.booking.formTitle('Salle Curie') })).toBeInTheDocument();
  });

  it('a 400 names the field the server refused', async () => {
    fakeHector({
      refuse: [
        400,
        {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Invalid request body: timeZone: is not a known IANA time zone',
            details: { issues: [{ path: 'timeZone', message: 'is not a known IANA time zone' }] },
          },
        },
      ],
    });
    renderPlaces();
    const b = en.booking;
    fireEvent.click(await screen.findByRole('button', { name: b.editStoreOf('Campus') }));
    const form = await screen.findByRole('form', { name: b.storeFormTitle('Campus') });
    fireEvent.change(within(form).getByLabelText(new RegExp(`^${b.timeZone}`)), {
      target: { value: 'Europe/Atlantis' },
    });
    fireEvent.click(within(form).getByRole('button', { name: b.save }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'timeZone: is not a known IANA time zone',
    );
  });

  it('K2: the store’s booking window is saved and shown; a non-number is refused in the form', async () => {
    const { calls } = fakeHector();
    renderPlaces();
    const b = en.booking;
    const table = await screen.findByTestId('stores-table');
    expect(await within(table).findByText(b.dayCount(90))).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: b.editStoreOf('Campus') }));
    const form = await screen.findByRole('form', { name: b.storeFormTitle('Campus') });
    const window = within(form).getByLabelText(b.bookingWindow);
    expect(window).toHaveValue('90');
    fireEvent.change(window, { target: { value: 'soon' } });
    fireEvent.click(within(form).getByRole('button', { name: b.save }));
    expect(await within(form).findByText(b.errors.days)).toBeInTheDocument();
    expect(patches(calls)).toHaveLength(0);

    fireEvent.change(window, { target: { value: '30' } });
    fireEvent.click(within(form).getByRole('switch', { name: b.autoClose }));
    fireEvent.click(within(form).getByRole('button', { name: b.save }));
    expect(await screen.findByText(b.storeSaved('Campus'))).toBeInTheDocument();
    expect(patches(calls)).toEqual([
      {
        method: 'PATCH',
        path: '/api/hector/stores/store-1',
        body: { bookingWindowDays: 30, autoClose: true },
      },
    ]);
    await waitFor(() => expect(within(table).getByText(b.dayCount(30))).toBeInTheDocument());
  });

  it.each([
    ['English', english],
    ['French', french],
  ] as const)(
    'B9: the store’s auto-release and check-in window are set in the form (%s)',
    async (_l, l10n) => {
      const { calls } = fakeHector();
      renderPlaces(l10n);
      const b = l10n.strings.booking;
      fireEvent.click(await screen.findByRole('button', { name: b.editStoreOf('Campus') }));
      const form = await screen.findByRole('form', { name: b.storeFormTitle('Campus') });
      const release = within(form).getByLabelText(new RegExp(`^${b.autoRelease.replace(/[()]/g, '\\$&')}`));
      expect(release).toHaveValue(''); // off by default
      expect(within(form).getByLabelText(b.checkInBefore)).toHaveValue('10');
      fireEvent.change(release, { target: { value: 'ten' } });
      fireEvent.click(within(form).getByRole('button', { name: b.save }));
      expect(await within(form).findByText(b.errors.number)).toBeInTheDocument();
      expect(patches(calls)).toHaveLength(0);

      fireEvent.change(release, { target: { value: '10' } });
      fireEvent.change(within(form).getByLabelText(b.checkInAfter), { target: { value: '15' } });
      fireEvent.click(within(form).getByRole('button', { name: b.save }));
      await screen.findByText(b.storeSaved('Campus'));
      expect(patches(calls)).toEqual([
        {
          method: 'PATCH',
          path: '/api/hector/stores/store-1',
          body: { autoReleaseMinutes: 10, checkInAfterMinutes: 15 },
        },
      ]);
    },
  );

  describe('B7: assets and their category in the admin page', () => {
    it.each([
      ['English', english],
      ['French', french],
    ] as const)('B7: staff add an asset with a category and change a category (%s)', async (_l, l10n) => {
      const { calls, assets } = fakeHector();
      renderPlaces(l10n);
      const t = l10n.strings.places;
      const table = await screen.findByTestId('assets-table');
      const category = within(table).getByLabelText(t.categoryOf('Vidéoprojecteur'));
      fireEvent.change(category, { target: { value: 'Vidéo' } });
      fireEvent.click(within(table).getByRole('button', { name: t.saveCategory('Vidéoprojecteur') }));
      await screen.findByText(t.assetSaved('Vidéoprojecteur'));
      expect(assets.get('asset-1')?.category).toBe('Vidéo');

      fireEvent.change(screen.getByLabelText(t.newAssetName), { target: { value: 'Micro' } });
      fireEvent.change(screen.getByLabelText(t.newAssetCategory), { target: { value: 'Audio' } });
      fireEvent.click(screen.getByRole('button', { name: t.addAsset }));
      await screen.findByText(t.assetSaved('Micro'));
      expect(calls.filter((c) => c.method !== 'GET').map((c) => [c.method, c.path, c.body])).toEqual([
        ['PATCH', '/api/hector/assets/asset-1', { category: 'Vidéo' }],
        ['POST', '/api/hector/assets', { name: 'Micro', category: 'Audio' }],
      ]);
    });
  });
});
