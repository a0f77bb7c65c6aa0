import type { ConnectionReport, ConnectionTest } from '../../../contract/admin';
import type { Logger } from '../../logger';
import type { Journal } from '../../store/journal';
import type { SavedSettings } from '../../store/settings';

/** Queue of the daily connection check (a pg-boss cron: once a day per cluster). */
export const DAILY_CHECK_QUEUE = 'integration-daily-check';
export const DAILY_CHECK_CRON = '17 5 * * *';

export interface DailyCheckDeps {
  /** The saved settings; null when none are saved. */
  saved(): Promise<SavedSettings | null>;
  /** The connection test of the saved settings, nothing saved (POST /api/admin/integration/test). */
  test(): Promise<ConnectionTest>;
  journal: Pick<Journal, 'record'>;
  logger: Pick<Logger, 'info' | 'warn'>;
}

const GRANT = 'grant them in Entra ID (API permissions, admin consent) and press Re-sync in the admin page';

/**
 * S2 once a day (issue 15): the test a save runs, on the saved settings. A permission missing now
 * — revoked since the save, or never granted — is journaled as an `error` naming each one and what
 * it breaks; a refused token (an expired secret) too. The settings are not changed.
 */
export async function runDailyCheck(deps: DailyCheckDeps): Promise<ConnectionTest | null> {
  const saved = await deps.saved();
  if (!saved?.enabled) return null;
  let test: ConnectionTest;
  try {
    test = await deps.test();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await deps.journal.record({
      kind: 'error',
      message: `Daily connection check: Entra ID refused a token for the saved settings (${reason}) — check the client secret and save the settings again`,
      details: { failure: 'token_refused', check: 'daily' },
    });
    deps.logger.warn({ event: 'integration.daily_check', ok: false, failure: 'token_refused' }, reason);
    return null;
  }
  const missing = test.permissions.filter((p) => !p.granted);
  const grantedAtSave = new Set((saved.connection as ConnectionReport | null)?.grantedPermissions ?? []);
  const revoked = missing.filter((p) => grantedAtSave.has(p.permission)).map((p) => p.permission);
  if (missing.length > 0) {
    const names = missing.map((p) => p.permission).join(', ');
    const since =
      revoked.length > 0
        ? ` (${revoked.join(', ')} granted when the settings were saved, revoked since)`
        : '';
    await deps.journal.record({
      kind: 'error',
      message: `Daily connection check: the app lacks ${names}${since} — ${GRANT}`,
      details: {
        failure: 'permission_missing',
        check: 'daily',
        permissions: missing.map((p) => p.permission),
        revoked,
        breaks: Object.fromEntries(missing.map((p) => [p.permission, p.breaks])),
        ...(missing.length === 1 ? { permission: missing[0].permission } : {}),
      },
    });
  }
  deps.logger.info(
    { event: 'integration.daily_check', ok: test.ok, missing: missing.map((p) => p.permission), revoked },
    test.message,
  );
  return test;
}
