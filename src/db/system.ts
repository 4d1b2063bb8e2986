import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';

let orm: MikroORM | null = null;

export function registerSystemOrm(instance: MikroORM | null): void {
  orm = instance;
}

/**
 * An EntityManager OUTSIDE the tenancy gate (the connection's own role, to which row-level security
 * does not apply). Only what must act before a principal exists may use it: login, and the seeder.
 * test/tenancy/system-access.test.ts fails if any other module imports this file.
 */
export function systemEm(): EntityManager {
  if (!orm) throw new Error('system ORM not registered');
  return orm.em.fork() as EntityManager;
}
