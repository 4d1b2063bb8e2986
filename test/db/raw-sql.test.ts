import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../src/db/sql';
import { QueryStats } from '../../src/db/counting-logger';
import { startHarness, type Harness } from '../support/harness';

/**
 * `sql()` sends a statement of a transaction straight to the transaction's connection
 * (src/db/sql.ts). It must behave exactly as `em.execute` did: inside the transaction, counted,
 * with MikroORM's exceptions — and never run once the transaction is over.
 */
describe('raw SQL in a transaction', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function inTransaction(): Promise<{ em: EntityManager; stats: QueryStats }> {
    const stats = new QueryStats();
    const em = h.orm.em.fork({ loggerContext: { stats } }) as EntityManager;
    await em.begin();
    return { em, stats };
  }

  it('runs inside the transaction: it sees the transaction’s settings and its own uncommitted rows', async () => {
    const { em } = await inTransaction();
    try {
      await sql(em, `select set_config('app.raw_sql_test', ?, true)`, ['inside']);
      expect(await sql(em, `select current_setting('app.raw_sql_test', true) as v`)).toEqual([{ v: 'inside' }]);
      await sql(em, `create temporary table raw_sql_probe (n int) on commit drop`);
      await sql(em, `insert into raw_sql_probe values (?), (?)`, [1, 2]);
      // The ORM's own statements run on the same connection and see the same rows.
      const viaOrm = await em.execute<Array<{ c: number }>>(`select count(*)::int as c from raw_sql_probe`);
      expect(viaOrm).toEqual([{ c: 2 }]);
    } finally {
      await em.rollback();
    }
    const { em: other } = await inTransaction();
    try {
      expect(await sql(other, `select current_setting('app.raw_sql_test', true) as v`)).toEqual([{ v: '' }]);
    } finally {
      await other.rollback();
    }
  });

  it('counts every statement, failed ones too', async () => {
    const { em, stats } = await inTransaction();
    try {
      const before = stats.sql;
      await sql(em, 'select 1');
      await sql(em, 'select ?::int as n', [2]);
      await expect(sql(em, 'select 1/0')).rejects.toThrow();
      expect(stats.sql - before).toBe(3);
      // The same as through em.execute.
      await sql(em, 'rollback');
      await sql(em, 'begin');
      const mid = stats.sql;
      await em.execute('select 1', [], 'all', em.getLoggerContext());
      await em.execute('select ?::int as n', [2], 'all', em.getLoggerContext());
      await expect(em.execute('select 1/0', [], 'all', em.getLoggerContext())).rejects.toThrow();
      expect(stats.sql - mid).toBe(3);
    } finally {
      await em.rollback();
    }
  });

  it('throws MikroORM’s exceptions, as em.execute does', async () => {
    const { em } = await inTransaction();
    try {
      await sql(em, `create temporary table raw_sql_unique (k int primary key) on commit drop`);
      await sql(em, `insert into raw_sql_unique values (1)`);
      await sql(em, 'savepoint s');
      const duplicate = await sql(em, `insert into raw_sql_unique values (1)`).catch((e: unknown) => e);
      expect(duplicate).toBeInstanceOf(UniqueConstraintViolationException);
      await sql(em, 'rollback to savepoint s');
      const broken = await sql(em, 'select 1/0').catch((e: unknown) => e);
      expect(broken).toBeInstanceOf(DriverException);
      expect((broken as DriverException).code).toBe('22012');
    } finally {
      await em.rollback();
    }
  });

  it('refuses to run once the transaction has ended, before anything reaches the connection', async () => {
    const { em } = await inTransaction();
    const trx = em.getTransactionContext()!;
    const connection = (await (trx.client as unknown as { acquireConnection(): Promise<{ query: (...a: unknown[]) => unknown }> }).acquireConnection());
    // The transaction ends while the request still holds it (a client that went away: the close
    // handler rolls back while resolvers are still running), and its connection goes back to the pool.
    await em.getConnection('write').rollback(trx);
    const sent: unknown[] = [];
    const query = connection.query;
    connection.query = function (this: unknown, ...args: unknown[]) {
      sent.push(args[0]);
      return query.apply(this, args);
    };
    try {
      await expect(sql(em, 'select 1')).rejects.toThrow(/already complete/);
    } finally {
      connection.query = query;
      em.resetTransactionContext();
    }
    expect(sent).toEqual([]);
  });
});
