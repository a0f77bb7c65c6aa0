import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle1,
  Table,
  TableBody,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { errorText } from '../format';
import type { Localization } from '../i18n';

export const useCommonStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  header: {
    display: 'flex',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalM,
    flexWrap: 'wrap',
  },
  heading: { margin: 0 },
  grow: { flexGrow: 1 },
  row: {
    display: 'flex',
    alignItems: 'flex-end',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalS,
    flexWrap: 'wrap',
  },
  muted: { color: tokens.colorNeutralForeground3 },
  inactive: { color: tokens.colorNeutralForegroundDisabled, backgroundColor: tokens.colorNeutralBackground3 },
  tableWrap: { overflowX: 'auto' },
  /** Columns sized by their content (Fluent's tables split the width evenly). */
  table: { tableLayout: 'auto' },
  nowrap: { whiteSpace: 'nowrap' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  plainList: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    rowGap: tokens.spacingVerticalXXS,
  },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
});

/** A section of a tab: a heading, optional tools beside it, its content. */
export function Section({
  title,
  tools,
  children,
  headingLevel = 'h2',
}: {
  title: string;
  tools?: ReactNode;
  children: ReactNode;
  headingLevel?: 'h2' | 'h3';
}) {
  const styles = useCommonStyles();
  return (
    <section className={styles.section} aria-label={title}>
      <div className={styles.header}>
        <Subtitle1 as={headingLevel} className={styles.heading}>
          {title}
        </Subtitle1>
        <div className={styles.grow} />
        {tools}
      </div>
      {children}
    </section>
  );
}

/** A failure in words (the server's message when it gave one), announced to screen readers. */
export function ErrorBar({ error, l10n, title }: { error: unknown; l10n: Localization; title?: string }) {
  return (
    <div role="alert">
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
          {errorText(error, l10n)}
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}

export function Notice({
  intent,
  title,
  children,
}: {
  intent: 'success' | 'warning' | 'info';
  title?: string;
  children?: ReactNode;
}) {
  return (
    <div role="status">
      <MessageBar intent={intent} layout="multiline">
        <MessageBarBody>
          {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
          {children}
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}

export function Loading({ l10n }: { l10n: Localization }) {
  return <Spinner size="small" labelPosition="after" label={l10n.strings.common.loading} />;
}

export function RefreshButton({ l10n, onClick }: { l10n: Localization; onClick: () => void }) {
  return (
    <Button appearance="secondary" onClick={onClick}>
      {l10n.strings.common.refresh}
    </Button>
  );
}

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `load()` now and on each reload; answers that arrive after a newer request (or after
 * unmount) are dropped. `quiet` reloads keep the shown data while asking again.
 */
export function useResource<T>(load: () => Promise<T>): Resource<T> & { refresh: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const run = useCallback(
    (quiet: boolean) => {
      const mine = ++generation.current;
      if (!quiet) setState((s) => ({ ...s, loading: true }));
      load().then(
        (data) => mine === generation.current && setState({ data, loading: false }),
        (error: unknown) => mine === generation.current && setState((s) => ({ ...s, error, loading: false })),
      );
    },
    [load],
  );
  useEffect(() => {
    run(false);
    return () => {
      generation.current++;
    };
  }, [run]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: useCallback(() => run(false), [run]),
    refresh: useCallback(() => run(true), [run]),
  };
}

/** The admin page's tables: one shape (scrolling wrapper, small size, labelled, header row). */
export function DataTable({
  label,
  testId,
  headers,
  children,
}: {
  label: string;
  testId: string;
  headers: ReactNode[];
  children: ReactNode;
}) {
  const styles = useCommonStyles();
  return (
    <div className={styles.tableWrap}>
      <Table size="small" className={styles.table} aria-label={label} data-testid={testId}>
        <TableHeader>
          <TableRow>
            {headers.map((header, i) => (
              <TableHeaderCell key={i}>{header}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>{children}</TableBody>
      </Table>
    </div>
  );
}
