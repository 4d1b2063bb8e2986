import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Raw SQL through the request's EntityManager: it runs in the request transaction, under the
 * restricted role, so row-level security filters it like any ORM query. The logger context keeps
 * the statement counted against the request.
 */
export function sql<T extends object = Record<string, unknown>>(
  em: EntityManager,
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return em.execute<T[]>(query, params as never[], 'all', em.getLoggerContext());
}
