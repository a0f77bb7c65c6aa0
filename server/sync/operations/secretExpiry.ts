import type { CredentialSource } from '../../../contract/admin';
import type { Clock } from '../../clock';
import { GraphCallError } from '../../graph/errors';
import type { AppSecretInfo, GraphGateway } from '../../graph/gateway';
import type { Logger } from '../../logger';
import type { SavedSettings } from '../../store/settings';

/** The client secret's expiry and where it was read (issue 15 "Credentials expiry"). */
export interface SecretExpiry {
  expiresAt: Date | null;
  source: CredentialSource;
}

export interface SecretExpiryDeps {
  /** The integration's gateway; null when no settings are saved. */
  graph(): Promise<GraphGateway | null>;
  /**
   * The saved client secret's first 3 characters: all that Graph shows of a secret (its `hint`),
   * and all of it that leaves the composition root.
   */
  secretHint(saved: SavedSettings): string;
  /** Real time: how long a read of Graph is kept. */
  wallClock: Clock;
  logger: Pick<Logger, 'info' | 'warn'>;
}

export interface SecretExpiryReader {
  /** Graph's expiry of our secret when the app may read it (kept a while), else the admin's date. */
  read(saved: SavedSettings | null): Promise<SecretExpiry>;
}

const MINUTE_MS = 60_000;
/** Without Application.Read.All (a least-privilege tenant, the usual case): asked again once a day. */
const FORBIDDEN_KEPT_MS = 24 * 60 * MINUTE_MS;
/** A date read from Graph: a secret added or its app changed in Entra ID shows within the hour. */
const READ_KEPT_MS = 60 * MINUTE_MS;
/** A transient failure (throttled, 5xx, network): the admin's date meanwhile. */
const FAILED_KEPT_MS = 5 * MINUTE_MS;

/**
 * Which of the app's secrets is ours: the one whose hint is our secret's first 3 characters (the
 * soonest of several), else — none matches, e.g. a hint Graph left out — the soonest-expiring one.
 * Undefined: Graph lists no secret (nothing to say); null: ours never expires. Pure.
 */
export function pickSecretExpiry(secrets: AppSecretInfo[], ourHint: string): Date | null | undefined {
  if (secrets.length === 0) return undefined;
  const ours = secrets.filter((s) => s.hint !== null && s.hint === ourHint);
  const candidates = ours.length > 0 ? ours : secrets;
  const ends = candidates
    .map((s) => (s.endDateTime ? new Date(s.endDateTime) : null))
    .filter((d): d is Date => d !== null && !Number.isNaN(d.getTime()))
    .sort((a, b) => a.getTime() - b.getTime());
  // A candidate without an end never expires: only a dated one is a date to warn about.
  return ends[0] ?? (candidates.some((s) => !s.endDateTime) ? null : undefined);
}

/**
 * The status's credentials (issue 15): read from Graph when the app holds Application.Read.All (or
 * higher), else the date the admin copied into the settings — silently: a 403 is the expected
 * answer of a least-privilege tenant, and it is asked again once a day at most. Kept per saved
 * settings: a save (a new secret, a new date) reads again.
 */
export function createSecretExpiryReader(deps: SecretExpiryDeps): SecretExpiryReader {
  type Kept = { key: string; until: number; fromGraph: Date | null | undefined };
  let kept: Kept | undefined;
  let pending: { key: string; read: Promise<Kept> } | undefined;

  const fromGraph = async (
    saved: SavedSettings,
  ): Promise<{ at: Date | null | undefined; keepMs: number }> => {
    const graph = await deps.graph();
    if (!graph) return { at: undefined, keepMs: FAILED_KEPT_MS };
    try {
      const secrets = await graph.getAppSecrets(saved.clientId);
      if (secrets === null) return { at: undefined, keepMs: FORBIDDEN_KEPT_MS };
      return { at: pickSecretExpiry(secrets, deps.secretHint(saved)), keepMs: READ_KEPT_MS };
    } catch (error) {
      if (error instanceof GraphCallError && error.forbidden) {
        deps.logger.info(
          { event: 'credentials.expiry_source', source: 'settings', reason: 'forbidden' },
          'the app may not read its registration (no Application.Read.All): the secret expiry is the one in the settings',
        );
        return { at: undefined, keepMs: FORBIDDEN_KEPT_MS };
      }
      deps.logger.warn(
        { event: 'credentials.expiry_source', source: 'settings', reason: 'graph_failed', err: error },
        'could not read the secret expiry from Graph: the one in the settings is shown meanwhile',
      );
      return { at: undefined, keepMs: FAILED_KEPT_MS };
    }
  };

  return {
    async read(saved) {
      if (!saved) return { expiresAt: null, source: null };
      const key = `${saved.updatedAt.toISOString()}|${saved.clientId}`;
      const now = deps.wallClock().getTime();
      if (kept?.key !== key || kept.until <= now) {
        // Status calls at the same moment share one read of Graph.
        if (pending?.key !== key) {
          const read = fromGraph(saved).then(({ at, keepMs }) => {
            kept = { key, until: deps.wallClock().getTime() + keepMs, fromGraph: at };
            return kept;
          });
          pending = { key, read: read.finally(() => (pending = undefined)) };
        }
        await pending.read;
      }
      const fromGraphAt = kept?.key === key ? kept.fromGraph : undefined;
      if (fromGraphAt !== undefined) return { expiresAt: fromGraphAt, source: 'graph' };
      return saved.secretExpiresAt
        ? { expiresAt: saved.secretExpiresAt, source: 'settings' }
        : { expiresAt: null, source: null };
    },
  };
}
