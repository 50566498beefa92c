import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app.js';

/** The app's connections: recurring statements prepared once per connection, and pipelined statements. */
describe('database connections', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  it('prepares a recurring parameterised statement once per connection and answers it as before', async () => {
    const runner = db.createQueryRunner();
    try {
      const text = 'SELECT $1::int + 40 AS answer /* named-statements e2e */';
      const answers: number[] = [];
      for (let i = 0; i < 4; i++) answers.push((await runner.query(text, [i]))[0].answer);
      expect(answers).toEqual([40, 41, 42, 43]);
      const prepared = await runner.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text]);
      expect(prepared).toHaveLength(1);
      expect(prepared[0].name).toMatch(/^ar_\d+$/);
      // Statements without parameters are never prepared.
      await runner.query('SELECT 1 AS one /* unparameterised */');
      await runner.query('SELECT 1 AS one /* unparameterised */');
      await runner.query('SELECT 1 AS one /* unparameterised */');
      expect(
        await runner.query('SELECT name FROM pg_prepared_statements WHERE statement LIKE $1', ['%unparameterised%']),
      ).toEqual([]);
    } finally {
      await runner.release();
    }
  });

  it('plans a statement given a long array for that array, unnamed', async () => {
    const runner = db.createQueryRunner();
    try {
      const text = 'SELECT count(*)::int AS n FROM unnest($1::int[]) /* long arrays e2e */';
      const long = Array.from({ length: 100 }, (_, i) => i);
      for (let i = 0; i < 4; i++) expect((await runner.query(text, [long]))[0].n).toBe(100);
      expect(await runner.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text])).toEqual([]);
      for (let i = 0; i < 3; i++) expect((await runner.query(text, [[1, 2]]))[0].n).toBe(2);
      expect(await runner.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text])).toHaveLength(
        1,
      );
    } finally {
      await runner.release();
    }
  });

  it('sends the statements of one transaction together and answers each in order', async () => {
    const rows = await db.transaction((manager) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) => manager.query('SELECT $1::int AS i, txid_current() AS tx', [i])),
      ),
    );
    expect(rows.map(([row]) => row.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(rows.map(([row]) => row.tx)).size).toBe(1);
  });

  it('rolls the whole transaction back when one of the statements sent together fails', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS pipeline_probe (id int PRIMARY KEY)');
    await db.query('DELETE FROM pipeline_probe');
    await expect(
      db.transaction((manager) =>
        Promise.all([
          manager.query('INSERT INTO pipeline_probe (id) VALUES ($1)', [1]),
          manager.query('INSERT INTO pipeline_probe (id) VALUES ($1)', [1]),
          manager.query('INSERT INTO pipeline_probe (id) VALUES ($1)', [2]),
        ]),
      ),
    ).rejects.toMatchObject({ driverError: { code: '23505' } });
    expect(await db.query('SELECT id FROM pipeline_probe')).toEqual([]);
    // The connection goes back to the pool usable.
    await db.transaction((manager) => manager.query('INSERT INTO pipeline_probe (id) VALUES ($1)', [3]));
    expect(await db.query('SELECT id FROM pipeline_probe')).toEqual([{ id: 3 }]);
    await db.query('DROP TABLE pipeline_probe');
  });
});
