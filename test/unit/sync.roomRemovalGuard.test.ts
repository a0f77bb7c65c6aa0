import { createMailboxResolver } from '../../server/graph/mailboxIds';
import { isSuspiciousImport } from '../../server/sync/roomRemovalGuard';
import { suspiciousImportMessage } from '../../server/sync/rules/wording';

// R1 guard (GRAPH-FACTS "Real tenants": Places lags Exchange by up to two days, docs#7192).
describe('R1: which imports are held back for the admin', () => {
  it.each([
    // seen, active before, would deactivate, held?
    [0, 250, 250, true],
    [51, 250, 199, true],
    [124, 250, 126, true],
    [125, 250, 125, false],
    [248, 250, 2, false],
    [0, 0, 0, false],
    [3, 12, 0, false], // nothing to deactivate: nothing to ask
  ])('R1: %i seen of %i active, %i missing → held %s', (seen, active, missing, held) => {
    expect(isSuspiciousImport(seen, active, missing)).toBe(held);
  });

  it('R1: the warning says nothing was deactivated, names the two-day lag and both choices', () => {
    const text = suspiciousImportMessage({ source: 'places', seen: 0, activeBefore: 250, held: 250 });
    expect(text).toContain('the Places API returned no room where 250 are synchronised');
    expect(text).toContain('no room was deactivated');
    expect(text).toContain('two days');
    expect(text).toMatch(/Confirm .* deactivate the 250 missing rooms, or dismiss to keep them/);
  });
});

// Mailbox addressing (GRAPH-FACTS "Real tenants", docs#3979): each address resolved once, by id after.
describe('mailbox ids', () => {
  it('resolves an address once, keeps it, and passes object ids through', async () => {
    const find = jest.fn(async (address: string) => (address === 'a@x.test' ? 'id-a' : null));
    const saved = new Map<string, string>();
    const resolver = createMailboxResolver(find, {
      find: async (a) => saved.get(a) ?? null,
      save: async (a, id) => void saved.set(a, id),
    });
    expect(await Promise.all([resolver.keyOf('A@x.test'), resolver.keyOf('a@x.test')])).toEqual([
      'id-a',
      'id-a',
    ]);
    expect(await resolver.keyOf('a@x.test')).toBe('id-a');
    expect(find).toHaveBeenCalledTimes(1);
    expect(saved.get('a@x.test')).toBe('id-a');
    expect(await resolver.keyOf('0000-guid')).toBe('0000-guid');
    // Nobody has it: the address itself, asked again next time (it may become a user).
    expect(await resolver.keyOf('nobody@x.test')).toBe('nobody@x.test');
    await resolver.keyOf('nobody@x.test');
    expect(find).toHaveBeenCalledTimes(3);
  });

  it('uses an id stored by an earlier run without asking Graph', async () => {
    const find = jest.fn(async () => 'fresh');
    const resolver = createMailboxResolver(find, { find: async () => 'stored', save: async () => {} });
    expect(await resolver.keyOf('b@x.test')).toBe('stored');
    expect(find).not.toHaveBeenCalled();
  });
});
