import { Migration } from '@mikro-orm/migrations';
import { figureTableSecurity, referenceViewSecurity, statementTriggers } from './support/figures-sql';
import { IN_SCOPE_V2, tenantPoliciesV2 } from './support/tenancy-sql';

/**
 * Work plans (工作方案) with their headings and tasks, the responsibility matrix (lead and
 * cooperating units per task), progress reports with evidence, and the openness office's decisions;
 * plus the task side of the maintained figures (src/figures/): the completion roll-up reads them.
 *
 * Tenancy: every table is tenant-owned (agency_id, the usual four policies). A cascaded task refers
 * to its superior's task (source_task_id / origin_task_id) which lies outside the copy's scope: the
 * superior pushes its revision and withdrawal onto the copies (they lie inside its own scope), so a
 * subordinate never needs to read the superior's row.
 *
 * Figures, per task and then per agency, following the recipe of 20261122000000_Figures:
 * - `figure_task`: one narrow row per live task (not withdrawn here or above): plan year, dated due
 *   date, acceptance date, event occurrences and how many were late;
 * - `figure_task_period`: one row per period of a counted task (每半年…一次): its end, minimum and
 *   occurrences;
 * - `figure_task_agency`: per agency, plan year and day — dated tasks due that day (done on time,
 *   done late, still open) and counted periods ending that day (met or not): "overdue as of today"
 *   sums the open ones before today, so nothing time-relative is stored;
 * - `figure_task_agency_year`: per agency and plan year — tasks, done, occurrences, late occurrences.
 * A statement-level trigger on each raw table recomputes the touched tasks' rows from the reference
 * views (restricted to those tasks) and applies the difference to the agency tables.
 */
export class Migration20261122045747_Plans extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "plan_kind" as enum ('KEY_POINTS', 'IMPLEMENTATION', 'DIVISION');`);
    this.addSql(`create type "plan_status" as enum ('DRAFT', 'IN_FORCE', 'ARCHIVED');`);
    this.addSql(`create type "task_timing_kind" as enum ('DUE_DATE', 'RECURRING', 'WORKING_DAYS_AFTER_EVENT', 'HOURS_AFTER_EVENT', 'NONE', 'UNREADABLE');`);
    this.addSql(`create type "task_recurrence" as enum ('YEARLY', 'HALF_YEARLY', 'QUARTERLY', 'MONTHLY');`);
    this.addSql(`create type "task_decision" as enum ('ACCEPTED', 'RETURNED');`);
    this.addSql(`create type "task_unit_role" as enum ('LEAD', 'COOPERATING');`);
    this.addSql(`create table "work_plan" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "year" int not null, "kind" "plan_kind" not null, "title" varchar(200) not null, "status" "plan_status" not null default 'DRAFT', constraint "work_plan_pkey" primary key ("id"));`);
    this.addSql(`create index "work_plan_agency_idx" on "work_plan" ("agency_id");`);
    this.addSql(`alter table "work_plan" add constraint "work_plan_agency_year_unique" unique ("agency_id", "year");`);

    this.addSql(`create table "plan_heading" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "plan_id" uuid not null, "agency_id" uuid not null, "parent_id" uuid null, "level" smallint not null, "number" varchar(20) not null default '', "title" text not null, "position" int not null, constraint "plan_heading_pkey" primary key ("id"));`);
    this.addSql(`create index "plan_heading_plan_idx" on "plan_heading" ("plan_id");`);
    this.addSql(`create index "plan_heading_agency_idx" on "plan_heading" ("agency_id");`);
    this.addSql(`create index "plan_heading_parent_idx" on "plan_heading" ("parent_id");`);

    this.addSql(`create table "plan_task" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "plan_id" uuid not null, "agency_id" uuid not null, "heading_id" uuid null, "position" int not null, "number" varchar(20) not null, "title" varchar(200) not null, "requirement" text not null, "lead_units_text" varchar(500) not null default '', "cooperating_units_text" varchar(500) not null default '', "timing_kind" "task_timing_kind" not null default 'NONE', "timing_text" text not null default '', "due_on" date null, "recurrence" "task_recurrence" null, "minimum_count" int null, "working_days" int null, "hours" int[] not null default '{}', "timing_event" varchar(200) null, "due_reason" text null, "revision" int not null default 1, "withdrawn_at" timestamptz null, "withdrawn_reason" text null, "source_task_id" uuid null, "origin_task_id" uuid null, "adopted_revision" int null, "source_revision" int null, "source_withdrawn_at" timestamptz null, "carried_from_id" uuid null, "accepted_on" date null, "accepted_by" varchar(64) null, constraint "plan_task_pkey" primary key ("id"));`);
    this.addSql(`create index "plan_task_plan_idx" on "plan_task" ("plan_id");`);
    this.addSql(`create index "plan_task_agency_idx" on "plan_task" ("agency_id");`);
    this.addSql(`create index "plan_task_heading_idx" on "plan_task" ("heading_id");`);
    this.addSql(`create index "plan_task_source_idx" on "plan_task" ("source_task_id");`);
    this.addSql(`create index "plan_task_origin_idx" on "plan_task" ("origin_task_id");`);
    this.addSql(`create index "plan_task_carried_from_idx" on "plan_task" ("carried_from_id");`);

    this.addSql(`create table "task_review" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "task_id" uuid not null, "agency_id" uuid not null, "decision" "task_decision" not null, "reason" text not null default '', "decided_on" date not null, "decided_by" varchar(64) not null, constraint "task_review_pkey" primary key ("id"));`);
    this.addSql(`create index "task_review_task_idx" on "task_review" ("task_id");`);
    this.addSql(`create index "task_review_agency_idx" on "task_review" ("agency_id");`);

    this.addSql(`create table "task_progress" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "task_id" uuid not null, "agency_id" uuid not null, "unit_id" uuid null, "happened_on" date not null, "counts" boolean not null default false, "event_on" date null, "event_at" timestamptz null, "done_at" timestamptz null, "due_on" date null, "due_at" timestamptz null, "text" text not null, "evidence_urls" text[] not null default '{}', "reported_by" varchar(64) not null, constraint "task_progress_pkey" primary key ("id"));`);
    this.addSql(`create index "task_progress_task_idx" on "task_progress" ("task_id");`);
    this.addSql(`create index "task_progress_agency_idx" on "task_progress" ("agency_id");`);
    this.addSql(`create index "task_progress_unit_idx" on "task_progress" ("unit_id");`);

    this.addSql(`create table "task_progress_evidence" ("progress_id" uuid not null, "publication_id" uuid not null, "agency_id" uuid not null, constraint "task_progress_evidence_pkey" primary key ("progress_id", "publication_id"));`);
    this.addSql(`create index "task_progress_evidence_publication_idx" on "task_progress_evidence" ("publication_id");`);
    this.addSql(`create index "task_progress_evidence_agency_idx" on "task_progress_evidence" ("agency_id");`);

    this.addSql(`create table "plan_task_unit" ("task_id" uuid not null, "unit_id" uuid not null, "agency_id" uuid not null, "role" "task_unit_role" not null, "position" int not null, constraint "plan_task_unit_pkey" primary key ("task_id", "unit_id"));`);
    this.addSql(`create index "plan_task_unit_unit_idx" on "plan_task_unit" ("unit_id");`);
    this.addSql(`create index "plan_task_unit_agency_idx" on "plan_task_unit" ("agency_id");`);

    this.addSql(`alter table "work_plan" add constraint "work_plan_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "plan_heading" add constraint "plan_heading_plan_id_foreign" foreign key ("plan_id") references "work_plan" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "plan_heading" add constraint "plan_heading_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "plan_heading" add constraint "plan_heading_parent_id_foreign" foreign key ("parent_id") references "plan_heading" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "plan_task" add constraint "plan_task_plan_id_foreign" foreign key ("plan_id") references "work_plan" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "plan_task" add constraint "plan_task_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "plan_task" add constraint "plan_task_heading_id_foreign" foreign key ("heading_id") references "plan_heading" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "plan_task" add constraint "plan_task_source_task_id_foreign" foreign key ("source_task_id") references "plan_task" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "plan_task" add constraint "plan_task_origin_task_id_foreign" foreign key ("origin_task_id") references "plan_task" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "plan_task" add constraint "plan_task_carried_from_id_foreign" foreign key ("carried_from_id") references "plan_task" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "task_review" add constraint "task_review_task_id_foreign" foreign key ("task_id") references "plan_task" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "task_review" add constraint "task_review_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "task_progress" add constraint "task_progress_task_id_foreign" foreign key ("task_id") references "plan_task" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "task_progress" add constraint "task_progress_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "task_progress" add constraint "task_progress_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "task_progress_evidence" add constraint "task_progress_evidence_progress_id_foreign" foreign key ("progress_id") references "task_progress" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "task_progress_evidence" add constraint "task_progress_evidence_publication_id_foreign" foreign key ("publication_id") references "publication" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "task_progress_evidence" add constraint "task_progress_evidence_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "plan_task_unit" add constraint "plan_task_unit_task_id_foreign" foreign key ("task_id") references "plan_task" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "plan_task_unit" add constraint "plan_task_unit_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "plan_task_unit" add constraint "plan_task_unit_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    // What the service checks, the database refuses too (a bulk SQL load cannot store a task that
    // the status derivation would misread).
    this.addSql(`alter table "work_plan" add constraint "work_plan_year_range" check (year >= 2000 and year <= 2100);`);
    this.addSql(`alter table "plan_heading" add constraint "plan_heading_level" check (level >= 1 and level <= 2);`);
    this.addSql(`alter table "plan_task" add constraint "plan_task_timing_shape" check ((timing_kind <> 'DUE_DATE' or due_on is not null) and (timing_kind <> 'RECURRING' or (recurrence is not null and minimum_count >= 1)) and (timing_kind <> 'WORKING_DAYS_AFTER_EVENT' or working_days >= 1) and (timing_kind <> 'HOURS_AFTER_EVENT' or cardinality(hours) >= 1) and (minimum_count is null or minimum_count >= 1));`);
    this.addSql(`create index "plan_task_plan_position_idx" on "plan_task" ("plan_id", "position");`);
    this.addSql(`alter table "plan_task" add constraint "plan_task_plan_number_unique" unique ("plan_id", "number");`);
    this.addSql(`create index "task_progress_task_happened_idx" on "task_progress" ("task_id", "happened_on");`);

    for (const table of ['work_plan', 'plan_heading', 'plan_task', 'plan_task_unit', 'task_progress', 'task_progress_evidence', 'task_review']) {
      for (const s of tenantPoliciesV2(table)) this.addSql(s);
    }

    // ---- figures ----------------------------------------------------------------------------
    this.addSql(`create table "figure_task" (
      "task_id" uuid not null, "agency_id" uuid not null, "plan_year" int not null, "timing_kind" text not null,
      "due_on" date null, "accepted_on" date null, "occurrences" int not null, "late_occurrences" int not null,
      constraint "figure_task_pkey" primary key ("task_id"));`);
    this.addSql(`create index "figure_task_agency_idx" on "figure_task" ("agency_id", "plan_year");`);
    this.addSql(`create table "figure_task_period" (
      "task_id" uuid not null, "period_end" date not null, "agency_id" uuid not null, "plan_year" int not null,
      "minimum" int not null, "occurrences" int not null,
      constraint "figure_task_period_pkey" primary key ("task_id", "period_end"));`);
    this.addSql(`create index "figure_task_period_agency_idx" on "figure_task_period" ("agency_id", "plan_year");`);
    this.addSql(`create table "figure_task_agency" (
      "agency_id" uuid not null, "plan_year" int not null, "day" date not null,
      "due" int not null default 0, "done_on_time" int not null default 0, "done_late" int not null default 0,
      "open" int not null default 0, "periods" int not null default 0, "periods_met" int not null default 0,
      constraint "figure_task_agency_pkey" primary key ("agency_id", "plan_year", "day"));`);
    this.addSql(`create table "figure_task_agency_year" (
      "agency_id" uuid not null, "plan_year" int not null,
      "tasks" int not null default 0, "done" int not null default 0, "occurrences" int not null default 0,
      "late_occurrences" int not null default 0,
      constraint "figure_task_agency_year_pkey" primary key ("agency_id", "plan_year"));`);
    for (const t of ['figure_task', 'figure_task_period', 'figure_task_agency', 'figure_task_agency_year']) {
      for (const s of figureTableSecurity(t, IN_SCOPE_V2)) this.addSql(s);
    }

    // ---- reference: recomputation from raw rows ---------------------------------------------
    // An occurrence is a progress report of an event-driven task; it is late when done after the
    // deadline computed for it when it was reported (working days by the deadline engine, or hours).
    this.addSql(`create view "figure_task_reference" as
      select t.id as task_id, t.agency_id, p.year as plan_year, t.timing_kind::text as timing_kind,
             case when t.timing_kind = 'DUE_DATE' then t.due_on end as due_on,
             t.accepted_on,
             coalesce(o.occurrences, 0)::int as occurrences, coalesce(o.late, 0)::int as late_occurrences
        from plan_task t
        join work_plan p on p.id = t.plan_id
        left join lateral (
          select count(*) as occurrences,
                 count(*) filter (where (x.due_on is not null and x.happened_on > x.due_on)
                                     or (x.due_at is not null and x.done_at > x.due_at)) as late
            from task_progress x
           where x.task_id = t.id and (x.event_on is not null or x.event_at is not null)) o on true
       where t.withdrawn_at is null and t.source_withdrawn_at is null;`);
    // The periods of the plan's year for the task's recurrence, and the occurrences counted in each.
    this.addSql(`create view "figure_task_period_reference" as
      select t.id as task_id, g.period_end, t.agency_id, p.year as plan_year, t.minimum_count as minimum,
             (select count(*) from task_progress x
               where x.task_id = t.id and x.counts and x.happened_on between g.period_start and g.period_end)::int as occurrences
        from plan_task t
        join work_plan p on p.id = t.plan_id
        cross join lateral (
          select (make_date(p.year, 1, 1) + make_interval(months => k * m.months))::date as period_start,
                 (make_date(p.year, 1, 1) + make_interval(months => (k + 1) * m.months) - interval '1 day')::date as period_end
            from (select case t.recurrence when 'YEARLY' then 12 when 'HALF_YEARLY' then 6 when 'QUARTERLY' then 3 else 1 end as months) m
           cross join generate_series(0, 12 / m.months - 1) as k) g
       where t.timing_kind = 'RECURRING' and t.withdrawn_at is null and t.source_withdrawn_at is null;`);
    this.addSql(`create view "figure_task_agency_reference" as
      select agency_id, plan_year, day, sum(due)::int as due, sum(on_time)::int as done_on_time, sum(late)::int as done_late,
             sum(open)::int as open, sum(periods)::int as periods, sum(met)::int as periods_met
        from (select agency_id, plan_year, due_on as day, 1 as due,
                     case when accepted_on <= due_on then 1 else 0 end as on_time,
                     case when accepted_on > due_on then 1 else 0 end as late,
                     case when accepted_on is null then 1 else 0 end as open, 0 as periods, 0 as met
                from figure_task_reference where due_on is not null
              union all
              select agency_id, plan_year, period_end, 0, 0, 0, 0, 1, case when occurrences >= minimum then 1 else 0 end
                from figure_task_period_reference) x
       group by 1, 2, 3;`);
    this.addSql(`create view "figure_task_agency_year_reference" as
      select agency_id, plan_year, count(*)::int as tasks, count(accepted_on)::int as done,
             sum(occurrences)::int as occurrences, sum(late_occurrences)::int as late_occurrences
        from figure_task_reference group by 1, 2;`);
    for (const v of ['figure_task_reference', 'figure_task_period_reference', 'figure_task_agency_reference', 'figure_task_agency_year_reference']) {
      for (const s of referenceViewSecurity(v)) this.addSql(s);
    }

    // ---- maintenance ------------------------------------------------------------------------
    // Recomputes the per-task rows of the given tasks from the reference views and applies the
    // difference to the agency tables: one grouped upsert per table in key order (concurrent writers
    // queue instead of deadlocking); rows that drop to zero are removed, so every table equals its
    // reference view row for row. Each task's advisory lock is taken first, in a statement of its
    // own, so that under READ COMMITTED the recomputation sees a concurrent writer of the same task
    // that committed meanwhile. Not executable by the app role.
    const taskCols = `task_id uuid, agency_id uuid, plan_year int, timing_kind text, due_on date, accepted_on date, occurrences int, late_occurrences int`;
    const periodCols = `task_id uuid, period_end date, agency_id uuid, plan_year int, minimum int, occurrences int`;
    this.addSql(`create or replace function figures_task_refresh(ids uuid[])
      returns void language plpgsql set search_path = public, pg_temp as $$
      declare
        old_t jsonb; old_p jsonb; new_t jsonb; new_p jsonb;
        empty_days jsonb; empty_years jsonb;
      begin
        if ids is null or cardinality(ids) = 0 then return; end if;
        -- One transaction-scoped advisory lock per task, taken in id order: the per-task rows are
        -- deleted and re-inserted below, so a row lock on them would vanish with them and let two
        -- waiting writers both proceed on the first one's result.
        perform pg_advisory_xact_lock(7301, hashtext(x.id::text)) from unnest(ids) as x(id) order by hashtext(x.id::text), x.id;
        select coalesce(jsonb_agg(to_jsonb(f)), '[]') into old_t from figure_task f where f.task_id = any(ids);
        select coalesce(jsonb_agg(to_jsonb(f)), '[]') into old_p from figure_task_period f where f.task_id = any(ids);
        delete from figure_task where task_id = any(ids);
        delete from figure_task_period where task_id = any(ids);
        insert into figure_task select * from figure_task_reference r where r.task_id = any(ids);
        insert into figure_task_period select * from figure_task_period_reference r where r.task_id = any(ids);
        select coalesce(jsonb_agg(to_jsonb(f)), '[]') into new_t from figure_task f where f.task_id = any(ids);
        select coalesce(jsonb_agg(to_jsonb(f)), '[]') into new_p from figure_task_period f where f.task_id = any(ids);

        with t as (
          select -1 as sign, x.* from jsonb_to_recordset(old_t) as x(${taskCols})
          union all
          select 1, x.* from jsonb_to_recordset(new_t) as x(${taskCols})
        ), p as (
          select -1 as sign, x.* from jsonb_to_recordset(old_p) as x(${periodCols})
          union all
          select 1, x.* from jsonb_to_recordset(new_p) as x(${periodCols})
        ), day_parts as (
          select agency_id, plan_year, due_on as day, sign as due,
                 sign * (case when accepted_on <= due_on then 1 else 0 end) as on_time,
                 sign * (case when accepted_on > due_on then 1 else 0 end) as late,
                 sign * (case when accepted_on is null then 1 else 0 end) as open,
                 0 as periods, 0 as met
            from t where due_on is not null
          union all
          select agency_id, plan_year, period_end, 0, 0, 0, 0, sign, sign * (case when occurrences >= minimum then 1 else 0 end)
            from p
        ), day_delta as (
          select agency_id, plan_year, day, sum(due)::int as due, sum(on_time)::int as on_time, sum(late)::int as late,
                 sum(open)::int as open, sum(periods)::int as periods, sum(met)::int as met
            from day_parts group by 1, 2, 3
          having sum(due) <> 0 or sum(on_time) <> 0 or sum(late) <> 0 or sum(open) <> 0 or sum(periods) <> 0 or sum(met) <> 0
        ), year_delta as (
          select agency_id, plan_year, sum(sign)::int as tasks,
                 sum(sign * (case when accepted_on is not null then 1 else 0 end))::int as done,
                 sum(sign * occurrences)::int as occurrences, sum(sign * late_occurrences)::int as late_occurrences
            from t group by 1, 2
          having sum(sign) <> 0 or sum(sign * (case when accepted_on is not null then 1 else 0 end)) <> 0
              or sum(sign * occurrences) <> 0 or sum(sign * late_occurrences) <> 0
        ), day_up as (
          insert into figure_task_agency as f (agency_id, plan_year, day, due, done_on_time, done_late, open, periods, periods_met)
          select agency_id, plan_year, day, due, on_time, late, open, periods, met from day_delta order by agency_id, plan_year, day
          on conflict (agency_id, plan_year, day) do update
             set due = f.due + excluded.due, done_on_time = f.done_on_time + excluded.done_on_time,
                 done_late = f.done_late + excluded.done_late, open = f.open + excluded.open,
                 periods = f.periods + excluded.periods, periods_met = f.periods_met + excluded.periods_met
          returning f.agency_id, f.plan_year, f.day,
                    (f.due = 0 and f.done_on_time = 0 and f.done_late = 0 and f.open = 0 and f.periods = 0 and f.periods_met = 0) as empty
        ), year_up as (
          insert into figure_task_agency_year as f (agency_id, plan_year, tasks, done, occurrences, late_occurrences)
          select agency_id, plan_year, tasks, done, occurrences, late_occurrences from year_delta order by agency_id, plan_year
          on conflict (agency_id, plan_year) do update
             set tasks = f.tasks + excluded.tasks, done = f.done + excluded.done,
                 occurrences = f.occurrences + excluded.occurrences, late_occurrences = f.late_occurrences + excluded.late_occurrences
          returning f.agency_id, f.plan_year,
                    (f.tasks = 0 and f.done = 0 and f.occurrences = 0 and f.late_occurrences = 0) as empty
        )
        select (select jsonb_agg(jsonb_build_object('agency_id', agency_id, 'plan_year', plan_year, 'day', day)) from day_up where empty),
               (select jsonb_agg(jsonb_build_object('agency_id', agency_id, 'plan_year', plan_year)) from year_up where empty)
          into empty_days, empty_years;

        if empty_days is not null then
          delete from figure_task_agency f
           using jsonb_to_recordset(empty_days) as z(agency_id uuid, plan_year int, day date)
           where f.agency_id = z.agency_id and f.plan_year = z.plan_year and f.day = z.day
             and f.due = 0 and f.done_on_time = 0 and f.done_late = 0 and f.open = 0 and f.periods = 0 and f.periods_met = 0;
        end if;
        if empty_years is not null then
          delete from figure_task_agency_year f
           using jsonb_to_recordset(empty_years) as z(agency_id uuid, plan_year int)
           where f.agency_id = z.agency_id and f.plan_year = z.plan_year
             and f.tasks = 0 and f.done = 0 and f.occurrences = 0 and f.late_occurrences = 0;
        end if;
      end $$;`);
    this.addSql(`revoke all on function figures_task_refresh(uuid[]) from public;`);

    // The trigger functions run as their owner (SECURITY DEFINER) like the publication ones: the app
    // role may not write figures, and they read only the transition tables of the firing statement.
    // Updates that change nothing the figures depend on (wording, units, positions) stop after one check.
    this.addSql(`create or replace function figures_plan_task_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        if tg_op = 'INSERT' then
          perform figures_task_refresh((select array_agg(n.id order by n.id) from new_rows n));
        elsif tg_op = 'DELETE' then
          perform figures_task_refresh((select array_agg(o.id order by o.id) from old_rows o));
        else
          perform figures_task_refresh((
            select array_agg(distinct x.id order by x.id) from (
              select o.id from old_rows o join new_rows n on n.id = o.id
               where (o.agency_id, o.plan_id, o.timing_kind, o.due_on, o.recurrence, o.minimum_count, o.accepted_on, o.withdrawn_at, o.source_withdrawn_at)
                     is distinct from (n.agency_id, n.plan_id, n.timing_kind, n.due_on, n.recurrence, n.minimum_count, n.accepted_on, n.withdrawn_at, n.source_withdrawn_at)) x));
        end if;
        return null;
      end $$;`);
    this.addSql(`create or replace function figures_task_progress_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        if tg_op = 'INSERT' then
          perform figures_task_refresh((select array_agg(distinct n.task_id order by n.task_id) from new_rows n));
        elsif tg_op = 'DELETE' then
          perform figures_task_refresh((select array_agg(distinct o.task_id order by o.task_id) from old_rows o));
        else
          perform figures_task_refresh((
            select array_agg(distinct x.task_id order by x.task_id) from (
              select o.task_id from old_rows o join new_rows n on n.id = o.id
               where (o.task_id, o.happened_on, o.counts, o.event_on, o.event_at, o.done_at, o.due_on, o.due_at)
                     is distinct from (n.task_id, n.happened_on, n.counts, n.event_on, n.event_at, n.done_at, n.due_on, n.due_at)
              union all
              select n.task_id from old_rows o join new_rows n on n.id = o.id where o.task_id <> n.task_id) x));
        end if;
        return null;
      end $$;`);
    // A plan's year decides its tasks' periods and year figures.
    this.addSql(`create or replace function figures_work_plan_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        -- Nested: the other operations have no old_rows to name.
        if tg_op = 'UPDATE' then
          if exists (select 1 from old_rows o join new_rows n on n.id = o.id where o.year <> n.year) then
            perform figures_task_refresh((select array_agg(t.id order by t.id) from plan_task t where t.plan_id in (select n.id from new_rows n)));
          end if;
        end if;
        return null;
      end $$;`);
    for (const fn of ['figures_plan_task_changed', 'figures_task_progress_changed', 'figures_work_plan_changed']) {
      this.addSql(`revoke all on function ${fn}() from public;`);
    }
    for (const s of statementTriggers('plan_task', 'figures_plan_task_changed')) this.addSql(s);
    for (const s of statementTriggers('task_progress', 'figures_task_progress_changed')) this.addSql(s);
    for (const s of statementTriggers('work_plan', 'figures_work_plan_changed')) this.addSql(s);
  }

  override async down(): Promise<void> {
    for (const v of ['figure_task_agency_year_reference', 'figure_task_agency_reference', 'figure_task_period_reference', 'figure_task_reference']) {
      this.addSql(`drop view if exists "${v}";`);
    }
    for (const t of ['figure_task', 'figure_task_period', 'figure_task_agency', 'figure_task_agency_year']) {
      this.addSql(`drop table if exists "${t}" cascade;`);
    }
    this.addSql(`drop function if exists figures_plan_task_changed() cascade;`);
    this.addSql(`drop function if exists figures_task_progress_changed() cascade;`);
    this.addSql(`drop function if exists figures_work_plan_changed() cascade;`);
    this.addSql(`drop function if exists figures_task_refresh(uuid[]);`);
    this.addSql(`alter table "plan_heading" drop constraint "plan_heading_plan_id_foreign";`);

    this.addSql(`alter table "plan_task" drop constraint "plan_task_plan_id_foreign";`);

    this.addSql(`alter table "plan_heading" drop constraint "plan_heading_parent_id_foreign";`);

    this.addSql(`alter table "plan_task" drop constraint "plan_task_heading_id_foreign";`);

    this.addSql(`alter table "plan_task" drop constraint "plan_task_source_task_id_foreign";`);

    this.addSql(`alter table "plan_task" drop constraint "plan_task_origin_task_id_foreign";`);

    this.addSql(`alter table "plan_task" drop constraint "plan_task_carried_from_id_foreign";`);

    this.addSql(`alter table "task_review" drop constraint "task_review_task_id_foreign";`);

    this.addSql(`alter table "task_progress" drop constraint "task_progress_task_id_foreign";`);

    this.addSql(`alter table "plan_task_unit" drop constraint "plan_task_unit_task_id_foreign";`);

    this.addSql(`alter table "task_progress_evidence" drop constraint "task_progress_evidence_progress_id_foreign";`);

    this.addSql(`drop table if exists "work_plan" cascade;`);

    this.addSql(`drop table if exists "plan_heading" cascade;`);

    this.addSql(`drop table if exists "plan_task" cascade;`);

    this.addSql(`drop table if exists "task_review" cascade;`);

    this.addSql(`drop table if exists "task_progress" cascade;`);

    this.addSql(`drop table if exists "task_progress_evidence" cascade;`);

    this.addSql(`drop table if exists "plan_task_unit" cascade;`);

    this.addSql(`drop type "plan_kind";`);
    this.addSql(`drop type "plan_status";`);
    this.addSql(`drop type "task_timing_kind";`);
    this.addSql(`drop type "task_recurrence";`);
    this.addSql(`drop type "task_decision";`);
    this.addSql(`drop type "task_unit_role";`);
  }

}
