import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { Role } from '../modules/account/account.entity';
import { sql } from './sql';

/** The database role every request runs as; it is subject to row-level security. */
export const APP_ROLE = 'openness_app';

/** The role third-party evaluators' requests run as: APP_ROLE's rights, narrowed to published material. */
export const EVALUATOR_ROLE = 'openness_evaluator';

/**
 * THE tenancy gate. Opens the request's transaction and, inside it, switches to the restricted
 * role with the principal's subtree as `app.scope_path`. From here on PostgreSQL's row-level
 * security filters every statement of this EntityManager — ORM finds, QueryBuilder, raw SQL,
 * loaders and roll-ups — so no module can forget a scope check. A request without a principal gets
 * an empty scope and sees nothing. All settings are LOCAL: they end with the transaction, so a
 * pooled connection never carries one request's scope into the next.
 */
export async function enterScope(em: EntityManager, principal: Principal | null): Promise<void> {
  // A third-party evaluator (no role but EVALUATOR) reads as its own role, whose extra restrictive
  // policies keep it to published material (migration 20261122060000_EvaluatorView).
  const evaluator = !!principal && principal.readOnly && principal.roles.length > 0 && principal.roles.every((r) => r === Role.EVALUATOR);
  // An evaluator token (src/modules/evaluator/) names its round: the evaluator role reads that round's
  // scores and deduction points only (migration 20261122071012_Assessment), and writes them only when
  // the token may record (`app.evaluator_can_record`, migration 20261122090000_EvaluatorTokens).
  const token = principal?.evaluatorToken;
  // A calendar operator reads every agency's part of a calendar change (calendar_change_effect,
  // migration 20261122130000_CalendarOperator) and nothing more of other tenants.
  const operator = !!principal?.calendarOperator && !principal.readOnly && !token;
  await sql(
    em,
    `select set_config('app.scope_path', ?, true), set_config('app.read_only', ?, true), set_config('role', ?, true),` +
      ` set_config('app.evaluator_round', ?, true), set_config('app.evaluator_can_record', ?, true),` +
      ` set_config('app.calendar_operator', ?, true)`,
    [
      principal?.agencyPath ?? '',
      principal && !principal.readOnly ? 'off' : 'on',
      evaluator ? EVALUATOR_ROLE : APP_ROLE,
      token?.roundId ?? '',
      token?.permission === 'RECORD' ? 'on' : 'off',
      operator ? 'on' : 'off',
    ],
  );
}

/**
 * Reads the account behind a token inside the request transaction, before `enterScope` drops
 * privileges (the account's own agency path decides the scope, so it cannot be read under it).
 * `columns` is the select list of the account's columns on alias `a` (the caller's lean-row plan,
 * so the same row can also answer the request's own account look-ups); the agency path comes as `path`.
 */
export async function loadPrincipalRow(em: EntityManager, accountId: string, columns: string) {
  const rows = await sql<
    {
      id: string;
      username: string;
      agency_id: string;
      path: string;
      roles: string[] | string;
      unit_id: string | null;
      active: boolean;
      access_from: Date | string | null;
      access_until: Date | string | null;
      credentials_changed_at: Date | string;
      calendar_operator: boolean;
    } & Record<string, unknown>
  >(
    em,
    // Through the one function the request login role may call before it has a scope (migration
    // 20261122070000_ServiceLogin): the account without its password hash, its agency's path, and
    // whether it is a calendar operator (migration 20261122130000_CalendarOperator).
    `select ${columns}, a.path::text as path, a.calendar_operator from app_principal(?::uuid) a`,
    [accountId],
  );
  return rows[0] ?? null;
}

/** PostgreSQL returns enum arrays as `{A,B}` text through the raw driver. */
export function parsePgArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}
