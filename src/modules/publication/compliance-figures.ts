/**
 * Where compliance figures come from, as SQL common-table expressions. Both sources define the same
 * two CTEs over the caller's `params` (f = from, t = to, d = today, y1/y2 = the period's years) and
 * `scope` (the agencies asked about):
 *
 *   fig(item_id, agency_id, due_in_period, on_time, late, overdue, pending, published_in_period,
 *       last_published, stale, empty)                      — one row per catalogue item
 *   own(agency_id, item_count, due_in_period, on_time, late, overdue, pending, published_in_period,
 *       stale_items, empty_items)                          — one row per agency
 *
 * Definitions (both sources):
 * - the items of an agency for a period: the items of its own (AGENCY) catalogues of the period's
 *   years, plus any item of another year with a publication due or published in the period;
 * - due / on time / late / overdue / pending: publications whose due date lies in the period;
 *   overdue = unpublished and past due as of today, pending = unpublished and not yet past due;
 * - published in period: publications whose publication date lies in the period;
 * - last published: the item's newest publication up to the period end;
 * - stale: KEEP_CURRENT items whose last publication is older than maxAgeDays at the period end
 *   (or missing) — or, without a maximum age, nothing published in the period; YEARLY_FIXED_DATE
 *   items with nothing published in the period;
 * - empty: nothing published up to the period end.
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
    select i.id, i.agency_id, i.deadline_rule
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
           max(p.published_on) filter (where p.published_on <= params.t) as last_published
      from publication p cross join params
     where p.item_id in (select id from items)
     group by p.item_id
  ),
  fig as (
    select i.id as item_id, i.agency_id,
           coalesce(pub.due_in_period, 0) as due_in_period, coalesce(pub.on_time, 0) as on_time,
           coalesce(pub.late, 0) as late, coalesce(pub.overdue, 0) as overdue, coalesce(pub.pending, 0) as pending,
           coalesce(pub.published_in_period, 0) as published_in_period,
           pub.last_published,
           ${STALE(`i.deadline_rule->>'kind'`, `(i.deadline_rule->>'maxAgeDays')::int`, 'pub.last_published')} as stale,
           pub.last_published is null as empty
      from items i cross join params
      left join pub on pub.item_id = i.id
  ),
  own as (
    select f.agency_id, count(*) as item_count,
           sum(f.due_in_period) as due_in_period, sum(f.on_time) as on_time, sum(f.late) as late,
           sum(f.overdue) as overdue, sum(f.pending) as pending, sum(f.published_in_period) as published_in_period,
           count(*) filter (where f.stale) as stale_items,
           count(*) filter (where f.empty) as empty_items
      from fig f group by f.agency_id
  )`,
};

/**
 * Sums of bucket rows `b` joined to their segment `seg`: every counter over the period (part 'T'),
 * and open items due from today on (part 'P') to tell pending from overdue.
 */
const BUCKET_SUMS = `
  coalesce(sum(b.due_on_time + b.due_late + b.due_open) filter (where seg.part = 'T'), 0) as due_in_period,
  coalesce(sum(b.due_on_time) filter (where seg.part = 'T'), 0) as on_time,
  coalesce(sum(b.due_late) filter (where seg.part = 'T'), 0) as late,
  coalesce(sum(b.due_open) filter (where seg.part = 'T'), 0) - coalesce(sum(b.due_open) filter (where seg.part = 'P'), 0) as overdue,
  coalesce(sum(b.due_open) filter (where seg.part = 'P'), 0) as pending,
  coalesce(sum(b.published) filter (where seg.part = 'T'), 0) as published_in_period`;

export const MAINTAINED: FigureSource = {
  name: 'MAINTAINED',
  pre: (period) => {
    return {
      sql: `seg as (select * from unnest(?::text[], ?::char(1)[], ?::date[], ?::date[]) as s(part, grain, lo, hi)),`,
      params: periodReadParams(period.from, period.to, period.asOf),
    };
  },
  ctes: ({ perItem }) => `
  -- Materialised: the stale test reads last_published several times, and an inlined CTE would
  -- repeat its probe for every use. Items are read by index per agency in scope (LATERAL), so the
  -- plan is the same whatever the planner guesses about the scope's size, and a small scope never
  -- scans other agencies' items.
  items as materialized (
    -- Last publication up to the period end: the maintained newest date when it is not later, else
    -- the newest day bucket with a publication (one index probe per item, only for past periods).
    select fi.item_id, fi.agency_id, fi.rule_kind, fi.max_age_days,
           case when fi.last_published_on is null then null
                when fi.last_published_on <= params.t then fi.last_published_on
                else (select max(b.bucket) from figure_publication_item b
                       where b.item_id = fi.item_id and b.grain = 'D' and b.bucket <= params.t and b.published > 0)
           end as last_published
      from scope s cross join params
      cross join lateral (select * from figure_item x where x.agency_id = s.id offset 0) fi
     where fi.catalogue_year between params.y1 and params.y2
        or (least(fi.first_due_on, fi.first_published_on) <= params.t
            and greatest(fi.last_due_on, fi.last_published_on) >= params.f
            and exists (select 1 from seg join figure_publication_item b
                          on b.item_id = fi.item_id and b.grain = seg.grain and b.bucket between seg.lo and seg.hi
                         where seg.part = 'T'))
  ),
  flags as (
    select agency_id, count(*) as item_count,
           count(*) filter (where ${STALE('rule_kind', 'max_age_days', 'last_published')}) as stale_items,
           count(*) filter (where last_published is null) as empty_items
      from items cross join params group by agency_id
  ),
  -- Buckets are summed by index, per agency and segment (an aggregate LATERAL, which the planner
  -- cannot flatten into one scan of the whole table), whatever it guesses about the scope's size.
  pubs as (
    select s.id as agency_id, ${BUCKET_SUMS}
      from scope s cross join seg
      cross join lateral (select sum(x.due_on_time) as due_on_time, sum(x.due_late) as due_late,
                                 sum(x.due_open) as due_open, sum(x.published) as published
                            from figure_publication_agency x
                           where x.agency_id = s.id and x.grain = seg.grain and x.bucket between seg.lo and seg.hi) b
     group by s.id
  ),
  own as (
    select fl.agency_id, fl.item_count,
           coalesce(p.due_in_period, 0) as due_in_period, coalesce(p.on_time, 0) as on_time, coalesce(p.late, 0) as late,
           coalesce(p.overdue, 0) as overdue, coalesce(p.pending, 0) as pending, coalesce(p.published_in_period, 0) as published_in_period,
           fl.stale_items, fl.empty_items
      from flags fl left join pubs p on p.agency_id = fl.agency_id
  )${
    perItem
      ? `,
  item_pubs as (
    select b.item_id, ${BUCKET_SUMS}
      from scope s cross join seg
      cross join lateral (select x.item_id, sum(x.due_on_time) as due_on_time, sum(x.due_late) as due_late,
                                 sum(x.due_open) as due_open, sum(x.published) as published
                            from figure_publication_item x
                           where x.agency_id = s.id and x.grain = seg.grain and x.bucket between seg.lo and seg.hi
                           group by x.item_id) b
     group by b.item_id
  ),
  fig as (
    select i.item_id, i.agency_id,
           coalesce(p.due_in_period, 0) as due_in_period, coalesce(p.on_time, 0) as on_time, coalesce(p.late, 0) as late,
           coalesce(p.overdue, 0) as overdue, coalesce(p.pending, 0) as pending,
           coalesce(p.published_in_period, 0) as published_in_period,
           i.last_published,
           ${STALE('i.rule_kind', 'i.max_age_days', 'i.last_published')} as stale,
           i.last_published is null as empty
      from items i cross join params
      left join item_pubs p on p.item_id = i.item_id
  )`
      : ''
  }`,
};
