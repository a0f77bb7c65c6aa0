import { Badge, Button, Field, ProgressBar } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReconcileRun } from '../../../contract/admin';
import type { AdminApi } from '../../api';
import type { Localization } from '../../i18n';
import { ErrorBar, Section, useCommonStyles } from '../common';
import { DriftPanel } from './DriftPanel';

const DONE = new Set(['finished', 'failed']);

/** B1 on demand: the Re-sync button and the run's progress, polled until it ends. */
export function ResyncPanel({
  api,
  l10n,
  pollMs = 1000,
  onEnded,
  latest,
  roomName = (email) => email,
}: {
  api: AdminApi;
  l10n: Localization;
  pollMs?: number;
  /** Called once the run has ended (the status is worth reading again). */
  onEnded?: () => void;
  /** The newest run when the tab opened (the backfill after a save, or an earlier re-sync). */
  latest?: ReconcileRun | null;
  roomName?: (email: string) => string;
}) {
  const styles = useCommonStyles();
  const t = l10n.strings.status;
  const [run, setRun] = useState<ReconcileRun>();
  const [error, setError] = useState<unknown>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const poll = useCallback(
    (id: string) => {
      api.reconcileRun(id).then(
        (next) => {
          setRun(next);
          if (DONE.has(next.state)) onEnded?.();
          else timer.current = setTimeout(() => poll(id), pollMs);
        },
        (e: unknown) => setError(e),
      );
    },
    [api, pollMs, onEnded],
  );

  // A run already going when the tab opened (the backfill after a save) is followed the same way.
  const latestId = latest?.id;
  useEffect(() => {
    if (!latest || run) return;
    setRun(latest);
    if (!DONE.has(latest.state)) poll(latest.id);
    // Once per run the status names: later reads of the status must not restart the polling.
  }, [latestId]);

  const start = async () => {
    setError(undefined);
    try {
      const { id } = await api.startReconcile();
      setRun({
        id,
        state: 'queued',
        roomsDone: 0,
        roomsTotal: 0,
        itemsQueued: 0,
        startedAt: null,
        finishedAt: null,
        errors: [],
      });
      poll(id);
    } catch (e) {
      setError(e);
    }
  };

  const running = run !== undefined && !DONE.has(run.state);
  const checkingDrift = running && run.roomsTotal > 0 && run.roomsDone >= run.roomsTotal;
  const value = run && run.roomsTotal > 0 ? run.roomsDone / run.roomsTotal : undefined;
  return (
    <Section title={t.resyncHeading} headingLevel="h3">
      <p className={styles.muted}>{t.resyncIntro}</p>
      <div className={styles.row}>
        <Button appearance="primary" onClick={() => void start()} disabled={running}>
          {running ? t.resyncRunning : t.resync}
        </Button>
        {run?.reason === 'activation' ? <span className={styles.muted}>{t.backfill}</span> : null}
        {run ? (
          <Badge
            appearance="tint"
            color={run.state === 'failed' ? 'danger' : run.state === 'finished' ? 'success' : 'informative'}
          >
            {t.states[run.state]}
          </Badge>
        ) : null}
      </div>
      {run ? (
        <Field
          label={t.progressLabel}
          validationMessage={t.progress(run.roomsDone, run.roomsTotal, run.itemsQueued)}
          validationState="none"
        >
          <ProgressBar
            aria-label={t.progressLabel}
            aria-valuetext={t.progress(run.roomsDone, run.roomsTotal, run.itemsQueued)}
            data-testid="resync-progress"
            value={run.state === 'finished' ? 1 : value}
            color={run.state === 'failed' ? 'error' : run.state === 'finished' ? 'success' : 'brand'}
          />
        </Field>
      ) : null}
      {run?.errors.length ? (
        <ul className={styles.list} aria-label={t.errors}>
          {run.errors.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ul>
      ) : null}
      {checkingDrift ? <p className={styles.muted}>{t.checkingDrift}</p> : null}
      {run?.state === 'finished' && run.drift ? (
        <DriftPanel api={api} l10n={l10n} runId={run.id} drift={run.drift} roomName={roomName} />
      ) : null}
      {error ? <ErrorBar error={error} l10n={l10n} /> : null}
    </Section>
  );
}
