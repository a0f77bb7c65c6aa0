import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';
import { AdminApp } from './components/AdminApp';
import { localize } from './i18n';

/** The admin page, served by the service itself under /admin: its API is the page's own origin. */
const container = document.getElementById('root');
if (container) {
  const l10n = localize(navigator.language);
  document.documentElement.lang = l10n.language;
  document.title = l10n.strings.appTitle;
  createRoot(container).render(
    <FluentProvider theme={webLightTheme} lang={l10n.locale}>
      <AdminApp l10n={l10n} />
    </FluentProvider>,
  );
}
