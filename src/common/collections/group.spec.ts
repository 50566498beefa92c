import { addTo } from './group.js';

describe('addTo', () => {
  it('keeps each key’s values in insertion order', () => {
    const lists = new Map<string, number[]>();
    [1, 2, 3, 4, 5].forEach((n) => addTo(lists, n % 2 ? 'odd' : 'even', n));
    expect([...lists]).toEqual([
      ['odd', [1, 3, 5]],
      ['even', [2, 4]],
    ]);
  });
});
