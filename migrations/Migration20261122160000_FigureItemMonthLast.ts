import { Migration } from '@mikro-orm/migrations';
import { referenceViewSecurity } from './support/figures-sql';

/** The due dates of an item's unpublished publications (those with a due date), ascending; from rows `p`. */
const OPEN_DUE = `coalesce(array_agg(p.due_on order by p.due_on) filter (where p.published_on is null and p.due_on is not null), '{}'::date[])`;

/** The last publication date of each month in which the item `item` published, ascending. */
const MONTH_LAST = (item: string) => `coalesce((select array_agg(m.last_on order by m.last_on)
                   from (select max(q.published_on) as last_on from publication q
                          where q.item_id = ${item} and q.published_on is not null
                          group by date_trunc('month', q.published_on)) m), '{}'::date[])`;

/**
 * `figure_item.published_month_last`: the last publication date of each month in which the item
 * published, ascending.
 *
 * Whether an item is stale or empty at a period's end, and whether the period covered it, depends
 * on its last publication up to that end. For a period that ended before the item's newest
 * publication — every past year, half-year or quarter — that date came from an index probe per item
 * into its day buckets: 22 ms of the 40 ms of a province's compliance roll-up for last year on the
 * benchmark's data set (2,164 of the 4,425 items had published since). Periods end on a month's last
 * day, so the item's row now carries each month's last publication and the read takes the last one
 * on or before the period end with a binary search (`width_bucket`); other period ends still probe.
 * Kept by the same function as the item's other dates, in the same transaction as the change, and
 * recomputed by the reference view; existing rows are filled here.
 */
export class Migration20261122160000_FigureItemMonthLast extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "figure_item" add column "published_month_last" date[] not null default '{}';`);
    this.addSql(`update figure_item f set published_month_last = ${MONTH_LAST('f.item_id')}
     where f.last_published_on is not null;`);
    // Column order follows the table (the check compares them with EXCEPT).
    this.addSql(`create or replace view "figure_item_reference" as
      select i.id as item_id, i.agency_id, c.year as catalogue_year,
             i.deadline_rule->>'kind' as rule_kind, (i.deadline_rule->>'maxAgeDays')::int as max_age_days,
             p.first_due_on, p.last_due_on, p.first_published_on, p.last_published_on,
             coalesce(p.open_due_on, '{}'::date[]) as open_due_on,
             coalesce(ml.published_month_last, '{}'::date[]) as published_month_last
        from catalogue_item i
        join catalogue c on c.id = i.catalogue_id and c.kind = 'AGENCY'
        left join (select p.item_id, min(p.due_on) as first_due_on, max(p.due_on) as last_due_on,
                          min(p.published_on) as first_published_on, max(p.published_on) as last_published_on,
                          ${OPEN_DUE} as open_due_on
                     from publication p group by p.item_id) p on p.item_id = i.id
        left join (select m.item_id, array_agg(m.last_on order by m.last_on) as published_month_last
                     from (select item_id, max(published_on) as last_on from publication
                            where published_on is not null group by item_id, date_trunc('month', published_on)) m
                    group by m.item_id) ml on ml.item_id = i.id;`);
    for (const s of referenceViewSecurity('figure_item_reference')) this.addSql(s);

    // As in migration 20261122150000, with each month's last publication recomputed beside the item's dates.
    this.addSql(`create or replace function figures_publication_apply(old_facts publication_fact[], new_facts publication_fact[])
      returns void language plpgsql set search_path = public, pg_temp as $$
      declare
        empty_items jsonb;
        empty_agencies jsonb;
        touched uuid[];
      begin
        with facts as (
          select f.*, -1 as sign from unnest(old_facts) f
          union all
          select f.*, 1 from unnest(new_facts) f
        ), parts as (
          select agency_id, item_id, due_on as day,
                 sign * (case when published_on <= due_on then 1 else 0 end) as on_time,
                 sign * (case when published_on > due_on then 1 else 0 end) as late,
                 sign * (case when published_on is null then 1 else 0 end) as open,
                 0 as published,
                 sign * (case when historical and published_on <= due_on then 1 else 0 end) as h_on_time,
                 sign * (case when historical and published_on > due_on then 1 else 0 end) as h_late,
                 0 as h_published
            from facts where due_on is not null
          union all
          select agency_id, item_id, published_on, 0, 0, 0, sign, 0, 0, sign * (case when historical then 1 else 0 end)
            from facts where published_on is not null
        ), delta as (
          select p.agency_id, p.item_id, g.grain,
                 case g.grain when 'D' then p.day when 'M' then date_trunc('month', p.day)::date else date_trunc('year', p.day)::date end as bucket,
                 sum(p.on_time)::int as on_time, sum(p.late)::int as late, sum(p.open)::int as open, sum(p.published)::int as published,
                 sum(p.h_on_time)::int as h_on_time, sum(p.h_late)::int as h_late, sum(p.h_published)::int as h_published
            from parts p cross join (values ('D'::char(1)), ('M'::char(1)), ('Y'::char(1))) as g(grain)
           group by 1, 2, 3, 4
          having sum(p.on_time) <> 0 or sum(p.late) <> 0 or sum(p.open) <> 0 or sum(p.published) <> 0
              or sum(p.h_on_time) <> 0 or sum(p.h_late) <> 0 or sum(p.h_published) <> 0
        ), agency_delta as (
          select agency_id, grain, bucket, sum(on_time)::int as on_time, sum(late)::int as late, sum(open)::int as open,
                 sum(published)::int as published, sum(h_on_time)::int as h_on_time, sum(h_late)::int as h_late,
                 sum(h_published)::int as h_published
            from delta group by 1, 2, 3
          having sum(on_time) <> 0 or sum(late) <> 0 or sum(open) <> 0 or sum(published) <> 0
              or sum(h_on_time) <> 0 or sum(h_late) <> 0 or sum(h_published) <> 0
        ), item_up as (
          insert into figure_publication_item as f
                 (item_id, agency_id, grain, bucket, due_on_time, due_late, due_open, published, hist_on_time, hist_late, hist_published)
          select item_id, agency_id, grain, bucket, on_time, late, open, published, h_on_time, h_late, h_published
            from delta order by item_id, grain, bucket
          on conflict (item_id, grain, bucket) do update
             set due_on_time = f.due_on_time + excluded.due_on_time, due_late = f.due_late + excluded.due_late,
                 due_open = f.due_open + excluded.due_open, published = f.published + excluded.published,
                 hist_on_time = f.hist_on_time + excluded.hist_on_time, hist_late = f.hist_late + excluded.hist_late,
                 hist_published = f.hist_published + excluded.hist_published
          returning f.item_id, f.grain, f.bucket, (f.due_on_time = 0 and f.due_late = 0 and f.due_open = 0 and f.published = 0) as empty
        ), agency_up as (
          insert into figure_publication_agency as f
                 (agency_id, grain, bucket, due_on_time, due_late, due_open, published, hist_on_time, hist_late, hist_published)
          select agency_id, grain, bucket, on_time, late, open, published, h_on_time, h_late, h_published
            from agency_delta order by agency_id, grain, bucket
          on conflict (agency_id, grain, bucket) do update
             set due_on_time = f.due_on_time + excluded.due_on_time, due_late = f.due_late + excluded.due_late,
                 due_open = f.due_open + excluded.due_open, published = f.published + excluded.published,
                 hist_on_time = f.hist_on_time + excluded.hist_on_time, hist_late = f.hist_late + excluded.hist_late,
                 hist_published = f.hist_published + excluded.hist_published
          returning f.agency_id, f.grain, f.bucket, (f.due_on_time = 0 and f.due_late = 0 and f.due_open = 0 and f.published = 0) as empty
        )
        select (select jsonb_agg(jsonb_build_object('item_id', item_id, 'grain', grain, 'bucket', bucket)) from item_up where empty),
               (select jsonb_agg(jsonb_build_object('agency_id', agency_id, 'grain', grain, 'bucket', bucket)) from agency_up where empty),
               (select array_agg(distinct item_id) from delta)
          into empty_items, empty_agencies, touched;

        -- The historical parts are parts of the other counters: a bucket whose counters are all zero
        -- has none either.
        if empty_items is not null then
          delete from figure_publication_item f
           using jsonb_to_recordset(empty_items) as z(item_id uuid, grain char(1), bucket date)
           where f.item_id = z.item_id and f.grain = z.grain and f.bucket = z.bucket
             and f.due_on_time = 0 and f.due_late = 0 and f.due_open = 0 and f.published = 0;
        end if;
        if empty_agencies is not null then
          delete from figure_publication_agency f
           using jsonb_to_recordset(empty_agencies) as z(agency_id uuid, grain char(1), bucket date)
           where f.agency_id = z.agency_id and f.grain = z.grain and f.bucket = z.bucket
             and f.due_on_time = 0 and f.due_late = 0 and f.due_open = 0 and f.published = 0;
        end if;
        if touched is not null then
          -- See migration 20261122000000: lock, then recompute the touched items' dates, open due dates and
          -- last publication of each month.
          perform 1 from figure_item where item_id = any(touched) order by item_id for update;
          update figure_item f
             set first_due_on = x.first_due_on, last_due_on = x.last_due_on,
                 first_published_on = x.first_published_on, last_published_on = x.last_published_on,
                 open_due_on = x.open_due_on, published_month_last = ${MONTH_LAST('f.item_id')}
            from (select t.item_id, min(p.due_on) as first_due_on, max(p.due_on) as last_due_on,
                         min(p.published_on) as first_published_on, max(p.published_on) as last_published_on,
                         ${OPEN_DUE} as open_due_on
                    from unnest(touched) as t(item_id) left join publication p on p.item_id = t.item_id
                   group by t.item_id) x
           where f.item_id = x.item_id;
        end if;
      end $$;`);
    this.addSql(`revoke all on function figures_publication_apply(publication_fact[], publication_fact[]) from public;`);
  }

  override async down(): Promise<void> {
    throw new Error('Migration20261122160000_FigureItemMonthLast cannot be undone: restore a backup instead');
  }
}
