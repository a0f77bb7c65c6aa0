import { Button, Input, TableCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useState, type FormEvent } from 'react';
import type { AdminApi } from '../api';
import type { Localization } from '../i18n';
import type { Asset } from '../../contract/hector';
import { DataTable, ErrorBar, Loading, RefreshButton, Section, useResource } from './common';

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalS,
  },
  cell: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'center' },
});

/**
 * B7: Hector's assets and their category, which people see in the add-in's equipment list.
 * Staff add one (name, category) or change a category; nothing else of an asset is edited here.
 */
export function AssetsSection({
  api,
  l10n,
  onSaved,
}: {
  api: AdminApi;
  l10n: Localization;
  onSaved: (message: string) => void;
}) {
  const styles = useStyles();
  const t = l10n.strings.places;
  const assets = useResource(useCallback(() => api.assets(), [api]));
  const [name, setName] = useState('');
  const [category, setCategory] = useState('');
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    setError(undefined);
    try {
      const asset = await api.createAsset({ name: name.trim(), category: category.trim() || null });
      setName('');
      setCategory('');
      onSaved(t.assetSaved(asset.name));
      assets.refresh();
    } catch (failure) {
      setError(failure);
    }
  };
  const saveCategory = async (asset: Asset) => {
    setError(undefined);
    try {
      const saved = await api.updateAsset(asset.id, { category: (drafts[asset.id] ?? '').trim() || null });
      onSaved(t.assetSaved(saved.name));
      assets.refresh();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <Section
      title={t.assetsHeading}
      headingLevel="h2"
      tools={<RefreshButton l10n={l10n} onClick={assets.reload} />}
    >
      <form className={styles.form} onSubmit={(e) => void create(e)} aria-label={t.addAsset}>
        <Input
          aria-label={t.newAssetName}
          placeholder={t.assetName}
          value={name}
          onChange={(_e, d) => setName(d.value)}
        />
        <Input
          aria-label={t.newAssetCategory}
          placeholder={t.assetCategory}
          value={category}
          onChange={(_e, d) => setCategory(d.value)}
        />
        <Button type="submit" appearance="primary" disabled={!name.trim()}>
          {t.addAsset}
        </Button>
      </form>
      {error || assets.error ? <ErrorBar error={error ?? assets.error} l10n={l10n} /> : null}
      {assets.loading && !assets.data ? <Loading l10n={l10n} /> : null}
      {assets.data ? (
        <DataTable label={t.assetsHeading} testId="assets-table" headers={[t.assetName, t.assetCategory]}>
          {assets.data.map((asset) => (
            <TableRow key={asset.id} data-asset-id={asset.id}>
              <TableCell>{asset.name}</TableCell>
              <TableCell>
                <span className={styles.cell}>
                  <Input
                    size="small"
                    aria-label={t.categoryOf(asset.name)}
                    value={drafts[asset.id] ?? asset.category ?? ''}
                    onChange={(_e, d) => setDrafts((all) => ({ ...all, [asset.id]: d.value }))}
                  />
                  <Button
                    size="small"
                    aria-label={t.saveCategory(asset.name)}
                    disabled={(drafts[asset.id] ?? asset.category ?? '') === (asset.category ?? '')}
                    onClick={() => void saveCategory(asset)}
                  >
                    {l10n.strings.booking.save}
                  </Button>
                </span>
              </TableCell>
            </TableRow>
          ))}
        </DataTable>
      ) : null}
    </Section>
  );
}
