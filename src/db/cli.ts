import 'reflect-metadata';
import { loadConfig } from '../config';
import { rootLogger } from '../logger';
import { openDatabase } from './database';
import { initOrm, migrateUp, type Orm } from './orm';

/**
 * The frame of every database command (`npm run migrate`, `migration:create`, `figures:rebuild`):
 * DATABASE_URL or the embedded database, the committed migrations applied, the work, then the pool
 * closed and the embedded server stopped — also when the work fails, which exits with status 1.
 */
export function runDatabaseCommand(name: string, work: (orm: Orm) => Promise<void>): void {
  (async () => {
    const db = await openDatabase(loadConfig(), rootLogger);
    const orm = await initOrm(db.url);
    try {
      const applied = await migrateUp(orm);
      if (applied.length) rootLogger.info({ applied }, 'migrations applied');
      await work(orm);
    } finally {
      await orm.close();
      await db.stop();
    }
  })().catch((err) => {
    rootLogger.error({ err }, `${name} failed`);
    process.exit(1);
  });
}
