import { Spinner } from '@fluentui/react-components';
import type { Localization } from '../i18n';

export interface LoadingProps {
  l10n: Localization;
}

export function Loading({ l10n }: LoadingProps) {
  return <Spinner size="small" labelPosition="after" label={l10n.strings.loading} data-testid="loading" />;
}
