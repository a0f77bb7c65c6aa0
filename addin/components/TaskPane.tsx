import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ActionsClient } from '../actionsApi';
import type { LoanOutcome } from '../api';
import type { TokenRequest } from '../auth';
import type { ComposeHost, CurrentItem } from '../host';
import type { Localization } from '../i18n';
import { AssetsPanel } from './AssetsPanel';
import { AvailabilityPanel } from './AvailabilityPanel';
import { CheckInButton } from './CheckInButton';
import { ErrorView } from './ErrorView';
import { Loading } from './Loading';
import { LoanCard } from './LoanCard';
import { NoItemView, NoLoanView } from './NoLoanView';
import { SeriesView } from './SeriesView';

/** Everything the pane can show. */
export type PaneState = { kind: 'loading' } | { kind: 'noItem' } | LoanOutcome;

export interface TaskPaneViewProps {
  state: PaneState;
  l10n: Localization;
  onRetry: () => void;
  onSignIn: () => void;
  /** Quiet refresh (no spinner), for the refresh button and the "syncing" timer. */
  onRefresh?: () => void;
  syncingRefreshMs?: number;
  /** Issue 17: the event's REST id, once known, for the pane's actions. */
  itemId?: string;
  actions?: ActionsClient;
  /** B8: present in compose mode. */
  compose?: ComposeHost;
  currentItem?: () => Promise<CurrentItem>;
}

const useStyles = makeStyles({
  main: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    minHeight: '100vh',
    boxSizing: 'border-box',
    color: tokens.colorNeutralForeground1,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  title: {
    margin: 0,
    color: tokens.colorNeutralForeground3,
    textTransform: 'uppercase',
    letterSpacing: '0.04em',
  },
});

/** The pane for one state: a main landmark whose content changes are announced politely. */
export function TaskPaneView({
  state,
  l10n,
  onRetry,
  onSignIn,
  onRefresh,
  syncingRefreshMs,
  itemId,
  actions,
  compose,
  currentItem,
}: TaskPaneViewProps) {
  const styles = useStyles();
  const headingId = useId();
  return (
    <main className={styles.main} aria-labelledby={headingId} aria-busy={state.kind === 'loading'}>
      <Caption1 as="h1" id={headingId} className={styles.title}>
        {l10n.strings.appTitle}
      </Caption1>
      {compose && actions ? (
        <AvailabilityPanel compose={compose} actions={actions} l10n={l10n} currentItem={currentItem} />
      ) : null}
      <div aria-live="polite" aria-atomic="true" data-testid="pane-state" data-state={state.kind}>
        {state.kind === 'loading' ? <Loading l10n={l10n} /> : null}
        {state.kind === 'noItem' ? <NoItemView l10n={l10n} /> : null}
        {state.kind === 'loan' ? <LoanCard loan={state.loan} l10n={l10n} /> : null}
        {state.kind === 'noLoan' && state.series ? (
          <SeriesView
            reason={state.reason}
            series={state.series}
            l10n={l10n}
            onRefresh={onRefresh}
            syncingRefreshMs={syncingRefreshMs}
          />
        ) : null}
        {state.kind === 'noLoan' && !state.series ? (
          <NoLoanView
            reason={state.reason}
            l10n={l10n}
            onRefresh={onRefresh}
            syncingRefreshMs={syncingRefreshMs}
          />
        ) : null}
        {state.kind === 'error' ? (
          <ErrorView error={state.error} l10n={l10n} onRetry={onRetry} onSignIn={onSignIn} />
        ) : null}
      </div>
      {state.kind === 'loan' && itemId && actions ? (
        <>
          <CheckInButton itemId={itemId} actions={actions} l10n={l10n} onCheckedIn={onRefresh} />
          <AssetsPanel itemId={itemId} actions={actions} l10n={l10n} onChanged={onRefresh} />
        </>
      ) : null}
    </main>
  );
}

export interface TaskPaneProps {
  l10n: Localization;
  /** The event open in Outlook (office.ts, or a fake in tests). */
  currentItem: () => Promise<CurrentItem>;
  /** Asks our API about an event (api.ts). */
  loadLoan: (itemId: string, request?: TokenRequest) => Promise<LoanOutcome>;
  syncingRefreshMs?: number;
  /** Issue 17: the pane's actions (assets, check-in, availability); absent = read-only pane. */
  actions?: ActionsClient;
  compose?: ComposeHost;
}

/**
 * The task pane: finds the open event, asks the server, shows the answer. It serves one item:
 * Outlook does not pin task panes on appointments, it closes the pane when the user leaves the
 * item and loads it afresh on the next one (GRAPH-FACTS "Outlook add-in"), so there is no
 * ItemChanged to follow.
 */
export function TaskPane({ l10n, currentItem, loadLoan, syncingRefreshMs, actions, compose }: TaskPaneProps) {
  const [state, setState] = useState<PaneState>({ kind: 'loading' });
  const [itemId, setItemId] = useState<string | undefined>(undefined);
  // Only the latest load may answer: a refresh overtaken by another, or a pane unmounted, drops it.
  const generation = useRef(0);

  const load = useCallback(
    async (options: { quiet?: boolean; request?: TokenRequest } = {}) => {
      const mine = ++generation.current;
      if (!options.quiet) setState({ kind: 'loading' });
      let next: PaneState;
      try {
        const item = await currentItem();
        if (item.kind === 'none') next = { kind: 'noItem' };
        else if (item.kind === 'not_saved') next = { kind: 'noLoan', reason: { code: 'not_saved' } };
        else {
          setItemId(item.itemId);
          next = await loadLoan(item.itemId, options.request);
        }
      } catch {
        next = { kind: 'error', error: 'unreachable' };
      }
      if (mine === generation.current) setState(next);
    },
    [currentItem, loadLoan],
  );

  useEffect(() => {
    void load();
    return () => {
      generation.current++;
    };
  }, [load]);

  const onRetry = useCallback(() => void load(), [load]);
  const onSignIn = useCallback(
    () => void load({ request: { interactive: true, forceRefresh: true } }),
    [load],
  );
  const onRefresh = useCallback(() => void load({ quiet: true }), [load]);

  return (
    <TaskPaneView
      state={state}
      l10n={l10n}
      onRetry={onRetry}
      onSignIn={onSignIn}
      onRefresh={onRefresh}
      syncingRefreshMs={syncingRefreshMs}
      itemId={itemId}
      actions={actions}
      compose={compose}
      currentItem={currentItem}
    />
  );
}
