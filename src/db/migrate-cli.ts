import 'reflect-metadata';
import { loadConfig } from '../config';
import { rootLogger } from '../logger';
import { openDatabase } from './database';
import { initOrm, migrateUp } from './orm';

/** `npm run migrate`: applies the committed migrations to DATABASE_URL or the embedded database. */
async function main() {
  const config = loadConfig();
  const db = await openDatabase(config, rootLogger);
  const orm = await initOrm(db.url);
  try {
    const applied = await migrateUp(orm);
    rootLogger.info({ applied }, applied.length ? 'migrations applied' : 'database already up to date');
  } finally {
    await orm.close();
    await db.stop();
  }
}

main().catch((err) => {
  rootLogger.error({ err }, 'migration failed');
  process.exit(1);
});
