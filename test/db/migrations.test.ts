import 'reflect-metadata';
import { Client } from 'pg';
import { initOrm } from '../../src/db/orm';
import { ENTITIES } from '../../src/db/entities';
import { FIGURE_TABLES } from '../../src/figures/figure-tables';
import { TEST_ENV, withDatabase } from '../support/pg-env';

/** The template database was built by running the committed migrations only (global setup). */
describe('migrations', () => {
  const adminUrl = process.env[TEST_ENV.adminUrl]!;
  const template = process.env[TEST_ENV.template]!;
  const db = `openness_t_drift_${process.pid}`;
  let url: string;

  beforeAll(async () => {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`create database "${db}" template "${template}"`);
    await c.end();
    url = withDatabase(adminUrl, db);
  });
  afterAll(async () => {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists "${db}" with (force)`);
    await c.end();
  });

  it('entities and committed migrations agree (no schema diff)', async () => {
    const orm = await initOrm(url, { pool: { min: 0, max: 1 } });
    try {
      const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
      expect(diff.trim()).toBe('');
    } finally {
      await orm.close(true);
    }
  });

  it('every entity table has forced row-level security with select/insert/update/delete policies for the app role', async () => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const orm = await initOrm(url, { pool: { min: 0, max: 1 } });
      const tables = ENTITIES.map((e) => orm.getMetadata().get(e.name).tableName);
      await orm.close(true);
      const rls = await c.query(
        `select relname, relrowsecurity, relforcerowsecurity from pg_class where relname = any($1)`,
        [tables],
      );
      expect(rls.rows.length).toBe(tables.length);
      for (const row of rls.rows) expect([row.relname, row.relrowsecurity, row.relforcerowsecurity]).toEqual([row.relname, true, true]);
      // The four permissive policies of the gate; evaluators' extra restrictive ones are checked below.
      const policies = await c.query(`select tablename, cmd from pg_policies where tablename = any($1) and permissive = 'PERMISSIVE'`, [tables]);
      for (const t of tables) {
        const cmds = policies.rows.filter((p) => p.tablename === t).map((p) => p.cmd).sort();
        expect({ t, cmds }).toEqual({ t, cmds: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'] });
      }
      const role = await c.query(`select rolsuper, rolbypassrls from pg_roles where rolname = 'openness_app'`);
      expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
      // Restrictive policies narrow the evaluator role only (src/db/tenant-gate.ts switches to it).
      const restrictive = await c.query(`select distinct roles::text as roles, cmd from pg_policies where permissive = 'RESTRICTIVE'`);
      expect(restrictive.rows).toEqual([{ roles: '{openness_evaluator}', cmd: 'SELECT' }]);
    } finally {
      await c.end();
    }
  });

  it('maintained-figure tables are readable in scope only, writable by nobody but their triggers, and have reference views', async () => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const tables = FIGURE_TABLES.map((t) => t.table);
      const rls = await c.query(`select relname, relrowsecurity from pg_class where relname = any($1) and relkind = 'r'`, [tables]);
      expect(rls.rows.map((r) => [r.relname, r.relrowsecurity]).sort()).toEqual(tables.map((t) => [t, true]).sort());
      const policies = await c.query(`select tablename, cmd from pg_policies where tablename = any($1)`, [tables]);
      for (const t of tables) expect({ t, cmds: policies.rows.filter((p) => p.tablename === t).map((p) => p.cmd) }).toEqual({ t, cmds: ['SELECT'] });
      const grants = await c.query(
        `select table_name, privilege_type from information_schema.role_table_grants where grantee = 'openness_app' and table_name = any($1)`,
        [tables],
      );
      for (const t of tables) {
        expect({ t, privileges: grants.rows.filter((g) => g.table_name === t).map((g) => g.privilege_type) }).toEqual({ t, privileges: ['SELECT'] });
      }
      const views = await c.query(`select viewname from pg_views where viewname = any($1)`, [tables.map((t) => `${t}_reference`)]);
      expect(views.rows.map((v) => v.viewname).sort()).toEqual(tables.map((t) => `${t}_reference`).sort());
      // Statement-level triggers keep them: every source table has its three figures_ triggers.
      const triggers = await c.query(
        `select c.relname, count(*)::int as n from pg_trigger t join pg_class c on c.oid = t.tgrelid
          where t.tgname like 'figures\\_%' group by c.relname order by c.relname`,
      );
      expect(triggers.rows).toEqual([
        { relname: 'catalogue_item', n: 3 },
        { relname: 'deduction_point', n: 3 },
        { relname: 'info_request', n: 3 },
        { relname: 'plan_task', n: 3 },
        { relname: 'publication', n: 3 },
        { relname: 'task_progress', n: 3 },
        { relname: 'work_plan', n: 3 },
      ]);
      // The functions that write figures are not callable by the app role with values of its own.
      const exec = await c.query(
        `select p.proname, has_function_privilege('openness_app', p.oid, 'execute') as allowed
           from pg_proc p where p.proname like 'figures\\_%' order by 1`,
      );
      expect(exec.rows.every((r) => r.allowed === false)).toBe(true);
      expect(exec.rows.length).toBeGreaterThanOrEqual(3);
    } finally {
      await c.end();
    }
  });
});
