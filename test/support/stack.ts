import request from 'supertest';
import {
  startEmulator,
  SAMPLE_CLIENT_ID,
  SAMPLE_CLIENT_SECRET,
  SAMPLE_DOMAIN,
  type RunningEmulator,
  type SeedData,
} from '../../emulator';
import type { Faults } from '../../emulator/faults';
import type { SavedSettings, SettingsInput } from '../../contract/admin';
import type { ListOf, Loan, Place } from '../../contract/hector';
import type { JournalEntry, JournalPage } from '../../contract/journal';
import type { Service } from '../../server/main';
import { startTestService, TEST_ADMIN_TOKEN, type TestServiceOptions } from './service';
import { createTestStorage, type TestStorage } from './testDatabase';

/**
 * The whole product for component tests and benches: the Graph emulator over http, the real
 * service on fresh storage, the integration saved with the sample tenant's credentials (rooms
 * imported, one subscription per room). A person then acts in the emulator as in Outlook.
 */
export const ADMIN = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
export const DEFAULT_USER = 'camille.martin@universite.test';

/** The integration settings of the sample tenant, as an admin saves them (PUT /api/admin/integration). */
export const sampleSettings = (over: Partial<SettingsInput> = {}): SettingsInput => ({
  primaryDomain: SAMPLE_DOMAIN,
  clientId: SAMPLE_CLIENT_ID,
  clientSecret: SAMPLE_CLIENT_SECRET,
  defaultStoreId: null,
  defaultUserEmail: DEFAULT_USER,
  ignoredTags: 'non-hector',
  enabled: true,
  ...over,
});

export interface StackOptions {
  label?: string;
  /** Emulator fault settings applied before the integration is saved. */
  faults?: Partial<Faults>;
  /** Settings overrides (ignoredTags, defaultUserEmail…). */
  settings?: Partial<SettingsInput>;
  env?: Record<string, string>;
  /** The emulator's tenant (default: the sample one). */
  tenant?: SeedData;
  /** Service options, and Config.timings over TEST_TIMINGS. */
  service?: TestServiceOptions;
}

export interface Stack {
  emulator: RunningEmulator;
  service: Service;
  storage: TestStorage;
  /** GET /api/hector/loans (all of them, any status). */
  loans(): Promise<Loan[]>;
  /** The loans whose active rooms include this room e-mail. */
  loansOfRoom(roomEmail: string): Promise<Loan[]>;
  journal(query?: Record<string, string>): Promise<JournalEntry[]>;
  /** Places imported from Exchange, by room e-mail. */
  places(): Promise<Map<string, Place>>;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({ port: 0, tls: false, tenant: options.tenant ?? 'sample' });
  if (options.faults) emulator.control.setFaults(options.faults);
  const storage = await createTestStorage(options.label ?? 'stack');
  let service: Service | undefined;
  try {
    service = await startTestService(
      storage,
      {
        GRAPH_BASE_URL: emulator.graphUrl,
        AUTHORITY_URL: emulator.authorityUrl,
        PUBLIC_URL: 'http://127.0.0.1:0',
        ...options.env,
      },
      options.service,
    );
    const settings = sampleSettings(options.settings);
    const saved = await request(service.url).put('/api/admin/integration').set(ADMIN).send(settings);
    if (saved.status !== 200) throw new Error(`saving the integration failed: ${saved.status} ${saved.text}`);
    const { sync } = saved.body as SavedSettings;
    if (sync.error) throw new Error(`first sync failed: ${JSON.stringify(sync.error)}`);
  } catch (error) {
    await service?.close().catch(() => undefined);
    await emulator.close().catch(() => undefined);
    await storage.drop().catch(() => undefined);
    throw error;
  }
  const svc = service;
  const get = async <T>(path: string, query: Record<string, string> = {}): Promise<T> => {
    const res = await request(svc.url).get(path).query(query).set(ADMIN);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
    return res.body as T;
  };
  const loans = async () => (await get<ListOf<Loan>>('/api/hector/loans', { limit: '5000' })).items;
  return {
    emulator,
    service: svc,
    storage,
    loans,
    async loansOfRoom(roomEmail) {
      const email = roomEmail.toLowerCase();
      return (await loans()).filter((l) =>
        l.items.some((i) => i.status === 'active' && i.email?.toLowerCase() === email),
      );
    },
    async journal(query = {}) {
      return (await get<JournalPage>('/api/admin/journal', { limit: '1000', ...query })).items;
    },
    async places() {
      const body = await get<ListOf<Place>>('/api/hector/places');
      return new Map(body.items.filter((p) => p.synced && p.email).map((p) => [p.email!.toLowerCase(), p]));
    },
    async close() {
      await svc.close().catch(() => undefined);
      await emulator.close().catch(() => undefined);
      await storage.drop().catch(() => undefined);
    },
  };
}

/** Polls until `probe` returns a value other than undefined/false, or fails with what it saw last. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  { timeoutMs = 15_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * An ISO instant on the `days`-th working day from today (Monday–Friday) at hh:mm UTC: inside
 * Exchange's booking window, in Hector's future and inside the default opening schedule.
 */
export function at(days: number, hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number);
  const d = new Date();
  for (let left = days; left > 0;) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--;
  }
  d.setUTCHours(h, m, 0, 0);
  return d.toISOString();
}
