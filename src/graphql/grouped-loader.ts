import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectLean, type Lean } from '../db/row-mapper';
import { uuidArrayLiteral } from '../db/sql';

/** Rows grouped by a key, in their order. */
export function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

/**
 * The rows of `entity` whose `column` is one of the batch's ids, grouped by `keyOf` (normally that
 * column's reference) in `order`: one statement per batch, lean read-only rows, row-level security
 * deciding what each caller gets. For whole child lists (a plan's headings, an inspection's
 * findings); pages of long lists use `createGroupedPageLoader`.
 */
export function groupedLoader<T extends { id: string }>(
  em: EntityManager,
  entity: new () => T,
  column: string,
  order: string,
  keyOf: (r: Lean<T>) => string,
): DataLoader<string, Lean<T>[]> {
  return new DataLoader<string, Lean<T>[]>(async (ids) => {
    const rows = await selectLean(em, entity, `where t.${column} = any(?::uuid[]) order by ${order}`, [uuidArrayLiteral(ids)]);
    const grouped = groupBy(rows, keyOf);
    return ids.map((id) => grouped.get(id) ?? []);
  });
}
