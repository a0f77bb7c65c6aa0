import '@testing-library/jest-dom';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen } from '@testing-library/react';
import { AdminApp, TOKEN_KEY } from '../../admin/components/AdminApp';
import { localize, type Localization } from '../../admin/i18n';
import type { SavedSettings, SettingsView } from '../../contract/admin';

/**
 * S1 + issue 15 in the admin page: the client secret's expiry date is a labelled date field of the
 * Integration form (FR/EN), sent only when changed, and the save's backfill is announced. fetch is
 * faked at the boundary.
 */
const english = localize('en-GB');
const french = localize('fr-FR');

const settings = (over: Partial<SettingsView> = {}): SettingsView => ({
  configured: true,
  primaryDomain: 'universite.test',
  tenantId: '99999999-8888-4777-8666-555555555555',
  clientId: '11111111-2222-4333-8444-555555555555',
  clientSecretSet: true,
  defaultStoreId: null,
  defaultUserEmail: 'camille.martin@universite.test',
  ignoredTags: '',
  enabled: true,
  connection: null,
  updatedAt: '2026-11-25T09:00:00.000Z',
  secretExpiresAt: '2027-06-30T00:00:00.000Z',
  ...over,
});

function fakeServer(saved: SavedSettings) {
  const puts: unknown[] = [];
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const path = new URL(String(input), 'http://admin.test').pathname;
    const method = init.method ?? 'GET';
    let answer: [number, unknown] = [404, { error: { code: 'NOT_FOUND', message: path } }];
    if (method === 'GET' && path === '/api/admin/integration') answer = [200, settings()];
    if (method === 'GET' && path === '/api/hector/stores') answer = [200, { items: [] }];
    if (method === 'GET' && path === '/api/admin/integration/rooms/pending-removal')
      answer = [200, { pending: null }];
    if (method === 'PUT' && path === '/api/admin/integration') {
      puts.push(JSON.parse(String(init.body)));
      answer = [200, saved];
    }
    const [status, body] = answer;
    return { ok: status < 300, status, json: async () => body } as Response;
  }) as unknown as typeof globalThis.fetch;
  return { puts };
}

const saved = (over: Partial<SavedSettings> = {}): SavedSettings => ({
  ...settings(),
  sync: {},
  backfill: null,
  ...over,
});

function renderIntegration(l10n: Localization) {
  sessionStorage.setItem(TOKEN_KEY, 'the-admin-token');
  window.location.hash = '#/integration';
  return render(
    <FluentProvider theme={webLightTheme}>
      <AdminApp l10n={l10n} />
    </FluentProvider>,
  );
}

beforeEach(() => sessionStorage.clear());

describe('admin page: the client secret expiry (S1, issue 15)', () => {
  it('S1: the saved expiry shows in a labelled date field; a changed date is sent, the backfill announced', async () => {
    const t = english.strings.integration;
    const { puts } = fakeServer(
      saved({ secretExpiresAt: '2028-01-15T00:00:00.000Z', backfill: { id: 'run-1' } }),
    );
    renderIntegration(english);
    const field = await screen.findByLabelText(t.secretExpiresAt);
    expect(field).toHaveAttribute('type', 'date');
    expect(field).toHaveValue('2027-06-30');
    expect(screen.getByText(t.secretExpiresHint)).toBeInTheDocument();
    fireEvent.change(field, { target: { value: '2028-01-15' } });
    fireEvent.click(screen.getByRole('button', { name: t.save }));
    expect(await screen.findByText(t.backfillQueued)).toBeInTheDocument();
    expect(puts).toEqual([expect.objectContaining({ secretExpiresAt: '2028-01-15' })]);
    expect(screen.getByLabelText(t.secretExpiresAt)).toHaveValue('2028-01-15');
  });

  it('S1: an unchanged date is left out (the server keeps it); a cleared one is sent as null', async () => {
    const t = english.strings.integration;
    const { puts } = fakeServer(saved());
    renderIntegration(english);
    const field = await screen.findByLabelText(t.secretExpiresAt);
    fireEvent.click(screen.getByRole('button', { name: t.save }));
    await screen.findByText(t.saved);
    expect(puts[0]).not.toHaveProperty('secretExpiresAt');
    expect(screen.queryByText(t.backfillQueued)).not.toBeInTheDocument();
    fireEvent.change(field, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: t.save }));
    await screen.findByText(t.saved);
    expect(puts[1]).toMatchObject({ secretExpiresAt: null });
  });

  it('S1: in French', async () => {
    fakeServer(saved());
    renderIntegration(french);
    const field = await screen.findByLabelText(french.strings.integration.secretExpiresAt);
    expect(field).toHaveValue('2027-06-30');
    expect(french.strings.integration.secretExpiresAt).toBe('Date d’expiration du secret client');
  });
});
