import 'reflect-metadata';
import { loadConfig } from '../config';
import { rootLogger } from '../logger';
import { openDatabase } from '../db/database';
import { initOrm, migrateUp } from '../db/orm';
import { rebuildFigures } from './rebuild';

/**
 * `npm run figures:rebuild`: recomputes every maintained figure from the raw rows (DATABASE_URL or
 * the embedded database), e.g. after a bulk load made with SQL with the figure triggers disabled.
 */
async function main() {
  const config = loadConfig();
  const db = await openDatabase(config, rootLogger);
  const orm = await initOrm(db.url);
  try {
    await migrateUp(orm);
    const result = await rebuildFigures(orm);
    for (const r of result) rootLogger.info(r, 'figures rebuilt');
  } finally {
    await orm.close();
    await db.stop();
  }
}

main().catch((err) => {
  rootLogger.error({ err }, 'figures rebuild failed');
  process.exit(1);
});
