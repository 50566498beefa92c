import { StatementNames } from './named-statements.js';

describe('StatementNames', () => {
  it('names a text on its third use, and keeps that name', () => {
    const names = new StatementNames();
    expect(names.nameFor('SELECT $1')).toBeUndefined();
    expect(names.nameFor('SELECT $1')).toBeUndefined();
    const name = names.nameFor('SELECT $1');
    expect(name).toMatch(/^ar_\d+$/);
    expect(names.nameFor('SELECT $1')).toBe(name);
    expect(names.nameFor('SELECT $2')).toBeUndefined();
  });

  it('gives different texts different names', () => {
    const names = new StatementNames();
    const named = ['SELECT $1', 'SELECT $1 ', 'select $1'].map((text) => {
      names.nameFor(text);
      names.nameFor(text);
      return names.nameFor(text);
    });
    expect(new Set(named).size).toBe(3);
  });

  it('names at most 500 texts; later ones stay unnamed, earlier ones keep their names', () => {
    const names = new StatementNames();
    const use = (text: string) => [names.nameFor(text), names.nameFor(text), names.nameFor(text)][2];
    const first = use('SELECT 0 + $1');
    for (let i = 1; i < 500; i++) expect(use(`SELECT ${i} + $1`)).toBeDefined();
    expect(use('SELECT 500 + $1')).toBeUndefined();
    expect(names.nameFor('SELECT 0 + $1')).toBe(first);
  });
});
