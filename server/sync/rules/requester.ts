/** V1 / OC1: who the requester of a meeting's loan is, as a function of plain data. */

/** What the tenant says about the organizer (looked up by the job, cached). */
export type OrganizerStanding = 'member' | 'unknown' | 'disabled';

export interface IntegrationSettingsFacts {
  primaryDomain: string;
  defaultUserEmail: string | null;
  defaultStoreId: string | null;
}

export const isInDomain = (email: string, domain: string): boolean =>
  email.toLowerCase().endsWith(`@${domain.toLowerCase()}`);

export interface RequesterChoice {
  requester: { email: string; name?: string } | null;
  /** Why the default user stands in, or why nobody can (null when the organizer is the requester). */
  reason: string | null;
}

/** V1, OC1: the organizer when a user of the primary domain exists and is enabled, else the default user. */
export function chooseRequester(
  organizer: { email: string | null; name: string | null },
  standing: OrganizerStanding | null,
  settings: Pick<IntegrationSettingsFacts, 'primaryDomain' | 'defaultUserEmail'>,
): RequesterChoice {
  const domain = settings.primaryDomain;
  let why: string;
  if (!organizer.email) why = 'the meeting has no organizer';
  else if (!isInDomain(organizer.email, domain)) why = `organizer outside ${domain}`;
  else if (standing === 'member') {
    return { requester: { email: organizer.email, name: organizer.name ?? undefined }, reason: null };
  } else if (standing === 'disabled') why = `organizer ${organizer.email} is a disabled account of ${domain}`;
  else why = `organizer ${organizer.email} is not a user of ${domain}`;
  if (!settings.defaultUserEmail) {
    return { requester: null, reason: `${why} and no default user is configured: no loan` };
  }
  return { requester: { email: settings.defaultUserEmail }, reason: `${why}: booked for the default user` };
}

/** Whether the organizer must be looked up in the tenant at all (only primary-domain addresses). */
export const needsOrganizerLookup = (organizerEmail: string | null, primaryDomain: string): boolean =>
  Boolean(organizerEmail && isInDomain(organizerEmail, primaryDomain));
