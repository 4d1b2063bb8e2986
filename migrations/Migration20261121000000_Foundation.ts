import { Migration } from '@mikro-orm/migrations';

/**
 * Foundation: the agency tree (ltree materialised path), internal units, accounts, and the tenancy
 * gate — the `openness_app` role that every request switches to and the row-level-security policies
 * that confine it to `app.scope_path`. Migrations are frozen history: later ones repeat the policy
 * SQL they need instead of importing it from `src/`.
 */
export class Migration20261121000000_Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists ltree;`);

    this.addSql(`create type "agency_kind" as enum ('PROVINCIAL_DEPARTMENT', 'CITY_BUREAU', 'DISTRICT_BRANCH', 'COUNTY_BUREAU');`);
    this.addSql(`create type "unit_kind" as enum ('SECTION', 'OFFICE', 'BRIGADE', 'DETACHMENT', 'POLICE_STATION', 'CENTER', 'OTHER');`);
    this.addSql(`create type "account_role" as enum ('AGENCY_ADMIN', 'UNIT_LIAISON', 'UNIT_HEAD', 'LEADER', 'SUPERIOR_VIEWER', 'EVALUATOR');`);

    this.addSql(`create table "agency" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code" varchar(64) not null, "name" varchar(200) not null, "kind" "agency_kind" not null, "parent_id" uuid null, "path" ltree not null, constraint "agency_pkey" primary key ("id"));`);
    this.addSql(`alter table "agency" add constraint "agency_code_unique" unique ("code");`);
    this.addSql(`create index "agency_parent_idx" on "agency" ("parent_id");`);
    this.addSql(`create index "agency_path_gist" on "agency" using gist ("path");`);

    this.addSql(`create table "unit" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "code" varchar(64) not null, "name" varchar(200) not null, "kind" "unit_kind" not null, constraint "unit_pkey" primary key ("id"));`);
    this.addSql(`create index "unit_agency_idx" on "unit" ("agency_id");`);
    this.addSql(`alter table "unit" add constraint "unit_agency_name_unique" unique ("agency_id", "name");`);
    this.addSql(`alter table "unit" add constraint "unit_agency_code_unique" unique ("agency_id", "code");`);

    this.addSql(`create table "account" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "username" varchar(64) not null, "display_name" varchar(100) not null, "password_hash" varchar(255) not null, "agency_id" uuid not null, "unit_id" uuid null, "roles" "account_role"[] not null, "active" boolean not null default true, "access_from" timestamptz null, "access_until" timestamptz null, "credentials_changed_at" timestamptz not null default now(), constraint "account_pkey" primary key ("id"));`);
    this.addSql(`alter table "account" add constraint "account_username_unique" unique ("username");`);
    this.addSql(`create index "account_agency_idx" on "account" ("agency_id");`);
    this.addSql(`create index "account_unit_idx" on "account" ("unit_id");`);

    this.addSql(`alter table "agency" add constraint "agency_parent_id_foreign" foreign key ("parent_id") references "agency" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "unit" add constraint "unit_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "account" add constraint "account_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "account" add constraint "account_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);

    // ---- The tenancy gate -------------------------------------------------------------------
    // Requests run as this role (SET LOCAL ROLE inside their transaction). It is not a superuser
    // and has no BYPASSRLS, so every statement it runs — ORM find, QueryBuilder, raw SQL, loader,
    // roll-up — is filtered by the policies below.
    this.addSql(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'openness_app') then
        create role openness_app nologin nosuperuser nobypassrls;
      end if;
      if not (select rolsuper from pg_roles where rolname = current_user) then
        execute format('grant openness_app to %I', current_user);
      end if;
    end $$;`);
    this.addSql(`grant usage on schema public to openness_app;`);
    // An unset scope is NULL, and `x <@ NULL` is never true: a forgotten scope sees nothing.
    this.addSql(`create or replace function app_scope_path() returns ltree language sql stable
      as $$ select nullif(current_setting('app.scope_path', true), '')::ltree $$;`);
    // Writes need an explicit 'off': read-only principals (evaluators, superior viewers) and any
    // request that forgot to say otherwise cannot change a row.
    this.addSql(`create or replace function app_can_write() returns boolean language sql stable
      as $$ select coalesce(current_setting('app.read_only', true), 'on') = 'off' $$;`);

    this.addSql(`alter table "agency" enable row level security;`);
    this.addSql(`alter table "agency" force row level security;`);
    this.addSql(`create policy agency_read on "agency" for select using (path <@ app_scope_path());`);
    this.addSql(`create policy agency_insert on "agency" for insert with check (app_can_write() and path <@ app_scope_path());`);
    this.addSql(`create policy agency_update on "agency" for update using (app_can_write() and path <@ app_scope_path()) with check (path <@ app_scope_path());`);
    this.addSql(`create policy agency_delete on "agency" for delete using (app_can_write() and path <@ app_scope_path());`);

    for (const table of ['unit', 'account']) {
      const inScope = `agency_id in (select a.id from agency a where a.path <@ app_scope_path())`;
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
      this.addSql(`create policy ${table}_read on "${table}" for select using (${inScope});`);
      this.addSql(`create policy ${table}_insert on "${table}" for insert with check (app_can_write() and ${inScope});`);
      this.addSql(`create policy ${table}_update on "${table}" for update using (app_can_write() and ${inScope}) with check (${inScope});`);
      this.addSql(`create policy ${table}_delete on "${table}" for delete using (app_can_write() and ${inScope});`);
    }

    this.addSql(`grant select, insert, update, delete on "agency", "unit", "account" to openness_app;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "account" cascade;`);
    this.addSql(`drop table if exists "unit" cascade;`);
    this.addSql(`drop table if exists "agency" cascade;`);
    this.addSql(`drop function if exists app_can_write();`);
    this.addSql(`drop function if exists app_scope_path();`);
    this.addSql(`drop type "account_role";`);
    this.addSql(`drop type "unit_kind";`);
    this.addSql(`drop type "agency_kind";`);
  }
}
