import 'reflect-metadata';
import { loadConfig } from '../config';
import { rootLogger } from '../logger';
import { openDatabase } from './database';
import { initOrm, migrateUp } from './orm';

/**
 * `npm run migration:create -- name`: brings the database up to the committed migrations, then
 * writes a new migration with the difference between the entities and that schema. Policies and
 * other hand-written SQL are added to the generated file by hand.
 */
async function main() {
  const config = loadConfig();
  const db = await openDatabase(config, rootLogger);
  const orm = await initOrm(db.url);
  try {
    await migrateUp(orm);
    const result = await orm.getMigrator().createMigration(undefined, false, false, process.argv[2]);
    console.log(result.fileName ? `created ${result.fileName}` : 'no changes: entities match the migrations');
  } finally {
    await orm.close();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
