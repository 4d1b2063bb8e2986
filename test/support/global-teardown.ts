import fs from 'node:fs';
import { Client } from 'pg';
import { TEST_ENV } from './pg-env';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as unknown as { __OPENNESS_PG__?: { stop: () => Promise<void>; dir: string } };
  if (state.__OPENNESS_PG__) {
    await state.__OPENNESS_PG__.stop();
    fs.rmSync(state.__OPENNESS_PG__.dir, { recursive: true, force: true });
    return;
  }
  // External server: remove what this run created.
  const adminUrl = process.env[TEST_ENV.adminUrl];
  if (!adminUrl) return;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const dbs = await admin.query(
    `select datname from pg_database where datname like 'openness_t_%' or datname = $1`,
    [process.env[TEST_ENV.template]],
  );
  for (const row of dbs.rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
  await admin.end();
}
