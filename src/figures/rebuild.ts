import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { FIGURE_TABLES, type FigureTable } from './figure-tables';

export interface RebuildResult {
  table: string;
  rows: number;
  ms: number;
}

/** PostgreSQL's "lock not available" (NOWAIT) and "deadlock detected". */
const LOCK_CONFLICT = new Set(['55P03', '40P01']);

function isLockConflict(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return typeof code === 'string' && LOCK_CONFLICT.has(code);
}

/**
 * Reloads every maintained-figure table from its reference view, in one transaction: after a bulk
 * load made with SQL (triggers disabled), or to repair figures after a bug. Safe on a live database:
 * it holds SHARE locks on the source tables, so writers wait until the rebuild commits (readers do
 * not), and EXCLUSIVE locks on the figure tables, so no reader sees them half rebuilt.
 *
 * The locks are taken all at once with NOWAIT and the attempt retried after a pause: writers lock
 * these tables in different orders (an import writes items and then its catalogue; a request may
 * create a publication and then remove an item), so waiting for one table while holding another
 * could deadlock with them. A rebuild that never waits while holding a lock cannot be part of a
 * deadlock — it only waits its turn, and no writer is ever aborted because of it.
 */
export async function rebuildFigures(
  orm: MikroORM,
  tables: readonly FigureTable[] = FIGURE_TABLES,
  opts: { attempts?: number; pauseMs?: number } = {},
): Promise<RebuildResult[]> {
  const attempts = opts.attempts ?? 600;
  const pauseMs = opts.pauseMs ?? 100;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await rebuildOnce(orm.em.fork() as EntityManager, tables);
    } catch (err) {
      if (!isLockConflict(err) || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, pauseMs * (0.5 + Math.random())));
    }
  }
}

async function rebuildOnce(em: EntityManager, tables: readonly FigureTable[]): Promise<RebuildResult[]> {
  return em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const run = (query: string) => conn.execute(query, [], 'all', tx.getTransactionContext());
    const sources = [...new Set(tables.flatMap((t) => t.sources))].sort();
    await run(`lock table ${sources.map((s) => `"${s}"`).join(', ')} in share mode nowait`);
    await run(`lock table ${tables.map((t) => `"${t.table}"`).sort().join(', ')} in exclusive mode nowait`);
    const out: RebuildResult[] = [];
    for (const t of tables) {
      const started = performance.now();
      await run(`delete from "${t.table}"`);
      const inserted = await run(
        `with ins as (insert into "${t.table}" select * from "${t.table}_reference" returning 1) select count(*)::int as n from ins`,
      );
      out.push({ table: t.table, rows: Number(inserted[0]?.n ?? 0), ms: Math.round(performance.now() - started) });
    }
    return out;
  });
}
