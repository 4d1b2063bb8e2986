import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../db/sql';
import { isReadOnly } from '../../auth/principal';
import type { Role } from '../account/account.entity';
import { parsePgArray } from '../../db/tenant-gate';

/**
 * The calendar operators of a deployment: the accounts that enter the State Council's holiday notice
 * and its corrections for everyone. A deployment-level capability, outside tenancy — no tenant
 * administrator has it by role, and the API can neither grant nor show it. It lives in
 * `calendar_operator`, which no request role may read or write (migration
 * 20261122130000_CalendarOperator); these functions need the owner's connection: the
 * `calendar:operator` command, the demo seeder and tests.
 */

export interface CalendarOperatorRow {
  username: string;
  displayName: string;
  agencyName: string;
  grantedAt: Date;
  grantedBy: string;
  active: boolean;
}

/** Thrown for a username the command cannot act on; the command prints the message. */
export class CalendarOperatorError extends Error {}

async function accountOf(em: EntityManager, username: string) {
  const rows = await sql<{ id: string; roles: string[] | string; active: boolean }>(
    em,
    `select id, roles, active from account where username = ?`,
    [username],
  );
  const row = rows[0];
  if (!row) throw new CalendarOperatorError(`没有用户名为 ${username} 的账号 (no account named ${username})`);
  return row;
}

/**
 * Makes `username` a calendar operator. Refused for accounts that may not write (evaluators, superior
 * viewers): the calendar is written, so a read-only account with the grant would be a contradiction.
 * Granting twice keeps the first grant.
 */
export async function grantCalendarOperator(em: EntityManager, username: string, grantedBy: string): Promise<'GRANTED' | 'ALREADY'> {
  const account = await accountOf(em, username);
  if (isReadOnly(parsePgArray(account.roles) as Role[])) {
    throw new CalendarOperatorError(`${username} 是只读账号，不能维护工作日历 (${username} is read-only and cannot maintain the calendar)`);
  }
  const inserted = await sql<{ account_id: string }>(
    em,
    `insert into calendar_operator (account_id, granted_by) values (?, ?) on conflict (account_id) do nothing returning account_id`,
    [account.id, grantedBy.slice(0, 64)],
  );
  return inserted.length > 0 ? 'GRANTED' : 'ALREADY';
}

/** Takes the capability away; the account's next request no longer has it (principals are read per request). */
export async function revokeCalendarOperator(em: EntityManager, username: string): Promise<'REVOKED' | 'NOT_AN_OPERATOR'> {
  const account = await accountOf(em, username);
  const deleted = await sql<{ account_id: string }>(em, `delete from calendar_operator where account_id = ? returning account_id`, [account.id]);
  return deleted.length > 0 ? 'REVOKED' : 'NOT_AN_OPERATOR';
}

export async function listCalendarOperators(em: EntityManager): Promise<CalendarOperatorRow[]> {
  const rows = await sql<{
    username: string;
    display_name: string;
    agency_name: string;
    granted_at: Date;
    granted_by: string;
    active: boolean;
  }>(
    em,
    `select a.username, a.display_name, g.name as agency_name, o.granted_at, o.granted_by, a.active
       from calendar_operator o join account a on a.id = o.account_id join agency g on g.id = a.agency_id
      order by a.username`,
  );
  return rows.map((r) => ({
    username: r.username,
    displayName: r.display_name,
    agencyName: r.agency_name,
    grantedAt: new Date(r.granted_at),
    grantedBy: r.granted_by,
    active: r.active,
  }));
}

/** Whether the account holds the capability now (checked again in the transaction that writes the calendar). */
export async function isCalendarOperator(em: EntityManager, accountId: string): Promise<boolean> {
  const rows = await sql<{ ok: boolean }>(
    em,
    `select exists (select 1 from calendar_operator o join account a on a.id = o.account_id where o.account_id = ? and a.active) as ok`,
    [accountId],
  );
  return rows[0]?.ok === true;
}
