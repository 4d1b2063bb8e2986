import { Migration } from '@mikro-orm/migrations';
import { IN_SCOPE_V2, SCOPE_V2, tenantPoliciesV2 } from './support/tenancy-sql';

/**
 * The national calendar belongs to the deployment, not to a tenant (hardening issue 11, part 4).
 *
 * Before: any administrator of a root agency changed the calendar inside its own request
 * transaction, and four SECURITY DEFINER functions (`calendar_open_deadlines`,
 * `calendar_store_deadlines`, `calendar_open_request_deadlines`, `calendar_store_request_deadlines`)
 * took caller-chosen ids, dates and actors and handed every province's rows to that transaction —
 * a provincial admin's holiday moved another province's due dates and wrote its username into their
 * histories, and `calendarChanges` showed counts across tenants.
 *
 * Now:
 * - `calendar_operator`: the accounts that maintain the calendar, granted and revoked only by the
 *   `calendar:operator` command on the owner's connection. No request role may read or write it
 *   (forced row-level security without a policy, no grant); `app_principal` reports the flag.
 * - The calendar tables are written only on the owner's connection (the operator's change, after the
 *   grant is checked again there): the request role keeps SELECT and loses every write.
 * - The system recomputes open due dates in its own transaction after the change, with plain SQL on
 *   the owner's connection: the four functions are dropped.
 * - `calendar_change_effect`: each agency's part of a change (deadlines recomputed and moved), read in
 *   scope — and in full by a principal whose gate says it is a calendar operator — written only by the
 *   system. The cross-tenant totals on `calendar_change` are dropped: they cannot be split per agency
 *   after the fact, and kept they would show every tenant the others' counts.
 */
export class Migration20261122130000_CalendarOperator extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop function if exists calendar_store_deadlines(jsonb, text);`);
    this.addSql(`drop function if exists calendar_open_deadlines(int[]);`);
    this.addSql(`drop function if exists calendar_store_request_deadlines(jsonb, text);`);
    this.addSql(`drop function if exists calendar_open_request_deadlines(int[]);`);

    this.addSql(`create table "calendar_operator" (
      "account_id" uuid not null,
      "granted_at" timestamptz not null default now(),
      "granted_by" varchar(64) not null,
      constraint "calendar_operator_pkey" primary key ("account_id"),
      constraint "calendar_operator_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade
    );`);
    this.addSql(`alter table "calendar_operator" enable row level security;`);
    this.addSql(`alter table "calendar_operator" force row level security;`);
    this.addSql(`revoke all on "calendar_operator" from public;`);

    // The principal learns whether it is an operator with its account, before the gate. The result
    // type changes, so the function is dropped and created again (same body otherwise).
    this.addSql(`drop function if exists app_principal(uuid);`);
    this.addSql(`create function app_principal(p_account uuid)
      returns table (id uuid, created_at timestamptz, updated_at timestamptz, username varchar, display_name varchar,
                     agency_id uuid, unit_id uuid, roles account_role[], active boolean, access_from timestamptz,
                     access_until timestamptz, credentials_changed_at timestamptz, path ltree, calendar_operator boolean)
      language sql stable security definer set search_path = public, pg_temp as $$
        select a.id, a.created_at, a.updated_at, a.username, a.display_name, a.agency_id, a.unit_id, a.roles, a.active,
               a.access_from, a.access_until, a.credentials_changed_at, g.path,
               exists (select 1 from calendar_operator o where o.account_id = a.id)
          from account a join agency g on g.id = a.agency_id
         where a.id = p_account
      $$;`);
    this.addSql(`revoke all on function app_principal(uuid) from public;`);
    this.addSql(`grant execute on function app_principal(uuid) to openness_service;`);

    // Set by the tenancy gate from the principal (like app.read_only); off unless said otherwise.
    this.addSql(`create or replace function app_calendar_operator() returns boolean language sql stable
      as $$ select coalesce(current_setting('app.calendar_operator', true), 'off') = 'on' $$;`);

    // The calendar: read by every signed-in principal, written by no request role.
    const signedIn = `${SCOPE_V2} is not null`;
    for (const t of ['calendar_entry', 'calendar_year', 'calendar_change']) {
      for (const s of tenantPoliciesV2(t, signedIn, 'false')) this.addSql(s);
      this.addSql(`revoke insert, update, delete on "${t}" from openness_app;`);
    }

    this.addSql(`alter table "calendar_change" drop column "recomputed", drop column "changed";`);
    this.addSql(`alter table "calendar_change" add column "recomputed_at" timestamptz null;`);
    // Changes recorded before this migration were recomputed in their own transaction.
    this.addSql(`update "calendar_change" set "recomputed_at" = "created_at";`);

    this.addSql(`create table "calendar_change_effect" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "change_id" uuid not null, "agency_id" uuid not null, "recomputed" int not null, "changed" int not null, constraint "calendar_change_effect_pkey" primary key ("id"));`);
    this.addSql(`create index "calendar_change_effect_agency_idx" on "calendar_change_effect" ("agency_id");`);
    this.addSql(`alter table "calendar_change_effect" add constraint "calendar_change_effect_change_agency_unique" unique ("change_id", "agency_id");`);
    this.addSql(`alter table "calendar_change_effect" add constraint "calendar_change_effect_change_id_foreign" foreign key ("change_id") references "calendar_change" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "calendar_change_effect" add constraint "calendar_change_effect_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    for (const s of tenantPoliciesV2('calendar_change_effect', `(${IN_SCOPE_V2} or (select app_calendar_operator()))`, 'false')) this.addSql(s);
    this.addSql(`revoke insert, update, delete on "calendar_change_effect" from openness_app;`);
  }

  override async down(): Promise<void> {
    // The dropped functions handed other tenants' rows to a tenant's transaction; they do not come back.
    throw new Error('Migration20261122130000_CalendarOperator cannot be reverted; restore from a backup instead');
  }
}
