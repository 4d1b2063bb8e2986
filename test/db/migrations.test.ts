import 'reflect-metadata';
import { Client } from 'pg';
import { initOrm } from '../../src/db/orm';
import { ENTITIES } from '../../src/db/entities';
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
      const policies = await c.query(`select tablename, cmd from pg_policies where tablename = any($1)`, [tables]);
      for (const t of tables) {
        const cmds = policies.rows.filter((p) => p.tablename === t).map((p) => p.cmd).sort();
        expect({ t, cmds }).toEqual({ t, cmds: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'] });
      }
      const role = await c.query(`select rolsuper, rolbypassrls from pg_roles where rolname = 'openness_app'`);
      expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    } finally {
      await c.end();
    }
  });
});
