import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../logger';
import { runDatabaseCommand } from '../db/cli';
import { compareFiguresWithReference } from './figure-check';

/**
 * `npm run figures:check`: compares every maintained figure with its recomputation from the raw
 * rows and exits with status 2 when any differs (then `npm run figures:rebuild` repairs them). Reads
 * whole tables: an operations command, not something to run on every request.
 */
runDatabaseCommand('figures check', async (orm) => {
  const mismatches = await compareFiguresWithReference(orm.em.fork() as EntityManager);
  if (mismatches.length === 0) {
    rootLogger.info('every maintained figure equals its recomputation from the raw rows');
    return;
  }
  for (const m of mismatches) rootLogger.error(m, 'figure differs from its recomputation');
  process.exitCode = 2;
});
