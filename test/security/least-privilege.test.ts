import { Client } from 'pg';
import { serviceDatabaseUrl, SERVICE_ROLE } from '../../src/db/service-login';
import { TEST_SERVICE_PASSWORD } from '../support/pg-env';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * The attack: SQL injected into a request's connection tries to leave the tenancy gate —
 * `RESET ROLE`, `SET ROLE` to the owner, reading tables directly, calling the pre-gate function
 * from inside the gate. The request pool logs in as `openness_service` (no superuser, owns nothing,
 * NOINHERIT), so there is nothing to switch back to.
 */
describe('least privilege of the request connections', () => {
  let h: Harness;
  let accountId: string;
  let token: string;
  let dbName: string;

  beforeAll(async () => {
    h = await startHarness();
    dbName = new URL(h.dbUrl).pathname.slice(1);
    await h.tree({ code: 'lp', units: ['lp-u'] });
    const a = await h.account({ agency: 'lp', roles: [Role.AGENCY_ADMIN] });
    accountId = a.account.id;
    token = a.token;
  });
  afterAll(() => h.close());

  /** A connection exactly like the server's request pool opens (what injected SQL would run on). */
  async function asService<T>(work: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ connectionString: serviceDatabaseUrl(h.dbUrl, TEST_SERVICE_PASSWORD) });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  }
  const sqlState = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

  it('the server’s requests log in as openness_service', async () => {
    const res = await h.gql(`{ me { username } }`, {}, token);
    expect(res.errors).toBeUndefined();
    const users = await h.em().getConnection().execute(`select distinct usename from pg_stat_activity where datname = ? and pid <> pg_backend_pid()`, [dbName]);
    expect(users.map((u: any) => u.usename)).toContain(SERVICE_ROLE);
  });

  it('the role is no superuser, owns nothing and inherits nothing', async () => {
    await asService(async (c) => {
      const role = await c.query(`select rolsuper, rolbypassrls, rolinherit, rolcreaterole from pg_roles where rolname = current_user`);
      expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, rolinherit: false, rolcreaterole: false });
      const owned = await c.query(`select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = current_user`);
      expect(owned.rows[0].n).toBe(0);
    });
  });

  it('RESET ROLE inside a request transaction gives nothing back; SET ROLE to the owner is refused', async () => {
    await asService(async (c) => {
      expect(await sqlState(c.query(`select count(*) from account`))).toBe('42501');
      await c.query('begin');
      // What the gate does …
      await c.query(`select set_config('app.scope_path', '', true), set_config('app.read_only', 'on', true), set_config('role', 'openness_app', true)`);
      expect((await c.query(`select count(*)::int as n from account`)).rows[0].n).toBe(0);
      // … and what an injection would try next.
      await c.query('reset role');
      expect(await sqlState(c.query(`select count(*) from account`))).toBe('42501');
      await c.query('rollback');
      for (const statement of ['set role postgres', `select set_config('role', 'postgres', false)`, 'set session authorization postgres']) {
        expect([statement, await sqlState(c.query(statement))]).toEqual([statement, '42501']);
      }
    });
  });

  it('the pre-gate function answers only outside the gate, and never with the password hash', async () => {
    await asService(async (c) => {
      const row = await c.query(`select * from app_principal($1)`, [accountId]);
      expect(row.rows).toHaveLength(1);
      expect(Object.keys(row.rows[0])).not.toContain('password_hash');
      await c.query('begin');
      await c.query(`select set_config('role', 'openness_app', true)`);
      expect(await sqlState(c.query(`select * from app_principal($1)`, [accountId]))).toBe('42501');
      await c.query('rollback');
    });
  });

  it('login reads the account through app_login_account on the request login, which no request role may call', async () => {
    await h.account({ agency: 'lp', roles: [Role.AGENCY_ADMIN], username: 'lp.login', password: 'lp-login-password-1' });
    const res = await h.gql(`mutation { login(input: { username: "lp.login", password: "lp-login-password-1" }) { token account { username } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.login.account.username).toBe('lp.login');
    // Login's pool (application_name openness-login) logs in as openness_service, not as the owner.
    const users = await h
      .em()
      .getConnection()
      .execute(`select distinct usename from pg_stat_activity where datname = ? and application_name = 'openness-login'`, [dbName]);
    expect(users.map((u: any) => u.usename)).toEqual([SERVICE_ROLE]);
    await asService(async (c) => {
      const row = await c.query(`select * from app_login_account('lp.login')`);
      expect(Object.keys(row.rows[0]).sort()).toEqual(['access_from', 'access_until', 'active', 'agency_id', 'id', 'password_hash']);
      for (const role of ['openness_app', 'openness_evaluator']) {
        await c.query('begin');
        await c.query(`select set_config('role', $1, true)`, [role]);
        expect([role, await sqlState(c.query(`select * from app_login_account('lp.login')`))]).toEqual([role, '42501']);
        await c.query('rollback');
      }
    });
    const grantees = await h
      .em()
      .getConnection()
      .execute(
        `select distinct grantee from information_schema.routine_privileges where routine_name like 'app\\_login\\_%' and grantee <> current_user order by 1`,
      );
    expect(grantees.map((g: any) => g.grantee)).toEqual([SERVICE_ROLE]);
  });
});
