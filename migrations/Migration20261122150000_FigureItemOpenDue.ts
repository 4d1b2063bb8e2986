import { Migration } from '@mikro-orm/migrations';
import { referenceViewSecurity } from './support/figures-sql';

/** The due dates of an item's unpublished publications (those with a due date), ascending; from rows `p`. */
const OPEN_DUE = `coalesce(array_agg(p.due_on order by p.due_on) filter (where p.published_on is null and p.due_on is not null), '{}'::date[])`;

/**
 * `figure_item.open_due_on`: the due dates of the item's publications that are not published yet.
 *
 * Per-item compliance told an item's open publications due from today to the period end (pending)
 * from the overdue ones by reading the item's day and month buckets from today on: a third of the
 * bucket rows a province's per-item statement read for a year that contains today (5,098 of 16,143
 * on the benchmark's data set), in as many extra index scans per agency. Open publications are the
 * current workload — few per item — so the item's row now carries their due dates, kept by the same
 * function that keeps its first and last dates (in the same transaction as the change), and the
 * per-item read counts pending ones from the array. The reference view recomputes it from the
 * publications; existing rows are filled here. The agency roll-ups keep reading their buckets.
 */
export class Migration20261122150000_FigureItemOpenDue extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "figure_item" add column "open_due_on" date[] not null default '{}';`);
    this.addSql(`update figure_item f set open_due_on = x.open_due_on
      from (select p.item_id, ${OPEN_DUE} as open_due_on from publication p group by p.item_id) x
     where f.item_id = x.item_id;`);
    // Column order follows the table (the check compares them with EXCEPT).
    this.addSql(`create or replace view "figure_item_reference" as
      select i.id as item_id, i.agency_id, c.year as catalogue_year,
             i.deadline_rule->>'kind' as rule_kind, (i.deadline_rule->>'maxAgeDays')::int as max_age_days,
             p.first_due_on, p.last_due_on, p.first_published_on, p.last_published_on,
             coalesce(p.open_due_on, '{}'::date[]) as open_due_on
        from catalogue_item i
        join catalogue c on c.id = i.catalogue_id and c.kind = 'AGENCY'
        left join (select p.item_id, min(p.due_on) as first_due_on, max(p.due_on) as last_due_on,
                          min(p.published_on) as first_published_on, max(p.published_on) as last_published_on,
                          ${OPEN_DUE} as open_due_on
                     from publication p group by p.item_id) p on p.item_id = i.id;`);
    for (const s of referenceViewSecurity('figure_item_reference')) this.addSql(s);

    // As in migration 20261122132000, with the open due dates recomputed beside the item's dates.
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
          -- See migration 20261122000000: lock, then recompute the touched items' dates and open due dates.
          perform 1 from figure_item where item_id = any(touched) order by item_id for update;
          update figure_item f
             set first_due_on = x.first_due_on, last_due_on = x.last_due_on,
                 first_published_on = x.first_published_on, last_published_on = x.last_published_on,
                 open_due_on = x.open_due_on
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
    throw new Error('Migration20261122150000_FigureItemOpenDue cannot be undone: restore a backup instead');
  }
}
