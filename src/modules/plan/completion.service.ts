import { requirePrincipal } from '../../auth/policy';
import { sql } from '../../db/sql';
import type { RequestContext } from '../../graphql/context';
import { agencyService } from '../agency/agency.service';
import { rollupPicker, rollupRowsSql, rootDepth, subtreeSumsCte } from '../../figures/subtree';
import { today } from '../calendar/clock';
import type { CompletionFigures, CompletionRollup } from './plan.types';

const COLUMNS = ['tasks', 'done', 'due', 'done_on_time', 'done_late', 'overdue', 'periods_ended', 'periods_met', 'occurrences', 'late_occurrences'] as const;
type Column = (typeof COLUMNS)[number];
type Row = Record<string, string | number | null>;

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Figures from summed counts; rates are computed from the sums, never averaged. */
export function completionFigures(v: Record<Column, number>): CompletionFigures {
  return {
    tasks: v.tasks,
    done: v.done,
    due: v.due,
    doneOnTime: v.done_on_time,
    doneLate: v.done_late,
    overdue: v.overdue,
    periodsEnded: v.periods_ended,
    periodsMet: v.periods_met,
    occurrences: v.occurrences,
    lateOccurrences: v.late_occurrences,
    doneRate: rate(v.done, v.tasks),
    onTimeRate: rate(v.done_on_time, v.done_on_time + v.done_late + v.overdue),
    periodMetRate: rate(v.periods_met, v.periods_ended),
  };
}

const pick = rollupPicker(COLUMNS);

/**
 * The completion roll-up reads the maintained task figures (src/figures/, migration
 * 20261122045747_Plans): per agency a year row and a handful of day rows (due dates and period
 * ends), so a province reads in proportion to agencies × days, never to tasks or progress reports.
 * "As of today" is a filter on the day rows (due on or before today, open before today, periods
 * ended before today), so nothing time-relative is stored.
 */
export class CompletionService {
  async rollup(ctx: RequestContext, year: number, agencyId?: string | null): Promise<CompletionRollup> {
    const p = requirePrincipal(ctx);
    const root = agencyId ? (await agencyService.get(ctx, agencyId, 'filter.agencyId')).path : p.agencyPath;
    const asOf = today();
    const statement = this.rollupStatement(year, asOf, root);
    const rows = await sql<Row>(ctx.em, statement.sql, statement.params);
    return {
      year,
      asOf,
      rows: rows.map((r) => ({
        agencyId: String(r.agency_id),
        own: completionFigures(pick(r, 'own_')),
        subtree: completionFigures(pick(r, 'sub_')),
      })),
    };
  }

  /** One statement whatever the size of the subtree; public so the benchmark times exactly this SQL. */
  rollupStatement(year: number, asOf: string, root: string): { sql: string; params: unknown[] } {
    return {
      sql: `with params as (select ?::int as y, ?::date as d),
       scope as (select a.id, a.code, a.path from agency a where a.path <@ ?::ltree),
       -- Aggregate LATERALs per agency: the plan does not depend on the planner's guess of the
       -- scope's size, which the tenancy gate hides from it.
       own as (
         select s.id as agency_id, s.path,
                coalesce(yr.tasks, 0) as tasks, coalesce(yr.done, 0) as done,
                coalesce(dy.due, 0) as due, coalesce(dy.done_on_time, 0) as done_on_time, coalesce(dy.done_late, 0) as done_late,
                coalesce(dy.overdue, 0) as overdue, coalesce(dy.periods_ended, 0) as periods_ended, coalesce(dy.periods_met, 0) as periods_met,
                coalesce(yr.occurrences, 0) as occurrences, coalesce(yr.late_occurrences, 0) as late_occurrences
           from scope s
           cross join params
           left join figure_task_agency_year yr on yr.agency_id = s.id and yr.plan_year = params.y
           left join lateral (
             select sum(f.due) filter (where f.day <= params.d) as due,
                    sum(f.done_on_time) as done_on_time, sum(f.done_late) as done_late,
                    sum(f.open) filter (where f.day < params.d) as overdue,
                    sum(f.periods) filter (where f.day < params.d) as periods_ended,
                    sum(f.periods_met) filter (where f.day < params.d) as periods_met
               from figure_task_agency f where f.agency_id = s.id and f.plan_year = params.y) dy on true
       ),
       ${subtreeSumsCte(COLUMNS)}
       ${rollupRowsSql({ own: COLUMNS, sub: COLUMNS.map((c) => `sub_${c}`) })}`,
      params: [year, asOf, root, rootDepth(root)],
    };
  }
}

export const completionService = new CompletionService();
