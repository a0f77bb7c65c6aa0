import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  SAMPLE_CLIENT_ID,
  SAMPLE_CLIENT_SECRET,
  SAMPLE_DOMAIN,
  startEmulator,
  type RunningEmulator,
} from '../../emulator';
import { ConfigError, loadConfig } from '../../server/config';
import { startService, type Service } from '../../server/main';
import { playActivity } from './activity';
import type { SavedSettings, SettingsInput } from '../../contract/admin';
import type { ListOf, Loan, Place } from '../../contract/hector';
import { apiClient, type ApiClient } from './client';
import { followJournal } from './journalFeed';
import {
  createReadyMeetings,
  findAttendeeCopies,
  readyMeetingPlan,
  waitForReadyLoans,
  type ReadyMeeting,
} from './meetings';
import { describeSlot } from './time';

/**
 * The demo proper (run in the child process that trusts the development CA): the emulator with
 * the sample tenant, the service over https on the embedded database, the integration saved with
 * the sample tenant's credentials, the ready-made meetings, then the lines a newcomer needs.
 */
export interface DemoOptions {
  dataDir: string;
  certDir: string;
  tls: boolean;
  activity: boolean;
}

const DEFAULT_USER = 'camille.martin@universite.test';
const IGNORED_TAGS = 'non-hector';
/** Loans still to come that a new emulator knows nothing about. */
const LIVE_STATUSES = ['pending_approval', 'new', 'assigned', 'suspended'];

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

export async function runDemo(options: DemoOptions): Promise<void> {
  let emulator: RunningEmulator | undefined;
  let service: Service | undefined;
  const stoppers: Array<() => void | Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      out(`\nStopping (${reason})…`);
      for (const s of stoppers) await s();
      // The emulator first: its last notifications still find the service listening.
      await emulator?.close().catch(() => undefined);
      await service?.close().catch(() => undefined);
      out('Demo stopped.');
      process.exit(0);
    })();
    return stopping;
  };
  // Handlers first: a Ctrl-C during start-up must stop what has started, not kill it midway.
  let started = false;
  const onSignal = (signal: string) => {
    if (started) void stop(signal);
    else pendingSignal = signal;
  };
  let pendingSignal: string | undefined;
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  // The launcher died without a signal reaching us (e.g. SIGKILL): do not outlive it.
  process.on('disconnect', () => onSignal('launcher gone'));

  const scheme = options.tls ? 'https' : 'http';
  // The Node lines of package.json's engines, each checked (README, Quick start).
  const supported = ['20', '22', '24'];
  const major = process.versions.node.split('.')[0];
  out(
    `Node.js ${process.version}${supported.includes(major) ? '' : ' — not a supported version'} (supported: ${supported.join(', ')})`,
  );
  try {
    const port = await choosePort(process.env.PORT);
    const publicUrl = (process.env.PUBLIC_URL || `${scheme}://localhost:${port}`).replace(/\/+$/, '');
    emulator = await startEmulator({
      port: 0,
      tls: options.tls,
      certDir: options.certDir,
      seed: 'sample',
      // Rooms answer as Exchange's booking assistant does: seconds later, never at once (emulator/README.md).
      faults: { roomProcessingDelayMs: 2000, roomProcessingJitterMs: 3000 },
    });
    const config = loadConfig({
      ...process.env,
      DATA_DIR: options.dataDir,
      PORT: String(port),
      HOST: process.env.HOST || '127.0.0.1',
      PUBLIC_URL: publicUrl,
      GRAPH_BASE_URL: emulator.graphUrl,
      AUTHORITY_URL: emulator.authorityUrl,
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
      TEST_MODE: 'true',
      ...(options.tls
        ? {
            TLS_CERT_FILE: path.join(options.certDir, 'localhost.crt'),
            TLS_KEY_FILE: path.join(options.certDir, 'localhost.key'),
          }
        : {}),
    });
    service = await startService(config).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(
          `port ${port} is already in use: set PORT to another port (PORT=0 picks a free one).`,
        );
      }
      throw error;
    });
    started = true;
    if (pendingSignal) return void (await stop(pendingSignal));

    const api = apiClient(publicUrl, service.adminToken);
    out(`Configuring the integration against the emulator's sample tenant (${SAMPLE_DOMAIN})…`);
    const places = await configureIntegration(api);
    const stale = await cancelLoansOfEarlierRuns(api);
    if (stale > 0) {
      out(
        `Earlier run: ${stale} loan(s) still to come were cancelled — the emulator starts empty at every run, so the meetings behind them are gone.`,
      );
    }
    const since = new Date();
    const meetings = createReadyMeetings(emulator.control, readyMeetingPlan());
    await waitForReadyLoans(api, meetings, 30_000);
    await findAttendeeCopies(emulator.control, meetings);

    const envFile = writeShellEnv(options, {
      HECTOR: publicUrl,
      EMU: emulator.url,
      TOKEN: service.adminToken,
    });
    stoppers.push(() => fs.rmSync(envFile, { force: true }));
    printReady({ emulator, service, publicUrl, options, places, meetings, envFile });

    if (options.activity) {
      out('Activity: people book, move and cancel rooms; Hector makes and cancels loans. Sync decisions:');
      const feed = followJournal(api, out, { since });
      const activity = playActivity({ control: emulator.control, api, print: out });
      stoppers.push(
        () => activity.stop(),
        () => feed.stop(),
      );
    }
  } catch (error) {
    const message =
      error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`Demo failed to start: ${message}\n`);
    await emulator?.close().catch(() => undefined);
    await service?.close().catch(() => undefined);
    process.exit(1);
  }
}

/** PORT as given; 0 means a free port, chosen here so every printed URL names the real one. */
async function choosePort(value: string | undefined): Promise<number> {
  const wanted = value === undefined || value === '' ? 3000 : Number(value);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
    throw new ConfigError('PORT', `must be a port number (got "${value}")`);
  }
  if (wanted !== 0) return wanted;
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** S1 with the sample tenant's credentials; saving again is harmless and re-subscribes. */
async function configureIntegration(api: ApiClient): Promise<Place[]> {
  const saved = await api.send<SavedSettings>('PUT', '/api/admin/integration', {
    primaryDomain: SAMPLE_DOMAIN,
    clientId: SAMPLE_CLIENT_ID,
    clientSecret: SAMPLE_CLIENT_SECRET,
    defaultStoreId: null,
    defaultUserEmail: DEFAULT_USER,
    ignoredTags: IGNORED_TAGS,
    enabled: true,
  } satisfies SettingsInput);
  if (saved.sync?.error) throw new Error(`the first synchronisation failed: ${saved.sync.error.message}`);
  const { items } = await api.get<ListOf<Place>>('/api/hector/places?synced=true&active=true');
  return items;
}

/**
 * The emulator keeps its calendars in memory while Hector's data persists: loans still to come
 * from an earlier run point at meetings that no longer exist. Cancelling them keeps both sides
 * telling the same story (and frees the slots the ready-made meetings use).
 */
async function cancelLoansOfEarlierRuns(api: ApiClient): Promise<number> {
  const { items } = await api.get<ListOf<Loan>>(
    `/api/hector/loans?status=${LIVE_STATUSES.join(',')}&limit=5000`,
  );
  let cancelled = 0;
  for (const loan of items) {
    try {
      await api.send('POST', `/api/hector/loans/${loan.id}/cancel`);
      cancelled++;
    } catch {
      // A loan that cannot be cancelled any more (already started) is left as it is.
    }
  }
  return cancelled;
}

/**
 * DATA_DIR/demo.env: this run's addresses and token for a shell (`source data/demo/demo.env`),
 * so the README's curl commands work as written. Private (it holds the admin token); removed
 * when the demo stops.
 */
function writeShellEnv(options: DemoOptions, values: { HECTOR: string; EMU: string; TOKEN: string }): string {
  const file = path.join(options.dataDir, 'demo.env');
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const lines = [
    '# Written by npm run demo for this run; removed when it stops.',
    `HECTOR=${quote(values.HECTOR)}`,
    `EMU=${quote(values.EMU)}`,
    `TOKEN=${quote(values.TOKEN)}`,
    `CA=${quote(options.tls ? path.join(options.certDir, 'ca.crt') : '')}`,
    'export HECTOR EMU TOKEN CA',
  ];
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

function printReady(args: {
  emulator: RunningEmulator;
  service: Service;
  publicUrl: string;
  options: DemoOptions;
  places: Place[];
  meetings: ReadyMeeting[];
  envFile: string;
}): void {
  const { emulator, service, publicUrl, options, places, meetings, envFile } = args;
  const harness = (user: string, event: string | undefined) =>
    event
      ? `${publicUrl}/harness?user=${encodeURIComponent(user)}&event=${encodeURIComponent(event)}`
      : '(no copy)';
  const lines = [
    '',
    '━━ hector-outlook demo ━━',
    options.tls
      ? `  TLS             local development certificates; CA: ${path.join(options.certDir, 'ca.crt')}`
      : '  TLS             NONE — plain http on loopback (development certificates could not be made)',
    `  Admin token     ${service.adminToken}`,
    `  API base        ${publicUrl}/api   (header: Authorization: Bearer <admin token>)`,
    `  Admin page      ${publicUrl}/admin/`,
    `  Manifest        ${publicUrl}/manifest.xml`,
    `  Graph emulator  ${emulator.graphUrl}`,
    `  Authority       ${emulator.authorityUrl}/${emulator.tenantId}`,
    `  Emulator API    ${emulator.url}/_emulator/state   (people act as in Outlook: /_emulator/people/{upn}/meetings)`,
    `  Rooms           ${places.length} rooms of ${SAMPLE_DOMAIN} imported as places (salle-b103 is tagged ${IGNORED_TAGS}: ignored)`,
    `  Data            ${options.dataDir}   (kept between runs; the emulator forgets its meetings at every run)`,
    `  Shell           source ${path.relative(process.cwd(), envFile) || envFile}   (sets HECTOR, EMU, TOKEN, CA for curl)`,
    '',
    'Ready-made meetings — open them in the add-in harness, as the organizer or as an attendee:',
  ];
  for (const m of meetings) {
    const outcome = m.loan
      ? `loan #${m.loan.number} (${m.loan.status})`
      : m.expectLoan
        ? 'loan not there yet (still syncing)'
        : `no loan: ${m.note}`;
    lines.push(`  • ${m.subject} — ${describeSlot(m.start, m.end)} — ${outcome}`);
    lines.push(`      organizer ${m.organizer.padEnd(30)} ${harness(m.organizer, m.organizerEventId)}`);
    lines.push(`      attendee  ${m.attendee.padEnd(30)} ${harness(m.attendee, m.attendeeEventId)}`);
  }
  lines.push(
    '',
    'Stop: Ctrl-C (stops the emulator and the service; the data stays in the data directory).',
    `Demo ready: ${publicUrl}`,
    '',
  );
  out(lines.join('\n'));
}
