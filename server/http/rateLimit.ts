/**
 * A per-user request budget: at most `limit` requests per window (fixed windows, one counter per
 * key). In memory: each instance counts its own callers, which is enough to stop one runaway pane.
 */
export interface RateLimiter {
  /** null when allowed; else the seconds until the caller may ask again. */
  take(key: string): number | null;
}

export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  now: () => Date;
}): RateLimiter {
  const windows = new Map<string, { startedAt: number; count: number }>();
  let lastSweep = 0;
  return {
    take(key) {
      const now = options.now().getTime();
      if (now - lastSweep > options.windowMs) {
        // Forget finished windows so the map does not grow with every user ever seen.
        for (const [k, w] of windows) if (now - w.startedAt >= options.windowMs) windows.delete(k);
        lastSweep = now;
      }
      let window = windows.get(key);
      if (!window || now - window.startedAt >= options.windowMs) {
        window = { startedAt: now, count: 0 };
        windows.set(key, window);
      }
      if (window.count >= options.limit) {
        return Math.max(1, Math.ceil((window.startedAt + options.windowMs - now) / 1000));
      }
      window.count++;
      return null;
    },
  };
}
