/**
 * Runs work one at a time per key inside this process (a promise chain per key), and forgets
 * keys that have nothing waiting. The building block of the meeting lock and the copy gate.
 */
export interface KeyedChain {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createKeyedChain(): KeyedChain {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const mine = previous.then(work, work);
      const tail = mine.catch(() => undefined);
      tails.set(key, tail);
      try {
        return await mine;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
