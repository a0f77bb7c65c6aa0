import { Badge, Body1, Button, Caption1, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useId, useState } from 'react';
import type { AvailabilityResponse } from '../../contract/addin';
import type { ActionsClient } from '../actionsApi';
import type { ComposeHost, CurrentItem } from '../host';
import type { Localization } from '../i18n';

export interface AvailabilityPanelProps {
  compose: ComposeHost;
  actions: Pick<ActionsClient, 'availability'>;
  l10n: Localization;
  /** The open item: once saved, its own loan is no conflict for its rooms. */
  currentItem?: () => Promise<CurrentItem>;
}

type View =
  | { kind: 'checking' }
  | { kind: 'unreadable' }
  | { kind: 'noRooms' }
  | { kind: 'failed' }
  | { kind: 'answer'; answer: AvailabilityResponse };

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    minWidth: 0,
  },
  heading: { margin: 0 },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', rowGap: tokens.spacingVerticalS },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    columnGap: tokens.spacingHorizontalS,
  },
  text: { display: 'flex', flexDirection: 'column', minWidth: 0, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * B8: while the organizer composes the meeting, whether Hector can lend its rooms then (V4, K2),
 * and free rooms of the same building to add instead.
 */
export function AvailabilityPanel({ compose, actions, l10n, currentItem }: AvailabilityPanelProps) {
  const styles = useStyles();
  const t = l10n.strings.availability;
  const headingId = useId();
  const [view, setView] = useState<View>({ kind: 'checking' });
  const [message, setMessage] = useState<string | null>(null);

  const check = useCallback(async () => {
    setView({ kind: 'checking' });
    const [meeting, item] = await Promise.all([compose.meeting(), currentItem?.()]);
    if (!meeting) return setView({ kind: 'unreadable' });
    if (meeting.rooms.length === 0) return setView({ kind: 'noRooms' });
    const result = await actions.availability({
      ...meeting,
      ...(item?.kind === 'event' ? { itemId: item.itemId } : {}),
    });
    setView(result.ok ? { kind: 'answer', answer: result.value } : { kind: 'failed' });
  }, [actions, compose, currentItem]);

  useEffect(() => {
    void check();
  }, [check]);

  const choose = async (email: string, name: string) => {
    const added = await compose.addRoom(email);
    setMessage(added ? t.addedRoom(name) : t.addFailed);
    if (added) await check();
  };

  return (
    <section className={styles.panel} aria-labelledby={headingId} data-testid="availability-panel">
      <Subtitle2 as="h2" id={headingId} className={styles.heading}>
        {t.heading}
      </Subtitle2>
      {view.kind === 'checking' ? <Body1>{t.checking}</Body1> : null}
      {view.kind === 'unreadable' ? <Body1>{t.unreadable}</Body1> : null}
      {view.kind === 'noRooms' ? <Body1>{t.noRooms}</Body1> : null}
      {view.kind === 'failed' ? <Body1>{t.failed}</Body1> : null}
      {view.kind === 'answer' ? (
        <>
          <ul className={styles.list}>
            {view.answer.rooms.map((room) => (
              <li key={room.email} className={styles.row} data-testid="room-availability">
                <span className={styles.text}>
                  <Body1>{room.email}</Body1>
                  {room.reasons.map((reason) => (
                    <Caption1 key={reason} className={styles.muted}>
                      {reason}
                    </Caption1>
                  ))}
                </span>
                <Badge appearance="tint" color={room.available ? 'success' : 'danger'}>
                  {room.available ? t.available : t.unavailable}
                </Badge>
              </li>
            ))}
          </ul>
          {view.answer.alternatives.length > 0 ? (
            <>
              <Subtitle2 as="h3" className={styles.heading}>
                {t.alternatives}
              </Subtitle2>
              <ul className={styles.list}>
                {view.answer.alternatives.map((room) => (
                  <li key={room.email} className={styles.row} data-testid="room-alternative">
                    <span className={styles.text}>
                      <Body1>{room.name}</Body1>
                      <Caption1 className={styles.muted}>
                        {[room.building, room.capacity !== null ? t.capacity(room.capacity) : null]
                          .filter(Boolean)
                          .join(' · ')}
                      </Caption1>
                    </span>
                    <Button
                      size="small"
                      aria-label={t.choose(room.name)}
                      onClick={() => void choose(room.email, room.name)}
                    >
                      {t.chooseLabel}
                    </Button>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
      <Button appearance="subtle" onClick={() => void check()}>
        {t.check}
      </Button>
      <div role="status" aria-live="polite">
        {message ? <Caption1>{message}</Caption1> : null}
      </div>
    </section>
  );
}
