import { runInboundChaos, startChaosStack } from '../support/inboundChaos';
import type { Stack } from '../support/stack';

// B10 (issue 18): the same chaos as inbound.chaos.test.ts (4 shuffled deliveries per change, 20 %
// of 429s) with RICH_NOTIFICATIONS=on: every meeting still ends with one correct loan, and the
// changes' copies come inside the notifications, so almost no event is read.
// A hang guard, not a speed target.
jest.setTimeout(240_000);

let stack: Stack;

beforeAll(async () => {
  stack = await startChaosStack(true);
}, 150_000);

afterAll(async () => {
  await stack?.close();
});

it('B10 chaos: rich notifications converge on one correct loan per meeting with ≤ 0.1 event GET per change', async () => {
  const figures = await runInboundChaos(stack);
  expect(figures.throttled429).toBeGreaterThan(0);
  expect(figures.readsPerChange).toBeLessThanOrEqual(0.1);
});
