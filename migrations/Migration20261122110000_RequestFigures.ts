import { Migration } from '@mikro-orm/migrations';
import { figureTableSecurity, referenceViewSecurity, statementTriggers, transitionDelta } from './support/figures-sql';
import { IN_SCOPE_V2 } from './support/tenancy-sql';

/**
 * Maintained figures of information requests (依申请公开, issue 10 item 6), following the recipe of
 * 20261122071012_Assessment (additive deltas from the statement's transition tables, with upserts):
 *
 * - `figure_request_agency`: per agency, year of receipt (`info_request.year`) and reply due date —
 *   requests received, replied on or before the due date, replied after it, not yet replied, and
 *   extended (延长答复期限). "Overdue as of a day" is the open requests due before that day: a filter
 *   on the due dates at read time, so nothing time-relative is stored.
 * - `figure_request_outcome`: per agency, year of the REPLY and outcome (办理结果, the rows of the
 *   annual report's Table 3) — how many requests were answered that way. Keyed by the reply's year, not
 *   the receipt's: a request received in late December and answered in January counts as received in
 *   the first year and as answered (with its outcome) in the second, as Table 3 counts it.
 *
 * Requests whose clock is stopped (`due_on` null: a correction awaited, a consultation running) are
 * kept under the sentinel due date `'infinity'` — a real PostgreSQL date later than every other —
 * rather than in a separate counter or table: the key stays NOT NULL, "overdue" (`due_on < day`)
 * never counts them, "on time" (`replied_on <= due_on`) counts a reply given while the clock stood
 * (nothing was late), and when the clock runs again the request's delta simply moves it from the
 * `infinity` bucket to its dated bucket — the same upsert as any other change of due date. Reads can
 * still tell them apart (`due_on = 'infinity'`: open with the clock stopped).
 *
 * One statement-level trigger function keeps both tables (the triggers on `info_request`, one per
 * operation); a request's buckets and state come from its own columns only. Concurrent writers on one
 * bucket both count (the upsert adds under the row's lock); buckets that fall to zero are removed.
 * The tables are readable in scope (so, like every figure, by third-party evaluators as for a superior:
 * counts only, never an applicant or a request) and written only by the owner-run trigger function.
 */
export class Migration20261122110000_RequestFigures extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "figure_request_agency" (
      "agency_id" uuid not null, "year" int not null, "due_on" date not null,
      "received" int not null default 0, "replied_on_time" int not null default 0, "replied_late" int not null default 0,
      "open" int not null default 0, "extended" int not null default 0,
      constraint "figure_request_agency_pkey" primary key ("agency_id", "year", "due_on"));`);
    for (const s of figureTableSecurity('figure_request_agency', IN_SCOPE_V2)) this.addSql(s);

    this.addSql(`create table "figure_request_outcome" (
      "agency_id" uuid not null, "reply_year" int not null, "outcome" "request_outcome" not null,
      "n" int not null default 0,
      constraint "figure_request_outcome_pkey" primary key ("agency_id", "reply_year", "outcome"));`);
    for (const s of figureTableSecurity('figure_request_outcome', IN_SCOPE_V2)) this.addSql(s);

    // Reference views: the recomputation from the raw rows, written apart from the trigger's code.
    this.addSql(`create view "figure_request_agency_reference" as
      select r.agency_id, r.year, coalesce(r.due_on, 'infinity'::date) as due_on,
             count(*)::int as received,
             (count(*) filter (where r.replied_on is not null and (r.due_on is null or r.replied_on <= r.due_on)))::int as replied_on_time,
             (count(*) filter (where r.replied_on is not null and r.due_on is not null and r.replied_on > r.due_on))::int as replied_late,
             (count(*) filter (where r.replied_on is null))::int as open,
             (count(*) filter (where r.extension_days is not null))::int as extended
        from info_request r
       group by r.agency_id, r.year, coalesce(r.due_on, 'infinity'::date);`);
    for (const s of referenceViewSecurity('figure_request_agency_reference')) this.addSql(s);

    this.addSql(`create view "figure_request_outcome_reference" as
      select r.agency_id, extract(year from r.replied_on)::int as reply_year, r.outcome, count(*)::int as n
        from info_request r
       where r.outcome is not null
       group by r.agency_id, extract(year from r.replied_on)::int, r.outcome;`);
    for (const s of referenceViewSecurity('figure_request_outcome_reference')) this.addSql(s);

    // Each changed row once with -1 (its old version) and once with +1 (its new one); unchanged
    // figures cancel out. Only the columns the figures depend on travel.
    const sign = (alias: string, k: string) => `jsonb_build_object('agency_id', ${alias}.agency_id, 'year', ${alias}.year,
                 'due_on', coalesce(${alias}.due_on, 'infinity'::date), 'replied_on', ${alias}.replied_on,
                 'extended', ${alias}.extension_days is not null, 'outcome', ${alias}.outcome, 'k', ${k})`;
    const rows = `jsonb_to_recordset(delta) as x(agency_id uuid, year int, due_on date, replied_on date, extended boolean, outcome request_outcome, k int)`;
    this.addSql(`create or replace function figures_info_request_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      ${transitionDelta(sign)}

        with d as (
          select x.agency_id, x.year, x.due_on,
                 sum(x.k)::int as received,
                 coalesce(sum(x.k) filter (where x.replied_on <= x.due_on), 0)::int as replied_on_time,
                 coalesce(sum(x.k) filter (where x.replied_on > x.due_on), 0)::int as replied_late,
                 coalesce(sum(x.k) filter (where x.replied_on is null), 0)::int as open,
                 coalesce(sum(x.k) filter (where x.extended), 0)::int as extended
            from ${rows}
           group by 1, 2, 3
        )
        insert into figure_request_agency as f (agency_id, year, due_on, received, replied_on_time, replied_late, open, extended)
          select * from d where received <> 0 or replied_on_time <> 0 or replied_late <> 0 or open <> 0 or extended <> 0
           order by agency_id, year, due_on
          on conflict (agency_id, year, due_on) do update
            set received = f.received + excluded.received, replied_on_time = f.replied_on_time + excluded.replied_on_time,
                replied_late = f.replied_late + excluded.replied_late, open = f.open + excluded.open,
                extended = f.extended + excluded.extended;
        delete from figure_request_agency f
         using ${rows}
         where f.agency_id = x.agency_id and f.year = x.year and f.due_on = x.due_on and f.received = 0;

        with d as (
          select x.agency_id, extract(year from x.replied_on)::int as reply_year, x.outcome, sum(x.k)::int as n
            from ${rows}
           where x.outcome is not null
           group by 1, 2, 3
        )
        insert into figure_request_outcome as f (agency_id, reply_year, outcome, n)
          select * from d where n <> 0
           order by agency_id, reply_year, outcome
          on conflict (agency_id, reply_year, outcome) do update set n = f.n + excluded.n;
        delete from figure_request_outcome f
         using ${rows}
         where x.outcome is not null and f.agency_id = x.agency_id and f.reply_year = extract(year from x.replied_on)::int
           and f.outcome = x.outcome and f.n = 0;
        return null;
      end $$;`);
    this.addSql(`revoke all on function figures_info_request_changed() from public;`);
    for (const s of statementTriggers('info_request', 'figures_info_request_changed')) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists figures_info_request_insert on "info_request";`);
    this.addSql(`drop trigger if exists figures_info_request_update on "info_request";`);
    this.addSql(`drop trigger if exists figures_info_request_delete on "info_request";`);
    this.addSql(`drop function if exists figures_info_request_changed() cascade;`);
    this.addSql(`drop view if exists "figure_request_outcome_reference";`);
    this.addSql(`drop view if exists "figure_request_agency_reference";`);
    this.addSql(`drop table if exists "figure_request_outcome" cascade;`);
    this.addSql(`drop table if exists "figure_request_agency" cascade;`);
  }

}
