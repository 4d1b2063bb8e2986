import { Migration } from '@mikro-orm/migrations';

/**
 * Least privilege for requests. The service's request pool logs in as `openness_service`: no
 * superuser, not the owner of anything, NOINHERIT — on its own it may read no table at all; it may
 * only `SET ROLE openness_app` or `openness_evaluator` (what the tenancy gate does in every request
 * transaction) and call
 * the one function below. So `RESET ROLE` inside a request gives nothing back, and row-level
 * security applies whatever a statement does. Migrations, the seeder and login keep the owner's
 * connection (src/db/system.ts). The role gets its password at start-up (src/db/service-login.ts),
 * never in a migration.
 *
 * `app_principal(account)`: the one read a request makes before it has a scope — its own account
 * (without the password hash) and its agency's path, by the id of a verified token. Executable by
 * `openness_service` only, so not from inside the gate (`openness_app`).
 */
export class Migration20261122070000_ServiceLogin extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'openness_service') then
        create role openness_service login noinherit nosuperuser nocreatedb nocreaterole nobypassrls;
      end if;
    end $$;`);
    this.addSql(`grant openness_app, openness_evaluator to openness_service;`);
    this.addSql(`grant usage on schema public to openness_service;`);
    this.addSql(`create or replace function app_principal(p_account uuid)
      returns table (id uuid, created_at timestamptz, updated_at timestamptz, username varchar, display_name varchar,
                     agency_id uuid, unit_id uuid, roles account_role[], active boolean, access_from timestamptz,
                     access_until timestamptz, credentials_changed_at timestamptz, path ltree)
      language sql stable security definer set search_path = public, pg_temp as $$
        select a.id, a.created_at, a.updated_at, a.username, a.display_name, a.agency_id, a.unit_id, a.roles, a.active,
               a.access_from, a.access_until, a.credentials_changed_at, g.path
          from account a join agency g on g.id = a.agency_id
         where a.id = p_account
      $$;`);
    this.addSql(`revoke all on function app_principal(uuid) from public;`);
    this.addSql(`grant execute on function app_principal(uuid) to openness_service;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists app_principal(uuid);`);
    this.addSql(`drop owned by openness_service;`);
    this.addSql(`drop role if exists openness_service;`);
  }
}
