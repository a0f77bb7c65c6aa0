import {
  Badge,
  Body1,
  Button,
  Caption1,
  Input,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useId, useState } from 'react';
import type { AddinAsset, AddinAssetsResponse } from '../../contract/addin';
import type { ActionsClient } from '../actionsApi';
import type { Localization } from '../i18n';

export interface AssetsPanelProps {
  itemId: string;
  actions: Pick<ActionsClient, 'assets' | 'addAsset' | 'removeAsset'>;
  l10n: Localization;
  /** After a change: the pane reloads the loan so its items show the asset. */
  onChanged?: () => void;
}

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
    rowGap: tokens.spacingVerticalXS,
  },
  name: { display: 'flex', flexDirection: 'column', minWidth: 0, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
});

/**
 * B7: the store's assets with their availability for the meeting's dates; the organizer adds and
 * removes them, attendees read. A photo-free list with a search (name or category).
 */
export function AssetsPanel({ itemId, actions, l10n, onChanged }: AssetsPanelProps) {
  const styles = useStyles();
  const t = l10n.strings.assets;
  const headingId = useId();
  const [answer, setAnswer] = useState<AddinAssetsResponse | null>(null);
  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await actions.assets(itemId);
    setAnswer(result.ok ? result.value : { items: [], canChange: false });
    if (!result.ok) setMessage(result.message ? `${t.failed} ${result.message}` : t.unreachable);
  }, [actions, itemId, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const change = async (asset: AddinAsset) => {
    setBusy(asset.id);
    const result = asset.onLoan
      ? await actions.removeAsset(itemId, asset.id)
      : await actions.addAsset(itemId, asset.id);
    setBusy(null);
    if (result.ok) {
      setMessage(asset.onLoan ? t.removed(asset.name) : t.added(asset.name));
      await load();
      onChanged?.();
    } else {
      setMessage(result.message ? `${t.failed} ${result.message}` : t.unreachable);
    }
  };

  const needle = query.trim().toLowerCase();
  const shown = (answer?.items ?? []).filter(
    (a) =>
      !needle || a.name.toLowerCase().includes(needle) || (a.category ?? '').toLowerCase().includes(needle),
  );
  return (
    <section className={styles.panel} aria-labelledby={headingId} data-testid="assets-panel">
      <Subtitle2 as="h2" id={headingId} className={styles.heading}>
        {t.heading}
      </Subtitle2>
      {answer && !answer.canChange ? <Caption1 className={styles.muted}>{t.readOnly}</Caption1> : null}
      <Input
        type="search"
        value={query}
        onChange={(_e, data) => setQuery(data.value)}
        aria-label={t.search}
        placeholder={t.search}
      />
      {answer && shown.length === 0 ? <Body1>{t.none}</Body1> : null}
      <ul className={styles.list}>
        {shown.map((asset) => (
          <li key={asset.id} className={styles.row} data-testid="asset-row">
            <span className={styles.name}>
              <Body1>{asset.name}</Body1>
              {asset.category ? <Caption1 className={styles.muted}>{asset.category}</Caption1> : null}
              {asset.reason ? <Caption1 className={styles.muted}>{asset.reason}</Caption1> : null}
            </span>
            <span className={styles.actions}>
              <Badge
                appearance="tint"
                color={asset.onLoan ? 'brand' : asset.available ? 'success' : 'danger'}
              >
                {asset.onLoan ? t.onLoan : asset.available ? t.available : t.unavailable}
              </Badge>
              {answer?.canChange && (asset.onLoan || asset.available) ? (
                <Button
                  size="small"
                  appearance={asset.onLoan ? 'secondary' : 'primary'}
                  aria-label={asset.onLoan ? t.remove(asset.name) : t.add(asset.name)}
                  disabled={busy !== null}
                  onClick={() => void change(asset)}
                >
                  {asset.onLoan ? t.removeLabel : t.addLabel}
                </Button>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      <div role="status" aria-live="polite">
        {message ? <Caption1>{message}</Caption1> : null}
      </div>
    </section>
  );
}
