import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';

let orm: MikroORM | null = null;

export function registerSystemOrm(instance: MikroORM | null): void {
  orm = instance;
}

/**
 * An EntityManager OUTSIDE the tenancy gate (the owner's connection, to which row-level security
 * does not apply). Only the national calendar may use it — the operator's change and the system's
 * recomputation of every tenant's open due dates (src/modules/calendar/calendar-system.ts), which act
 * above every tenant. Login has its own narrow functions (src/modules/account/login-store.ts); the
 * seeder gets the owner's ORM from main.ts. test/db/system-access.test.ts fails if any other module
 * imports this file.
 */
export function systemEm(): EntityManager {
  if (!orm) throw new Error('system ORM not registered');
  return orm.em.fork() as EntityManager;
}
