import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../../src/db/orm';
import { sql } from '../../src/db/sql';
import { enterScope } from '../../src/db/tenant-gate';
import { serviceDatabaseUrl } from '../../src/db/service-login';
import {
  configurePreparedStatements,
  isPreparable,
  preparedStatementSettings,
  statementName,
  trackedStatements,
  type PreparingClient,
} from '../../src/db/prepared-statements';
import { Role } from '../../src/modules/account/account.entity';
import type { Agency } from '../../src/modules/agency/agency.entity';
import { startHarness, type Harness } from '../support/harness';
import { TEST_SERVICE_PASSWORD } from '../support/pg-env';

/**
 * Repeated reads of `sql()` run as named prepared statements (src/db/prepared-statements.ts). What
 * must hold: the plan a connection keeps never carries one request's scope into another's; each
 * connection keeps a bounded number of statements; a failed statement leaves nothing behind that
 * breaks the next request; and the switch turns it all off.
 *
 * One pooled connection (pool max 1), so every transaction here runs on the same connection and the
 * server's `pg_prepared_statements` of that session is what `sql()` left there.
 */
describe('prepared statements for repeated reads', () => {
  let h: Harness;
  let orm: MikroORM;
  let agencies: Map<string, Agency>;
  const defaults = preparedStatementSettings();

  beforeAll(async () => {
    h = await startHarness();
    agencies = await h.tree({
      code: 'ps-root',
      children: [
        { code: 'ps-a', children: [{ code: 'ps-a1' }] },
        { code: 'ps-b', children: [{ code: 'ps-b1' }, { code: 'ps-b2' }] },
      ],
    });
    orm = await initOrm(serviceDatabaseUrl(h.dbUrl, TEST_SERVICE_PASSWORD), { pool: { min: 0, max: 1 } });
  });
  afterEach(() => configurePreparedStatements(defaults));
  afterAll(async () => {
    await orm?.close(true);
    await h?.close();
  });

  /** Runs `work` in a request-like transaction under `code`'s scope, on the one pooled connection. */
  async function asAgency<T>(code: string, work: (em: EntityManager) => Promise<T>, as: { roles: Role[]; readOnly: boolean } = { roles: [Role.AGENCY_ADMIN], readOnly: false }): Promise<T> {
    const em = orm.em.fork() as EntityManager;
    await em.begin();
    try {
      const a = agencies.get(code)!;
      await enterScope(em, {
        accountId: '00000000-0000-0000-0000-000000000000',
        username: 'probe',
        agencyId: a.id,
        agencyPath: a.path,
        roles: as.roles,
        unitId: null,
        readOnly: as.readOnly,
      });
      const out = await work(em);
      await em.commit();
      return out;
    } catch (err) {
      await em.rollback();
      throw err;
    }
  }

  /** The session's prepared statements (this listing is itself a repeated read, so it is one of them). */
  const LISTING = `select name from pg_prepared_statements where name like 's\\_%' order by name`;
  const serverStatements = (em: EntityManager) => sql<{ name: string }>(em, LISTING).then((r) => r.map((x) => x.name));
  const besidesListing = (names: string[]) => names.filter((n) => n !== statementName(LISTING));

  async function client(em: EntityManager): Promise<PreparingClient> {
    const trx = em.getTransactionContext<{ client: { acquireConnection(): Promise<PreparingClient> } }>()!;
    return trx.client.acquireConnection();
  }

  it('prepares a read at its second sighting, and the kept plan still answers each scope for itself', async () => {
    const text = `select code from agency where code like 'ps-%' order by code`;
    const name = statementName(text);
    const first = await asAgency('ps-a', async (em) => ({ rows: await sql<{ code: string }>(em, text), kept: await serverStatements(em) }));
    expect(first.rows.map((r) => r.code)).toEqual(['ps-a', 'ps-a1']);
    expect(first.kept).not.toContain(name);

    const second = await asAgency('ps-a', async (em) => ({ rows: await sql<{ code: string }>(em, text), kept: await serverStatements(em) }));
    expect(second.rows.map((r) => r.code)).toEqual(['ps-a', 'ps-a1']);
    expect(second.kept).toContain(name);

    // The same named statement on the same connection, now for another tenant and for the root:
    // the scope is read when the plan runs, so each sees its own subtree and nothing else.
    const other = await asAgency('ps-b', async (em) => ({ rows: await sql<{ code: string }>(em, text), kept: await serverStatements(em) }));
    expect(other.kept).toContain(name);
    expect(other.rows.map((r) => r.code)).toEqual(['ps-b', 'ps-b1', 'ps-b2']);
    const root = await asAgency('ps-root', (em) => sql<{ code: string }>(em, text));
    expect(root.map((r) => r.code)).toEqual(['ps-a', 'ps-a1', 'ps-b', 'ps-b1', 'ps-b2', 'ps-root']);
    const leaf = await asAgency('ps-b1', (em) => sql<{ code: string }>(em, text));
    expect(leaf.map((r) => r.code)).toEqual(['ps-b1']);
  });

  it('a plan kept under one role is not used for another: an evaluator does not see what a writer saw', async () => {
    await h.account({ agency: 'ps-a', roles: [Role.AGENCY_ADMIN], username: 'ps-admin-a' });
    const text = `select username from account where username like 'ps-%'`;
    const asWriter = () => asAgency('ps-a', (em) => sql<{ username: string }>(em, text));
    const asEvaluator = () => asAgency('ps-a', (em) => sql<{ username: string }>(em, text), { roles: [Role.EVALUATOR], readOnly: true });
    expect(await asWriter()).toEqual([{ username: 'ps-admin-a' }]);
    expect(await asWriter()).toEqual([{ username: 'ps-admin-a' }]);
    // Accounts are hidden from third-party evaluators (migration 20261122060000_EvaluatorView).
    expect(await asEvaluator()).toEqual([]);
    expect(await asEvaluator()).toEqual([]);
    expect(await asWriter()).toEqual([{ username: 'ps-admin-a' }]);
    expect(await asAgency('ps-a', serverStatements)).toContain(statementName(text));
  });

  it('keeps at most the configured number per connection, least recently used out first', async () => {
    configurePreparedStatements({ perConnection: 3 });
    const texts = [1, 2, 3, 4, 5].map((n) => `select ${n} + 1000 as n`);
    await asAgency('ps-root', async (em) => {
      for (const t of texts) for (let i = 0; i < 2; i++) expect(await sql<{ n: number }>(em, t)).toEqual([{ n: Number(t.split(' ')[1]) + 1000 }]);
    });
    const kept = await asAgency('ps-root', async (em) => ({ server: await serverStatements(em), tracked: trackedStatements(await client(em)) }));
    // The gate's own statement and this listing are repeated reads too and share the three places:
    // the oldest two are gone from the server, the newest is there, and no more than three are kept.
    expect(kept.server).not.toContain(statementName(texts[0]!));
    expect(kept.server).not.toContain(statementName(texts[1]!));
    expect(kept.server).toContain(statementName(texts[4]!));
    expect(kept.tracked.length).toBeLessThanOrEqual(3);
    expect(besidesListing(kept.server).length).toBeLessThanOrEqual(3);
    // An evicted statement parses anew and answers as before.
    await asAgency('ps-root', async (em) => {
      expect(await sql(em, texts[0]!)).toEqual([{ n: 1001 }]);
      expect(await serverStatements(em)).toContain(statementName(texts[0]!));
    });
  });

  it('a statement that fails, at parse or at run, leaves the connection usable and the cache consistent', async () => {
    configurePreparedStatements({ perConnection: 3 });
    const failsAtRun = `select 1 / (code = 'none')::int as n from agency where code = 'ps-a'`;
    const failsAtParse = `select no_such_column from agency`;
    for (let i = 0; i < 2; i++) {
      await expect(asAgency('ps-root', (em) => sql(em, failsAtRun))).rejects.toThrow(/division by zero/);
      await expect(asAgency('ps-root', (em) => sql(em, failsAtParse))).rejects.toThrow(/no_such_column/);
    }
    // Parsed, then failed while running: the server keeps it. Never parsed: nothing to keep.
    const kept = await asAgency('ps-root', serverStatements);
    expect(kept).toContain(statementName(failsAtRun));
    expect(kept).not.toContain(statementName(failsAtParse));
    // Newer statements push it out: it is deallocated, the one never parsed is not asked for.
    await asAgency('ps-root', async (em) => {
      for (const t of ['select 2001 as n', 'select 2002 as n', 'select 2003 as n']) {
        await sql(em, t);
        await sql(em, t);
      }
      const now = await serverStatements(em);
      expect(now).not.toContain(statementName(failsAtRun));
      expect(besidesListing(now).length).toBeLessThanOrEqual(3);
    });
  });

  it('an eviction whose DEALLOCATE meets an aborted transaction keeps the statement, and the next eviction frees it', async () => {
    configurePreparedStatements({ perConnection: 3 });
    const fill = ['select 3001 as n', 'select 3002 as n', 'select 3003 as n'];
    const newcomer = 'select 3004 as n';
    await asAgency('ps-root', async (em) => {
      for (const t of fill) for (let i = 0; i < 2; i++) await sql(em, t);
      await sql(em, newcomer); // first sighting: runs unnamed
    });
    const { before, c } = await asAgency('ps-root', async (em) => {
      const c = await client(em);
      return { before: trackedStatements(c), c };
    });
    const victim = before[0]!;
    // Watch the connection's DEALLOCATEs and how they end.
    const deallocations: Array<{ name: string; failed: boolean }> = [];
    const query = c.query.bind(c) as (...args: unknown[]) => unknown;
    (c as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [text, callback] = args;
      if (typeof text === 'string' && text.startsWith('deallocate') && typeof callback === 'function') {
        return query(text, (err: Error | null) => {
          deallocations.push({ name: text.slice('deallocate "'.length, -1), failed: Boolean(err) });
          (callback as (e: Error | null) => void)(err);
        });
      }
      return query(...args);
    };
    // The newcomer (second sighting) parses and succeeds, which evicts `victim`; its DEALLOCATE is
    // queued behind a statement sent at the same time that fails and aborts the transaction.
    await expect(
      asAgency('ps-root', (em) => Promise.all([sql(em, newcomer), sql(em, `select 1 / (code = 'none')::int from agency where code = 'ps-a'`)])),
    ).rejects.toThrow(/division by zero/);
    expect(deallocations).toEqual([{ name: victim, failed: true }]);
    // Looked at without running a statement through sql() (which would evict it at once, as the
    // least recently used): the server still holds it, and so do pg's record and the cache.
    const em = orm.em.fork() as EntityManager;
    await em.begin();
    try {
      const c = await client(em);
      const onServer = (await c.query(`select name from pg_prepared_statements`)) as { rows: Array<{ name: string }> };
      expect(onServer.rows.map((r) => r.name)).toContain(victim);
      expect(c.connection.parsedStatements[victim]).toBeDefined();
      expect(trackedStatements(c)).toContain(victim);
    } finally {
      await em.rollback();
    }
    // The next eviction, in a healthy transaction, frees it, and every statement still answers.
    await asAgency('ps-root', async (em) => {
      for (const t of ['select 3005 as n', 'select 3006 as n', 'select 3007 as n']) for (let i = 0; i < 2; i++) await sql(em, t);
    });
    const after = await asAgency('ps-root', async (em) => ({ server: await serverStatements(em), rows: await Promise.all([...fill, newcomer].map((t) => sql(em, t))) }));
    expect(after.server).not.toContain(victim);
    expect(deallocations).toContainEqual({ name: victim, failed: false });
    expect(after.rows.map((r) => r[0])).toEqual([{ n: 3001 }, { n: 3002 }, { n: 3003 }, { n: 3004 }]);
  });

  it('prepares only single reads, and nothing when switched off', async () => {
    expect(isPreparable('select 1')).toBe(true);
    expect(isPreparable('  with x as (select 1) select * from x')).toBe(true);
    expect(isPreparable("update agency set name = 'x'")).toBe(false);
    expect(isPreparable('select 1; select 2')).toBe(false);

    configurePreparedStatements({ perConnection: 0 });
    const text = `select count(*)::int as n from agency where code like 'ps-b%'`;
    const kept = await asAgency('ps-root', async (em) => {
      for (let i = 0; i < 3; i++) expect(await sql(em, text)).toEqual([{ n: 3 }]);
      return serverStatements(em);
    });
    expect(kept).not.toContain(statementName(text));
    // Writes are never prepared, however often they repeat.
    const write = `update agency set name = name where code = 'ps-a'`;
    const afterWrites = await asAgency('ps-root', async (em) => {
      configurePreparedStatements(defaults);
      for (let i = 0; i < 3; i++) await sql(em, write);
      return serverStatements(em);
    });
    expect(afterWrites).not.toContain(statementName(write));
  });
});
