import { rootLogger } from '../logger';
import { runDatabaseCommand } from './cli';

/** `npm run migrate`: applies the committed migrations to DATABASE_URL or the embedded database. */
runDatabaseCommand('migration', async () => {
  rootLogger.info('database up to date');
});
