import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';

let orm: MikroORM | null = null;

export function registerSystemOrm(instance: MikroORM | null): void {
  orm = instance;
}

/**
 * An EntityManager OUTSIDE the tenancy gate (the connection's own role, to which row-level security
 * does not apply). Only what must act before a principal exists or above every tenant may use it:
 * login, the seeder, and the national calendar (the operator's change and the system's recomputation
 * of every tenant's open due dates, src/modules/calendar/calendar-system.ts).
 * test/db/system-access.test.ts fails if any other module imports this file.
 */
export function systemEm(): EntityManager {
  if (!orm) throw new Error('system ORM not registered');
  return orm.em.fork() as EntityManager;
}
