import { MicroBatcher } from './micro-batcher.js';

describe('MicroBatcher', () => {
  it('runs items that arrive together as one batch and settles each with its own outcome', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number>(
      async (items) => {
        batches.push(items);
        return new Map(items.filter((n) => n % 2 === 1).map((n) => [n, new Error(`odd ${n}`)]));
      },
      10,
      5,
    );
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.add(n)));
    expect(batches).toEqual([[1, 2, 3, 4]]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
  });

  it('starts a batch as soon as it is full, and fails every item when the batch itself fails', async () => {
    const sizes: number[] = [];
    const batcher = new MicroBatcher<number>(
      async (items) => {
        sizes.push(items.length);
        if (items.includes(5)) throw new Error('database down');
        return new Map();
      },
      2,
      20,
    );
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    expect(sizes).toEqual([2, 2, 1]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
  });
});
