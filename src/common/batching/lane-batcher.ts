import { createHash } from 'node:crypto';

/** The outcome of one item of a batch. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

interface Lane<T, R> {
  waiting: Array<Waiting<T, R>>;
  busy: boolean;
}

/**
 * Group commit for requests: items submitted under the same key go to one of `lanes` lanes (by a hash of the
 * key), and each lane runs at most one batch at a time. An item that finds its lane idle starts a batch at once
 * (no added latency when the system is quiet); items that arrive while the lane is busy wait and go together in
 * the next batch, up to `maxBatch`. Under load a batch therefore holds what arrived during the previous one, and
 * the per-batch cost (round trips, commit) is shared. Each submit settles with its own item's outcome.
 *
 * Keys decide which items may share a lane: callers pick keys so that different lanes rarely touch the same rows
 * (payments use the receiver, so two lanes never credit the same receiver balance at once).
 */
export class LaneBatcher<T, R> {
  private readonly lanes: Array<Lane<T, R>>;

  constructor(
    /** Runs one batch of a lane; answers one outcome per item, in order. Throwing fails every item. */
    private readonly run: (lane: number, items: T[]) => Promise<Array<Settled<R>>>,
    readonly laneCount: number,
    private readonly maxBatch: number,
  ) {
    this.lanes = Array.from({ length: laneCount }, () => ({ waiting: [], busy: false }));
  }

  submit(key: string, item: T): Promise<R> {
    const index = laneOf(key, this.laneCount);
    const lane = this.lanes[index];
    return new Promise<R>((resolve, reject) => {
      lane.waiting.push({ item, resolve, reject });
      if (!lane.busy) {
        lane.busy = true;
        // Let the requests already read in this turn of the event loop join the first batch.
        setImmediate(() => void this.drain(index));
      }
    });
  }

  private async drain(index: number): Promise<void> {
    const lane = this.lanes[index];
    while (lane.waiting.length > 0) {
      const batch = lane.waiting.splice(0, this.maxBatch);
      let outcomes: Array<Settled<R>>;
      try {
        outcomes = await this.run(
          index,
          batch.map((entry) => entry.item),
        );
      } catch (error) {
        outcomes = batch.map(() => ({ ok: false, error }));
      }
      batch.forEach((entry, i) => {
        const outcome = outcomes[i] ?? { ok: false, error: new Error('The batch gave no outcome for this item.') };
        if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    }
    lane.busy = false;
  }
}

function laneOf(key: string, lanes: number): number {
  if (lanes === 1) return 0;
  return createHash('sha1').update(key).digest().readUInt32BE(0) % lanes;
}
