import type { EntityManager } from '@mikro-orm/postgresql';
import { FIGURE_TABLES, type FigureTable } from './figure-tables';

/** A row that differs between a maintained table and its reference recomputation. */
export interface FigureMismatch {
  table: string;
  /** MAINTAINED: only in the table (or with other values); REFERENCE: only in the recomputation. */
  side: 'MAINTAINED' | 'REFERENCE';
  row: Record<string, unknown>;
}

/** Runs raw SQL on a system connection (outside the tenancy gate): checks and rebuilds see every tenant. */
type Exec = (em: EntityManager, query: string) => Promise<Array<Record<string, unknown>>>;
const exec: Exec = (em, query) => em.getConnection().execute(query, [], 'all', em.getTransactionContext());

/**
 * Every row that differs between each maintained table and its reference view, both ways — empty
 * when every maintained figure equals its recomputation from the raw rows. For tests and
 * operations; reads whole tables, so never on a request path.
 */
export async function compareFiguresWithReference(
  em: EntityManager,
  tables: readonly FigureTable[] = FIGURE_TABLES,
  limit = 20,
): Promise<FigureMismatch[]> {
  const out: FigureMismatch[] = [];
  for (const t of tables) {
    const rows = await exec(
      em,
      `(select 'MAINTAINED' as side, m.* from (select * from "${t.table}" except select * from "${t.table}_reference") m limit ${limit})
       union all
       (select 'REFERENCE', r.* from (select * from "${t.table}_reference" except select * from "${t.table}") r limit ${limit})`,
    );
    for (const { side, ...row } of rows) out.push({ table: t.table, side: side as FigureMismatch['side'], row });
  }
  return out;
}
