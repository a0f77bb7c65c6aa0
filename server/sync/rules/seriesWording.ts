/** B3: the journal's one line per series change (its occurrences' entries carry the details). */

export interface SeriesTally {
  created: number;
  updated: number;
  cancelled: number;
  ignored: number;
  inSync: number;
  /** Past occurrences gone from the series, whose loans are kept. */
  kept: number;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function describeSeriesPass(input: {
  roomName: string;
  tally: SeriesTally;
  gone: boolean;
  why: string | null;
  subject: string | null;
}): string {
  const { tally } = input;
  const parts = [
    tally.created && `${plural(tally.created, 'loan')} created`,
    tally.updated && `${tally.updated} updated`,
    tally.cancelled && `${tally.cancelled} cancelled`,
    tally.ignored && `${tally.ignored} not synced`,
    tally.inSync && `${tally.inSync} in sync`,
    tally.kept && `${plural(tally.kept, 'past loan')} kept`,
  ].filter((p): p is string => Boolean(p));
  const total = tally.created + tally.updated + tally.cancelled + tally.ignored + tally.inSync;
  const head = input.gone
    ? `Series left ${input.roomName}${input.why ? ` (${input.why})` : ''}`
    : `Series in ${input.roomName}: ${plural(total, 'occurrence')} in the booking window`;
  return `${head}${parts.length ? ` — ${parts.join(', ')}` : ''}.`;
}
