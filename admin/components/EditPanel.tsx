import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { Section } from './common';

const useStyles = makeStyles({
  box: {
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorBrandStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  form: { display: 'grid', rowGap: tokens.spacingVerticalM, maxWidth: '720px' },
  buttons: { display: 'flex', columnGap: tokens.spacingHorizontalM },
});

export interface EditPanelProps {
  title: string;
  onSubmit: (event: FormEvent) => void;
  onCancel: () => void;
  busy: boolean;
  saveLabel: string;
  savingLabel: string;
  cancelLabel: string;
  children: ReactNode;
}

/**
 * An inline form panel (a labelled form under its own heading), brought into view and focused
 * when it opens so keyboard and screen-reader users land in it.
 */
export function EditPanel(props: EditPanelProps) {
  const styles = useStyles();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    element?.scrollIntoView?.({ block: 'nearest' });
    element?.querySelector<HTMLElement>('input, button')?.focus();
  }, []);
  return (
    <div className={styles.box} ref={box}>
      <Section title={props.title} headingLevel="h3">
        <form className={styles.form} onSubmit={props.onSubmit} noValidate aria-label={props.title}>
          {props.children}
          <div className={styles.buttons}>
            <Button appearance="primary" type="submit" disabled={props.busy}>
              {props.busy ? props.savingLabel : props.saveLabel}
            </Button>
            <Button appearance="secondary" onClick={props.onCancel}>
              {props.cancelLabel}
            </Button>
          </div>
        </form>
      </Section>
    </div>
  );
}
