/**
 * Maintained figures vs the recomputation they replaced: the province and city roll-up statements,
 * built by the service itself (`complianceService.rollupStatement`) from the MAINTAINED source and
 * from the REFERENCE source (the per-request aggregation over every publication that the roll-up
 * used before), run alternately on one connection under the same gate as the principal's request.
 */
import type { Client } from 'pg';
import { complianceService } from '../src/modules/publication/compliance.service';
import { MAINTAINED, REFERENCE } from '../src/modules/publication/compliance-figures';
import { setFixedToday } from '../src/modules/calendar/clock';
import { completionService } from '../src/modules/plan/completion.service';
import { stats, type Stats } from './load';

export interface RecomputeResult {
  id: string;
  maintainedMs: Stats;
  referenceMs: Stats;
  /** maintained ÷ reference, medians (target ≤ 0.1). */
  ratioP50: number;
  sameRows: boolean;
  /** Who ran both statements: under the gate (the compliance roll-ups) or as the owner (the task reference views are owner-only). */
  runAs?: 'gate' | 'owner';
}

/** knex-style `?` placeholders (the service's) to pg's `$n`; the statements hold no `?` otherwise. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

type Which = 'maintained' | 'reference';

/**
 * Times two statements alternately on one connection (ABBA, so drift in the machine's load affects
 * both alike), each in its own transaction opened by `scope`, after one warm-up run of each.
 */
async function compareAlternately(
  client: Client,
  id: string,
  statements: Record<Which, { text: string; values: unknown[] }>,
  scope: string,
  scopeValues: unknown[],
  repeats: number,
): Promise<RecomputeResult> {
  const times: Record<Which, number[]> = { maintained: [], reference: [] };
  const rows: Record<string, string> = {};
  const once = async (which: Which) => {
    await client.query('begin');
    try {
      await client.query(scope, scopeValues);
      const t = performance.now();
      const r = await client.query(statements[which]);
      times[which].push(performance.now() - t);
      rows[which] = JSON.stringify(r.rows);
    } finally {
      await client.query('rollback');
    }
  };
  await once('maintained');
  await once('reference');
  times.maintained.length = 0;
  times.reference.length = 0;
  for (let i = 0; i < repeats; i++) {
    for (const which of i % 2 === 0 ? (['maintained', 'reference'] as const) : (['reference', 'maintained'] as const)) await once(which);
  }
  const m = stats(times.maintained);
  const r = stats(times.reference);
  return { id, maintainedMs: m, referenceMs: r, ratioP50: Math.round((m.p50 / r.p50) * 1000) / 1000, sameRows: rows.maintained === rows.reference };
}

export async function measureRecompute(
  client: Client,
  cases: Array<{ id: string; rootPath: string; from: string; to: string }>,
  today: string,
  repeats: number,
): Promise<RecomputeResult[]> {
  const out: RecomputeResult[] = [];
  setFixedToday(today);
  try {
    for (const c of cases) {
      const period = complianceService.period({ from: c.from, to: c.to });
      const build = (source: typeof MAINTAINED) => {
        const s = complianceService.rollupStatement(source, period, c.rootPath);
        return { text: numbered(s.sql), values: s.params };
      };
      const statements = { maintained: build(MAINTAINED), reference: build(REFERENCE) };
      const gate = `select set_config('app.scope_path', $1, true), set_config('app.read_only', 'on', true), set_config('role', 'openness_app', true)`;
      out.push(await compareAlternately(client, c.id, statements, gate, [c.rootPath], repeats));
    }
  } finally {
    setFixedToday(null);
  }
  return out;
}

/**
 * The completion roll-up (`completionService.rollupStatement`, the SQL of `completionRollup`) over the
 * maintained task figures vs the same statement with `figure_task_agency` and
 * `figure_task_agency_year` replaced by their `_reference` views (the recomputation from plan_task,
 * task_progress and work_plan that the figures replace). The reference views are owner-only, so both
 * run as the connecting owner (no role switch; the scope settings are set as the gate would), which
 * the statement's explicit subtree scope makes like for like; alternately, ABBA.
 */
export async function measureCompletionRecompute(
  client: Client,
  cases: Array<{ id: string; rootPath: string; year: number }>,
  today: string,
  repeats: number,
): Promise<RecomputeResult[]> {
  const out: RecomputeResult[] = [];
  for (const c of cases) {
    const s = completionService.rollupStatement(c.year, today, c.rootPath);
    let replaced = 0;
    const referenceSql = s.sql.replace(/\bfigure_task_agency(_year)?\b/g, (m) => {
      replaced += 1;
      return `${m}_reference`;
    });
    if (replaced !== 2) throw new Error(`expected figure_task_agency and figure_task_agency_year once each in rollupStatement, replaced ${replaced}`);
    const statements = {
      maintained: { text: numbered(s.sql), values: s.params },
      reference: { text: numbered(referenceSql), values: s.params },
    };
    const scope = `select set_config('app.scope_path', $1, true), set_config('app.read_only', 'on', true)`;
    out.push({ ...(await compareAlternately(client, c.id, statements, scope, [c.rootPath], repeats)), runAs: 'owner' });
  }
  return out;
}
