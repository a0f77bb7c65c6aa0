import { runInboundChaos, startChaosStack } from '../support/inboundChaos';
import type { Stack } from '../support/stack';

// Notifications are triggers: with every change delivered 4 times, shuffled, in small batches,
// and 20 % of Graph calls answered 429, 50 meetings and their changes end with exactly one
// correct loan each, for about one Graph GET per change (test/support/inboundChaos.ts).
// A hang guard, not a speed target: on a loaded 2-core machine these runs took up to 130 s.
jest.setTimeout(240_000);

let stack: Stack;

beforeAll(async () => {
  stack = await startChaosStack(false);
}, 150_000);

afterAll(async () => {
  await stack?.close();
});

it('chaos: 4 shuffled deliveries per change and 20 % of 429s converge on one correct loan per meeting', async () => {
  const figures = await runInboundChaos(stack);
  expect(figures.throttled429).toBeGreaterThan(0);
  expect(figures.getsPerChange).toBeLessThanOrEqual(1.2);
});
