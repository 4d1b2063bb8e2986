import path from 'node:path';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ReflectMetadataProvider } from '@mikro-orm/core';
import { CountingLogger } from './counting-logger';
import { ENTITIES } from './entities';
import { serialiseQueries } from './serial-queries';

/**
 * MikroORM does not detect SWC: decide from this very file whether we run from TypeScript sources
 * (dev server, jest) or from the compiled `dist/` build, so it loads the matching migration files.
 */
const runningFromTs = __filename.endsWith('.ts');
const root = path.resolve(__dirname, '..', '..');

export function ormConfig(clientUrl: string, overrides: Partial<Options> = {}): Options {
  const { pool, ...rest } = overrides;
  return defineConfig({
    clientUrl,
    entities: [...ENTITIES],
    metadataProvider: ReflectMetadataProvider,
    preferTs: runningFromTs,
    extensions: [Migrator],
    // Maintained figures (src/figures/) are tables of the migrations, not entities: they are written
    // only by database triggers and read with SQL, so the schema diff must not propose dropping them;
    // likewise the login throttle's tables, written and read only by their SQL functions, and
    // `calendar_operator` (the deployment's calendar operators), which no request may read or write:
    // only the calendar:operator command and app_principal() touch it.
    schemaGenerator: { skipTables: [/^figure_/, /^login_throttle/, 'calendar_operator'] },
    // Every request forks its own EntityManager; a global one must never be used by accident.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    loggerFactory: (options) => new CountingLogger(options),
    debug: process.env.SQL_DEBUG === 'true' ? ['query', 'query-params'] : false,
    // Callers may size the pool; every connection still runs one statement at a time (see serial-queries.ts).
    pool: {
      min: 0,
      max: Number(process.env.DB_POOL_MAX || 20),
      ...pool,
      afterCreate: (connection: Parameters<typeof serialiseQueries>[0], done: (err: Error | null, c: unknown) => void) => {
        serialiseQueries(connection);
        if (typeof pool?.afterCreate === 'function') pool.afterCreate(connection, done);
        else done(null, connection);
      },
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      // `root` is the repo from sources and `dist/` from the build; migrations sit beside `src` in both.
      path: path.join(root, 'migrations'),
      pathTs: path.join(root, 'migrations'),
      glob: runningFromTs ? '!(*.d).ts' : '!(*.d).js',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
    ...rest,
  });
}
