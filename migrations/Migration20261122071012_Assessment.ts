import { Migration } from '@mikro-orm/migrations';
import { figureTableSecurity, referenceViewSecurity, statementTriggers, transitionDelta } from './support/figures-sql';
import { EVALUATOR_ROUND_WRITER, IN_SCOPE_V2, OF_ANCESTOR, evaluatorReadPolicy, tenantPoliciesV2 } from './support/tenancy-sql';

/**
 * Assessment (issue 9): versioned schemes with an indicator tree, inspections, third-party rounds
 * with scores and deduction points (and their written explanations), hand-entered scores, and
 * results.
 *
 * Tenancy:
 * - Schemes, their indicators and chosen agencies, and rounds belong to the ASSESSING agency and are
 *   readable in its subtree and by every agency below it (`OF_ANCESTOR`): an assessed agency reads the
 *   rules it is assessed by. `app_scope_ancestor_ids()` is SECURITY DEFINER because the caller cannot
 *   read the agencies above its scope; it returns their ids only.
 * - Inspections, findings, scores, deduction points, hand entries and results belong to the ASSESSED
 *   agency (the usual gate).
 * - A third-party evaluator's token may be allowed to record its round's scores and deduction points:
 *   its requests are read-only (`app.read_only` on), and these two tables alone also admit writes
 *   of rows of the round named by `app.evaluator_round` (set by the tenancy gate from the token).
 * - Evaluators (role openness_evaluator) see the scores and deduction points of their own round
 *   only, and no inspection, hand entry or result (internal work).
 *
 * Figures: `figure_explanation_agency` counts deduction points per agency, year and explanation due
 * date — explained on time, late, still open — kept by statement triggers in the same transaction,
 * with its reference view, so roll-ups of explanations read agencies × due dates, not points.
 */
export class Migration20261122071012_Assessment extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "assessment_period" as enum ('FIRST_HALF', 'YEAR');`);
    this.addSql(`create type "result_status" as enum ('COMPUTED', 'FINAL');`);
    this.addSql(`create type "grade" as enum ('EXCELLENT', 'GOOD', 'PASS', 'FAIL');`);
    this.addSql(`create type "indicator_kind" as enum ('GROUP', 'COMPUTED', 'MANUAL', 'BONUS', 'VETO');`);
    this.addSql(`create type "indicator_metric" as enum ('CATALOGUE_COVERAGE', 'ON_TIME_PUBLICATION', 'TASK_COMPLETION', 'EXPLANATIONS_ON_TIME', 'THIRD_PARTY_SCORE', 'STALE_ITEMS', 'EMPTY_ITEMS', 'OVERDUE_TASKS', 'LATE_EXPLANATIONS');`);
    this.addSql(`create type "indicator_formula" as enum ('PROPORTIONAL', 'DEDUCT_PER_COUNT');`);
    this.addSql(`create type "round_kind" as enum ('MID_YEAR', 'YEAR_END');`);
    this.addSql(`create type "round_status" as enum ('OPEN', 'CLOSED');`);
    this.addSql(`create table "assessment_entry" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "assessor_id" uuid not null, "year" int not null, "period" "assessment_period" not null, "indicator_code" varchar(20) not null, "points" numeric(6,2) null, "vetoed" boolean not null default false, "note" text not null default '', "entered_by" varchar(64) not null, constraint "assessment_entry_pkey" primary key ("id"), constraint assessment_entry_points check (points is null or (points >= 0 and points <= 100)));`);
    this.addSql(`create index "assessment_entry_agency_idx" on "assessment_entry" ("agency_id");`);
    this.addSql(`create index "assessment_entry_assessor_idx" on "assessment_entry" ("assessor_id");`);
    this.addSql(`alter table "assessment_entry" add constraint "assessment_entry_unique" unique ("assessor_id", "year", "period", "agency_id", "indicator_code");`);

    this.addSql(`create table "assessment_scheme" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "year" int not null, "version" int not null, "title" varchar(200) not null, "share" numeric(6,2) not null, "bonus_cap" numeric(6,2) not null default 0, "bonus_threshold" numeric(6,2) not null default 0, "excellent_from" numeric(6,2) not null default 90, "good_from" numeric(6,2) not null default 80, "pass_from" numeric(6,2) not null default 60, "applies_to_all" boolean not null default true, "change_note" text not null default '', "created_by" varchar(64) not null, constraint "assessment_scheme_pkey" primary key ("id"), constraint assessment_scheme_version_positive check (version >= 1), constraint assessment_scheme_share check (share >= 4 and share <= 100));`);
    this.addSql(`create index "assessment_scheme_agency_idx" on "assessment_scheme" ("agency_id");`);
    this.addSql(`alter table "assessment_scheme" add constraint "assessment_scheme_version_unique" unique ("agency_id", "year", "version");`);

    this.addSql(`create table "assessment_result" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "assessor_id" uuid not null, "scheme_id" uuid not null, "year" int not null, "period" "assessment_period" not null, "cutoff" date not null, "status" "result_status" not null default 'COMPUTED', "current" boolean not null default true, "base_score" numeric(6,2) not null, "bonus" numeric(6,2) not null, "deductions" numeric(6,2) not null, "vetoed" boolean not null, "score_before_veto" numeric(6,2) not null, "score" numeric(6,2) not null, "grade" "grade" not null, "share" numeric(6,2) not null, "contribution" numeric(7,3) not null, "breakdown" jsonb not null, "inputs" jsonb not null, "missing_manual" text[] not null default '{}', "computed_by" varchar(64) not null, "finalised_at" timestamptz null, "finalised_by" varchar(64) null, "supersedes_id" uuid null, constraint "assessment_result_pkey" primary key ("id"), constraint assessment_result_score check (score >= 0 and score <= 100));`);
    this.addSql(`create index "assessment_result_agency_idx" on "assessment_result" ("agency_id");`);
    this.addSql(`create index "assessment_result_assessor_idx" on "assessment_result" ("assessor_id");`);
    this.addSql(`create index "assessment_result_scheme_idx" on "assessment_result" ("scheme_id");`);
    this.addSql(`create unique index "assessment_result_current_unique" on "assessment_result" ("assessor_id", "year", "period", "agency_id") where "current";`);

    this.addSql(`create table "assessment_indicator" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "scheme_id" uuid not null, "agency_id" uuid not null, "code" varchar(20) not null, "parent_code" varchar(20) null, "position" int not null, "name" varchar(200) not null, "description" text not null default '', "kind" "indicator_kind" not null, "weight" numeric(6,2) not null, "metric" "indicator_metric" null, "formula" "indicator_formula" null, "per_count" numeric(6,2) null, "target" numeric(5,4) null, constraint "assessment_indicator_pkey" primary key ("id"), constraint assessment_indicator_weight check (weight >= 0 and weight <= 100));`);
    this.addSql(`create index "assessment_indicator_scheme_idx" on "assessment_indicator" ("scheme_id");`);
    this.addSql(`create index "assessment_indicator_agency_idx" on "assessment_indicator" ("agency_id");`);
    this.addSql(`alter table "assessment_indicator" add constraint "assessment_indicator_code_unique" unique ("scheme_id", "code");`);

    this.addSql(`create table "assessment_scheme_agency" ("scheme_id" uuid not null, "assessed_id" uuid not null, "agency_id" uuid not null, constraint "assessment_scheme_agency_pkey" primary key ("scheme_id", "assessed_id"));`);
    this.addSql(`create index "assessment_scheme_agency_assessed_idx" on "assessment_scheme_agency" ("assessed_id");`);
    this.addSql(`create index "assessment_scheme_agency_agency_idx" on "assessment_scheme_agency" ("agency_id");`);

    this.addSql(`create table "evaluation_round" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "year" int not null, "kind" "round_kind" not null, "title" varchar(200) not null, "evaluator" varchar(200) not null, "explanation_days" int not null default 5, "status" "round_status" not null default 'OPEN', constraint "evaluation_round_pkey" primary key ("id"), constraint evaluation_round_explanation_days check (explanation_days >= 1 and explanation_days <= 60));`);
    this.addSql(`create index "evaluation_round_agency_idx" on "evaluation_round" ("agency_id");`);
    this.addSql(`alter table "evaluation_round" add constraint "evaluation_round_unique" unique ("agency_id", "year", "kind");`);

    this.addSql(`create table "evaluation_score" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "round_id" uuid not null, "agency_id" uuid not null, "score" numeric(6,2) not null, "note" text not null default '', "recorded_by" varchar(100) not null, constraint "evaluation_score_pkey" primary key ("id"), constraint evaluation_score_range check (score >= 0 and score <= 100));`);
    this.addSql(`create index "evaluation_score_round_idx" on "evaluation_score" ("round_id");`);
    this.addSql(`create index "evaluation_score_agency_idx" on "evaluation_score" ("agency_id");`);
    this.addSql(`alter table "evaluation_score" add constraint "evaluation_score_unique" unique ("round_id", "agency_id");`);

    this.addSql(`create table "inspection" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "inspector_id" uuid not null, "year" int not null, "half" smallint not null, "inspected_on" date not null, "inspectors" varchar(200) not null default '', "summary" text not null default '', "recorded_by" varchar(64) not null, constraint "inspection_pkey" primary key ("id"), constraint inspection_half check (half >= 1 and half <= 2));`);
    this.addSql(`create index "inspection_agency_idx" on "inspection" ("agency_id");`);
    this.addSql(`create index "inspection_inspector_idx" on "inspection" ("inspector_id");`);

    this.addSql(`create table "inspection_finding" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "inspection_id" uuid not null, "agency_id" uuid not null, "indicator_code" varchar(20) not null, "points" numeric(6,2) not null, "finding" text not null, "unit_id" uuid null, "evidence_url" varchar(2000) null, constraint "inspection_finding_pkey" primary key ("id"), constraint inspection_finding_points check (points >= 0 and points <= 100));`);
    this.addSql(`create index "inspection_finding_inspection_idx" on "inspection_finding" ("inspection_id");`);
    this.addSql(`create index "inspection_finding_agency_idx" on "inspection_finding" ("agency_id");`);
    this.addSql(`create index "inspection_finding_unit_idx" on "inspection_finding" ("unit_id");`);

    this.addSql(`create table "deduction_point" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "round_id" uuid not null, "agency_id" uuid not null, "year" int not null, "indicator_code" varchar(20) not null, "points" numeric(6,2) not null, "finding" text not null, "evidence_url" varchar(2000) null, "unit_id" uuid null, "notified_on" date not null, "due_on" date not null, "explanation" text null, "explained_on" date null, "explained_by" varchar(64) null, "recorded_by" varchar(100) not null, "explained_at" timestamptz null, constraint "deduction_point_pkey" primary key ("id"), constraint deduction_point_explained check ((explanation is null) = (explained_on is null)), constraint deduction_point_points check (points > 0 and points <= 100));`);
    this.addSql(`create index "deduction_point_round_idx" on "deduction_point" ("round_id");`);
    this.addSql(`create index "deduction_point_agency_idx" on "deduction_point" ("agency_id");`);
    this.addSql(`create index "deduction_point_unit_idx" on "deduction_point" ("unit_id");`);

    this.addSql(`alter table "assessment_entry" add constraint "assessment_entry_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assessment_entry" add constraint "assessment_entry_assessor_id_foreign" foreign key ("assessor_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "assessment_scheme" add constraint "assessment_scheme_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "assessment_result" add constraint "assessment_result_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assessment_result" add constraint "assessment_result_assessor_id_foreign" foreign key ("assessor_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assessment_result" add constraint "assessment_result_scheme_id_foreign" foreign key ("scheme_id") references "assessment_scheme" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assessment_result" add constraint "assessment_result_supersedes_id_foreign" foreign key ("supersedes_id") references "assessment_result" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "assessment_indicator" add constraint "assessment_indicator_scheme_id_foreign" foreign key ("scheme_id") references "assessment_scheme" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assessment_indicator" add constraint "assessment_indicator_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "assessment_scheme_agency" add constraint "assessment_scheme_agency_scheme_id_foreign" foreign key ("scheme_id") references "assessment_scheme" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assessment_scheme_agency" add constraint "assessment_scheme_agency_assessed_id_foreign" foreign key ("assessed_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assessment_scheme_agency" add constraint "assessment_scheme_agency_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "evaluation_round" add constraint "evaluation_round_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "evaluation_score" add constraint "evaluation_score_round_id_foreign" foreign key ("round_id") references "evaluation_round" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "evaluation_score" add constraint "evaluation_score_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "inspection" add constraint "inspection_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "inspection" add constraint "inspection_inspector_id_foreign" foreign key ("inspector_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "inspection_finding" add constraint "inspection_finding_inspection_id_foreign" foreign key ("inspection_id") references "inspection" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "inspection_finding" add constraint "inspection_finding_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "inspection_finding" add constraint "inspection_finding_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "deduction_point" add constraint "deduction_point_round_id_foreign" foreign key ("round_id") references "evaluation_round" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "deduction_point" add constraint "deduction_point_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "deduction_point" add constraint "deduction_point_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);
    // ---- tenancy ------------------------------------------------------------------------------
    this.addSql(`create or replace function app_scope_ancestor_ids() returns uuid[]
      language sql stable security definer set search_path = public, pg_temp as $$
        select coalesce(array_agg(a.id), '{}') from agency a
         where a.path @> app_scope_path() and a.path <> app_scope_path()
      $$;`);
    this.addSql(`revoke all on function app_scope_ancestor_ids() from public;`);
    this.addSql(`grant execute on function app_scope_ancestor_ids() to openness_app;`);
    this.addSql(`create or replace function app_evaluator_round() returns uuid language sql stable
      as $$ select nullif(current_setting('app.evaluator_round', true), '')::uuid $$;`);

    const readOwnOrAbove = `(${IN_SCOPE_V2} or ${OF_ANCESTOR})`;
    for (const table of ['assessment_scheme', 'assessment_indicator', 'assessment_scheme_agency', 'evaluation_round']) {
      for (const s of tenantPoliciesV2(table, readOwnOrAbove)) this.addSql(s);
    }
    for (const table of ['inspection', 'inspection_finding', 'assessment_entry', 'assessment_result']) {
      for (const s of tenantPoliciesV2(table)) this.addSql(s);
    }
    for (const table of ['evaluation_score', 'deduction_point']) {
      for (const s of tenantPoliciesV2(table, IN_SCOPE_V2, IN_SCOPE_V2, EVALUATOR_ROUND_WRITER)) this.addSql(s);
    }
    for (const table of ['evaluation_score', 'deduction_point']) {
      for (const s of evaluatorReadPolicy(table, `round_id = (select app_evaluator_round())`)) this.addSql(s);
    }
    for (const table of ['inspection', 'inspection_finding', 'assessment_entry', 'assessment_result']) {
      for (const s of evaluatorReadPolicy(table, 'false')) this.addSql(s);
    }

    this.addSql(`alter table "deduction_point" add constraint "deduction_point_due_after_notice" check (due_on >= notified_on);`);

    // ---- figures ------------------------------------------------------------------------------
    this.addSql(`create table "figure_explanation_agency" (
      "agency_id" uuid not null, "year" int not null, "due_on" date not null,
      "total" int not null default 0, "on_time" int not null default 0, "late" int not null default 0, "open" int not null default 0,
      constraint "figure_explanation_agency_pkey" primary key ("agency_id", "year", "due_on"));`);
    for (const s of figureTableSecurity('figure_explanation_agency', IN_SCOPE_V2)) this.addSql(s);
    this.addSql(`create view "figure_explanation_agency_reference" as
      select d.agency_id, d.year, d.due_on, count(*)::int as total,
             (count(*) filter (where d.explained_on <= d.due_on))::int as on_time,
             (count(*) filter (where d.explained_on > d.due_on))::int as late,
             (count(*) filter (where d.explained_on is null))::int as open
        from deduction_point d group by d.agency_id, d.year, d.due_on;`);
    for (const s of referenceViewSecurity('figure_explanation_agency_reference')) this.addSql(s);
    // Additive deltas from the statement's transition tables: an upsert adds them under the row's
    // lock, so concurrent writers on one bucket both count; buckets that fall to zero are removed.
    // A point's bucket (agency, year, due date) and state come from its own columns only.
    const sign = (alias: string, k: string) => `jsonb_build_object('agency_id', ${alias}.agency_id, 'year', ${alias}.year, 'due_on', ${alias}.due_on,
                 'total', ${k}, 'on_time', ${k} * (case when ${alias}.explained_on <= ${alias}.due_on then 1 else 0 end),
                 'late', ${k} * (case when ${alias}.explained_on > ${alias}.due_on then 1 else 0 end),
                 'open', ${k} * (case when ${alias}.explained_on is null then 1 else 0 end))`;
    this.addSql(`create or replace function figures_deduction_point_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      ${transitionDelta(sign)}
        with d as (
          select x.agency_id, x.year, x.due_on, sum(x.total)::int as total, sum(x.on_time)::int as on_time,
                 sum(x.late)::int as late, sum(x.open)::int as open
            from jsonb_to_recordset(delta) as x(agency_id uuid, year int, due_on date, total int, on_time int, late int, open int)
           group by 1, 2, 3
        )
        insert into figure_explanation_agency as f (agency_id, year, due_on, total, on_time, late, open)
          select * from d where total <> 0 or on_time <> 0 or late <> 0 or open <> 0
           order by agency_id, year, due_on
          on conflict (agency_id, year, due_on) do update
            set total = f.total + excluded.total, on_time = f.on_time + excluded.on_time,
                late = f.late + excluded.late, open = f.open + excluded.open;
        delete from figure_explanation_agency f
         using jsonb_to_recordset(delta) as k(agency_id uuid, year int, due_on date)
         where f.agency_id = k.agency_id and f.year = k.year and f.due_on = k.due_on and f.total = 0;
        return null;
      end $$;`);
    this.addSql(`revoke all on function figures_deduction_point_changed() from public;`);
    for (const s of statementTriggers('deduction_point', 'figures_deduction_point_changed')) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`drop view if exists "figure_explanation_agency_reference";`);
    this.addSql(`drop table if exists "figure_explanation_agency" cascade;`);
    this.addSql(`drop function if exists figures_deduction_point_changed() cascade;`);
    this.addSql(`drop function if exists app_scope_ancestor_ids();`);
    this.addSql(`drop function if exists app_evaluator_round();`);

    this.addSql(`alter table "assessment_result" drop constraint "assessment_result_scheme_id_foreign";`);

    this.addSql(`alter table "assessment_indicator" drop constraint "assessment_indicator_scheme_id_foreign";`);

    this.addSql(`alter table "assessment_scheme_agency" drop constraint "assessment_scheme_agency_scheme_id_foreign";`);

    this.addSql(`alter table "assessment_result" drop constraint "assessment_result_supersedes_id_foreign";`);

    this.addSql(`alter table "evaluation_score" drop constraint "evaluation_score_round_id_foreign";`);

    this.addSql(`alter table "deduction_point" drop constraint "deduction_point_round_id_foreign";`);

    this.addSql(`alter table "inspection_finding" drop constraint "inspection_finding_inspection_id_foreign";`);

    this.addSql(`drop table if exists "assessment_entry" cascade;`);

    this.addSql(`drop table if exists "assessment_scheme" cascade;`);

    this.addSql(`drop table if exists "assessment_result" cascade;`);

    this.addSql(`drop table if exists "assessment_indicator" cascade;`);

    this.addSql(`drop table if exists "assessment_scheme_agency" cascade;`);

    this.addSql(`drop table if exists "evaluation_round" cascade;`);

    this.addSql(`drop table if exists "evaluation_score" cascade;`);

    this.addSql(`drop table if exists "inspection" cascade;`);

    this.addSql(`drop table if exists "inspection_finding" cascade;`);

    this.addSql(`drop table if exists "deduction_point" cascade;`);

    this.addSql(`drop type "assessment_period";`);
    this.addSql(`drop type "result_status";`);
    this.addSql(`drop type "grade";`);
    this.addSql(`drop type "indicator_kind";`);
    this.addSql(`drop type "indicator_metric";`);
    this.addSql(`drop type "indicator_formula";`);
    this.addSql(`drop type "round_kind";`);
    this.addSql(`drop type "round_status";`);
  }

}
