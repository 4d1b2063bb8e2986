/**
 * Where compliance figures come from, as SQL common-table expressions over the caller's `params`
 * (f = from, t = to, d = today, y1/y2 = the period's years) and `scope` (the agencies asked about):
 * `fig` for per-item figures (perItem), `own` for the roll-ups' per-agency figures.
 *
 *   fig(item_id, agency_id, due_in_period, on_time, late, overdue, pending, published_in_period,
 *       last_published, stale, empty, of_period, hist_*)    — one row per catalogue item (perItem)
 *   own(agency_id, path, item_count, due_in_period, on_time, late, overdue, pending,
 *       published_in_period, stale_items, empty_items, covered_items,
 *       hist_on_time, hist_late, hist_published)                — one row per agency (roll-ups; per
 *                                                                 item, the service sums `fig`)
 *
 * Definitions (both sources):
 * - an agency's items for a period: the items of its own (AGENCY) catalogues of the period's years —
 *   what item counts, stale and empty items count;
 * - due / on time / late / overdue / pending: the agency's publications whose due date lies in the
 *   period, whatever catalogue year their item belongs to (a December document of last year's
 *   catalogue due in January counts in January); overdue = unpublished and past due as of today,
 *   pending = unpublished and not yet past due;
 * - published in period: publications whose publication date lies in the period;
 * - per item (`fig`): the period's items plus any other item with a publication due or published in
 *   the period, so the items' publication figures add up to the agency's;
 * - last published: the item's newest publication up to the period end;
 * - stale: KEEP_CURRENT items whose last publication is older than maxAgeDays at the period end
 *   (or missing) — or, without a maximum age, nothing published in the period; YEARLY_FIXED_DATE
 *   items with nothing published in the period;
 * - empty: nothing published up to the period end;
 * - covered: something published in the period (catalogue coverage, an assessment indicator);
 * - hist_*: the parts of on time, late and published in period that are historical records (补录,
 *   entered with their original dates, never reviewed in the system): shown apart, never hidden.
 *
 * `MAINTAINED` reads the figure tables that triggers keep up to date (src/figures/, migration
 * 20261122000000): reads grow with agencies × buckets and with items, never with publications.
 * `REFERENCE` recomputes everything from the raw publication rows; it is what the maintained figures
 * are checked against (test/e2e/figures-invariant.test.ts) and is never used to answer requests.
 */
import { periodReadParams } from '../../figures/periods';

export interface FigureSource {
  name: 'MAINTAINED' | 'REFERENCE';
  /** CTEs defined after `params` and before `scope`, with their parameters (e.g. bucket segments). */
  pre: (period: { from: string; to: string; asOf: string }) => { sql: string; params: unknown[] };
  /** Whether per-item figures are needed (publicationCompliance) or only per agency (roll-ups). */
  ctes: (opts: { perItem: boolean }) => string;
}

/** Whether an item is stale, given SQL for its time-limit kind, maximum age and last publication. */
const STALE = (kind: string, maxAge: string, lastPublished: string) => `case ${kind}
    when 'KEEP_CURRENT' then
      case when ${maxAge} is not null
           then ${lastPublished} is null or params.t - ${lastPublished} > ${maxAge}
           else ${lastPublished} is null or ${lastPublished} < params.f end
    when 'YEARLY_FIXED_DATE' then ${lastPublished} is null or ${lastPublished} < params.f
    else false
  end`;

export const REFERENCE: FigureSource = {
  name: 'REFERENCE',
  pre: () => ({ sql: '', params: [] }),
  ctes: () => `
  items as (
    select i.id, i.agency_id, i.deadline_rule, c.year between params.y1 and params.y2 as of_period
      from catalogue_item i
      join catalogue c on c.id = i.catalogue_id
      cross join params
     where c.kind = 'AGENCY'
       and i.agency_id in (select id from scope)
       and (c.year between params.y1 and params.y2
            or exists (select 1 from publication q
                        where q.item_id = i.id
                          and (q.due_on between params.f and params.t or q.published_on between params.f and params.t)))
  ),
  pub as (
    select p.item_id,
           count(*) filter (where p.due_on between params.f and params.t) as due_in_period,
           count(*) filter (where p.due_on between params.f and params.t and p.published_on <= p.due_on) as on_time,
           count(*) filter (where p.due_on between params.f and params.t and p.published_on > p.due_on) as late,
           count(*) filter (where p.due_on between params.f and params.t and p.published_on is null and p.due_on < params.d) as overdue,
           count(*) filter (where p.due_on between params.f and params.t and p.published_on is null and p.due_on >= params.d) as pending,
           count(*) filter (where p.published_on between params.f and params.t) as published_in_period,
           max(p.published_on) filter (where p.published_on <= params.t) as last_published,
           count(*) filter (where p.historical and p.due_on between params.f and params.t and p.published_on <= p.due_on) as hist_on_time,
           count(*) filter (where p.historical and p.due_on between params.f and params.t and p.published_on > p.due_on) as hist_late,
           count(*) filter (where p.historical and p.published_on between params.f and params.t) as hist_published
      from publication p cross join params
     where p.item_id in (select id from items)
     group by p.item_id
  ),
  fig as (
    select i.id as item_id, i.agency_id, i.of_period,
           coalesce(pub.due_in_period, 0) as due_in_period, coalesce(pub.on_time, 0) as on_time,
           coalesce(pub.late, 0) as late, coalesce(pub.overdue, 0) as overdue, coalesce(pub.pending, 0) as pending,
           coalesce(pub.published_in_period, 0) as published_in_period,
           pub.last_published,
           ${STALE(`i.deadline_rule->>'kind'`, `(i.deadline_rule->>'maxAgeDays')::int`, 'pub.last_published')} as stale,
           pub.last_published is null as empty,
           coalesce(pub.hist_on_time, 0) as hist_on_time, coalesce(pub.hist_late, 0) as hist_late,
           coalesce(pub.hist_published, 0) as hist_published
      from items i cross join params
      left join pub on pub.item_id = i.id
  ),
  own as (
    select f.agency_id, s.path, count(*) filter (where f.of_period) as item_count,
           sum(f.due_in_period) as due_in_period, sum(f.on_time) as on_time, sum(f.late) as late,
           sum(f.overdue) as overdue, sum(f.pending) as pending, sum(f.published_in_period) as published_in_period,
           count(*) filter (where f.of_period and f.stale) as stale_items,
           count(*) filter (where f.of_period and f.empty) as empty_items,
           count(*) filter (where f.of_period and f.last_published >= params.f) as covered_items,
           sum(f.hist_on_time) as hist_on_time, sum(f.hist_late) as hist_late, sum(f.hist_published) as hist_published
      from fig f join scope s on s.id = f.agency_id cross join params group by f.agency_id, s.path
  )`,
};

/**
 * Sums of bucket rows `x` joined to their segment `seg`: every counter over the period (part 'T'),
 * and open items due from today on (part 'P') to tell pending from overdue.
 *
 * Sums of counters are cast back to bigint here and in `own`: `sum(bigint)` is numeric, and every
 * later stage (an agency's own figures, its subtree's, the final union) would otherwise add numerics,
 * ≈ 10 % of a province roll-up statement. Counts of publications fit a bigint many times over.
 */
const BUCKET_SUMS = `
  coalesce(sum(b.due_on_time + b.due_late + b.due_open) filter (where seg.part = 'T'), 0)::bigint as due_in_period,
  coalesce(sum(b.due_on_time) filter (where seg.part = 'T'), 0)::bigint as on_time,
  coalesce(sum(b.due_late) filter (where seg.part = 'T'), 0)::bigint as late,
  (coalesce(sum(b.due_open) filter (where seg.part = 'T'), 0) - coalesce(sum(b.due_open) filter (where seg.part = 'P'), 0))::bigint as overdue,
  coalesce(sum(b.due_open) filter (where seg.part = 'P'), 0)::bigint as pending,
  coalesce(sum(b.published) filter (where seg.part = 'T'), 0)::bigint as published_in_period,
  coalesce(sum(b.hist_on_time) filter (where seg.part = 'T'), 0)::bigint as hist_on_time,
  coalesce(sum(b.hist_late) filter (where seg.part = 'T'), 0)::bigint as hist_late,
  coalesce(sum(b.hist_published) filter (where seg.part = 'T'), 0)::bigint as hist_published`;

/**
 * An item's last publication up to the period end, from its `figure_item` row `fi`: the maintained
 * newest date when it is not later; for a period ending on a month's last day (years, half-years,
 * quarters, months), the last of its months' last publications on or before that day (a binary
 * search in `published_month_last`, migration 20261122160000); otherwise the newest day bucket with
 * a publication (one index probe per item).
 */
const LAST_PUBLISHED = `case when fi.last_published_on is null then null
                when fi.last_published_on <= params.t then fi.last_published_on
                when extract(day from params.t + 1) = 1
                  then fi.published_month_last[width_bucket(params.t, fi.published_month_last)]
                else (select max(b.bucket) from figure_publication_item b
                       where b.item_id = fi.item_id and b.grain = 'D' and b.bucket <= params.t and b.published > 0)
           end`;

/**
 * An item's open publications due from today (or the period start, if later) to the period end —
 * pending; the period's other open ones are overdue — from the due dates of its unpublished
 * publications kept on its `figure_item` row `fi` (migration 20261122150000), sorted, so two binary
 * searches (`width_bucket`: how many are on or before a day) count them: no day or month buckets
 * from today on are read per item.
 */
const PENDING = `case when params.t < params.d then 0
                else width_bucket(params.t, fi.open_due_on) - width_bucket(greatest(params.d, params.f) - 1, fi.open_due_on)
           end`;

/**
 * Per agency (roll-ups): item counts from the period's items, publication figures from the agency's
 * buckets.
 */
const MAINTAINED_PER_AGENCY = `
  -- Counted agency by agency in an aggregate LATERAL, straight from the index scan of each
  -- agency's items: the items are never collected into an intermediate result and grouped again
  -- (≈ 4 ms of a province's 4,425 items). The inner offset 0 keeps last_published computed once
  -- per item, though the stale test reads it several times.
  flags as (
    select s.id as agency_id, s.path, c.item_count, c.stale_items, c.empty_items, c.covered_items
      from scope s cross join params
      cross join lateral (
        select count(*) as item_count,
               count(*) filter (where ${STALE('i.rule_kind', 'i.max_age_days', 'i.last_published')}) as stale_items,
               count(*) filter (where i.last_published is null) as empty_items,
               count(*) filter (where i.last_published >= params.f) as covered_items
          from (select fi.rule_kind, fi.max_age_days, ${LAST_PUBLISHED} as last_published
                  from figure_item fi
                 where fi.agency_id = s.id and fi.catalogue_year between params.y1 and params.y2 offset 0) i
      ) c
     where c.item_count > 0
  ),
  pubs as (
    select s.id as agency_id, s.path, ${BUCKET_SUMS}
      from scope s cross join seg
      cross join lateral (select sum(x.due_on_time) as due_on_time, sum(x.due_late) as due_late,
                                 sum(x.due_open) as due_open, sum(x.published) as published,
                                 sum(x.hist_on_time) as hist_on_time, sum(x.hist_late) as hist_late,
                                 sum(x.hist_published) as hist_published
                            from figure_publication_agency x
                           where x.agency_id = s.id and x.grain = seg.grain and x.bucket between seg.lo and seg.hi) b
     group by s.id, s.path
  ),
  -- Item counts and publication figures side by side, summed by agency (a union, not a join of
  -- two aggregates whose sizes the planner cannot know).
  own as (
    select agency_id, path, sum(item_count)::bigint as item_count, sum(due_in_period)::bigint as due_in_period,
           sum(on_time)::bigint as on_time, sum(late)::bigint as late, sum(overdue)::bigint as overdue,
           sum(pending)::bigint as pending, sum(published_in_period)::bigint as published_in_period,
           sum(stale_items)::bigint as stale_items, sum(empty_items)::bigint as empty_items,
           sum(covered_items)::bigint as covered_items, sum(hist_on_time)::bigint as hist_on_time,
           sum(hist_late)::bigint as hist_late, sum(hist_published)::bigint as hist_published
      from (select agency_id, path, item_count, 0 as due_in_period, 0 as on_time, 0 as late, 0 as overdue, 0 as pending,
                   0 as published_in_period, stale_items, empty_items, covered_items,
                   0 as hist_on_time, 0 as hist_late, 0 as hist_published
              from flags
            union all
            select agency_id, path, 0, due_in_period, on_time, late, overdue, pending, published_in_period, 0, 0, 0,
                   hist_on_time, hist_late, hist_published
              from pubs where due_in_period > 0 or published_in_period > 0) u
     group by agency_id, path
  )`;

/**
 * Per item (publicationCompliance), agency by agency in the order of their ids: for each agency of
 * the scope, its items' buckets of the period (by index, per segment) and its period's items with
 * zero figures, summed by item; then each item's facts by primary key, pending publications from its
 * open due dates (see PENDING). The agency figures are the sums of its items'
 * (ComplianceService.compliance adds them up).
 *
 * Agency by agency, not one aggregate over the whole scope: the rows leave in agency order, so the
 * statement's `order by agency, position` only sorts within each agency (an incremental sort) and
 * the first rows reach the client while later agencies are still being read — one sort over every
 * row held the whole result back until the end (≈ 20 ms of a province's 7,000 items). Each
 * agency's pieces are small, so no join between large intermediate results whose sizes the planner
 * cannot know (under the tenancy gate) is ever planned. An item's publications carry its agency
 * (a publication is created under its item's agency), so the item's rows are all found under it.
 */
const MAINTAINED_PER_ITEM = `
  fig as (
    select s.id as agency_id, z.*
      -- offset 0: the scope is sorted once, here, and the lateral below runs once per agency.
      from (select id from scope order by id offset 0) s cross join params
      cross join lateral (
        select f.item_id, f.of_period, f.due_in_period, f.on_time, f.late, f.open - f.pending as overdue, f.pending,
               f.published_in_period, f.last_published,
               ${STALE('f.rule_kind', 'f.max_age_days', 'f.last_published')} as stale,
               f.last_published is null as empty,
               f.hist_on_time, f.hist_late, f.hist_published
          from (
            select m.*, fi.rule_kind, fi.max_age_days,
                   fi.catalogue_year between params.y1 and params.y2 as of_period, ${LAST_PUBLISHED} as last_published,
                   ${PENDING} as pending
              -- int, not sum()'s bigint: an item's counts are small, and the driver parses a bigint
              -- from text (a regex test and a conversion per value, ×9 per row of thousands).
              from (select b.item_id, sum(b.due_on_time + b.due_late + b.due_open)::int as due_in_period,
                           sum(b.due_on_time)::int as on_time, sum(b.due_late)::int as late, sum(b.due_open)::int as open,
                           sum(b.published)::int as published_in_period, sum(b.hist_on_time)::int as hist_on_time,
                           sum(b.hist_late)::int as hist_late, sum(b.hist_published)::int as hist_published
                      from (select x.item_id, x.due_on_time, x.due_late, x.due_open, x.published,
                                   x.hist_on_time, x.hist_late, x.hist_published
                              from seg join figure_publication_item x
                                on x.agency_id = s.id and x.grain = seg.grain and x.bucket between seg.lo and seg.hi
                             where seg.part = 'T'
                            union all
                            select x.item_id, 0, 0, 0, 0, 0, 0, 0
                              from figure_item x
                             where x.agency_id = s.id and x.catalogue_year between params.y1 and params.y2) b
                     group by b.item_id) m
              join lateral (select * from figure_item x where x.item_id = m.item_id offset 0) fi on true
             -- offset 0: kept apart so that last_published (a probe for some periods) is computed
             -- once per item, though the stale test reads it several times.
             offset 0) f
      ) z
  )`;

/**
 * Bucket rows are summed by index per agency and segment through an aggregate LATERAL (which the
 * planner cannot flatten into a scan of the whole table), and items are read by index per agency in
 * scope: the plan is the same whatever the planner guesses about the scope's size — which it cannot
 * know under the tenancy gate — and a small scope never reads other agencies' rows.
 */
export const MAINTAINED: FigureSource = {
  name: 'MAINTAINED',
  pre: (period) => ({
    sql: `seg as (select * from unnest(?::text[], ?::char(1)[], ?::date[], ?::date[]) as s(part, grain, lo, hi)),`,
    params: periodReadParams(period.from, period.to, period.asOf),
  }),
  ctes: ({ perItem }) => (perItem ? MAINTAINED_PER_ITEM : MAINTAINED_PER_AGENCY),
};
