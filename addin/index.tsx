import { FluentProvider, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createActionsClient } from './actionsApi';
import { createApiClient } from './api';
import { apiScopes, createTokenSource } from './auth';
import { TaskPane } from './components/TaskPane';
import type { TaskPaneHost } from './host';
import { localize } from './i18n';
import { connectToOffice } from './office';

/**
 * Bootstraps the task pane once Office.js is ready. Our API is the server that served this page;
 * its Entra ID client id comes from a meta tag the server fills in (placeholder in development).
 */
function readMeta(name: string): string | undefined {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content || undefined;
}

function App({ host }: { host: TaskPaneHost }) {
  const [dark, setDark] = useState(host.dark);
  useEffect(() => host.onThemeChanged(setDark), [host]);
  const [deps] = useState(() => {
    const apiBase = (window.__hectorHarness?.apiBase ?? window.location.origin).replace(/\/+$/, '');
    const clientId = readMeta('hector-api-client-id') ?? '33333333-3333-4333-8333-333333333333';
    const scopes = apiScopes(apiBase, clientId, readMeta('hector-api-app-id-uri'));
    const tokens = createTokenSource(host.auth, { clientId, scopes });
    const api = createApiClient({ apiBase, tokens, language: host.displayLanguage });
    return {
      l10n: localize(host.displayLanguage),
      loadLoan: api.loan,
      currentItem: host.currentItem,
      actions: createActionsClient({ apiBase, tokens, language: host.displayLanguage }),
      compose: host.compose,
    };
  });
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme} lang={deps.l10n.locale}>
      <TaskPane
        l10n={deps.l10n}
        currentItem={deps.currentItem}
        loadLoan={deps.loadLoan}
        actions={deps.actions}
        compose={deps.compose}
      />
    </FluentProvider>
  );
}

async function main(): Promise<void> {
  const container = document.getElementById('root');
  if (!container) return;
  const host = await connectToOffice(window.__hectorHarness?.getToken);
  document.documentElement.lang = host.displayLanguage;
  createRoot(container).render(<App host={host} />);
}

void main();
