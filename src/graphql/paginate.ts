import { raw } from '@mikro-orm/core';
import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import { rowMapper, type Lean } from '../db/row-mapper';
import { sql } from '../db/sql';
import { decodeCursor, toConnection, type Connection, type ConnectionArgs } from './connection';

/**
 * Keyset pagination for a root list: `(sortColumn, id) > cursor`, `first + 1` rows to know whether
 * another page follows, and a count of the whole filtered list when the query reads `totalCount`.
 * The QueryBuilder only composes the filter; the page runs as a plain select through `sql()` on `em`
 * (the request's EntityManager, in its transaction and tenancy gate) and its nodes are lean
 * read-only objects (src/db/row-mapper.ts).
 */
export async function paginateQb<T extends { id: string }>(
  em: EntityManager,
  qb: QueryBuilder<T>,
  args: ConnectionArgs,
  sort: { column: string; value: (row: T) => string | number },
): Promise<Connection<Lean<T>>> {
  const alias = qb.alias;
  const mapper = rowMapper<T>(em, qb.mainAlias.entityName);
  const counted = qb.clone();
  const cursor = decodeCursor(args.after);
  const page = qb.clone();
  if (cursor) page.andWhere(`(${alias}.${sort.column}, ${alias}.id) > (?, ?::uuid)`, [cursor[0], cursor[1]]);
  page
    .select(raw(mapper.columns(alias)))
    .orderBy({ [`${alias}.${sort.column}`]: 'asc', [`${alias}.id`]: 'asc' } as never)
    .limit(args.first + 1);
  const query = page.toQuery()._sql;
  const rows = await sql<Record<string, unknown>>(em, query.sql, [...query.bindings]);
  return toConnection(rows.map(mapper.map), args.first, () => counted.getCount(), (r) => [sort.value(r), r.id]);
}
