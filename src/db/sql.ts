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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A `uuid[]` literal for `= any(?::uuid[])`; knex would otherwise expand a JS array into a list. */
export function uuidArrayLiteral(ids: readonly string[]): string {
  for (const id of ids) if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  return `{${ids.join(',')}}`;
}
