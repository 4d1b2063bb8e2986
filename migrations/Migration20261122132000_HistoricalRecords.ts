import { Migration } from '@mikro-orm/migrations';
import { referenceViewSecurity } from './support/figures-sql';

/**
 * Dates that cannot lie (先审查后公开) and historical records (补录):
 *
 * - reviews and sign-offs carry the (China) date they were made, so a publication can be refused a
 *   publication date before its final sign-off and the approval form reads in the order of the work.
 *   Existing rows take the date of their creation.
 * - `publication.historical` marks a publication made before the agency used the system and entered
 *   with its original dates. It never had a review round (checked).
 * - The publication figures count historical records apart: `hist_on_time`, `hist_late` and
 *   `hist_published` are the parts of `due_on_time`, `due_late` and `published` that are historical
 *   records, so a roll-up shows how much of an on-time rate rests on unreviewed history. The figure
 *   tables, their reference views, the fact type and the maintaining functions gain them; no
 *   historical record exists yet, so the new columns start at zero everywhere.
 */
export class Migration20261122132000_HistoricalRecords extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "publication" add column "historical" boolean not null default false;`);
    this.addSql(
      `alter table "publication" add constraint publication_historical_unreviewed check(not historical or (status = 'PUBLISHED' and round = 0));`,
    );
    this.addSql(`alter type "publication_action" add value if not exists 'HISTORICAL_RECORDED' after 'DEADLINE_RECOMPUTED';`);

    this.addSql(`alter table "confidentiality_review" add column "reviewed_on" date null;`);
    this.addSql(`update "confidentiality_review" set "reviewed_on" = (created_at at time zone 'Asia/Shanghai')::date;`);
    this.addSql(`alter table "confidentiality_review" alter column "reviewed_on" set not null;`);
    this.addSql(`alter table "publication_sign_off" add column "signed_on" date null;`);
    this.addSql(`update "publication_sign_off" set "signed_on" = (created_at at time zone 'Asia/Shanghai')::date;`);
    this.addSql(`alter table "publication_sign_off" alter column "signed_on" set not null;`);

    // ---- figures ------------------------------------------------------------------------------
    for (const t of ['figure_publication_agency', 'figure_publication_item']) {
      this.addSql(`alter table "${t}" add column "hist_on_time" int not null default 0, add column "hist_late" int not null default 0,
        add column "hist_published" int not null default 0;`);
    }
    this.addSql(`drop view "figure_publication_agency_reference";`);
    this.addSql(`drop view "figure_publication_item_reference";`);
    // Column order follows the tables (the check compares them with EXCEPT).
    this.addSql(`create view "figure_publication_item_reference" as
      select c.item_id, c.agency_id, g.grain,
             case g.grain when 'D' then c.day when 'M' then date_trunc('month', c.day)::date else date_trunc('year', c.day)::date end as bucket,
             (count(*) filter (where c.kind = 'due' and c.published_on <= c.due_on))::int as due_on_time,
             (count(*) filter (where c.kind = 'due' and c.published_on > c.due_on))::int as due_late,
             (count(*) filter (where c.kind = 'due' and c.published_on is null))::int as due_open,
             (count(*) filter (where c.kind = 'published'))::int as published,
             (count(*) filter (where c.historical and c.kind = 'due' and c.published_on <= c.due_on))::int as hist_on_time,
             (count(*) filter (where c.historical and c.kind = 'due' and c.published_on > c.due_on))::int as hist_late,
             (count(*) filter (where c.historical and c.kind = 'published'))::int as hist_published
        from (select p.item_id, p.agency_id, p.due_on, p.published_on, p.historical, x.kind, x.day
                from publication p
               cross join lateral (values ('due', p.due_on), ('published', p.published_on)) as x(kind, day)
               where x.day is not null) c
       cross join (values ('D'::char(1)), ('M'::char(1)), ('Y'::char(1))) as g(grain)
       group by 1, 2, 3, 4;`);
    this.addSql(`create view "figure_publication_agency_reference" as
      select agency_id, grain, bucket, sum(due_on_time)::int as due_on_time, sum(due_late)::int as due_late,
             sum(due_open)::int as due_open, sum(published)::int as published,
             sum(hist_on_time)::int as hist_on_time, sum(hist_late)::int as hist_late, sum(hist_published)::int as hist_published
        from figure_publication_item_reference group by 1, 2, 3;`);
    for (const v of ['figure_publication_item_reference', 'figure_publication_agency_reference']) {
      for (const s of referenceViewSecurity(v)) this.addSql(s);
    }

    this.addSql(`alter type "publication_fact" add attribute "historical" boolean;`);
    // As in migration 20261122000000, with the historical parts carried alongside.
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
          -- See migration 20261122000000: lock, then recompute the touched items' dates.
          perform 1 from figure_item where item_id = any(touched) order by item_id for update;
          update figure_item f
             set first_due_on = x.first_due_on, last_due_on = x.last_due_on,
                 first_published_on = x.first_published_on, last_published_on = x.last_published_on
            from (select t.item_id, min(p.due_on) as first_due_on, max(p.due_on) as last_due_on,
                         min(p.published_on) as first_published_on, max(p.published_on) as last_published_on
                    from unnest(touched) as t(item_id) left join publication p on p.item_id = t.item_id
                   group by t.item_id) x
           where f.item_id = x.item_id;
        end if;
      end $$;`);
    this.addSql(`revoke all on function figures_publication_apply(publication_fact[], publication_fact[]) from public;`);

    this.addSql(`create or replace function figures_publication_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        none publication_fact[] := '{}';
      begin
        if tg_op = 'INSERT' then
          perform figures_publication_apply(none,
            (select coalesce(array_agg(row(n.agency_id, n.item_id, n.due_on, n.published_on, n.historical)::publication_fact), none) from new_rows n));
        elsif tg_op = 'DELETE' then
          perform figures_publication_apply(
            (select coalesce(array_agg(row(o.agency_id, o.item_id, o.due_on, o.published_on, o.historical)::publication_fact), none) from old_rows o), none);
        else
          if not exists (
            select 1 from old_rows o join new_rows n on n.id = o.id
             where (o.agency_id, o.item_id, o.due_on, o.published_on, o.historical)
                   is distinct from (n.agency_id, n.item_id, n.due_on, n.published_on, n.historical)
          ) then
            return null;
          end if;
          perform figures_publication_apply(
            (select coalesce(array_agg(row(o.agency_id, o.item_id, o.due_on, o.published_on, o.historical)::publication_fact), none) from old_rows o),
            (select coalesce(array_agg(row(n.agency_id, n.item_id, n.due_on, n.published_on, n.historical)::publication_fact), none) from new_rows n));
        end if;
        return null;
      end $$;`);
    this.addSql(`revoke all on function figures_publication_changed() from public;`);
  }

  override async down(): Promise<void> {
    throw new Error('Migration20261122132000_HistoricalRecords cannot be undone: restore a backup instead');
  }
}
