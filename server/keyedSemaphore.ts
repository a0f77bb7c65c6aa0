/** A counting semaphore per key, so one busy mailbox never holds back another. */
export class KeyedSemaphore {
  private readonly slots = new Map<string, { active: number; waiting: Array<() => void> }>();
  constructor(private readonly limit: number) {}

  async acquire(key: string): Promise<void> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    if (slot.active < this.limit) {
      slot.active++;
      return;
    }
    await new Promise<void>((resolve) => slot.waiting.push(resolve));
  }

  release(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    const next = slot.waiting.shift();
    if (next) {
      next(); // the slot passes straight to the next waiter
      return;
    }
    slot.active--;
    if (slot.active === 0) this.slots.delete(key);
  }

  active(key: string): number {
    return this.slots.get(key)?.active ?? 0;
  }
}
