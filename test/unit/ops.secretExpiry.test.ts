import type { AppSecretInfo } from '../../server/graph/gateway';
import { pickSecretExpiry } from '../../server/sync/operations/secretExpiry';

// Issue 15 "Credentials expiry": which of the app's secrets (as Graph lists them) is ours.
const secret = (hint: string | null, endDateTime: string | null): AppSecretInfo => ({
  keyId: `${hint}-${endDateTime}`,
  displayName: null,
  hint,
  endDateTime,
});

describe('pickSecretExpiry', () => {
  it("B6: the secret whose hint is our secret's first 3 characters, even when another expires sooner", () => {
    const at = pickSecretExpiry(
      [secret('old', '2026-01-10T00:00:00Z'), secret('emu', '2027-06-01T00:00:00Z')],
      'emu',
    );
    expect(at?.toISOString()).toBe('2027-06-01T00:00:00.000Z');
  });

  it('B6: no hint matches → the soonest-expiring one', () => {
    const at = pickSecretExpiry(
      [secret('abc', '2027-06-01T00:00:00Z'), secret(null, '2026-01-10T00:00:00Z')],
      'emu',
    );
    expect(at?.toISOString()).toBe('2026-01-10T00:00:00.000Z');
  });

  it('B6: ours never expires → null; no secret listed → undefined (the settings decide)', () => {
    expect(pickSecretExpiry([secret('emu', null), secret('old', '2026-01-10T00:00:00Z')], 'emu')).toBeNull();
    expect(pickSecretExpiry([], 'emu')).toBeUndefined();
  });
});
