import { requirePrincipal } from '../../auth/policy';
import { sql } from '../../db/sql';
import { rollupPicker, rootDepth } from '../../figures/subtree';
import type { RequestContext } from '../../graphql/context';
import { agencyService } from '../agency/agency.service';
import { today } from '../calendar/clock';
import { RequestOutcome } from './request.entity';
import type { RequestRollup, RequestRollupFigures } from './request-rollup.types';

const COLUMNS = ['received', 'answered', 'answered_on_time', 'answered_late', 'open', 'overdue', 'clock_stopped', 'extended', 'replied_in_year'] as const;
type Column = (typeof COLUMNS)[number];
type Row = Record<string, unknown>;

/** Table 3's order; outcome i travels as column `o_i` (a fixed set of columns, summed like the counters). */
const OUTCOME_ORDER = Object.values(RequestOutcome);
const OUTCOME_COLUMNS = OUTCOME_ORDER.map((_, i) => `o_${i}`);

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Figures from summed counts; the rate is computed from the sums, never averaged. */
export function requestFigures(v: Record<Column, number>, outcomes: readonly number[]): RequestRollupFigures {
  return {
    received: v.received,
    answered: v.answered,
    answeredOnTime: v.answered_on_time,
    answeredLate: v.answered_late,
    open: v.open,
    overdue: v.overdue,
    clockStopped: v.clock_stopped,
    extended: v.extended,
    onTimeRate: rate(v.answered_on_time, v.answered + v.overdue),
    repliedInYear: v.replied_in_year,
    byOutcome: OUTCOME_ORDER.map((outcome, i) => ({ outcome, count: outcomes[i]! })).filter((o) => o.count !== 0),
  };
}

const pick = rollupPicker(COLUMNS);

function pickOutcomes(row: Row, prefix: string): number[] {
  return OUTCOME_COLUMNS.map((c) => Number(row[`${prefix}${c}`] ?? 0));
}

/**
 * The information-request roll-up reads the maintained request figures (src/figures/, migration
 * 20261122110000_RequestFigures), never the requests: per agency the due-date rows of the year of
 * receipt (a handful) and the outcome rows of the year of reply (at most one per outcome). "Overdue as
 * of today" is a filter on the due dates (open, due before today); requests whose clock is stopped sit
 * under the due date 'infinity', so they are open but never overdue. One statement whatever the size
 * of the subtree.
 *
 * Own and subtree figures come out of ONE grouping: each agency's own figures are handed to every
 * label of its path from the root's depth on (itself and its ancestors, as `subtreeSumsCte` does), and
 * the group of an agency sums them all (its subtree) and, filtered to its own label, its own figures.
 * Nothing is joined afterwards: the tenancy gate hides the scope's size from the planner, which then
 * joins CTEs by nested loops — quadratic in the agencies (0.7 s for 1,000 with four such joins); a
 * grouping is linear.
 */
export class RequestRollupService {
  async rollup(ctx: RequestContext, year: number, agencyId?: string | null): Promise<RequestRollup> {
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
        own: requestFigures(pick(r, 'own_'), pickOutcomes(r, 'own_')),
        subtree: requestFigures(pick(r, 'sub_'), pickOutcomes(r, 'sub_')),
      })),
    };
  }

  /** One statement whatever the size of the subtree; public so a benchmark can time exactly this SQL. */
  rollupStatement(year: number, asOf: string, root: string): { sql: string; params: unknown[] } {
    const all = [...COLUMNS, ...OUTCOME_COLUMNS];
    const outcomeSums = OUTCOME_ORDER.map((o, i) => `sum(x.n) filter (where x.outcome = '${o}') as o_${i}`).join(', ');
    const outcomeCols = OUTCOME_COLUMNS.map((c) => `coalesce(r.${c}, 0) as ${c}`).join(', ');
    const sums = all.map((c) => `coalesce(sum(o.${c}) filter (where l.self), 0) as own_${c}, coalesce(sum(o.${c}), 0) as sub_${c}`).join(',\n                ');
    return {
      sql: `with params as (select ?::int as y, ?::date as d),
       scope as (select a.id, a.code, a.path from agency a where a.path <@ ?::ltree),
       -- Aggregate LATERALs per agency over the figure tables' keys: the plan does not depend on
       -- the planner's guess of the scope's size, which the tenancy gate hides from it.
       own as (
         select s.id as agency_id, s.code, s.path,
                coalesce(f.received, 0) as received,
                coalesce(f.answered_on_time, 0) + coalesce(f.answered_late, 0) as answered,
                coalesce(f.answered_on_time, 0) as answered_on_time, coalesce(f.answered_late, 0) as answered_late,
                coalesce(f.open, 0) as open, coalesce(f.overdue, 0) as overdue, coalesce(f.clock_stopped, 0) as clock_stopped,
                coalesce(f.extended, 0) as extended, coalesce(r.replied_in_year, 0) as replied_in_year,
                ${outcomeCols}
           from scope s
           cross join params
           left join lateral (
             select sum(x.received) as received, sum(x.replied_on_time) as answered_on_time, sum(x.replied_late) as answered_late,
                    sum(x.open) as open,
                    sum(x.open) filter (where x.due_on < params.d) as overdue,
                    sum(x.open) filter (where x.due_on = 'infinity'::date) as clock_stopped,
                    sum(x.extended) as extended
               from figure_request_agency x where x.agency_id = s.id and x.year = params.y) f on true
           left join lateral (
             select sum(x.n) as replied_in_year, ${outcomeSums}
               from figure_request_outcome x where x.agency_id = s.id and x.reply_year = params.y) r on true
       )
       select l.id as agency_id,
              ${sums}
         from own o
         cross join lateral (
           select p.label::uuid as id, p.depth, p.label::uuid = o.agency_id as self
             from unnest(string_to_array(ltree2text(o.path), '.')) with ordinality as p(label, depth)) l
        where l.depth >= ?
        group by l.id
        order by min(l.depth), max(o.code) filter (where l.self)`,
      params: [year, asOf, root, rootDepth(root)],
    };
  }
}

export const requestRollupService = new RequestRollupService();
