import { runDatabaseCommand } from './cli';

/**
 * `npm run migration:create -- name`: brings the database up to the committed migrations, then
 * writes a new migration with the difference between the entities and that schema. Policies and
 * other hand-written SQL are added to the generated file by hand.
 */
runDatabaseCommand('migration:create', async (orm) => {
  const result = await orm.getMigrator().createMigration(undefined, false, false, process.argv[2]);
  console.log(result.fileName ? `created ${result.fileName}` : 'no changes: entities match the migrations');
});
