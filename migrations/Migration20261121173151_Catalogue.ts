import { Migration } from '@mikro-orm/migrations';

/**
 * Catalogues (主动公开基本目录), their items, responsible units and omissions, plus unit aliases.
 * Row-level security: an agency's subtree sees its catalogues; a subordinate additionally reads the
 * standard catalogues its ancestors have put in force (never their drafts).
 */
export class Migration20261121173151_Catalogue extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "catalogue_kind" as enum ('AGENCY', 'STANDARD');`);
    this.addSql(`create type "catalogue_status" as enum ('DRAFT', 'IN_FORCE', 'ARCHIVED');`);
    this.addSql(`create type "disclosure_type" as enum ('DECISION', 'EXECUTION', 'MANAGEMENT', 'SERVICE', 'RESULT', 'POLICY');`);
    this.addSql(`create type "deadline_event" as enum ('FORMATION_OR_CHANGE', 'DOCUMENT_PUBLISHED', 'APPROVAL_COMPLETED', 'OTHER');`);
    this.addSql(`create table "catalogue" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "year" int not null, "kind" "catalogue_kind" not null, "status" "catalogue_status" not null default 'DRAFT', "title" varchar(200) not null, "revision" int not null default 1, "adopted_standard_id" uuid null, "adopted_revision" int null, constraint "catalogue_pkey" primary key ("id"));`);
    this.addSql(`create index "catalogue_agency_idx" on "catalogue" ("agency_id");`);
    this.addSql(`create index "catalogue_adopted_standard_idx" on "catalogue" ("adopted_standard_id");`);
    this.addSql(`alter table "catalogue" add constraint "catalogue_agency_year_kind_unique" unique ("agency_id", "year", "kind");`);

    this.addSql(`create table "catalogue_item" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "catalogue_id" uuid not null, "agency_id" uuid not null, "position" int not null, "category" varchar(100) not null, "name" varchar(200) not null, "content" text not null default '', "disclosure_type" "disclosure_type" null, "units_text" varchar(500) not null default '', "time_limit_text" varchar(200) not null default '', "deadline_rule" jsonb null, "deadline_event" "deadline_event" null, "time_limit_warning" varchar(300) null, "channels" text[] not null default '{}', "audience" varchar(100) not null default '全社会', "legal_basis" text not null default '', "website_column" varchar(300) null, "standard_item_id" uuid null, constraint "catalogue_item_pkey" primary key ("id"));`);
    this.addSql(`create index "catalogue_item_catalogue_idx" on "catalogue_item" ("catalogue_id");`);
    this.addSql(`create index "catalogue_item_agency_idx" on "catalogue_item" ("agency_id");`);
    this.addSql(`create index "catalogue_item_standard_item_idx" on "catalogue_item" ("standard_item_id");`);
    this.addSql(`alter table "catalogue_item" add constraint "catalogue_item_category_name_unique" unique ("catalogue_id", "category", "name");`);

    this.addSql(`create table "catalogue_omission" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "catalogue_id" uuid not null, "agency_id" uuid not null, "standard_item_id" uuid not null, "reason" varchar(500) not null, "recorded_by" varchar(64) not null, constraint "catalogue_omission_pkey" primary key ("id"));`);
    this.addSql(`create index "catalogue_omission_catalogue_idx" on "catalogue_omission" ("catalogue_id");`);
    this.addSql(`create index "catalogue_omission_agency_idx" on "catalogue_omission" ("agency_id");`);
    this.addSql(`create index "catalogue_omission_standard_item_idx" on "catalogue_omission" ("standard_item_id");`);
    this.addSql(`alter table "catalogue_omission" add constraint "catalogue_omission_unique" unique ("catalogue_id", "standard_item_id");`);

    this.addSql(`create table "catalogue_item_unit" ("item_id" uuid not null, "unit_id" uuid not null, "agency_id" uuid not null, constraint "catalogue_item_unit_pkey" primary key ("item_id", "unit_id"));`);
    this.addSql(`create index "catalogue_item_unit_unit_idx" on "catalogue_item_unit" ("unit_id");`);
    this.addSql(`create index "catalogue_item_unit_agency_idx" on "catalogue_item_unit" ("agency_id");`);

    this.addSql(`alter table "catalogue" add constraint "catalogue_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "catalogue" add constraint "catalogue_adopted_standard_id_foreign" foreign key ("adopted_standard_id") references "catalogue" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "catalogue_item" add constraint "catalogue_item_catalogue_id_foreign" foreign key ("catalogue_id") references "catalogue" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "catalogue_item" add constraint "catalogue_item_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "catalogue_item" add constraint "catalogue_item_standard_item_id_foreign" foreign key ("standard_item_id") references "catalogue_item" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "catalogue_omission" add constraint "catalogue_omission_catalogue_id_foreign" foreign key ("catalogue_id") references "catalogue" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "catalogue_omission" add constraint "catalogue_omission_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "catalogue_omission" add constraint "catalogue_omission_standard_item_id_foreign" foreign key ("standard_item_id") references "catalogue_item" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "catalogue_item_unit" add constraint "catalogue_item_unit_item_id_foreign" foreign key ("item_id") references "catalogue_item" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "catalogue_item_unit" add constraint "catalogue_item_unit_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "catalogue_item_unit" add constraint "catalogue_item_unit_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "unit" add column "aliases" text[] not null default '{}';`);

    // ---- Tenancy ----------------------------------------------------------------------------
    // The ancestors of the scope are the labels of its own path (labels are agency ids), so no
    // table read — and no privilege escalation — is needed to know them.
    this.addSql(`create or replace function app_ancestor_agency_ids() returns setof uuid language sql stable as $$
      select label::uuid from unnest(string_to_array(ltree2text(subpath(app_scope_path(), 0, nlevel(app_scope_path()) - 1)), '.')) as label
      where app_scope_path() is not null and nlevel(app_scope_path()) > 1 $$;`);
    const inScope = `agency_id in (select a.id from agency a where a.path <@ app_scope_path())`;
    const publishedStandardOfAncestor = `(kind = 'STANDARD' and status <> 'DRAFT' and agency_id in (select app_ancestor_agency_ids()))`;
    const policies: Record<string, string> = {
      catalogue: `${inScope} or ${publishedStandardOfAncestor}`,
      catalogue_item: `${inScope} or catalogue_id in (select c.id from catalogue c where c.kind = 'STANDARD' and c.status <> 'DRAFT' and c.agency_id in (select app_ancestor_agency_ids()))`,
      catalogue_item_unit: inScope,
      catalogue_omission: inScope,
    };
    for (const [table, read] of Object.entries(policies)) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
      this.addSql(`create policy ${table}_read on "${table}" for select using (${read});`);
      this.addSql(`create policy ${table}_insert on "${table}" for insert with check (app_can_write() and ${inScope});`);
      this.addSql(`create policy ${table}_update on "${table}" for update using (app_can_write() and ${inScope}) with check (${inScope});`);
      this.addSql(`create policy ${table}_delete on "${table}" for delete using (app_can_write() and ${inScope});`);
      this.addSql(`grant select, insert, update, delete on "${table}" to openness_app;`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists app_ancestor_agency_ids();`);
    this.addSql(`alter table "catalogue" drop constraint "catalogue_adopted_standard_id_foreign";`);

    this.addSql(`alter table "catalogue_item" drop constraint "catalogue_item_catalogue_id_foreign";`);

    this.addSql(`alter table "catalogue_omission" drop constraint "catalogue_omission_catalogue_id_foreign";`);

    this.addSql(`alter table "catalogue_item" drop constraint "catalogue_item_standard_item_id_foreign";`);

    this.addSql(`alter table "catalogue_omission" drop constraint "catalogue_omission_standard_item_id_foreign";`);

    this.addSql(`alter table "catalogue_item_unit" drop constraint "catalogue_item_unit_item_id_foreign";`);

    this.addSql(`drop table if exists "catalogue" cascade;`);

    this.addSql(`drop table if exists "catalogue_item" cascade;`);

    this.addSql(`drop table if exists "catalogue_omission" cascade;`);

    this.addSql(`drop table if exists "catalogue_item_unit" cascade;`);

    this.addSql(`alter table "unit" drop column "aliases";`);

    this.addSql(`drop type "catalogue_kind";`);
    this.addSql(`drop type "catalogue_status";`);
    this.addSql(`drop type "disclosure_type";`);
    this.addSql(`drop type "deadline_event";`);
  }

}
