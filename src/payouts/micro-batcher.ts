/**
 * Gathers work items that arrive close together (concurrent BullMQ jobs) into one batch, so a batch of payouts
 * costs a few database round trips and commits instead of a few per payout. A batch runs when it reaches
 * `maxSize` or `maxWaitMs` after its first item; each item's promise settles with that item's own outcome.
 */
export class MicroBatcher<T> {
  private waiting: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** Runs a batch; returns the error of each failed item (absent = succeeded). Throwing fails the whole batch. */
    private readonly run: (items: T[]) => Promise<Map<T, unknown>>,
    private readonly maxSize: number,
    private readonly maxWaitMs: number,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.run(batch.map((entry) => entry.item)).then(
      (failures) => {
        for (const entry of batch) {
          if (failures.has(entry.item)) entry.reject(failures.get(entry.item));
          else entry.resolve();
        }
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  }
}
