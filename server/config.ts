import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting of the service comes from the environment, validated here once.
 * A bad value stops start-up with one line naming the variable (see ConfigError).
 */
/** The shortest ADMIN_TOKEN accepted (issue 16). */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

const optionalUrl = z.url({ protocol: /^https?$/ }).optional();

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (a 256-bit key)')
    .optional(),
  // Issue 16: long enough that guessing it is hopeless even before the per-IP limit.
  ADMIN_TOKEN: z
    .string()
    .min(
      ADMIN_TOKEN_MIN_LENGTH,
      `must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (e.g. openssl rand -hex 24)`,
    )
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPH_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://graph.microsoft.com/v1.0'),
  AUTHORITY_URL: z.url({ protocol: /^https?$/ }).default('https://login.microsoftonline.com'),
  JSON_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 1mb or 512kb')
    .default('1mb'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  ROOM_IMPORT_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  // Journal entries older than this are pruned (issue 15); at most ten years.
  /**
   * Issue 18: subscribe with resource data (rich notifications) so that a change costs no Graph
   * GET. Off by default: see the README ("Rich notifications") for why.
   */
  RICH_NOTIFICATIONS: z.enum(['on', 'off']).default('off'),
  JOURNAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  HECTOR_LOAN_URL: z.url({ protocol: /^https?$/ }).optional(),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  // The add-in API's Entra ID application (client) id: the audience of the users' tokens.
  ADDIN_CLIENT_ID: z
    .string()
    .regex(/^[\w.:/-]{1,200}$/, 'must be an application (client) id such as a GUID')
    .optional(),
  // The add-in API's Application ID URI: the audience of v1.0 tokens (Entra's default format).
  ADDIN_APP_ID_URI: z
    .string()
    .regex(
      /^(api|https):\/\/[^\s/]+(\/[^\s]*)?$/,
      'must be an Application ID URI such as api://hector.example.org/<client id>',
    )
    .optional(),
  // The add-in API app's client secret, for on-behalf-of reads of the caller's own calendar.
  ADDIN_CLIENT_SECRET: z.string().min(1).max(1024).optional(),
  ADDIN_SCOPE: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'must be a scope name such as access_as_user')
    .default('access_as_user'),
  TEST_MODE: z
    .enum(['0', '1', 'true', 'false'])
    .default('false')
    .transform((v) => v === '1' || v === 'true'),
});

export type Env = z.input<typeof schema>;

/**
 * How often and how soon the service does things by itself. Production values are the defaults;
 * tests and benchmarks shrink them (`{ ...loadConfig(env), timings: { ...DEFAULT_TIMINGS, … } }`)
 * instead of sleeping through them. Crons are pg-boss schedules (UTC, once per cluster).
 */
export interface Timings {
  /** The outbox is read this often while it is empty (at once again while it is not). */
  outboxPollMs: number;
  /** A Hector change still not pushed after this long is queued again by the sweep. */
  outboundSweepAfterMs: number;
  outboundSweepCron: string;
  /**
   * Delays before the 1st, 2nd, … look at the rooms' answers after a write: seconds usually,
   * minutes under load or for a room's delegate (GRAPH-FACTS "Room answers come late"). A room that
   * answers after the last look is caught by its notification or by the next reconcile pass.
   */
  roomAnswerCheckLadderMs: readonly number[];
  /**
   * Delays before re-reading a room copy that may predate an unpushed Hector change; past the last
   * one (≈ 4 minutes: outbound is failing) the copy is applied after all.
   */
  inboundDeferralLadderMs: readonly number[];
  /** pg-boss polling of an idle queue (in-process sends wake the workers at once anyway). */
  queuePollingSeconds: number;
  /** The safety-net reconcile pass (GRAPH-FACTS: subscriptions also stop silently). */
  reconcileCron: string;
  subscriptionMaintenanceCron: string;
  /** K1: loan statuses move on with the clock. */
  statusTickCron: string;
  /** The journal's retention pass (JOURNAL_RETENTION_DAYS). */
  journalRetentionCron: string;
  /** The intake gathers notifications this long before one INSERT (group commit). */
  intakeGroupCommitMs: number;
  /**
   * Caps every queue's retries (tries after the first) and their first delay, over the queue
   * table's own (server/compose/jobs.ts); null: the table's. Tests make a failing job give up in
   * seconds to see what giving up leaves (B6: the journal's error, the dead letter).
   */
  jobRetryCap: { retryLimit: number; retryDelaySeconds: number } | null;
  /** Validity of the self-signed certificate of rich notifications (issue 18). */
  notificationCertificateLifetimeMs: number;
  /** A new certificate takes over this long before the current one expires. */
  notificationCertificateRotateBeforeMs: number;
}

export const DEFAULT_TIMINGS: Timings = {
  outboxPollMs: 200,
  outboundSweepAfterMs: 60_000,
  outboundSweepCron: '* * * * *',
  roomAnswerCheckLadderMs: [3000, 10_000, 30_000, 120_000, 300_000],
  inboundDeferralLadderMs: [500, 1000, 2000, 4000, 8000, 15_000, 30_000, 30_000, 30_000, 60_000, 60_000],
  queuePollingSeconds: 0.5,
  reconcileCron: '7 * * * *',
  subscriptionMaintenanceCron: '*/15 * * * *',
  statusTickCron: '* * * * *',
  journalRetentionCron: '23 3 * * *',
  intakeGroupCommitMs: 2,
  jobRetryCap: null,
  notificationCertificateLifetimeMs: 90 * 86_400_000,
  notificationCertificateRotateBeforeMs: 14 * 86_400_000,
};

export interface Config {
  port: number;
  host: string;
  /** The https address Graph and Outlook reach us at; defaults to http://localhost:PORT. */
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  secretKey?: string;
  adminToken?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  graphBaseUrl: string;
  authorityUrl: string;
  jsonBodyLimit: string;
  shutdownTimeoutMs: number;
  dbConnectTimeoutMs: number;
  roomImportIntervalMinutes: number;
  /** Journal entries older than this many days are pruned by a daily job. */
  journalRetentionDays: number;
  /** Base of the "open in Hector" links; {id} is replaced by the loan id. */
  hectorLoanUrl: string;
  tls?: { certFile: string; keyFile: string };
  /** Serves the add-in harness and test helpers (demo and tests only). */
  testMode: boolean;
  /**
   * The add-in API's client id (the audience of user tokens); unset → the add-in API answers 503.
   * Defaults to the emulator's API app only in test mode.
   */
  addinClientId?: string;
  /**
   * The add-in API's Application ID URI (v1.0 tokens carry it as `aud`); defaults to
   * `api://{PUBLIC_URL host}/{ADDIN_CLIENT_ID}`, the form the add-in asks Entra ID for.
   */
  addinAppIdUri?: string;
  /**
   * ADDIN_APP_ID_URI as the admin set it: the SSO resource the manifests and the task pane name
   * instead of their `api://{PUBLIC_URL host}/{client id}` (unset: that form, which is the default
   * of addinAppIdUri too outside test mode).
   */
  addinSsoResource?: string;
  /**
   * The add-in API app's client secret for the on-behalf-of flow. Unset: OBO uses the integration's
   * saved secret when the add-in API is the Hector app itself (same client id), else it is off.
   */
  addinClientSecret?: string;
  /** The delegated scope the add-in's tokens must carry. */
  addinScope: string;
  /** RICH_NOTIFICATIONS=on: subscriptions with resource data where Graph accepts them (issue 18). */
  richNotifications: boolean;
  timings: Timings;
}

/** The Graph emulator's add-in API client id (emulator/README.md), the test-mode default. */
export const EMULATOR_ADDIN_CLIENT_ID = '33333333-3333-4333-8333-333333333333';
/** The emulator's add-in API app: its Application ID URI and secret (fixed, emulator/README.md). */
export const EMULATOR_ADDIN_APP_ID_URI = `api://localhost/${EMULATOR_ADDIN_CLIENT_ID}`;
export const EMULATOR_ADDIN_CLIENT_SECRET = 'emulator-addin-secret';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * The add-in API's registration. In test mode without ADDIN_CLIENT_ID, the emulator's API app
 * (client id, Application ID URI, secret); otherwise what the admin set, the URI defaulting to the
 * form the add-in asks for (`api://{PUBLIC_URL host}/{client id}`, Office's SSO registration).
 */
function addinApp(
  e: z.output<typeof schema>,
  publicUrl: string,
): Pick<Config, 'addinClientId' | 'addinAppIdUri' | 'addinClientSecret' | 'addinSsoResource'> {
  const sso = e.ADDIN_APP_ID_URI ? { addinSsoResource: e.ADDIN_APP_ID_URI } : {};
  if (!e.ADDIN_CLIENT_ID && e.TEST_MODE)
    return {
      ...sso,
      addinClientId: EMULATOR_ADDIN_CLIENT_ID,
      addinAppIdUri: e.ADDIN_APP_ID_URI ?? EMULATOR_ADDIN_APP_ID_URI,
      addinClientSecret: e.ADDIN_CLIENT_SECRET ?? EMULATOR_ADDIN_CLIENT_SECRET,
    };
  if (!e.ADDIN_CLIENT_ID) return {};
  return {
    ...sso,
    addinClientId: e.ADDIN_CLIENT_ID,
    addinAppIdUri: e.ADDIN_APP_ID_URI ?? `api://${new URL(publicUrl).host}/${e.ADDIN_CLIENT_ID}`,
    addinClientSecret: e.ADDIN_CLIENT_SECRET,
  };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as shells and .env files produce them.
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    const value = input[variable];
    const secret = ['SECRET_KEY', 'ADMIN_TOKEN', 'ADDIN_CLIENT_SECRET'].includes(variable);
    const shown = secret ? '' : ` (got "${value}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const e = parsed.data;
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    throw new ConfigError(
      e.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE',
      'must be set together with the other TLS file',
    );
  }
  if (e.TEST_MODE) refuseTestModeInProduction(e.GRAPH_BASE_URL, e.AUTHORITY_URL, e.HOST);
  const scheme = e.TLS_CERT_FILE ? 'https' : 'http';
  const publicUrl = trimSlash(e.PUBLIC_URL ?? `${scheme}://localhost:${e.PORT}`);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    secretKey: e.SECRET_KEY,
    adminToken: e.ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    graphBaseUrl: trimSlash(e.GRAPH_BASE_URL),
    authorityUrl: trimSlash(e.AUTHORITY_URL),
    jsonBodyLimit: e.JSON_BODY_LIMIT,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    dbConnectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
    roomImportIntervalMinutes: e.ROOM_IMPORT_INTERVAL_MINUTES,
    journalRetentionDays: e.JOURNAL_RETENTION_DAYS,
    hectorLoanUrl: e.HECTOR_LOAN_URL ?? `${publicUrl}/admin/#/loans/{id}`,
    tls:
      e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : undefined,
    testMode: e.TEST_MODE,
    ...addinApp(e, publicUrl),
    addinScope: e.ADDIN_SCOPE,
    richNotifications: e.RICH_NOTIFICATIONS === 'on',
    timings: DEFAULT_TIMINGS,
  };
}

/**
 * Hosts of Microsoft's clouds (Graph and Entra ID, public and national clouds: learn.microsoft.com
 * "National cloud deployments" and "Microsoft Entra authentication endpoints").
 */
const MICROSOFT_HOSTS = [
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.partner.microsoftonline.cn',
  'login.chinacloudapi.cn',
  'login.windows.net',
  'sts.windows.net',
  'login.live.com',
];

export const isMicrosoftHost = (url: string): boolean => {
  const host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  return MICROSOFT_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
};

/** 127.0.0.0/8, ::1 and localhost: addresses no other machine reaches. */
export const isLoopbackHost = (host: string): boolean => {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
};

/**
 * TEST_MODE serves the harness, which mints any user's token: issue 16 keeps it to the emulator
 * on this machine — never with Microsoft's Graph or Entra ID, never listening beyond loopback.
 */
function refuseTestModeInProduction(graphBaseUrl: string, authorityUrl: string, host: string): void {
  if (isMicrosoftHost(graphBaseUrl))
    throw new ConfigError(
      'TEST_MODE',
      `is refused with Microsoft's Graph (GRAPH_BASE_URL ${graphBaseUrl}): it is for the emulator only`,
    );
  if (isMicrosoftHost(authorityUrl))
    throw new ConfigError(
      'TEST_MODE',
      `is refused with Microsoft's Entra ID (AUTHORITY_URL ${authorityUrl}): it is for the emulator only`,
    );
  if (!isLoopbackHost(host))
    throw new ConfigError(
      'TEST_MODE',
      `is refused when listening beyond loopback (HOST ${host}): set HOST=127.0.0.1`,
    );
}
