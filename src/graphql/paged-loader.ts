import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { rowMapper, type Lean } from '../db/row-mapper';
import { sql, uuidArrayLiteral } from '../db/sql';
import { decodeCursor, toConnection, type Connection, type CursorKey } from './connection';

export interface PageKey {
  groupId: string;
  first: number;
  after?: string | null;
}

export interface GroupedPageSpec<T> {
  /** The child entity; its table and columns come from the ORM metadata. */
  entity: EntityName<T>;
  /** Column that groups rows under their parent (e.g. `parent_id`, `agency_id`). */
  groupColumn: string;
  /** Column (unique together with `id`) that orders pages, and the matching property. */
  sortColumn: string;
  sortValue: (row: T) => string | number;
  /** Extra SQL condition on alias `t`, e.g. a filter from arguments that is the same for the whole batch. */
  where?: { sql: string; params: unknown[] };
}

/**
 * One page of children for many parents in one window-function statement, and their `totalCount`s
 * in one more only if the query reads them, whatever the number of parents. Nested connections
 * (agencies → children → units) use this so the statement count of a query depends on its shape,
 * never on its rows. The nodes are lean read-only objects (src/db/row-mapper.ts), not managed entities.
 */
export function createGroupedPageLoader<T extends { id: string }>(
  em: EntityManager,
  spec: GroupedPageSpec<T>,
): DataLoader<PageKey, Connection<Lean<T>>, string> {
  // Read from each connection's `totalCount` when a query selects it (toConnection): the reads of
  // sibling connections arrive together and become one count statement. No cache of its own: each
  // connection counts once (toConnection keeps the promise), and a mutation, which drops the page
  // loader's connections (src/db/transaction.ts), must not be answered with counts from before it.
  const totals = new DataLoader<string, number>(
    async (groupIds) => {
      const counts = await countGroups(em, spec, [...new Set(groupIds)]);
      return groupIds.map((id) => counts.get(id) ?? 0);
    },
    { cache: false },
  );
  return new DataLoader<PageKey, Connection<Lean<T>>, string>(
    async (keys) => {
      const batches = new Map<string, PageKey[]>();
      for (const k of keys) {
        const b = `${k.first}|${k.after ?? ''}`;
        const list = batches.get(b) ?? [];
        list.push(k);
        batches.set(b, list);
      }
      const results = new Map<string, Connection<Lean<T>>>();
      for (const group of batches.values()) {
        const { first, after } = group[0]!;
        const cursor = decodeCursor(after);
        const ids = [...new Set(group.map((k) => k.groupId))];
        const pages = await loadGroupedPages(em, spec, ids, first, cursor, totals);
        for (const k of group) results.set(cacheKey(k), pages.get(k.groupId)!);
      }
      return keys.map((k) => results.get(cacheKey(k))!);
    },
    { cacheKeyFn: cacheKey },
  );
}

function cacheKey(k: PageKey): string {
  return `${k.groupId}|${k.first}|${k.after ?? ''}`;
}

/**
 * The rows of `groupIds`' parents with the spec's extra condition, on alias `t` — what the pages and
 * the counts both read. knex expands JS arrays in raw bindings into lists, so the ids travel as one
 * array literal.
 */
function groupsWhere<T>(spec: GroupedPageSpec<T>, groupIds: string[]): { sql: string; params: unknown[] } {
  return {
    sql: `t.${spec.groupColumn} = any(?::uuid[])${spec.where ? ` and (${spec.where.sql})` : ''}`,
    params: [uuidArrayLiteral(groupIds), ...(spec.where?.params ?? [])],
  };
}

/** The number of children of each parent (the same filter as the pages, no cursor). */
async function countGroups<T extends { id: string }>(em: EntityManager, spec: GroupedPageSpec<T>, groupIds: string[]): Promise<Map<string, number>> {
  const mapper = rowMapper(em, spec.entity);
  const where = groupsWhere(spec, groupIds);
  const counts = await sql<{ g: string; n: string }>(
    em,
    `select t.${spec.groupColumn} as g, count(*) as n from "${mapper.table}" t where ${where.sql} group by t.${spec.groupColumn}`,
    where.params,
  );
  return new Map(counts.map((c) => [c.g, Number(c.n)]));
}

async function loadGroupedPages<T extends { id: string }>(
  em: EntityManager,
  spec: GroupedPageSpec<T>,
  groupIds: string[],
  first: number,
  cursor: CursorKey | null,
  totals: DataLoader<string, number>,
): Promise<Map<string, Connection<Lean<T>>>> {
  const mapper = rowMapper(em, spec.entity);
  const where = groupsWhere(spec, groupIds);
  const cursorSql = cursor ? ` and (t.${spec.sortColumn}, t.id) > (?, ?::uuid)` : '';
  const rows = await sql<Record<string, unknown>>(
    em,
    `select * from (
       select ${mapper.columns('t')}, t.${spec.groupColumn} as "__g",
              row_number() over (partition by t.${spec.groupColumn} order by t.${spec.sortColumn}, t.id) as "__rn"
         from "${mapper.table}" t
        where ${where.sql}${cursorSql}
     ) x where x."__rn" <= ? order by x."__g", x."__rn"`,
    [...where.params, ...(cursor ? cursor : []), first + 1],
  );
  const byGroup = new Map<string, Lean<T>[]>();
  for (const row of rows) {
    const g = row.__g as string;
    const list = byGroup.get(g);
    if (list) list.push(mapper.map(row));
    else byGroup.set(g, [mapper.map(row)]);
  }
  const out = new Map<string, Connection<Lean<T>>>();
  for (const id of groupIds) {
    out.set(
      id,
      toConnection(byGroup.get(id) ?? [], first, () => totals.load(id), (r) => [spec.sortValue(r), r.id]),
    );
  }
  return out;
}
