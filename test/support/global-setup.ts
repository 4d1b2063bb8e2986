import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { rootLogger } from '../../src/logger';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { initOrm, migrateUp } from '../../src/db/orm';
import { setServicePassword } from '../../src/db/service-login';
import { TEST_ENV, TEST_SERVICE_PASSWORD, withDatabase } from './pg-env';
import { freePort } from './free-port';

/**
 * Starts one real PostgreSQL for the whole run (embedded, or DATABASE_URL's server), migrates a
 * template database once, and lets every test file clone it in a fraction of a second.
 */
export default async function globalSetup(): Promise<void> {
  const log = rootLogger.child({ test: 'global-setup' });
  log.level = 'warn';
  let adminUrl: string;
  const state = globalThis as unknown as { __OPENNESS_PG__?: { stop: () => Promise<void>; dir: string } };
  if (process.env.DATABASE_URL) {
    adminUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openness-test-pg-'));
    fs.chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'data'),
      port: await freePort(),
      log,
      flags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
    });
    state.__OPENNESS_PG__ = { stop: server.stop, dir };
    adminUrl = server.url('postgres');
  }
  try {
    const template = `openness_tpl_${process.pid}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists "${template}"`);
    await admin.query(`create database "${template}"`);
    await admin.end();
    const orm = await initOrm(withDatabase(adminUrl, template), { pool: { min: 0, max: 2 } });
    await migrateUp(orm);
    await setServicePassword(orm, TEST_SERVICE_PASSWORD);
    await orm.close(true);
    process.env[TEST_ENV.adminUrl] = adminUrl;
    process.env[TEST_ENV.template] = template;
  } catch (err) {
    await state.__OPENNESS_PG__?.stop();
    throw err;
  }
  // MikroORM keeps metadata on globalThis; jest copies globals into test contexts, where stale
  // entries from this process would break each file's own ORM.
  for (const key of Object.keys(globalThis)) {
    if (key.startsWith('mikro-orm')) delete (globalThis as Record<string, unknown>)[key];
  }
}
