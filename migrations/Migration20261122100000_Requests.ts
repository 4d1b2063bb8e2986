import { Migration } from '@mikro-orm/migrations';
import { evaluatorReadPolicy, tenantPoliciesV2 } from './support/tenancy-sql';

/**
 * Information requests (依申请公开) and annual reports (issue 10): requests with their clock inputs,
 * consultations, history and reconsiderations / lawsuits; one annual report per agency and year.
 * Every table belongs to the request's (or report's) agency and gets the four tenancy policies.
 * Evaluators (role openness_evaluator) see no request, its history or appeals — applicants' personal
 * data and internal handling — and only finalised annual reports (a published report is public).
 */
export class Migration20261122100000_Requests extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "report_template" as enum ('GOV_2021', 'GOV_2019', 'PRE_2019');`);
    this.addSql(`create type "report_status" as enum ('DRAFT', 'FINAL');`);
    this.addSql(`create type "request_channel" as enum ('IN_PERSON', 'LETTER', 'ONLINE', 'FAX', 'EMAIL');`);
    this.addSql(`create type "applicant_type" as enum ('NATURAL_PERSON', 'COMMERCIAL_ENTERPRISE', 'RESEARCH_INSTITUTION', 'PUBLIC_INTEREST_ORGANISATION', 'LEGAL_SERVICE_INSTITUTION', 'OTHER_ORGANISATION');`);
    this.addSql(`create type "request_outcome" as enum ('DISCLOSED', 'PARTIALLY_DISCLOSED', 'WITHHELD_STATE_SECRET', 'WITHHELD_PROHIBITED_BY_LAW', 'WITHHELD_THREE_SECURITIES', 'WITHHELD_THIRD_PARTY', 'WITHHELD_INTERNAL_AFFAIRS', 'WITHHELD_PROCESS_INFORMATION', 'WITHHELD_ENFORCEMENT_FILE', 'WITHHELD_ADMINISTRATIVE_QUERY', 'UNAVAILABLE_NOT_HELD', 'UNAVAILABLE_NEEDS_CREATION', 'UNAVAILABLE_UNCLEAR_AFTER_CORRECTION', 'NOT_PROCESSED_PETITION', 'NOT_PROCESSED_REPEATED', 'NOT_PROCESSED_PUBLICATION', 'NOT_PROCESSED_MASS_REPEATED', 'NOT_PROCESSED_CONFIRMATION', 'OTHER_NOT_CORRECTED', 'OTHER_FEE_UNPAID', 'OTHER');`);
    this.addSql(`create type "fee_method" as enum ('PER_REQUEST', 'PER_PAGE');`);
    this.addSql(`create type "consultation_kind" as enum ('THIRD_PARTY', 'OTHER_AGENCY');`);
    this.addSql(`create type "appeal_kind" as enum ('RECONSIDERATION', 'LAWSUIT_DIRECT', 'LAWSUIT_AFTER_RECONSIDERATION');`);
    this.addSql(`create type "appeal_result" as enum ('UPHELD', 'CORRECTED', 'OTHER', 'PENDING');`);
    this.addSql(`create table "annual_report" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "year" int not null, "template" "report_template" not null, "status" "report_status" not null default 'DRAFT', "title" varchar(200) not null, "overview" text not null default '', "problems" text not null default '', "other_matters" text not null default '', "table2" jsonb not null, "table3" jsonb null, "table4" jsonb null, "legacy_figures" jsonb null, "finalised_at" timestamptz null, "finalised_by" varchar(64) null, "published_on" date null, "published_url" varchar(2000) null, constraint "annual_report_pkey" primary key ("id"), constraint annual_report_final_state check ((status = 'FINAL') = (finalised_at is not null)), constraint annual_report_year_range check (year >= 2008 and year <= 2100));`);
    this.addSql(`create index "annual_report_agency_idx" on "annual_report" ("agency_id");`);
    this.addSql(`alter table "annual_report" add constraint "annual_report_agency_year_unique" unique ("agency_id", "year");`);

    this.addSql(`create table "info_request" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "year" int not null, "number" varchar(30) not null, "channel" "request_channel" not null, "applicant_type" "applicant_type" not null, "applicant_name" varchar(200) not null, "applicant_contact" varchar(200) not null default '', "content" text not null, "submitted_on" date not null, "received_on" date not null, "unit_id" uuid null, "correction_notice_on" date null, "correction_text" text null, "corrected_on" date null, "extension_days" int null, "extension_reason" text null, "extension_approved_by" varchar(100) null, "extension_notice_on" date null, "due_on" date null, "due_provisional" boolean not null default false, "due_explanation" jsonb null, "outcome" "request_outcome" null, "replied_on" date null, "legal_basis" text null, "fee_method" "fee_method" null, "fee_pages" int null, "fee_amount" numeric(10,2) null, "registered_by" varchar(64) not null, constraint "info_request_pkey" primary key ("id"), constraint info_request_fee check (fee_amount is null or fee_amount >= 0), constraint info_request_extension_days check (extension_days is null or (extension_days >= 1 and extension_days <= 20)), constraint info_request_outcome_replied check ((outcome is null) = (replied_on is null)), constraint info_request_replied_after_receipt check (replied_on is null or replied_on >= received_on));`);
    this.addSql(`create index "info_request_agency_idx" on "info_request" ("agency_id");`);
    this.addSql(`create index "info_request_unit_idx" on "info_request" ("unit_id");`);
    this.addSql(`alter table "info_request" add constraint "info_request_number_unique" unique ("agency_id", "number");`);

    this.addSql(`create table "request_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "request_id" uuid not null, "agency_id" uuid not null, "kind" varchar(40) not null, "happened_on" date not null, "detail" text not null default '', "actor" varchar(64) not null, "recorded_at" timestamptz not null default now(), constraint "request_event_pkey" primary key ("id"));`);
    this.addSql(`create index "request_event_request_idx" on "request_event" ("request_id");`);
    this.addSql(`create index "request_event_agency_idx" on "request_event" ("agency_id");`);

    this.addSql(`create table "request_consultation" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "request_id" uuid not null, "agency_id" uuid not null, "kind" "consultation_kind" not null, "party" varchar(200) not null, "started_on" date not null, "ended_on" date null, constraint "request_consultation_pkey" primary key ("id"), constraint request_consultation_period check (ended_on is null or ended_on >= started_on));`);
    this.addSql(`create index "request_consultation_request_idx" on "request_consultation" ("request_id");`);
    this.addSql(`create index "request_consultation_agency_idx" on "request_consultation" ("agency_id");`);

    this.addSql(`create table "request_appeal" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "request_id" uuid not null, "agency_id" uuid not null, "kind" "appeal_kind" not null, "filed_on" date not null, "result" "appeal_result" not null default 'PENDING', "decided_on" date null, "note" text not null default '', constraint "request_appeal_pkey" primary key ("id"));`);
    this.addSql(`create index "request_appeal_request_idx" on "request_appeal" ("request_id");`);
    this.addSql(`create index "request_appeal_agency_idx" on "request_appeal" ("agency_id");`);

    this.addSql(`alter table "annual_report" add constraint "annual_report_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "info_request" add constraint "info_request_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "info_request" add constraint "info_request_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "request_event" add constraint "request_event_request_id_foreign" foreign key ("request_id") references "info_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "request_event" add constraint "request_event_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "request_consultation" add constraint "request_consultation_request_id_foreign" foreign key ("request_id") references "info_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "request_consultation" add constraint "request_consultation_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "request_appeal" add constraint "request_appeal_request_id_foreign" foreign key ("request_id") references "info_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "request_appeal" add constraint "request_appeal_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "info_request" add column "topic" varchar(200) not null default '', add column "catalogue_item_id" uuid null;`);
    this.addSql(`alter table "info_request" add constraint "info_request_catalogue_item_id_foreign" foreign key ("catalogue_item_id") references "catalogue_item" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "info_request_catalogue_item_idx" on "info_request" ("catalogue_item_id");`);

    for (const table of ['info_request', 'request_consultation', 'request_event', 'request_appeal', 'annual_report']) {
      for (const s of tenantPoliciesV2(table)) this.addSql(s);
    }
    for (const table of ['info_request', 'request_consultation', 'request_event', 'request_appeal']) {
      for (const s of evaluatorReadPolicy(table, 'false')) this.addSql(s);
    }
    for (const s of evaluatorReadPolicy('annual_report', `status = 'FINAL'`)) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "request_event" drop constraint "request_event_request_id_foreign";`);

    this.addSql(`alter table "request_consultation" drop constraint "request_consultation_request_id_foreign";`);

    this.addSql(`alter table "request_appeal" drop constraint "request_appeal_request_id_foreign";`);

    this.addSql(`drop table if exists "annual_report" cascade;`);

    this.addSql(`drop table if exists "info_request" cascade;`);

    this.addSql(`drop table if exists "request_event" cascade;`);

    this.addSql(`drop table if exists "request_consultation" cascade;`);

    this.addSql(`drop table if exists "request_appeal" cascade;`);

    this.addSql(`drop type "report_template";`);
    this.addSql(`drop type "report_status";`);
    this.addSql(`drop type "request_channel";`);
    this.addSql(`drop type "applicant_type";`);
    this.addSql(`drop type "request_outcome";`);
    this.addSql(`drop type "fee_method";`);
    this.addSql(`drop type "consultation_kind";`);
    this.addSql(`drop type "appeal_kind";`);
    this.addSql(`drop type "appeal_result";`);
  }

}
