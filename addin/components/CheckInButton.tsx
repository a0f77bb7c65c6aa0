import { Button, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { LoanView } from '../../contract/addin';
import type { ActionsClient } from '../actionsApi';
import type { Localization } from '../i18n';

export interface CheckInButtonProps {
  itemId: string;
  actions: Pick<ActionsClient, 'checkIn'>;
  l10n: Localization;
  onCheckedIn?: (loan: LoanView) => void;
}

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
});

/**
 * B9: "I am here" for the organizer or an attendee. Hector decides whether the window is open:
 * outside it, its message says when check-in opens and closes.
 */
export function CheckInButton({ itemId, actions, l10n, onCheckedIn }: CheckInButtonProps) {
  const styles = useStyles();
  const t = l10n.strings.checkIn;
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const press = async () => {
    setBusy(true);
    const result = await actions.checkIn(itemId);
    setBusy(false);
    if (result.ok) {
      setDone(true);
      setMessage(t.done);
      onCheckedIn?.(result.value.loan);
    } else if (result.code === 'CHECK_IN_CLOSED') {
      setMessage(`${t.closed} ${result.message ?? ''}`.trim());
    } else {
      setMessage(`${t.failed} ${result.message ?? l10n.strings.errors.unreachableText}`);
    }
  };
  return (
    <div className={styles.row} data-testid="check-in">
      <Button appearance="primary" disabled={busy || done} onClick={() => void press()}>
        {done ? t.already : t.button}
      </Button>
      <div role="status" aria-live="polite">
        {message ? <Caption1>{message}</Caption1> : null}
      </div>
    </div>
  );
}
