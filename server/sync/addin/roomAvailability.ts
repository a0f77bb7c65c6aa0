import { badRequest } from '../../errors';
import type { Place } from '../../hector/port';
import { roundEndUp, roundStartDown } from '../../hector/time';
import type { Language } from './loanView';
import type { AddinActionDeps } from './meetingLoans';
import { localizeReason } from './reasonWording';
import type { AvailabilityResponse, RoomAlternative, RoomAvailability } from '../../../contract/addin';

/** How many free rooms the pane offers. */
const MAX_ALTERNATIVES = 5;

/**
 * B8: before sending, whether Hector can lend each room of the meeting being composed (V4, and the
 * K2 rules: schedule, maximum duration, booking window), on Hector's 15-minute blocks of the
 * meeting (OC2, as inbound will book it); and free rooms of the same building with a similar
 * capacity. Reasons are Hector's sentences in the caller's language.
 */
export async function roomAvailability(
  input: { start: string; end: string; rooms: string[]; excludeLoanIds?: string[] },
  language: Language,
  deps: Pick<AddinActionDeps, 'hector'>,
): Promise<AvailabilityResponse> {
  const exclude = new Set(input.excludeLoanIds ?? []);
  const start = roundStartDown(new Date(input.start)).toISOString();
  const end = roundEndUp(new Date(input.end)).toISOString();
  if (new Date(end).getTime() <= new Date(start).getTime()) {
    throw badRequest('end must be after start.');
  }
  const places = (await deps.hector.listPlaces({ active: true, synced: true })).filter((p) => p.email);
  const byEmail = new Map(places.map((p) => [p.email!.toLowerCase(), p]));
  const asked = [...new Set(input.rooms.map((r) => r.trim().toLowerCase()))];

  const rooms: RoomAvailability[] = [];
  for (const email of asked) {
    const place = byEmail.get(email);
    if (!place) {
      rooms.push({ email, available: false, reasons: [text.notSynced[language]] });
      continue;
    }
    const reasons = await reasonsFor(place, start, end, exclude, language, deps);
    rooms.push({ email, available: reasons.length === 0, reasons });
  }

  const wanted = asked.map((e) => byEmail.get(e)).filter((p): p is Place => Boolean(p));
  const alternatives: RoomAlternative[] = [];
  if (rooms.some((r) => !r.available)) {
    const buildings = new Set(wanted.map((p) => p.building).filter((b): b is string => Boolean(b)));
    const capacity = Math.max(0, ...wanted.map((p) => p.capacity ?? 0));
    const candidates = places
      .filter((p) => !asked.includes(p.email!.toLowerCase()))
      .filter((p) => buildings.size === 0 || (p.building !== null && buildings.has(p.building)))
      // Similar capacity: at least the requested room's, closest first.
      .filter((p) => capacity === 0 || (p.capacity ?? 0) >= capacity)
      .sort(
        (a, b) =>
          Math.abs((a.capacity ?? 0) - capacity) - Math.abs((b.capacity ?? 0) - capacity) ||
          a.name.localeCompare(b.name),
      );
    for (const place of candidates) {
      if (alternatives.length >= MAX_ALTERNATIVES) break;
      if ((await reasonsFor(place, start, end, exclude, language, deps)).length > 0) continue;
      alternatives.push({
        email: place.email!,
        name: place.name,
        building: place.building,
        capacity: place.capacity,
      });
    }
  }
  return { rooms, alternatives };
}

async function reasonsFor(
  place: Place,
  start: string,
  end: string,
  exclude: Set<string>,
  language: Language,
  deps: Pick<AddinActionDeps, 'hector'>,
): Promise<string[]> {
  const item = { kind: 'place' as const, id: place.id };
  const violations = await deps.hector.validateLoan({ start, end, items: [item] });
  const conflicts = (await deps.hector.checkAvailability([item], start, end)).conflicts.filter(
    (c) => !exclude.has(c.loanId),
  );
  const numbers = [...new Set(conflicts.map((c) => `#${c.loanNumber}`))];
  return [
    ...violations.map((v) => localizeReason(v.message, language)),
    ...(numbers.length > 0
      ? [localizeReason(`${place.name} is taken by loan ${numbers.join(', ')}`, language)]
      : []),
  ];
}

const text = {
  notSynced: {
    fr: 'Cette salle n’est pas une salle qu’Hector prête (elle n’est pas synchronisée).',
    en: 'This room is not one Hector lends (it is not synced).',
  },
} as const;
