import { Migration } from '@mikro-orm/migrations';
import { EVALUATOR_ROUND_WRITER, evaluatorReadPolicy, IN_SCOPE_V2, tenantPoliciesV2 } from './support/tenancy-sql';

/** Writes of the round's rows: a writer, or an evaluator token of that round that may record. */
const ROUND_RECORDER = `((select app_can_write()) or (round_id = (select app_evaluator_round()) and (select app_evaluator_can_record())))`;

/**
 * Read tokens for third-party evaluators (issue 9 part 6, src/modules/evaluator/).
 *
 * - `evaluator_token`: issued by an agency's openness office (agency_id = the issuing agency, the
 *   usual gate: visible to its subtree's root and everything above), bound to a round, covering the
 *   subtree of scope_agency_id for a window of at most 366 days. Only the token's SHA-256 is stored.
 *   The app role may insert and update (issue, revoke), never delete.
 * - `evaluator_access`: one row per request made with a token (refused ones too). Append-only: the
 *   app role may only read it (in scope); rows are written by `app_log_evaluator_access` alone.
 * - The evaluator role sees neither table.
 * - `app_evaluator_token(hash)`: the one read of a token before a request has a scope (like
 *   `app_principal`): the row without its hash, plus the scope agency's path. Executable by
 *   `openness_service` only, so not from inside the gate.
 * - `app_log_evaluator_access(hash, …)`: writes a log row (and `last_used_at`, at most once a
 *   minute) for the token with that hash. Called on the request pool AFTER the request transaction
 *   ended, so a failed (rolled-back) or read-only request is recorded all the same. Executable by
 *   `openness_service` only; it needs the token's hash, which only the token's holder can produce.
 * - Recording results: a token's requests are read-only; `evaluation_score` and `deduction_point`
 *   admitted writes of rows of `app.evaluator_round` for any token (migration Assessment). Every
 *   token sets that round (its reads of the round's scores and points need it), so the write rule
 *   now also requires `app.evaluator_can_record`, which the gate sets for RECORD tokens only:
 *   READ tokens write nothing, by the database's rule.
 */
export class Migration20261122090000_EvaluatorTokens extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "evaluator_permission" as enum ('READ', 'RECORD');`);
    this.addSql(`create table "evaluator_token" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "round_id" uuid not null, "scope_agency_id" uuid not null, "label" varchar(100) not null, "permission" "evaluator_permission" not null, "valid_from" timestamptz not null, "valid_until" timestamptz not null, "token_hash" varchar(64) not null, "token_prefix" varchar(8) not null, "issued_by" varchar(64) not null, "revoked_at" timestamptz null, "revoked_by" varchar(64) null, "last_used_at" timestamptz null, constraint "evaluator_token_pkey" primary key ("id"), constraint evaluator_token_window check (valid_until > valid_from and valid_until <= valid_from + '366 days'::interval));`);
    this.addSql(`create index "evaluator_token_agency_idx" on "evaluator_token" ("agency_id");`);
    this.addSql(`create index "evaluator_token_round_idx" on "evaluator_token" ("round_id");`);
    this.addSql(`create index "evaluator_token_scope_agency_idx" on "evaluator_token" ("scope_agency_id");`);
    this.addSql(`alter table "evaluator_token" add constraint "evaluator_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "evaluator_access" ("id" uuid not null, "token_id" uuid not null, "agency_id" uuid not null, "at" timestamptz not null, "operation_name" varchar(200) null, "operation_type" varchar(20) null, "fields" text[] not null default '{}', "agency_ids" uuid[] not null default '{}', "outcome" varchar(40) not null, constraint "evaluator_access_pkey" primary key ("id"));`);
    this.addSql(`create index "evaluator_access_agency_at_idx" on "evaluator_access" ("agency_id", "at");`);
    this.addSql(`create index "evaluator_access_token_at_idx" on "evaluator_access" ("token_id", "at");`);

    this.addSql(`alter table "evaluator_token" add constraint "evaluator_token_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "evaluator_token" add constraint "evaluator_token_round_id_foreign" foreign key ("round_id") references "evaluation_round" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "evaluator_token" add constraint "evaluator_token_scope_agency_id_foreign" foreign key ("scope_agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "evaluator_access" add constraint "evaluator_access_token_id_foreign" foreign key ("token_id") references "evaluator_token" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "evaluator_access" add constraint "evaluator_access_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    // ---- the round-recording rule: the round AND a RECORD token ----------------------------------
    this.addSql(`create or replace function app_evaluator_can_record() returns boolean language sql stable
      as $$ select coalesce(current_setting('app.evaluator_can_record', true), 'off') = 'on' $$;`);
    for (const table of ['evaluation_score', 'deduction_point']) {
      for (const s of tenantPoliciesV2(table, IN_SCOPE_V2, IN_SCOPE_V2, ROUND_RECORDER)) this.addSql(s);
    }

    // ---- tenancy --------------------------------------------------------------------------------
    for (const table of ['evaluator_token', 'evaluator_access']) {
      for (const s of tenantPoliciesV2(table)) this.addSql(s);
      for (const s of evaluatorReadPolicy(table, 'false')) this.addSql(s);
    }
    this.addSql(`revoke delete on "evaluator_token" from openness_app;`);
    this.addSql(`revoke insert, update, delete on "evaluator_access" from openness_app;`);

    // ---- before the gate: the token behind a bearer, and the access log -------------------------
    this.addSql(`create or replace function app_evaluator_token(p_hash text)
      returns table (id uuid, agency_id uuid, round_id uuid, scope_agency_id uuid, label varchar, permission evaluator_permission,
                     valid_from timestamptz, valid_until timestamptz, revoked_at timestamptz, token_prefix varchar, path ltree)
      language sql stable security definer set search_path = public, pg_temp as $$
        select t.id, t.agency_id, t.round_id, t.scope_agency_id, t.label, t.permission, t.valid_from, t.valid_until,
               t.revoked_at, t.token_prefix, g.path
          from evaluator_token t join agency g on g.id = t.scope_agency_id
         where t.token_hash = p_hash
      $$;`);
    this.addSql(`revoke all on function app_evaluator_token(text) from public;`);
    this.addSql(`grant execute on function app_evaluator_token(text) to openness_service;`);

    this.addSql(`create or replace function app_log_evaluator_access(p_hash text, p_at timestamptz, p_operation_name text,
        p_operation_type text, p_fields text[], p_agency_ids uuid[], p_outcome text, p_used boolean)
      returns void language plpgsql volatile security definer set search_path = public, pg_temp as $$
      declare
        t evaluator_token%rowtype;
      begin
        select * into t from evaluator_token where token_hash = p_hash;
        if not found then
          return;
        end if;
        insert into evaluator_access (id, token_id, agency_id, at, operation_name, operation_type, fields, agency_ids, outcome)
          values (gen_random_uuid(), t.id, t.agency_id, coalesce(p_at, now()), left(p_operation_name, 200), left(p_operation_type, 20),
                  coalesce(p_fields[1:100], '{}'), coalesce(p_agency_ids, '{}'), left(coalesce(p_outcome, 'OK'), 40));
        if p_used and (t.last_used_at is null or t.last_used_at < coalesce(p_at, now()) - interval '1 minute') then
          update evaluator_token set last_used_at = coalesce(p_at, now()) where id = t.id;
        end if;
      end $$;`);
    this.addSql(`revoke all on function app_log_evaluator_access(text, timestamptz, text, text, text[], uuid[], text, boolean) from public;`);
    this.addSql(`grant execute on function app_log_evaluator_access(text, timestamptz, text, text, text[], uuid[], text, boolean) to openness_service;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists app_log_evaluator_access(text, timestamptz, text, text, text[], uuid[], text, boolean);`);
    this.addSql(`drop function if exists app_evaluator_token(text);`);
    for (const table of ['evaluation_score', 'deduction_point']) {
      for (const s of tenantPoliciesV2(table, IN_SCOPE_V2, IN_SCOPE_V2, EVALUATOR_ROUND_WRITER)) this.addSql(s);
    }
    this.addSql(`drop function if exists app_evaluator_can_record();`);
    this.addSql(`alter table "evaluator_access" drop constraint "evaluator_access_token_id_foreign";`);

    this.addSql(`drop table if exists "evaluator_token" cascade;`);

    this.addSql(`drop table if exists "evaluator_access" cascade;`);

    this.addSql(`drop type "evaluator_permission";`);
  }

}
