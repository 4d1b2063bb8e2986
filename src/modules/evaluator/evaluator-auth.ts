import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EVALUATOR_TOKEN_ACCOUNT_ID, type Principal } from '../../auth/principal';
import { Role } from '../account/account.entity';

/**
 * Evaluator tokens as bearers: `oet_` + 43 characters (base64url of 32 random bytes), sent like a
 * JWT (`Authorization: Bearer oet_…`). The database keeps only the SHA-256; every request looks the
 * token up again (so revocation and expiry take effect at once) through `app_evaluator_token`, the
 * one function the request login role may call for it before the gate (migration
 * 20261122090000_EvaluatorTokens).
 */
export const EVALUATOR_TOKEN_PREFIX = 'oet_';
const TOKEN_SHAPE = /^oet_[A-Za-z0-9_-]{43}$/;

/** Whether a bearer is meant as an evaluator token (anything else is read as a JWT). */
export function isEvaluatorBearer(bearer: string): boolean {
  return bearer.startsWith(EVALUATOR_TOKEN_PREFIX);
}

export function isWellFormedEvaluatorToken(bearer: string): boolean {
  return TOKEN_SHAPE.test(bearer);
}

export function hashEvaluatorToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token: the secret (shown once), its hash (stored) and its prefix (shown in lists). */
export function newEvaluatorToken(): { token: string; hash: string; prefix: string } {
  const token = EVALUATOR_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashEvaluatorToken(token), prefix: token.slice(0, 8) };
}

/** What `app_evaluator_token` returns: the token's row without its hash, and its scope agency's path. */
export interface EvaluatorTokenRow {
  id: string;
  agency_id: string;
  round_id: string;
  scope_agency_id: string;
  label: string;
  permission: 'READ' | 'RECORD';
  valid_from: Date | string;
  valid_until: Date | string;
  revoked_at: Date | string | null;
  token_prefix: string;
  path: string;
}

/** Reads the token behind a bearer's hash, inside the request transaction and before the gate. */
export async function loadEvaluatorTokenRow(em: EntityManager, hash: string): Promise<EvaluatorTokenRow | null> {
  const rows = await em.execute<EvaluatorTokenRow[]>(
    `select t.id, t.agency_id, t.round_id, t.scope_agency_id, t.label, t.permission, t.valid_from, t.valid_until,
            t.revoked_at, t.token_prefix, t.path::text as path
       from app_evaluator_token(?) t`,
    [hash],
    'all',
    em.getLoggerContext(),
  );
  return rows[0] ?? null;
}

export type TokenRefusal = 'REVOKED' | 'NOT_YET_VALID' | 'EXPIRED';

/** Why a token may not be used at `now`, or null when it may. */
export function evaluatorTokenRefusal(
  row: { revoked_at: Date | string | null; valid_from: Date | string; valid_until: Date | string },
  now: Date,
): TokenRefusal | null {
  if (row.revoked_at) return 'REVOKED';
  if (now.getTime() < new Date(row.valid_from).getTime()) return 'NOT_YET_VALID';
  if (now.getTime() >= new Date(row.valid_until).getTime()) return 'EXPIRED';
  return null;
}

export const REFUSAL_MESSAGES: Record<TokenRefusal | 'UNKNOWN', string> = {
  UNKNOWN: '令牌无效 (invalid token)',
  REVOKED: '评估令牌已被吊销 (evaluator token revoked)',
  NOT_YET_VALID: '评估令牌尚未生效 (evaluator token not valid yet)',
  EXPIRED: '评估令牌已过期 (evaluator token expired)',
};

/**
 * The principal of a token: its scope's subtree, the evaluator role only, read-only; no account
 * (`accountId` is the nil UUID, which no account has) and a username that says what it is.
 */
export function evaluatorTokenPrincipal(row: EvaluatorTokenRow): Principal {
  return {
    accountId: EVALUATOR_TOKEN_ACCOUNT_ID,
    username: `token:${row.token_prefix}`,
    agencyId: row.scope_agency_id,
    agencyPath: row.path,
    roles: [Role.EVALUATOR],
    unitId: null,
    readOnly: true,
    evaluatorToken: {
      id: row.id,
      roundId: row.round_id,
      permission: row.permission,
      label: row.label,
      issuingAgencyId: row.agency_id,
      scopeAgencyId: row.scope_agency_id,
      validFrom: new Date(row.valid_from),
      validUntil: new Date(row.valid_until),
    },
  };
}
