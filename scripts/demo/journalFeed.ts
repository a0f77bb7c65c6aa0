import type { JournalEntry, JournalPage } from '../../contract/journal';
import type { ApiClient } from './client';

/**
 * Follows the sync journal (GET /api/admin/journal) and prints one line per decision, oldest
 * first: what `--activity` shows so the two-way sync can be watched.
 */
export function followJournal(
  api: ApiClient,
  print: (line: string) => void,
  options: { since: Date; intervalMs?: number },
): { stop(): Promise<void> } {
  const seen = new Set<string>();
  let since = options.since;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const poll = async (): Promise<void> => {
    const { items } = await api.get<JournalPage>(
      `/api/admin/journal?since=${encodeURIComponent(since.toISOString())}&limit=200`,
    );
    for (const item of [...items].reverse()) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      print(formatEntry(item));
      if (new Date(item.at) > since) since = new Date(item.at);
    }
  };
  const tick = (): void => {
    if (stopped) return;
    running = poll()
      .catch(() => undefined)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 1000);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export function formatEntry(item: JournalEntry): string {
  const time = new Date(item.at).toISOString().slice(11, 19);
  return `  ${time}  sync  ${item.kind.padEnd(12)} ${item.message}`;
}
