/**
 * startEmulator: one express app serving Entra ID (/{tenant}/…), Graph (/v1.0/…) and the control
 * API (/_emulator/…) over https (development certificates) or http.
 */
import express from 'express';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createClock } from './clock';
import type { EmulatorContext } from './context';
import { createControl, type EmulatorControl } from './control/control';
import { controlRouter } from './control/routes';
import { ensureDevCertificates } from './certs';
import { createSigningKey } from './entra/keys';
import { entraRouter } from './entra/routes';
import { TokenIssuer } from './entra/tokens';
import { Calendar } from './exchange/calendar';
import { createRandom, defaultFaults, emptyStats, type Faults } from './faults';
import { EmulatorOptionsError } from './errors';
import { graphErrorHandler, graphRouter } from './graph/router';
import { Notifier } from './notify/notifier';
import { isSeedName, namedSeed, type SeedData, type SeedName } from './seed';
import { EmulatorState } from './state';

export { ensureDevCertificates, type DevCertificates } from './certs';
export type {
  ApiAppChange,
  ApiAppView,
  EmulatorControl,
  MeetingInput,
  MeetingChange,
  NewRoomInput,
  PersonActions,
  RoomChange,
  StateSnapshot,
} from './control/control';
export { EmulatorOptionsError } from './errors';
export type { Faults, NotificationFaults, RequestFaultRule, Stats } from './faults';
export type { DeliveryRecord, LifecycleEvent } from './notify/notifier';
export type { AccessPolicyView } from './control/accessPolicies';
export type { AppSecretChange, AppView } from './control/appSecrets';
export { SECRET_LIFETIME_DAYS } from './state';
export { msalAuthOptions, openIdConfiguration, type MsalAuthOptions } from './entra/metadata';
export * from './seed';

export interface EmulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: string;
  tls?: boolean;
  certDir?: string;
  /**
   * The directory it starts with (and `control.reset()` returns to): `'sample'` (default),
   * `'empty'`, or a whole SeedData, e.g. `{ ...emptySeed(), tenant: { id, primaryDomain, displayName } }`.
   */
  tenant?: SeedName | SeedData;
  /** Older name of `tenant` (names only); kept for compatibility. */
  seed?: SeedName;
  /** Extra delay before change notifications are POSTed (same as faults.notifications.delayMs). */
  notificationDelayMs?: number;
  /** Initial fault settings (merged over the defaults). */
  faults?: Partial<Faults>;
}

export interface RunningEmulator {
  /** Base URL (scheme, host, port): Entra under /{tenant}, Graph under /v1.0, control under /_emulator. */
  url: string;
  graphUrl: string;
  authorityUrl: string;
  tenantId: string;
  caCert?: string;
  control: EmulatorControl;
  close(): Promise<void>;
}

/** `tenant`, or its alias `seed`; both given must agree, so a test never runs on a tenant it did not ask for. */
function startingSeed(opts: EmulatorOptions): SeedData {
  const { tenant, seed } = opts;
  if (seed !== undefined && !isSeedName(seed))
    throw new EmulatorOptionsError(`Unknown seed '${String(seed)}': use 'sample' or 'empty'.`);
  if (tenant === undefined) return namedSeed(seed ?? 'sample');
  if (seed !== undefined && tenant !== seed)
    throw new EmulatorOptionsError(
      `startEmulator was given tenant ${typeof tenant === 'string' ? `'${tenant}'` : '(a seed object)'} and seed '${seed}': ` +
        `'seed' is the older name of 'tenant', pass only 'tenant'.`,
    );
  if (typeof tenant === 'string') {
    if (!isSeedName(tenant))
      throw new EmulatorOptionsError(
        `Unknown tenant '${tenant}': use 'sample', 'empty' or a SeedData object.`,
      );
    return namedSeed(tenant);
  }
  if (!isSeedData(tenant))
    throw new EmulatorOptionsError(
      'A tenant object must be a whole SeedData (tenant {id, primaryDomain, displayName}, apps, apiApp, users, ' +
        'rooms, roomLists, externals), e.g. { ...emptySeed(), tenant: { id, primaryDomain, displayName } }.',
    );
  return structuredClone(tenant);
}

function isSeedData(value: unknown): value is SeedData {
  const s = value as Partial<SeedData> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.tenant?.id === 'string' &&
    typeof s.tenant.primaryDomain === 'string' &&
    typeof s.apiApp?.clientId === 'string' &&
    [s.apps, s.users, s.rooms, s.roomLists, s.externals].every(Array.isArray)
  );
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = startingSeed(opts);
  const tls = opts.tls ?? true;
  const host = opts.host ?? '127.0.0.1';
  const certs = tls ? await ensureDevCertificates(opts.certDir) : undefined;
  const clock = createClock();
  const state = new EmulatorState(clock);
  state.load(seed);
  let faults: Faults = { ...defaultFaults(), ...(opts.faults ?? {}) };
  if (opts.notificationDelayMs !== undefined)
    faults.notifications = { ...faults.notifications, delayMs: opts.notificationDelayMs };
  let random = createRandom(faults.randomSeed);
  let url = '';
  let deltaGeneration = 0;
  const stats = emptyStats();
  const key = createSigningKey();
  const authorityUrl = (): string => url;
  const tokens = new TokenIssuer(state, key, authorityUrl);
  const calendar = new Calendar(state, {
    // The random source is drawn only with a jitter, so runs without one replay as before.
    roomProcessingDelayMs: () =>
      faults.roomProcessingDelayMs +
      (faults.roomProcessingJitterMs > 0 ? Math.round(random() * faults.roomProcessingJitterMs) : 0),
  });
  const notifier = new Notifier({
    state,
    clock,
    faults: () => faults,
    random: () => random(),
    stats,
    ca: certs?.ca,
    validationToken: (appId, forged) => tokens.notificationValidationToken(appId, undefined, forged),
  });
  state.onChange((c) => notifier.onChange(c));

  const ctx: EmulatorContext = {
    state,
    clock,
    calendar,
    tokens,
    notifier,
    faults: () => faults,
    random: () => random(),
    stats,
    tls,
    ca: certs?.ca,
    url: () => url,
    graphUrl: () => `${url}/v1.0`,
  };
  const control = createControl({
    ctx,
    authorityUrl,
    setFaults: (f) => {
      if (f.randomSeed !== faults.randomSeed) random = createRandom(f.randomSeed);
      faults = f;
    },
    bumpDeltaGeneration: () => {
      deltaGeneration++;
    },
    startingSeed: seed,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    '/v1.0',
    graphRouter(ctx, () => deltaGeneration),
  );
  app.use('/_emulator', controlRouter(control), graphErrorHandler);
  app.use((req, _res, next) => {
    if (req.path.includes('/oauth2/')) stats.tokens++;
    next();
  });
  app.use(entraRouter({ state, key, tokens, authorityUrl, stats }));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NotFound', message: 'No such endpoint in the emulator.' } });
  });
  app.use(graphErrorHandler);

  const server = certs
    ? https.createServer({ cert: certs.cert, key: certs.key }, app)
    : http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // "localhost" matches the development certificate; plain http keeps the numeric host.
  const urlHost = tls && (host === '127.0.0.1' || host === '0.0.0.0' || host === '::') ? 'localhost' : host;
  url = `${tls ? 'https' : 'http'}://${urlHost}:${port}`;

  return {
    url,
    graphUrl: `${url}/v1.0`,
    authorityUrl: url,
    tenantId: state.tenant.id,
    caCert: certs?.ca,
    control,
    async close() {
      await control.flushNotifications().catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
