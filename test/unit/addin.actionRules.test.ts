import { checkInWindow, isInside } from '../../server/hector/checkIn';
import type { Loan } from '../../server/hector/port';
import { bodyText, meetingBody } from '../../server/sync/outbound/rules';

// Issue 17's pure rules: the check-in window (B9) and Hector's section in a person's body (B7, HC4).

const loan = (items: Loan['items']): Loan =>
  ({
    id: 'loan-1',
    number: 1042,
    items,
  }) as Loan;
const room = {
  kind: 'place' as const,
  id: 'p1',
  name: 'Salle A-001',
  status: 'active' as const,
  email: 'a@x',
};
const projector = {
  kind: 'asset' as const,
  id: 'a1',
  name: 'Vidéoprojecteur',
  status: 'active' as const,
  email: null,
};
const URL = 'https://hector.example.org/loans/{id}';

describe('B9: the check-in window', () => {
  const start = new Date('2026-12-03T09:00:00Z');
  const window = checkInWindow(start, { before: 10, after: 10 }, 'Europe/Paris');
  it.each([
    ['2026-12-03T08:49:59Z', false],
    ['2026-12-03T08:50:00Z', true],
    ['2026-12-03T09:00:00Z', true],
    ['2026-12-03T09:10:00Z', true],
    ['2026-12-03T09:10:01Z', false],
  ])('B9: at %s inside = %s (10 min before to 10 min after)', (now, inside) => {
    expect(isInside(window, new Date(now))).toBe(inside);
  });
  it('B9: a place’s own minutes change the window', () => {
    const own = checkInWindow(start, { before: 0, after: 30 }, 'UTC');
    expect(isInside(own, new Date('2026-12-03T08:59:00Z'))).toBe(false);
    expect(isInside(own, new Date('2026-12-03T09:29:00Z'))).toBe(true);
  });
});

describe('B7 HC4: Hector’s section in the organizer’s own body', () => {
  it('B7: a loan with rooms only leaves the person’s body alone', () => {
    expect(meetingBody('<p>Ordre du jour</p>', loan([room]), URL)).toBeNull();
  });

  it('HC4: with an asset, the items and the link are added after the person’s text, inside <body>', () => {
    const html = '<html><body><p>Ordre du jour</p></body></html>';
    const body = meetingBody(html, loan([room, projector]), URL)!;
    expect(body.startsWith('<html><body><p>Ordre du jour</p><p>Prêt Hector #1042</p>')).toBe(true);
    expect(body.endsWith('</body></html>')).toBe(true);
    expect(bodyText(body)).toContain('Salle A-001 Vidéoprojecteur');
    expect(body).toContain('https://hector.example.org/loans/loan-1');
  });

  it('HC4: the section is replaced, not repeated; with the asset gone it lists the rest', () => {
    const once = meetingBody('<p>Ordre du jour</p>', loan([room, projector]), URL)!;
    expect(meetingBody(once, loan([room, projector]), URL)).toBe(once);
    const after = meetingBody(once, loan([room, { ...projector, status: 'cancelled' }]), URL)!;
    expect(after.match(/Prêt Hector #1042/g)).toHaveLength(1);
    expect(bodyText(after)).not.toContain('Vidéoprojecteur');
    expect(bodyText(after)).toContain('Ordre du jour');
  });
});
