import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { FIGURE_TABLES, type FigureTable } from './figure-tables';

export interface RebuildResult {
  table: string;
  rows: number;
  ms: number;
}

/**
 * Reloads every maintained-figure table from its reference view, in one transaction: after a bulk
 * load made with SQL (triggers disabled), or to repair figures after a bug. Safe on a live database:
 * it takes SHARE locks on the source tables, so writers wait until the rebuild commits (readers do
 * not), and EXCLUSIVE locks on the figure tables, so no reader sees them half rebuilt — a reader
 * sees the old figures or the new ones.
 */
export async function rebuildFigures(orm: MikroORM, tables: readonly FigureTable[] = FIGURE_TABLES): Promise<RebuildResult[]> {
  const em = orm.em.fork() as EntityManager;
  return em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const run = (query: string) => conn.execute(query, [], 'all', tx.getTransactionContext());
    const sources = [...new Set(tables.flatMap((t) => t.sources))].sort();
    // Always the same order (sources, then figures by name), so two rebuilds cannot deadlock.
    await run(`lock table ${sources.map((s) => `"${s}"`).join(', ')} in share mode`);
    await run(`lock table ${[...tables].map((t) => `"${t.table}"`).sort().join(', ')} in exclusive mode`);
    const out: RebuildResult[] = [];
    for (const t of tables) {
      const started = performance.now();
      await run(`delete from "${t.table}"`);
      const inserted = await run(`with ins as (insert into "${t.table}" select * from "${t.table}_reference" returning 1) select count(*)::int as n from ins`);
      out.push({ table: t.table, rows: Number(inserted[0]?.n ?? 0), ms: Math.round(performance.now() - started) });
    }
    return out;
  });
}
