import { rootLogger } from '../logger';
import { runDatabaseCommand } from '../db/cli';
import { rebuildFigures } from './rebuild';

/**
 * `npm run figures:rebuild`: recomputes every maintained figure from the raw rows (DATABASE_URL or
 * the embedded database), e.g. after a bulk load made with SQL with the figure triggers disabled.
 */
runDatabaseCommand('figures rebuild', async (orm) => {
  for (const r of await rebuildFigures(orm)) rootLogger.info(r, 'figures rebuilt');
});
