import type { QueryBuilder } from '@mikro-orm/postgresql';
import { decodeCursor, toConnection, type Connection, type ConnectionArgs } from './connection';

/**
 * Keyset pagination for a root list: `(sortColumn, id) > cursor`, `first + 1` rows to know whether
 * another page follows, and a count of the whole filtered list.
 */
export async function paginateQb<T extends { id: string }>(
  qb: QueryBuilder<T>,
  args: ConnectionArgs,
  sort: { column: string; value: (row: T) => string | number },
): Promise<Connection<T>> {
  const alias = qb.alias;
  const total = await qb.clone().getCount();
  const cursor = decodeCursor(args.after);
  const page = qb.clone();
  if (cursor) page.andWhere(`(${alias}.${sort.column}, ${alias}.id) > (?, ?::uuid)`, [cursor[0], cursor[1]]);
  page.orderBy({ [`${alias}.${sort.column}`]: 'asc', [`${alias}.id`]: 'asc' } as never).limit(args.first + 1);
  const rows = await page.getResultList();
  return toConnection(rows, args.first, total, (r) => [sort.value(r), r.id]);
}
