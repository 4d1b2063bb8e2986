import { Migration } from '@mikro-orm/migrations';

/**
 * Publications (信息发布) with their confidentiality reviews, sign-offs and history, the negative list,
 * and the working calendar kept in the database (administrator entries, confirmed years, changes).
 *
 * Tenancy: publication tables are tenant-owned (agency_id, the usual four policies). The calendar is
 * national: every signed-in principal reads it, only a writer whose scope is a root of the tree
 * (a provincial department) changes it — the service additionally requires an administrator.
 *
 * A calendar change must recompute the open deadlines of every tenant, also outside the changing
 * administrator's subtree. Two SECURITY DEFINER functions do exactly that and nothing else: one lists
 * the open deadlines depending on given years (ids, formation dates and rules — no titles), the other
 * stores recomputed due dates on unpublished rows and records a DEADLINE_RECOMPUTED event. Both refuse
 * unless the caller's scope is a root and may write, like the calendar's own write policies.
 */
export class Migration20261121181945_Publications extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "calendar_change_action" as enum ('SET_ENTRIES', 'REMOVE_ENTRY');`);
    this.addSql(`create type "calendar_day_kind" as enum ('HOLIDAY', 'WORKDAY');`);
    this.addSql(`create type "publication_status" as enum ('DRAFT', 'PENDING_CONFIDENTIALITY_REVIEW', 'PENDING_UNIT_HEAD', 'PENDING_LEADER', 'APPROVED', 'PUBLISHED');`);
    this.addSql(`create type "disclosure_attribute" as enum ('PROACTIVE', 'ON_APPLICATION', 'NOT_DISCLOSED');`);
    this.addSql(`create type "sign_off_level" as enum ('UNIT_HEAD', 'LEADER');`);
    this.addSql(`create type "publication_action" as enum ('CREATE', 'UPDATE', 'SUBMIT', 'REVIEW_PASSED', 'REVIEW_FAILED', 'UNIT_HEAD_APPROVED', 'UNIT_HEAD_REJECTED', 'LEADER_APPROVED', 'LEADER_REJECTED', 'DEIDENTIFICATION_CONFIRMED', 'PUBLISH', 'DEADLINE_RECOMPUTED');`);
    this.addSql(`create type "review_conclusion" as enum ('PASSED', 'FAILED');`);
    this.addSql(`create table "calendar_change" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "actor" varchar(64) not null, "action" "calendar_change_action" not null, "year" int not null, "summary" text not null, "details" jsonb not null, "affected_years" int[] not null, "recomputed" int not null default 0, "changed" int not null default 0, constraint "calendar_change_pkey" primary key ("id"));`);

    this.addSql(`create table "calendar_entry" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "date" date not null, "year" int not null, "kind" "calendar_day_kind" not null, "name" varchar(100) not null, "created_by" varchar(64) not null, constraint "calendar_entry_pkey" primary key ("id"));`);
    this.addSql(`alter table "calendar_entry" add constraint "calendar_entry_date_unique" unique ("date");`);
    this.addSql(`create index "calendar_entry_year_idx" on "calendar_entry" ("year");`);

    this.addSql(`create table "calendar_year" ("year" int not null, "confirmed" boolean not null default false, "note" text not null default '', "updated_by" varchar(64) not null, "updated_at" timestamptz not null default now(), constraint "calendar_year_pkey" primary key ("year"));`);

    this.addSql(`create table "negative_list_entry" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "matter" text not null, "legal_reason" text not null, "catalogue_item_id" uuid null, "category" varchar(100) null, "item_name" varchar(200) null, "created_by" varchar(64) not null, constraint "negative_list_entry_pkey" primary key ("id"));`);
    this.addSql(`create index "negative_list_entry_agency_idx" on "negative_list_entry" ("agency_id");`);
    this.addSql(`create index "negative_list_entry_item_idx" on "negative_list_entry" ("catalogue_item_id");`);

    this.addSql(`create table "publication" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "item_id" uuid not null, "title" varchar(300) not null, "url" varchar(1000) null, "website_column" varchar(300) null, "channel" varchar(50) not null default '政府网站', "formed_on" date not null, "published_on" date null, "drafting_unit_id" uuid not null, "drafter_id" uuid null, "drafter_name" varchar(100) not null, "status" "publication_status" not null default 'DRAFT', "disclosure_attribute" "disclosure_attribute" not null, "non_disclosure_reason" text null, "contains_personal_info" boolean not null default false, "deidentified_at" timestamptz null, "deidentified_by" varchar(64) null, "round" int not null default 0, "deadline_rule" jsonb null, "due_on" date null, "due_provisional" boolean not null default false, "due_reasons" text[] not null default '{}', "due_years" int[] not null default '{}', "due_explanation" jsonb null, constraint "publication_pkey" primary key ("id"), constraint publication_not_disclosed_reason check (disclosure_attribute <> 'NOT_DISCLOSED' or coalesce(btrim(non_disclosure_reason), '') <> ''), constraint publication_not_disclosed_unpublished check (disclosure_attribute <> 'NOT_DISCLOSED' or published_on is null), constraint publication_published_after_formed check (published_on is null or published_on >= formed_on), constraint publication_published_state check ((status = 'PUBLISHED') = (published_on is not null)));`);
    this.addSql(`create index "publication_agency_idx" on "publication" ("agency_id");`);
    this.addSql(`create index "publication_item_idx" on "publication" ("item_id");`);
    this.addSql(`create index "publication_drafting_unit_idx" on "publication" ("drafting_unit_id");`);
    this.addSql(`create index "publication_drafter_idx" on "publication" ("drafter_id");`);
    this.addSql(`create index "publication_open_due_years_idx" on "publication" using gin ("due_years") where "published_on" is null;`);

    this.addSql(`create table "publication_sign_off" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "publication_id" uuid not null, "round" int not null, "level" "sign_off_level" not null, "approve" boolean not null, "reason" text not null default '', "signer_id" uuid null, "signer_username" varchar(64) not null, "signer_name" varchar(100) not null, constraint "publication_sign_off_pkey" primary key ("id"));`);
    this.addSql(`create index "publication_sign_off_agency_idx" on "publication_sign_off" ("agency_id");`);
    this.addSql(`alter table "publication_sign_off" add constraint "publication_sign_off_round_level_unique" unique ("publication_id", "round", "level");`);

    this.addSql(`create table "publication_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "publication_id" uuid not null, "from_status" "publication_status" null, "to_status" "publication_status" not null, "action" "publication_action" not null, "actor" varchar(64) not null, "reason" text null, constraint "publication_event_pkey" primary key ("id"));`);
    this.addSql(`create index "publication_event_agency_idx" on "publication_event" ("agency_id");`);
    this.addSql(`create index "publication_event_publication_idx" on "publication_event" ("publication_id");`);

    this.addSql(`create table "confidentiality_review" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "publication_id" uuid not null, "round" int not null, "conclusion" "review_conclusion" not null, "notes" text not null default '', "reviewer_id" uuid null, "reviewer_username" varchar(64) not null, "reviewer_name" varchar(100) not null, constraint "confidentiality_review_pkey" primary key ("id"));`);
    this.addSql(`create index "confidentiality_review_agency_idx" on "confidentiality_review" ("agency_id");`);
    this.addSql(`alter table "confidentiality_review" add constraint "confidentiality_review_round_unique" unique ("publication_id", "round");`);

    this.addSql(`alter table "negative_list_entry" add constraint "negative_list_entry_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "negative_list_entry" add constraint "negative_list_entry_catalogue_item_id_foreign" foreign key ("catalogue_item_id") references "catalogue_item" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "publication" add constraint "publication_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "publication" add constraint "publication_item_id_foreign" foreign key ("item_id") references "catalogue_item" ("id") on update cascade on delete no action;`);
    this.addSql(`alter table "publication" add constraint "publication_drafting_unit_id_foreign" foreign key ("drafting_unit_id") references "unit" ("id") on update cascade on delete no action;`);
    this.addSql(`alter table "publication" add constraint "publication_drafter_id_foreign" foreign key ("drafter_id") references "account" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "publication_sign_off" add constraint "publication_sign_off_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "publication_sign_off" add constraint "publication_sign_off_publication_id_foreign" foreign key ("publication_id") references "publication" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "publication_sign_off" add constraint "publication_sign_off_signer_id_foreign" foreign key ("signer_id") references "account" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "publication_event" add constraint "publication_event_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "publication_event" add constraint "publication_event_publication_id_foreign" foreign key ("publication_id") references "publication" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "confidentiality_review" add constraint "confidentiality_review_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "confidentiality_review" add constraint "confidentiality_review_publication_id_foreign" foreign key ("publication_id") references "publication" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "confidentiality_review" add constraint "confidentiality_review_reviewer_id_foreign" foreign key ("reviewer_id") references "account" ("id") on update cascade on delete set null;`);

    // ---- Tenancy ----------------------------------------------------------------------------
    const inScope = `agency_id in (select a.id from agency a where a.path <@ app_scope_path())`;
    for (const table of ['publication', 'confidentiality_review', 'publication_sign_off', 'publication_event', 'negative_list_entry']) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
      this.addSql(`create policy ${table}_read on "${table}" for select using (${inScope});`);
      this.addSql(`create policy ${table}_insert on "${table}" for insert with check (app_can_write() and ${inScope});`);
      this.addSql(`create policy ${table}_update on "${table}" for update using (app_can_write() and ${inScope}) with check (${inScope});`);
      this.addSql(`create policy ${table}_delete on "${table}" for delete using (app_can_write() and ${inScope});`);
      this.addSql(`grant select, insert, update, delete on "${table}" to openness_app;`);
    }

    // The national calendar: readable by every signed-in principal, written from a root scope only.
    const signedIn = `app_scope_path() is not null`;
    const rootWriter = `app_can_write() and coalesce(nlevel(app_scope_path()) = 1, false)`;
    for (const table of ['calendar_entry', 'calendar_year', 'calendar_change']) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
      this.addSql(`create policy ${table}_read on "${table}" for select using (${signedIn});`);
      this.addSql(`create policy ${table}_insert on "${table}" for insert with check (${rootWriter});`);
      this.addSql(`create policy ${table}_update on "${table}" for update using (${rootWriter}) with check (${rootWriter});`);
      this.addSql(`create policy ${table}_delete on "${table}" for delete using (${rootWriter});`);
      this.addSql(`grant select, insert, update, delete on "${table}" to openness_app;`);
    }

    // Cross-tenant recomputation of open deadlines after a calendar change (see the class comment).
    // No row locks while reading: the store only touches rows still unpublished when it runs (a
    // concurrent publish wins), and every writer of due dates holds the calendar's shared advisory
    // lock, which the calendar change holds exclusively.
    this.addSql(`create or replace function calendar_open_deadlines(changed_years int[])
      returns table (publication_id uuid, formed_on date, deadline_rule jsonb, disclosure_attribute text, due_on date, due_provisional boolean)
      language plpgsql security definer set search_path = public as $$
      begin
        if not (app_can_write() and coalesce(nlevel(app_scope_path()) = 1, false)) then
          raise exception 'calendar changes need a root-level writer' using errcode = '42501';
        end if;
        return query
          select p.id, p.formed_on, p.deadline_rule, p.disclosure_attribute::text, p.due_on, p.due_provisional
            from publication p
           where p.published_on is null and p.due_years && changed_years
           order by p.id;
      end $$;`);
    this.addSql(`create or replace function calendar_store_deadlines(changes jsonb, actor text)
      returns integer
      language plpgsql security definer set search_path = public as $$
      declare
        stored integer;
      begin
        if not (app_can_write() and coalesce(nlevel(app_scope_path()) = 1, false)) then
          raise exception 'calendar changes need a root-level writer' using errcode = '42501';
        end if;
        with c as (
          select * from jsonb_to_recordset(changes)
            as x(id uuid, due_on date, provisional boolean, reasons text[], years int[], explanation jsonb, event_reason text)
        ), updated as (
          update publication p
             set due_on = c.due_on, due_provisional = c.provisional, due_reasons = c.reasons, due_years = c.years,
                 due_explanation = c.explanation, updated_at = now()
            from c
           where p.id = c.id and p.published_on is null
          returning p.id, p.agency_id, p.status, c.event_reason
        ), events as (
          insert into publication_event (id, agency_id, publication_id, from_status, to_status, action, actor, reason)
          select gen_random_uuid(), u.agency_id, u.id, u.status, u.status, 'DEADLINE_RECOMPUTED', actor, u.event_reason
            from updated u where u.event_reason is not null
          returning 1
        )
        select count(*) into stored from updated;
        return stored;
      end $$;`);
    this.addSql(`revoke all on function calendar_open_deadlines(int[]) from public;`);
    this.addSql(`revoke all on function calendar_store_deadlines(jsonb, text) from public;`);
    this.addSql(`grant execute on function calendar_open_deadlines(int[]) to openness_app;`);
    this.addSql(`grant execute on function calendar_store_deadlines(jsonb, text) to openness_app;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists calendar_store_deadlines(jsonb, text);`);
    this.addSql(`drop function if exists calendar_open_deadlines(int[]);`);
    this.addSql(`alter table "publication_sign_off" drop constraint "publication_sign_off_publication_id_foreign";`);

    this.addSql(`alter table "publication_event" drop constraint "publication_event_publication_id_foreign";`);

    this.addSql(`alter table "confidentiality_review" drop constraint "confidentiality_review_publication_id_foreign";`);

    this.addSql(`drop table if exists "calendar_change" cascade;`);

    this.addSql(`drop table if exists "calendar_entry" cascade;`);

    this.addSql(`drop table if exists "calendar_year" cascade;`);

    this.addSql(`drop table if exists "negative_list_entry" cascade;`);

    this.addSql(`drop table if exists "publication" cascade;`);

    this.addSql(`drop table if exists "publication_sign_off" cascade;`);

    this.addSql(`drop table if exists "publication_event" cascade;`);

    this.addSql(`drop table if exists "confidentiality_review" cascade;`);

    this.addSql(`drop type "calendar_change_action";`);
    this.addSql(`drop type "calendar_day_kind";`);
    this.addSql(`drop type "publication_status";`);
    this.addSql(`drop type "disclosure_attribute";`);
    this.addSql(`drop type "sign_off_level";`);
    this.addSql(`drop type "publication_action";`);
    this.addSql(`drop type "review_conclusion";`);
  }

}
