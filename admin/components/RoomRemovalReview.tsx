import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import type { AdminApi } from '../api';
import type { Localization } from '../i18n';
import type { RoomRemovalDecision } from '../../contract/admin';
import { ErrorBar, Notice, useResource } from './common';

const useStyles = makeStyles({
  buttons: { display: 'flex', columnGap: tokens.spacingHorizontalM, marginTop: tokens.spacingVerticalS },
});

const SHOWN = 10;

/**
 * R1 guard: an import that saw no rooms, or fewer than half of them, deactivated nothing. The admin
 * confirms (the rooms are deactivated) or dismisses (they stay). Nothing shows when none waits.
 */
export function RoomRemovalReview({ api, l10n }: { api: AdminApi; l10n: Localization }) {
  const styles = useStyles();
  const t = l10n.strings.roomRemoval;
  const pending = useResource(useCallback(() => api.pendingRoomRemoval(), [api]));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [decided, setDecided] = useState<RoomRemovalDecision>();

  const decide = async (id: number, decision: 'confirm' | 'dismiss') => {
    setBusy(true);
    setError(undefined);
    try {
      setDecided(await api.decideRoomRemoval(id, decision));
      pending.refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (decided) {
    return (
      <Notice intent="success">
        {decided.review.status === 'confirmed' ? t.confirmed(decided.deactivated.length) : t.dismissed}
      </Notice>
    );
  }
  // An older server without this route, or none waiting: the page shows nothing here.
  const review = pending.data?.review;
  if (!review) return null;
  const shown = review.rooms.slice(0, SHOWN);
  return (
    <div data-testid="room-removal-review">
      <Notice intent="warning" title={t.heading}>
        <div>{t.body(review.seen, review.activeBefore, review.rooms.length)}</div>
        <div>{t.lag}</div>
        <div>
          {shown.join(', ')}
          {review.rooms.length > SHOWN ? ` ${t.more(review.rooms.length - SHOWN)}` : ''}
        </div>
        <div className={styles.buttons}>
          <Button appearance="primary" disabled={busy} onClick={() => void decide(review.id, 'confirm')}>
            {t.confirm(review.rooms.length)}
          </Button>
          <Button disabled={busy} onClick={() => void decide(review.id, 'dismiss')}>
            {t.dismiss}
          </Button>
        </div>
      </Notice>
      {error ? <ErrorBar error={error} l10n={l10n} /> : null}
    </div>
  );
}
