import { GroupCommit } from '../../server/store/groupCommit';
import { DatabaseUnavailableError } from '../../server/store/database';
import type { NewJob } from '../../server/store/queue';
import { isIgnoredRoom, parseIgnoredTags } from '../../server/sync/rooms';

const job = (key: string): NewJob<{ key: string }> => ({ data: { key }, singletonKey: key });

describe('intake group commit', () => {
  it('E1: notifications arriving together are written by one insert, then all answered', async () => {
    const writes: string[][] = [];
    const gc = new GroupCommit<{ key: string }>({
      write: async (jobs) => {
        writes.push(jobs.map((j) => j.singletonKey!));
      },
      windowMs: 5,
    });
    await Promise.all([gc.submit([job('a')]), gc.submit([job('b'), job('c')]), gc.submit([job('d')])]);
    expect(writes).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('E1: pending duplicates of one room event coalesce inside a batch', async () => {
    const writes: string[][] = [];
    const gc = new GroupCommit<{ key: string }>({
      write: async (jobs) => void writes.push(jobs.map((j) => j.singletonKey!)),
    });
    await Promise.all([gc.submit([job('a'), job('a')]), gc.submit([job('a'), job('b')])]);
    expect(writes).toEqual([['a', 'b']]);
  });

  it('E1: while one insert runs the next batch gathers, and goes in one insert after it', async () => {
    const writes: string[][] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const gc = new GroupCommit<{ key: string }>({
      write: async (jobs) => {
        writes.push(jobs.map((j) => j.singletonKey!));
        if (writes.length === 1) await first;
      },
      windowMs: 1,
    });
    const a = gc.submit([job('a')]);
    await new Promise((r) => setTimeout(r, 10));
    const rest = [gc.submit([job('b')]), gc.submit([job('c')])];
    release();
    await Promise.all([a, ...rest]);
    expect(writes).toEqual([['a'], ['b', 'c']]);
  });

  it('E1: a database that fails or hangs fails every waiter with DATABASE_UNAVAILABLE (→ 503)', async () => {
    const failing = new GroupCommit({ write: () => Promise.reject(new Error('connection refused')) });
    await expect(failing.submit([job('a')])).rejects.toBeInstanceOf(DatabaseUnavailableError);
    const hanging = new GroupCommit({ write: () => new Promise<void>(() => undefined), timeoutMs: 20 });
    await expect(
      Promise.all([hanging.submit([job('a')]), hanging.submit([job('b')])]),
    ).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });
});

describe('ignored tags', () => {
  it('R3: comparison ignores case and surrounding spaces', () => {
    const tags = parseIgnoredTags('  Non-Hector ,, Projecteur ');
    expect(tags).toEqual(['non-hector', 'projecteur']);
    expect(isIgnoredRoom({ tags: ['NON-HECTOR '] }, tags)).toBe(true);
    expect(isIgnoredRoom({ tags: ['hector'] }, tags)).toBe(false);
    expect(isIgnoredRoom({ tags: ['non-hector'] }, [])).toBe(false);
  });
});
