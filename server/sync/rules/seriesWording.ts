/** B3: the journal's one line per series change (its occurrences' entries carry the details). */
import { journalMessage } from '../journalText/render';

export interface SeriesTally {
  created: number;
  updated: number;
  cancelled: number;
  ignored: number;
  inSync: number;
  /** Past occurrences gone from the series, whose loans are kept. */
  kept: number;
}

/** The series line's code, params and English (the subject is not part of it). */
export function seriesPassMessage(input: {
  roomName: string;
  tally: SeriesTally;
  gone: boolean;
  why: string | null;
  subject: string | null;
}) {
  return journalMessage('series.pass', {
    room: input.roomName,
    ...input.tally,
    gone: input.gone,
    why: input.why,
  });
}

export const describeSeriesPass = (input: Parameters<typeof seriesPassMessage>[0]): string =>
  seriesPassMessage(input).message;
