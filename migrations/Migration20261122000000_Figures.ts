import { Migration } from '@mikro-orm/migrations';
import { figureTableSecurity, referenceViewSecurity, statementTriggers } from './support/figures-sql';

/**
 * Maintained figures (src/figures/): the publication side of the compliance roll-up, kept up to date
 * by statement-level triggers on `publication` in the same transaction as every change, so a roll-up
 * reads small aggregates instead of every publication of a subtree.
 *
 * - `figure_publication_agency` / `figure_publication_item`: per agency (and per catalogue item) and
 *   bucket, publications due in the bucket that were published on time, late, or are still open, and
 *   publications published in the bucket. Buckets have three grains — day ('D'), month ('M') and
 *   year ('Y'), keyed by their first day — so a period reads whole years, then whole months, then
 *   days (src/figures/periods.ts).
 * - `figure_item`: one narrow row per item of an agency's own catalogue: its year and time-limit kind
 *   (kept by triggers on `catalogue_item`) and its first and last due and publication dates (kept by
 *   the publication triggers) — what item counts, stale and empty items are judged by, without
 *   reading the wide item rows.
 *
 * Every table has a `*_reference` view that recomputes it from the raw rows, written independently of
 * the trigger code: `npm run figures:rebuild` reloads the tables from the views after a bulk load made
 * with SQL, and the invariant test compares the two.
 *
 * Figures are keyed by agency id, never by path: moving a subtree changes no figure.
 */
export class Migration20261122000000_Figures extends Migration {
  override async up(): Promise<void> {
    const inScope = `agency_id in (select a.id from agency a where a.path <@ app_scope_path())`;

    this.addSql(`create table "figure_publication_agency" (
      "agency_id" uuid not null, "grain" char(1) not null, "bucket" date not null,
      "due_on_time" int not null default 0, "due_late" int not null default 0, "due_open" int not null default 0,
      "published" int not null default 0,
      constraint "figure_publication_agency_pkey" primary key ("agency_id", "grain", "bucket"),
      constraint "figure_publication_agency_grain" check ("grain" in ('D', 'M', 'Y')));`);
    this.addSql(`create table "figure_publication_item" (
      "item_id" uuid not null, "agency_id" uuid not null, "grain" char(1) not null, "bucket" date not null,
      "due_on_time" int not null default 0, "due_late" int not null default 0, "due_open" int not null default 0,
      "published" int not null default 0,
      constraint "figure_publication_item_pkey" primary key ("item_id", "grain", "bucket"),
      constraint "figure_publication_item_grain" check ("grain" in ('D', 'M', 'Y')));`);
    this.addSql(`create index "figure_publication_item_agency_idx" on "figure_publication_item" ("agency_id", "grain", "bucket");`);
    this.addSql(`create table "figure_item" (
      "item_id" uuid not null, "agency_id" uuid not null, "catalogue_year" int not null,
      "rule_kind" text null, "max_age_days" int null,
      "first_due_on" date null, "last_due_on" date null, "first_published_on" date null, "last_published_on" date null,
      constraint "figure_item_pkey" primary key ("item_id"));`);
    this.addSql(`create index "figure_item_agency_idx" on "figure_item" ("agency_id");`);
    for (const t of ['figure_publication_agency', 'figure_publication_item', 'figure_item']) {
      for (const s of figureTableSecurity(t, inScope)) this.addSql(s);
    }

    // ---- reference: recomputation from raw rows ---------------------------------------------
    // Each publication contributes once by its due date (on time / late / open) and once by its
    // publication date; each contribution lands in a day and a month bucket.
    this.addSql(`create view "figure_publication_item_reference" as
      select c.item_id, c.agency_id, g.grain,
             case g.grain when 'D' then c.day when 'M' then date_trunc('month', c.day)::date else date_trunc('year', c.day)::date end as bucket,
             (count(*) filter (where c.kind = 'due' and c.published_on <= c.due_on))::int as due_on_time,
             (count(*) filter (where c.kind = 'due' and c.published_on > c.due_on))::int as due_late,
             (count(*) filter (where c.kind = 'due' and c.published_on is null))::int as due_open,
             (count(*) filter (where c.kind = 'published'))::int as published
        from (select p.item_id, p.agency_id, p.due_on, p.published_on, x.kind, x.day
                from publication p
               cross join lateral (values ('due', p.due_on), ('published', p.published_on)) as x(kind, day)
               where x.day is not null) c
       cross join (values ('D'::char(1)), ('M'::char(1)), ('Y'::char(1))) as g(grain)
       group by 1, 2, 3, 4;`);
    this.addSql(`create view "figure_publication_agency_reference" as
      select agency_id, grain, bucket, sum(due_on_time)::int as due_on_time, sum(due_late)::int as due_late,
             sum(due_open)::int as due_open, sum(published)::int as published
        from figure_publication_item_reference group by 1, 2, 3;`);
    this.addSql(`create view "figure_item_reference" as
      select i.id as item_id, i.agency_id, c.year as catalogue_year,
             i.deadline_rule->>'kind' as rule_kind, (i.deadline_rule->>'maxAgeDays')::int as max_age_days,
             p.first_due_on, p.last_due_on, p.first_published_on, p.last_published_on
        from catalogue_item i
        join catalogue c on c.id = i.catalogue_id and c.kind = 'AGENCY'
        left join (select item_id, min(due_on) as first_due_on, max(due_on) as last_due_on,
                          min(published_on) as first_published_on, max(published_on) as last_published_on
                     from publication group by item_id) p on p.item_id = i.id;`);
    for (const v of ['figure_publication_item_reference', 'figure_publication_agency_reference', 'figure_item_reference']) {
      for (const s of referenceViewSecurity(v)) this.addSql(s);
    }

    // ---- maintenance ------------------------------------------------------------------------
    // What of a publication row the figures depend on.
    this.addSql(`create type "publication_fact" as ("agency_id" uuid, "item_id" uuid, "due_on" date, "published_on" date);`);

    // Applies the difference between the old and the new facts of the changed rows: one grouped
    // upsert per table, in key order (concurrent writers lock buckets in the same order, so they
    // queue instead of deadlocking); buckets that drop to zero are removed, so the tables equal
    // their reference views row for row. Not executable by the app role (it takes arbitrary facts).
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
                 0 as published
            from facts where due_on is not null
          union all
          select agency_id, item_id, published_on, 0, 0, 0, sign from facts where published_on is not null
        ), delta as (
          select p.agency_id, p.item_id, g.grain,
                 case g.grain when 'D' then p.day when 'M' then date_trunc('month', p.day)::date else date_trunc('year', p.day)::date end as bucket,
                 sum(p.on_time)::int as on_time, sum(p.late)::int as late, sum(p.open)::int as open, sum(p.published)::int as published
            from parts p cross join (values ('D'::char(1)), ('M'::char(1)), ('Y'::char(1))) as g(grain)
           group by 1, 2, 3, 4
          having sum(p.on_time) <> 0 or sum(p.late) <> 0 or sum(p.open) <> 0 or sum(p.published) <> 0
        ), agency_delta as (
          select agency_id, grain, bucket, sum(on_time)::int as on_time, sum(late)::int as late, sum(open)::int as open,
                 sum(published)::int as published
            from delta group by 1, 2, 3
          having sum(on_time) <> 0 or sum(late) <> 0 or sum(open) <> 0 or sum(published) <> 0
        ), item_up as (
          insert into figure_publication_item as f (item_id, agency_id, grain, bucket, due_on_time, due_late, due_open, published)
          select item_id, agency_id, grain, bucket, on_time, late, open, published from delta order by item_id, grain, bucket
          on conflict (item_id, grain, bucket) do update
             set due_on_time = f.due_on_time + excluded.due_on_time, due_late = f.due_late + excluded.due_late,
                 due_open = f.due_open + excluded.due_open, published = f.published + excluded.published
          returning f.item_id, f.grain, f.bucket, (f.due_on_time = 0 and f.due_late = 0 and f.due_open = 0 and f.published = 0) as empty
        ), agency_up as (
          insert into figure_publication_agency as f (agency_id, grain, bucket, due_on_time, due_late, due_open, published)
          select agency_id, grain, bucket, on_time, late, open, published from agency_delta order by agency_id, grain, bucket
          on conflict (agency_id, grain, bucket) do update
             set due_on_time = f.due_on_time + excluded.due_on_time, due_late = f.due_late + excluded.due_late,
                 due_open = f.due_open + excluded.due_open, published = f.published + excluded.published
          returning f.agency_id, f.grain, f.bucket, (f.due_on_time = 0 and f.due_late = 0 and f.due_open = 0 and f.published = 0) as empty
        )
        select (select jsonb_agg(jsonb_build_object('item_id', item_id, 'grain', grain, 'bucket', bucket)) from item_up where empty),
               (select jsonb_agg(jsonb_build_object('agency_id', agency_id, 'grain', grain, 'bucket', bucket)) from agency_up where empty),
               (select array_agg(distinct item_id) from delta)
          into empty_items, empty_agencies, touched;

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
          -- min/max cannot be un-applied: recompute the touched items' dates from their publications.
          -- Lock the rows first, in a statement of its own: under READ COMMITTED the recomputing
          -- statement then takes its snapshot after a concurrent writer of the same item committed,
          -- instead of overwriting that writer's dates with figures computed without them.
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

    // The trigger function runs as its owner (SECURITY DEFINER): the app role may not write figures
    // itself, and a change made under one tenant's scope must update figures wherever they are.
    // It reads only the transition tables of the statement that fired it — nothing caller-chosen.
    this.addSql(`create or replace function figures_publication_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        none publication_fact[] := '{}';
      begin
        if tg_op = 'INSERT' then
          perform figures_publication_apply(none,
            (select coalesce(array_agg(row(n.agency_id, n.item_id, n.due_on, n.published_on)::publication_fact), none) from new_rows n));
        elsif tg_op = 'DELETE' then
          perform figures_publication_apply(
            (select coalesce(array_agg(row(o.agency_id, o.item_id, o.due_on, o.published_on)::publication_fact), none) from old_rows o), none);
        else
          -- Most updates (titles, workflow states) change no fact: skip them after one cheap check.
          if not exists (
            select 1 from old_rows o join new_rows n on n.id = o.id
             where (o.agency_id, o.item_id, o.due_on, o.published_on) is distinct from (n.agency_id, n.item_id, n.due_on, n.published_on)
          ) then
            return null;
          end if;
          perform figures_publication_apply(
            (select coalesce(array_agg(row(o.agency_id, o.item_id, o.due_on, o.published_on)::publication_fact), none) from old_rows o),
            (select coalesce(array_agg(row(n.agency_id, n.item_id, n.due_on, n.published_on)::publication_fact), none) from new_rows n));
        end if;
        return null;
      end $$;`);
    this.addSql(`revoke all on function figures_publication_changed() from public;`);
    for (const s of statementTriggers('publication', 'figures_publication_changed')) this.addSql(s);

    // Items of agencies' own catalogues (a catalogue's year and kind never change after creation).
    this.addSql(`create or replace function figures_catalogue_item_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        if tg_op = 'DELETE' then
          delete from figure_item f using old_rows o where f.item_id = o.id;
          return null;
        end if;
        -- (nested: a transition table may only be named where the operation has it)
        if tg_op = 'UPDATE' then
          if not exists (
            select 1 from old_rows o join new_rows n on n.id = o.id where o.deadline_rule is distinct from n.deadline_rule
          ) then
            return null;
          end if;
        end if;
        insert into figure_item as f (item_id, agency_id, catalogue_year, rule_kind, max_age_days)
        select n.id, n.agency_id, c.year, n.deadline_rule->>'kind', (n.deadline_rule->>'maxAgeDays')::int
          from new_rows n join catalogue c on c.id = n.catalogue_id and c.kind = 'AGENCY'
         order by n.id
        on conflict (item_id) do update set rule_kind = excluded.rule_kind, max_age_days = excluded.max_age_days;
        return null;
      end $$;`);
    this.addSql(`revoke all on function figures_catalogue_item_changed() from public;`);
    for (const s of statementTriggers('catalogue_item', 'figures_catalogue_item_changed')) this.addSql(s);

    // Publications that exist already (the migration may run on a live database).
    this.addSql(`insert into figure_publication_item select * from figure_publication_item_reference;`);
    this.addSql(`insert into figure_publication_agency select * from figure_publication_agency_reference;`);
    this.addSql(`insert into figure_item select * from figure_item_reference;`);
  }

  override async down(): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) this.addSql(`drop trigger if exists figures_publication_${op} on "publication";`);
    this.addSql(`drop function if exists figures_publication_changed();`);
    for (const op of ['insert', 'update', 'delete']) this.addSql(`drop trigger if exists figures_catalogue_item_${op} on "catalogue_item";`);
    this.addSql(`drop function if exists figures_catalogue_item_changed();`);
    this.addSql(`drop function if exists figures_publication_apply(publication_fact[], publication_fact[]);`);
    this.addSql(`drop type if exists "publication_fact";`);
    this.addSql(`drop view if exists "figure_item_reference";`);
    this.addSql(`drop view if exists "figure_publication_agency_reference";`);
    this.addSql(`drop view if exists "figure_publication_item_reference";`);
    this.addSql(`drop table if exists "figure_item";`);
    this.addSql(`drop table if exists "figure_publication_item";`);
    this.addSql(`drop table if exists "figure_publication_agency";`);
  }
}
