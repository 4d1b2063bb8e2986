import { requirePrincipal } from '../../auth/policy';
import { sql } from '../../db/sql';
import type { RequestContext } from '../../graphql/context';
import { AppError, badInput } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import type { Agency } from '../agency/agency.entity';
import { today } from '../calendar/clock';
import { daysBetween, yearOf } from '../calendar/date-utils';
import type {
  AgencyCompliance,
  ComplianceFigures,
  ComplianceFilter,
  ComplianceRollup,
  ItemCompliance,
  PublicationCompliance,
} from './publication.inputs';

/** Longest period one compliance query covers. */
export const MAX_COMPLIANCE_DAYS = 5 * 366;

const FIGURE_COLUMNS = ['item_count', 'due_in_period', 'on_time', 'late', 'overdue', 'pending', 'published_in_period', 'stale_items', 'empty_items'] as const;

/**
 * Per-item figures of every catalogue item in `scope` (a CTE the caller defines), in SQL. Items are
 * those of the agencies' own catalogues whose year overlaps the period, plus any item with a
 * publication due in the period. `params` is one row: f (from), t (to), d (today), y1, y2 (years).
 *
 * - due / on time / late / overdue / pending: publications whose stored due date lies in the period;
 *   overdue = unpublished and past due as of today, pending = unpublished and not yet past due;
 * - stale: KEEP_CURRENT items whose newest publication (up to the period end) is older than
 *   maxAgeDays at the period end — or, without a maximum age, nothing published in the period;
 *   YEARLY_FIXED_DATE items with nothing published in the period;
 * - empty: nothing published up to the period end.
 */
const ITEM_FIGURES = `
  items as (
    select i.id, i.agency_id, i.deadline_rule
      from catalogue_item i
      join catalogue c on c.id = i.catalogue_id
      cross join params
     where c.kind = 'AGENCY'
       and i.agency_id in (select id from scope)
       and (c.year between params.y1 and params.y2
            or exists (select 1 from publication q where q.item_id = i.id and q.due_on between params.f and params.t))
  ),
  pub as (
    select p.item_id,
           count(*) filter (where p.due_on between params.f and params.t) as due_in_period,
           count(*) filter (where p.due_on between params.f and params.t and p.published_on <= p.due_on) as on_time,
           count(*) filter (where p.due_on between params.f and params.t and p.published_on > p.due_on) as late,
           count(*) filter (where p.due_on between params.f and params.t and p.published_on is null and p.due_on < params.d) as overdue,
           count(*) filter (where p.due_on between params.f and params.t and p.published_on is null and p.due_on >= params.d) as pending,
           count(*) filter (where p.published_on between params.f and params.t) as published_in_period,
           max(p.published_on) filter (where p.published_on <= params.t) as last_published
      from publication p cross join params
     where p.item_id in (select id from items)
     group by p.item_id
  ),
  fig as (
    select i.id as item_id, i.agency_id,
           coalesce(pub.due_in_period, 0) as due_in_period,
           coalesce(pub.on_time, 0) as on_time,
           coalesce(pub.late, 0) as late,
           coalesce(pub.overdue, 0) as overdue,
           coalesce(pub.pending, 0) as pending,
           coalesce(pub.published_in_period, 0) as published_in_period,
           pub.last_published,
           case i.deadline_rule->>'kind'
             when 'KEEP_CURRENT' then
               case when i.deadline_rule->>'maxAgeDays' is not null
                    then pub.last_published is null or params.t - pub.last_published > (i.deadline_rule->>'maxAgeDays')::int
                    else coalesce(pub.published_in_period, 0) = 0 end
             when 'YEARLY_FIXED_DATE' then coalesce(pub.published_in_period, 0) = 0
             else false
           end as stale,
           pub.last_published is null as empty
      from items i cross join params
      left join pub on pub.item_id = i.id
  ),
  own as (
    select f.agency_id,
           count(*) as item_count,
           sum(f.due_in_period) as due_in_period, sum(f.on_time) as on_time, sum(f.late) as late,
           sum(f.overdue) as overdue, sum(f.pending) as pending, sum(f.published_in_period) as published_in_period,
           count(*) filter (where f.stale) as stale_items,
           count(*) filter (where f.empty) as empty_items
      from fig f group by f.agency_id
  )`;

type Row = Record<string, string | number | boolean | null>;

function n(v: unknown): number {
  return v == null ? 0 : Number(v);
}

/** on_time / (on_time + late + overdue), from summed counts; null when nothing was judged. */
export function onTimeRate(onTime: number, late: number, overdue: number): number | null {
  const judged = onTime + late + overdue;
  return judged === 0 ? null : onTime / judged;
}

function figures(row: Row, prefix = ''): ComplianceFigures {
  const v = Object.fromEntries(FIGURE_COLUMNS.map((c) => [c, n(row[`${prefix}${c}`])])) as Record<(typeof FIGURE_COLUMNS)[number], number>;
  return {
    itemCount: v.item_count,
    dueInPeriod: v.due_in_period,
    onTime: v.on_time,
    late: v.late,
    overdue: v.overdue,
    pending: v.pending,
    onTimeRate: onTimeRate(v.on_time, v.late, v.overdue),
    publishedInPeriod: v.published_in_period,
    staleItems: v.stale_items,
    emptyItems: v.empty_items,
  };
}

/** An agency in the caller's subtree, or NOT_FOUND naming the filter field. */
async function visibleAgency(ctx: RequestContext, id: string, field: string): Promise<Agency> {
  const agency = await ctx.loaders.agency.byId.load(requireId(id, field));
  if (!agency) throw new AppError('NOT_FOUND', `${field}: 机关 (agency) ${id} not found`, { field, id });
  return agency;
}

export class ComplianceService {
  private period(filter: ComplianceFilter) {
    if (filter.to < filter.from) throw badInput('filter.to', '结束日期早于开始日期 (to is before from)');
    if (daysBetween(filter.from, filter.to) >= MAX_COMPLIANCE_DAYS) {
      throw badInput('filter.to', '统计区间最长5年 (the period may span at most 5 years)');
    }
    const asOf = today();
    return { from: filter.from, to: filter.to, asOf, params: [filter.from, filter.to, asOf, yearOf(filter.from), yearOf(filter.to)] };
  }

  /**
   * Figures per catalogue item and per agency: of `filter.agencyId` only, or of every agency in the
   * caller's subtree. One statement.
   */
  async compliance(ctx: RequestContext, filter: ComplianceFilter): Promise<PublicationCompliance> {
    const p = requirePrincipal(ctx);
    const period = this.period(filter);
    const only = filter.agencyId ? await visibleAgency(ctx, filter.agencyId, 'filter.agencyId') : null;
    const rows = await sql<Row>(
      ctx.em,
      `with params as (select ?::date as f, ?::date as t, ?::date as d, ?::int as y1, ?::int as y2),
       scope as (select a.id, a.code, a.path from agency a where ${only ? 'a.id = ?::uuid' : 'a.path <@ ?::ltree'}),
       ${ITEM_FIGURES}
       select 'ITEM' as row_kind, f.item_id, f.agency_id, null::text as code,
              null::bigint as item_count, f.due_in_period, f.on_time, f.late, f.overdue, f.pending, f.published_in_period,
              f.last_published::text as last_published, f.stale, f.empty, null::bigint as stale_items, null::bigint as empty_items,
              ci.position
         from fig f join catalogue_item ci on ci.id = f.item_id
       union all
       select 'AGENCY', null, s.id, s.code,
              coalesce(o.item_count, 0), o.due_in_period, o.on_time, o.late, o.overdue, o.pending, o.published_in_period,
              null, null, null, o.stale_items, o.empty_items, null
         from scope s left join own o on o.agency_id = s.id
       order by 1, 4, 3, 17, 2`,
      [...period.params, only ? only.id : p.agencyPath],
    );
    const items: ItemCompliance[] = [];
    const agencies: AgencyCompliance[] = [];
    for (const r of rows) {
      if (r.row_kind === 'ITEM') {
        const f = figures(r);
        items.push({
          itemId: String(r.item_id),
          agencyId: String(r.agency_id),
          dueInPeriod: f.dueInPeriod,
          onTime: f.onTime,
          late: f.late,
          overdue: f.overdue,
          pending: f.pending,
          onTimeRate: f.onTimeRate,
          publishedInPeriod: f.publishedInPeriod,
          lastPublishedOn: (r.last_published as string | null) ?? null,
          stale: r.stale === true,
          empty: r.empty === true,
        });
      } else {
        agencies.push({ agencyId: String(r.agency_id), figures: figures(r) });
      }
    }
    return { from: period.from, to: period.to, asOf: period.asOf, items, agencies };
  }

  /**
   * Every agency of a subtree (the caller's, or `filter.agencyId`'s): its own items' figures and the
   * total of its whole subtree (`path <@`). One statement whatever the number of agencies.
   */
  async rollup(ctx: RequestContext, filter: ComplianceFilter): Promise<ComplianceRollup> {
    const p = requirePrincipal(ctx);
    const period = this.period(filter);
    const root = filter.agencyId ? (await visibleAgency(ctx, filter.agencyId, 'filter.agencyId')).path : p.agencyPath;
    const sums = FIGURE_COLUMNS.map((c) => `coalesce(sum(o.${c}), 0) as sub_${c}`).join(', ');
    const owns = FIGURE_COLUMNS.map((c) => `coalesce(o.${c}, 0) as own_${c}`).join(', ');
    const subs = FIGURE_COLUMNS.map((c) => `sub.sub_${c}`).join(', ');
    const rows = await sql<Row>(
      ctx.em,
      `with params as (select ?::date as f, ?::date as t, ?::date as d, ?::int as y1, ?::int as y2),
       scope as (select a.id, a.code, a.path from agency a where a.path <@ ?::ltree),
       ${ITEM_FIGURES},
       sub as (
         select s.id, ${sums}
           from scope s join scope d on d.path <@ s.path
           left join own o on o.agency_id = d.id
          group by s.id
       )
       select s.id as agency_id, ${owns}, ${subs}
         from scope s left join own o on o.agency_id = s.id join sub on sub.id = s.id
        order by nlevel(s.path), s.code`,
      [...period.params, root],
    );
    return {
      from: period.from,
      to: period.to,
      asOf: period.asOf,
      rows: rows.map((r) => ({ agencyId: String(r.agency_id), own: figures(r, 'own_'), subtree: figures(r, 'sub_') })),
    };
  }
}

export const complianceService = new ComplianceService();
