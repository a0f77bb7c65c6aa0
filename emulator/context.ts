/** Everything a route or the control API needs, built once per emulator by index.ts. */
import type { EmulatorClock } from './clock';
import type { TokenIssuer } from './entra/tokens';
import type { Calendar } from './exchange/calendar';
import type { Faults, Stats } from './faults';
import type { Notifier } from './notify/notifier';
import type { EmulatorState } from './state';

export interface EmulatorContext {
  state: EmulatorState;
  clock: EmulatorClock;
  calendar: Calendar;
  tokens: TokenIssuer;
  notifier: Notifier;
  faults: () => Faults;
  random: () => number;
  stats: Stats;
  tls: boolean;
  /** PEM of the CA the emulator trusts for its own outgoing https calls (webhooks, $batch). */
  ca?: string;
  url: () => string;
  graphUrl: () => string;
}
