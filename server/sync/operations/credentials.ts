import type { CredentialSource, CredentialsStatus, SubscriptionState } from '../../../contract/admin';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The status warns this long before the client secret expires. */
export const SECRET_WARNING_DAYS = 30;
/** Subscriptions are renewed well before expiry: one due within a day is worth a look. */
const EXPIRING_MS = DAY_MS;

/**
 * The client secret's expiry and, from 30 days before it, what the admin must do; `source` says
 * where the date comes from (a date read from Graph needs no copying into the settings). Pure.
 */
export function credentialsStatus(
  secretExpiresAt: Date | null,
  now: Date,
  source: CredentialSource = secretExpiresAt ? 'settings' : null,
): CredentialsStatus {
  if (!secretExpiresAt) return { secretExpiresAt: null, warning: null, source };
  const day = secretExpiresAt.toISOString().slice(0, 10);
  const left = secretExpiresAt.getTime() - now.getTime();
  const save =
    source === 'graph'
      ? 'then save it in the Integration tab (its expiry date is read from Entra ID).'
      : 'then save it with its expiry date in the Integration tab.';
  let warning: string | null = null;
  if (left <= 0) {
    warning =
      `The client secret expired on ${day}: Hector can no longer reach Outlook. Create a new secret in ` +
      `Entra ID (Certificates & secrets), ${save}`;
  } else if (left <= SECRET_WARNING_DAYS * DAY_MS) {
    const days = Math.ceil(left / DAY_MS);
    warning =
      `The client secret expires on ${day} (in ${days} ${days === 1 ? 'day' : 'days'}): create a new secret ` +
      `in Entra ID (Certificates & secrets), ${save}`;
  }
  return { secretExpiresAt: secretExpiresAt.toISOString(), warning, source };
}

/** A room's subscription as the status page names it (the Subscriptions tab's rule). Pure. */
export function subscriptionState(expiresAt: Date | null, now: Date): SubscriptionState {
  if (!expiresAt) return 'missing';
  const left = expiresAt.getTime() - now.getTime();
  return left <= 0 ? 'expired' : left < EXPIRING_MS ? 'expiring' : 'active';
}
