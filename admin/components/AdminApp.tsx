import { Button, Tab, TabList, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AdminApiError, createAdminApi, type AdminApi } from '../api';
import type { Localization } from '../i18n';
import { IntegrationTab } from './IntegrationTab';
import { JournalTab } from './JournalTab';
import { LoanDetail } from './LoanDetail';
import { LoansTab } from './LoansTab';
import { PlacesTab } from './PlacesTab';
import { SignIn, checkToken } from './SignIn';
import { StatusTab } from './status/StatusTab';
import { SubscriptionsTab } from './SubscriptionsTab';

export const TOKEN_KEY = 'hector.adminToken';
const TABS = ['integration', 'status', 'places', 'loans', 'journal', 'subscriptions'] as const;
export type TabName = (typeof TABS)[number];

export interface Route {
  tab: TabName;
  loanId?: string;
}

/** "#/loans/42" → loans tab, loan 42; anything unknown → the integration tab. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const tab = (TABS as readonly string[]).includes(parts[0] ?? '') ? (parts[0] as TabName) : 'integration';
  return tab === 'loans' && parts[1] ? { tab, loanId: parts[1] } : { tab };
}

function useHashRoute(): [Route, (hash: string) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const go = useCallback((hash: string) => {
    window.location.hash = hash;
    setRoute(parseRoute(hash));
  }, []);
  return [route, go];
}

const useStyles = makeStyles({
  page: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXXL}`,
    minHeight: '100vh',
    boxSizing: 'border-box',
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  header: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  title: { margin: 0, flexGrow: 1 },
  panel: {
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
});

export interface AdminAppProps {
  l10n: Localization;
  /** Origin of the service (default: the page's own). */
  base?: string;
  fetch?: typeof fetch;
  /** Journal auto-refresh period (tests shorten it). */
  journalRefreshMs?: number;
}

/** The admin page: sign-in, then one tab per concern, routed by the URL's hash. */
export function AdminApp({ l10n, base, fetch: fetcher, journalRefreshMs }: AdminAppProps) {
  const styles = useStyles();
  const t = l10n.strings;
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [notice, setNotice] = useState<string>();
  const [route, go] = useHashRoute();

  const signOut = useCallback((why?: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setNotice(why);
  }, []);

  // A 401 anywhere means the token is no longer good: back to the sign-in step, saying why.
  const api: AdminApi | null = useMemo(() => {
    if (!token) return null;
    const doFetch =
      fetcher ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    const inner = createAdminApi({ base, token, fetch: doFetch });
    const guarded = Object.entries(inner).map(([name, method]) => [
      name,
      async (...args: unknown[]) => {
        try {
          return await (method as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (error) {
          if (error instanceof AdminApiError && error.status === 401) signOut(t.signIn.expired);
          throw error;
        }
      },
    ]);
    return Object.fromEntries(guarded) as unknown as AdminApi;
  }, [token, base, fetcher, signOut, t.signIn.expired]);

  const onSignedIn = (value: string) => {
    sessionStorage.setItem(TOKEN_KEY, value);
    setNotice(undefined);
    setToken(value);
  };

  return (
    <main className={styles.page} aria-labelledby="admin-title">
      <header className={styles.header}>
        <Title2 as="h1" id="admin-title" className={styles.title}>
          {t.appTitle}
        </Title2>
        {api ? (
          <Button appearance="subtle" onClick={() => signOut()}>
            {t.signIn.signOut}
          </Button>
        ) : null}
      </header>
      {!api ? (
        <SignIn l10n={l10n} check={checkToken(base, fetcher)} onSignedIn={onSignedIn} notice={notice} />
      ) : (
        <>
          <nav aria-label={t.tabs.label}>
            <TabList
              selectedValue={route.tab}
              onTabSelect={(_e, data) => go(`#/${String(data.value)}`)}
              aria-label={t.tabs.label}
            >
              {TABS.map((name) => (
                <Tab key={name} value={name} id={`tab-${name}`} aria-controls="tab-panel">
                  {t.tabs[name]}
                </Tab>
              ))}
            </TabList>
          </nav>
          <div
            className={styles.panel}
            role="tabpanel"
            id="tab-panel"
            aria-labelledby={`tab-${route.tab}`}
            data-testid={`panel-${route.tab}`}
          >
            {route.tab === 'integration' ? <IntegrationTab api={api} l10n={l10n} /> : null}
            {route.tab === 'places' ? <PlacesTab api={api} l10n={l10n} /> : null}
            {route.tab === 'loans' && !route.loanId ? <LoansTab api={api} l10n={l10n} /> : null}
            {route.tab === 'loans' && route.loanId ? (
              <LoanDetail key={route.loanId} api={api} l10n={l10n} loanId={route.loanId} />
            ) : null}
            {route.tab === 'journal' ? (
              <JournalTab api={api} l10n={l10n} refreshMs={journalRefreshMs} />
            ) : null}
            {route.tab === 'subscriptions' ? <SubscriptionsTab api={api} l10n={l10n} /> : null}
            {route.tab === 'status' ? <StatusTab api={api} l10n={l10n} /> : null}
          </div>
        </>
      )}
    </main>
  );
}
