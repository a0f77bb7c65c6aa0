import { FluentProvider, Title1, webLightTheme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';

// Placeholder so the admin entry builds; the administration page itself is another issue.
const TITLE = 'Hector Outlook — administration';

function AdminPage() {
  return (
    <FluentProvider theme={webLightTheme}>
      <main style={{ padding: 24 }}>
        <Title1 as="h1">{TITLE}</Title1>
      </main>
    </FluentProvider>
  );
}

const container = document.getElementById('root');
if (container) createRoot(container).render(<AdminPage />);
