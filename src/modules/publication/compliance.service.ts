import type { GraphQLResolveInfo } from 'graphql';
import { requirePrincipal } from '../../auth/policy';
import { rowMapper, type Lean } from '../../db/row-mapper';
import { sql } from '../../db/sql';
import { CatalogueItem } from '../catalogue/catalogue-item.entity';
import { CATALOGUE_ITEM_FIELD_READS } from '../catalogue/catalogue.loaders';
import type { RequestContext } from '../../graphql/context';
import { AppError, badInput } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { selectedFields } from '../../graphql/selection';
import type { Agency } from '../agency/agency.entity';
import { today } from '../calendar/clock';
import { daysBetween, yearOf } from '../calendar/date-utils';
import { rollupPicker, rollupRowsSql, rootDepth, subtreeSumsCte, type RollupPrefix } from '../../figures/subtree';
import { MAINTAINED, type FigureSource } from './compliance-figures';
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

const FIGURE_COLUMNS = ['item_count', 'due_in_period', 'on_time', 'late', 'overdue', 'pending', 'published_in_period', 'stale_items', 'empty_items', 'covered_items',
  'hist_on_time', 'hist_late', 'hist_published'] as const;

type Row = Record<string, string | number | boolean | null>;
type Sums = Record<(typeof FIGURE_COLUMNS)[number], number>;

/** A checked period and the parameters every compliance statement starts with. */
export interface CompliancePeriod {
  from: string;
  to: string;
  asOf: string;
  params: unknown[];
}

/**
 * The per-item statement's columns that only some fields read (see `compliance`). A province's
 * answer is ≈ 7,000 rows, and every value sent costs PostgreSQL its output function, the wire and the
 * driver its parse: ≈ 1.2 ms per column of the province's rows, measured.
 */
export interface ComplianceColumns {
  /** Each item's last publication: the items' `lastPublishedOn` and the agencies' `coveredItems`. */
  lastPublished: boolean;
  /** The shares of historical records (补录): the agencies' `historicalOnTime` / `historicalLate` / `historicalPublished`. */
  historical: boolean;
}

/** Every column: what callers outside GraphQL get (tests, the figures invariant). */
export const ALL_COMPLIANCE_COLUMNS: ComplianceColumns = { lastPublished: true, historical: true };

/**
 * The optional columns a `publicationCompliance` query reads, from its selection (a superset: every
 * alias, fragment and `@skip`d field counts).
 */
export function complianceColumnsFor(info: GraphQLResolveInfo): ComplianceColumns {
  const items = selectedFields(info, ['items']);
  const figures = selectedFields(info, ['agencies', 'figures']);
  return {
    lastPublished: items.has('lastPublishedOn') || figures.has('coveredItems'),
    historical: figures.has('historicalOnTime') || figures.has('historicalLate') || figures.has('historicalPublished'),
  };
}

/** The period [from, to] judged as of `asOf` (today, or an assessment's data cut-off). */
export function compliancePeriod(from: string, to: string, asOf: string): CompliancePeriod {
  return { from, to, asOf, params: [from, to, asOf, yearOf(from), yearOf(to)] };
}

function n(v: unknown): number {
  return v == null ? 0 : Number(v);
}

/** on_time / (on_time + late + overdue), from summed counts; null when nothing was judged. */
export function onTimeRate(onTime: number, late: number, overdue: number): number | null {
  const judged = onTime + late + overdue;
  return judged === 0 ? null : onTime / judged;
}

const pick = rollupPicker(FIGURE_COLUMNS);

function figures(row: Row | Sums, prefix: RollupPrefix = ''): ComplianceFigures {
  const v = pick(row, prefix);
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
    coveredItems: v.covered_items,
    historicalOnTime: v.hist_on_time,
    historicalLate: v.hist_late,
    historicalPublished: v.hist_published,
  };
}

/** An agency in the caller's subtree, or NOT_FOUND naming the filter field. */
async function visibleAgency(ctx: RequestContext, id: string, field: string): Promise<Agency> {
  const agency = await ctx.loaders.agency.byId.load(requireId(id, field));
  if (!agency) throw new AppError('NOT_FOUND', `${field}: 机关 (agency) ${id} not found`, { field, id });
  return agency;
}

export class ComplianceService {
  /** The period of a filter, checked, as of today. */
  period(filter: ComplianceFilter): CompliancePeriod {
    if (filter.to < filter.from) throw badInput('filter.to', '结束日期早于开始日期 (to is before from)');
    if (daysBetween(filter.from, filter.to) >= MAX_COMPLIANCE_DAYS) {
      throw badInput('filter.to', '统计区间最长5年 (the period may span at most 5 years)');
    }
    return compliancePeriod(filter.from, filter.to, today());
  }

  /** `with params, <source's own CTEs>, scope, <source's figures>`, and the statement's leading parameters. */
  private prelude(
    source: FigureSource,
    period: CompliancePeriod,
    scopeSql: string,
    scopeParam: unknown,
    opts: { perItem: boolean },
  ) {
    const pre = source.pre(period);
    return {
      sql: `with params as (select ?::date as f, ?::date as t, ?::date as d, ?::int as y1, ?::int as y2),
       ${pre.sql}
       scope as (select a.id, a.code, a.path from agency a where ${scopeSql}),
       ${source.ctes(opts)}`,
      params: [...period.params, ...pre.params, scopeParam],
    };
  }

  /**
   * Figures per catalogue item and per agency: of `filter.agencyId` only, or of every agency in the
   * caller's subtree. Two statements whatever the number of items: the items' figures, and the
   * agencies asked about.
   *
   * `itemFields`: the fields the query selects on each row's `item` (see `selectedFields`). The
   * statement then carries only the columns those fields read, and each row gets its item as it
   * is — a province's thousands of rows parse and resolve without building whole items. Without
   * it, or when a selected field's reads are unknown, whole item rows come along and also fill the
   * request's item loader.
   *
   * `columns`: which optional figure columns the statement carries. A figure whose column is left
   * out reads as none (no last publication, no historical records), so a caller leaves a column out
   * only when no field it answers reads it (`complianceColumnsFor`).
   */
  async compliance(
    ctx: RequestContext,
    filter: ComplianceFilter,
    source: FigureSource = MAINTAINED,
    itemFields?: ReadonlySet<string>,
    columns: ComplianceColumns = ALL_COMPLIANCE_COLUMNS,
  ): Promise<PublicationCompliance> {
    const p = requirePrincipal(ctx);
    const period = this.period(filter);
    const only = filter.agencyId ? await visibleAgency(ctx, filter.agencyId, 'filter.agencyId') : null;
    const prelude = this.prelude(source, period, only ? 'a.id = ?::uuid' : 'a.path <@ ?::ltree', only ? only.id : p.agencyPath, {
      perItem: true,
    });
    const whole = rowMapper(ctx.em, CatalogueItem);
    const projected = itemFields ? whole.forSelection(itemFields, CATALOGUE_ITEM_FIELD_READS) : null;
    // Both carry the item's id (`item__id`), which also identifies the row.
    const itemRows = projected ?? whole;
    const rows = await sql<Row>(
      ctx.em,
      `${prelude.sql}
       select f.agency_id, f.of_period, f.due_in_period, f.on_time, f.late, f.overdue, f.pending, f.published_in_period,
              f.stale, f.empty,${columns.lastPublished ? ' f.last_published::text as last_published,' : ''}${
                columns.historical ? ' f.hist_on_time, f.hist_late, f.hist_published,' : ''
              }
              ${itemRows.columnsAs('ci', 'item__')}
         -- A probe per row, which keeps the rows in the order the figures come in (see MAINTAINED).
         from fig f cross join lateral (select * from catalogue_item ci where ci.id = f.item_id offset 0) ci
        order by f.agency_id, ci.position, f.item_id`,
      prelude.params,
    );
    // Every agency asked about, with or without items (its figures are then zero).
    const scope = only
      ? [only.id]
      : (await sql<{ id: string }>(ctx.em, `select a.id from agency a where a.path <@ ?::ltree order by a.code`, [p.agencyPath])).map((a) => a.id);
    // An agency's figures are the sums of its items' (its own items of the period for the item
    // counts), added up here rather than by a second aggregate in the statement: the rows are read
    // anyway, and each stays narrow.
    const sums = new Map(scope.map((id) => [id, Object.fromEntries(FIGURE_COLUMNS.map((c) => [c, 0])) as Sums]));
    const items: ItemCompliance[] = [];
    for (const r of rows) {
      const item = itemRows.mapFrom(r, 'item__');
      // Only whole items may serve other fields of the request.
      if (!projected) ctx.loaders.catalogue.itemById.prime(String(r.item__id), item as Lean<CatalogueItem>);
      const onTime = n(r.on_time);
      const late = n(r.late);
      const overdue = n(r.overdue);
      const row: ItemCompliance = {
        itemId: String(r.item__id),
        agencyId: String(r.agency_id),
        item: item as Lean<CatalogueItem>,
        dueInPeriod: n(r.due_in_period),
        onTime,
        late,
        overdue,
        pending: n(r.pending),
        onTimeRate: onTimeRate(onTime, late, overdue),
        publishedInPeriod: n(r.published_in_period),
        lastPublishedOn: (r.last_published as string | null) ?? null,
        stale: r.stale === true,
        empty: r.empty === true,
      };
      items.push(row);
      const sum = sums.get(row.agencyId);
      if (!sum) continue;
      if (r.of_period === true) {
        sum.item_count += 1;
        if (row.stale) sum.stale_items += 1;
        if (row.empty) sum.empty_items += 1;
        if (row.lastPublishedOn !== null && row.lastPublishedOn >= period.from) sum.covered_items += 1;
      }
      sum.due_in_period += row.dueInPeriod;
      sum.on_time += onTime;
      sum.late += late;
      sum.overdue += overdue;
      sum.pending += row.pending;
      sum.published_in_period += row.publishedInPeriod;
      sum.hist_on_time += n(r.hist_on_time);
      sum.hist_late += n(r.hist_late);
      sum.hist_published += n(r.hist_published);
    }
    const agencies: AgencyCompliance[] = [...sums].map(([agencyId, sum]) => ({ agencyId, figures: figures(sum) }));
    return { from: period.from, to: period.to, asOf: period.asOf, items, agencies };
  }

  /**
   * Every agency of a subtree (the caller's, or `filter.agencyId`'s): its own items' figures and the
   * total of its whole subtree (`path <@`). One statement whatever the number of agencies.
   */
  async rollup(ctx: RequestContext, filter: ComplianceFilter, source: FigureSource = MAINTAINED): Promise<ComplianceRollup> {
    const p = requirePrincipal(ctx);
    const period = this.period(filter);
    const root = filter.agencyId ? (await visibleAgency(ctx, filter.agencyId, 'filter.agencyId')).path : p.agencyPath;
    const statement = this.rollupStatement(source, period, root);
    const rows = await sql<Row>(ctx.em, statement.sql, statement.params);
    return {
      from: period.from,
      to: period.to,
      asOf: period.asOf,
      rows: rows.map((r) => ({ agencyId: String(r.agency_id), own: figures(r, 'own_'), subtree: figures(r, 'sub_') })),
    };
  }

  /**
   * The roll-up statement of a subtree (`root`, an agency path) for a period: public so the
   * benchmark can time the maintained figures against the reference recomputation with exactly the
   * SQL the service runs.
   */
  rollupStatement(source: FigureSource, period: CompliancePeriod, root: string): { sql: string; params: unknown[] } {
    const prelude = this.prelude(source, period, 'a.path <@ ?::ltree', root, { perItem: false });
    return {
      sql: `${prelude.sql},
       ${subtreeSumsCte(FIGURE_COLUMNS)}
       ${rollupRowsSql({ own: FIGURE_COLUMNS, sub: FIGURE_COLUMNS.map((c) => `sub_${c}`) })}`,
      params: [...prelude.params, rootDepth(root)],
    };
  }
}

export const complianceService = new ComplianceService();
