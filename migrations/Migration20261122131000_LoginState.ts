import { Migration } from '@mikro-orm/migrations';

/**
 * Logins through narrow grants, with their throttle state in the database.
 *
 * Until now login read the account (with its password hash) through the owner's pool, and counted
 * failed logins in each process's memory: a restart forgot a lock, and N instances allowed N times the
 * guesses. Now the request login `openness_service` does both through four SECURITY DEFINER functions
 * and nothing else — it has no right on the tables below, nor on `account`:
 *
 * - `app_login_account(username)`: what deciding a login needs (id, password hash, agency, active,
 *   access window) of the one account with that username;
 * - `app_login_check(username, address)`: whether either key is locked;
 * - `app_login_failed(username, address)`: counts a failure against both keys (locking a key that
 *   reaches its limit) and answers the username's failures in its window, from which the service
 *   computes the growing delay;
 * - `app_login_succeeded(username)`: forgets the username's failures (never the address's: one valid
 *   account must not launder a spray of guesses).
 *
 * The limits are written here, not passed in: a caller that could choose them could lift any lock.
 * They are DEFAULT_LOGIN_THROTTLE's (src/auth/login-throttle.ts): per username 5 failures in
 * 15 minutes lock it for 15 minutes; per address 50. The time is the database's, so every instance
 * agrees on it.
 *
 * Keys are SHA-256 of a random secret (generated here, readable by the owner only) followed by
 * `u:<username>` or `a:<address>`: the table holds no plain username — often a password typed in the
 * wrong field — nor address, and without the secret an IPv4 address cannot be recovered by trying all
 * 2³² of them. Rows live only while they mean something (`expires_at`: the end of the window or the
 * lock); every recorded failure deletes up to 100 expired rows, so the table stays in proportion to
 * the keys that failed in the last 15 minutes.
 *
 * The tables are not entities (written only by these functions; the schema diff skips `login_*`).
 */
export class Migration20261122131000_LoginState extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table login_throttle_secret (
      id boolean primary key default true check (id),
      secret bytea not null
    );`);
    // gen_random_uuid() draws from the server's strong random source: two give 244 random bits.
    this.addSql(`insert into login_throttle_secret (secret)
      values (sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')));`);
    this.addSql(`create table login_throttle (
      key bytea primary key,
      failures timestamptz[] not null default '{}',
      locked_until timestamptz null,
      expires_at timestamptz not null
    );`);
    this.addSql(`create index login_throttle_expires_idx on login_throttle (expires_at);`);
    this.addSql(`revoke all on login_throttle, login_throttle_secret from public;`);

    // Not SECURITY DEFINER and executable by nobody but the owner: only the functions below, which
    // run as the owner, call it.
    this.addSql(`create function app_login_key(p_kind text, p_value text) returns bytea
      language sql stable set search_path = public, pg_temp as $$
        select sha256((select secret from login_throttle_secret) || convert_to(p_kind || ':' || p_value, 'UTF8'))
      $$;`);
    this.addSql(`revoke all on function app_login_key(text, text) from public;`);

    this.addSql(`create function app_login_account(p_username text)
      returns table (id uuid, password_hash varchar, agency_id uuid, active boolean, access_from timestamptz, access_until timestamptz)
      language sql stable security definer set search_path = public, pg_temp as $$
        select a.id, a.password_hash, a.agency_id, a.active, a.access_from, a.access_until
          from account a where a.username = p_username
      $$;`);

    this.addSql(`create function app_login_check(p_username text, p_address text) returns boolean
      language sql stable security definer set search_path = public, pg_temp as $$
        select exists (
          select 1 from login_throttle t
           where t.key in (app_login_key('u', p_username), app_login_key('a', p_address))
             and t.locked_until > now())
      $$;`);

    this.addSql(`create function app_login_failed(p_username text, p_address text) returns integer
      language plpgsql volatile security definer set search_path = public, pg_temp as $$
      declare
        k record;
        v_key bytea;
        v_row login_throttle;
        v_failures timestamptz[];
        v_username_failures integer := 0;
      begin
        for k in
          select * from (values
            ('u', p_username, 5, interval '15 minutes', interval '15 minutes'),
            ('a', p_address, 50, interval '15 minutes', interval '15 minutes')
          ) v(kind, value, max_failures, win, lock_for)
          where v.value is not null
        loop
          v_key := app_login_key(k.kind, k.value);
          insert into login_throttle (key, expires_at) values (v_key, now()) on conflict (key) do nothing;
          -- The row lock makes concurrent failures of several instances count one after another.
          select * into v_row from login_throttle t where t.key = v_key for update;
          continue when v_row.locked_until > now(); -- a locked key counts nothing more
          v_failures := array(select f from unnest(v_row.failures) f where f > now() - k.win order by f) || now();
          if cardinality(v_failures) >= k.max_failures then
            update login_throttle set failures = '{}', locked_until = now() + k.lock_for, expires_at = now() + k.lock_for
             where key = v_key;
          else
            update login_throttle set failures = v_failures, locked_until = null, expires_at = now() + k.win
             where key = v_key;
            if k.kind = 'u' then v_username_failures := cardinality(v_failures); end if;
          end if;
        end loop;
        delete from login_throttle where key in (select t.key from login_throttle t where t.expires_at < now() limit 100);
        return v_username_failures;
      end
      $$;`);

    this.addSql(`create function app_login_succeeded(p_username text) returns void
      language sql volatile security definer set search_path = public, pg_temp as $$
        delete from login_throttle where key = app_login_key('u', p_username)
      $$;`);

    for (const signature of [
      'app_login_account(text)',
      'app_login_check(text, text)',
      'app_login_failed(text, text)',
      'app_login_succeeded(text)',
    ]) {
      this.addSql(`revoke all on function ${signature} from public;`);
      this.addSql(`grant execute on function ${signature} to openness_service;`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists app_login_succeeded(text);`);
    this.addSql(`drop function if exists app_login_failed(text, text);`);
    this.addSql(`drop function if exists app_login_check(text, text);`);
    this.addSql(`drop function if exists app_login_account(text);`);
    this.addSql(`drop function if exists app_login_key(text, text);`);
    this.addSql(`drop table if exists login_throttle;`);
    this.addSql(`drop table if exists login_throttle_secret;`);
  }
}
