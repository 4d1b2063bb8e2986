import type { IncomingMessage } from 'node:http';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { verifyAccessToken, type TokenSettings } from '../auth/jwt';
import { isReadOnly, type Principal } from '../auth/principal';
import { enterScope, loadPrincipalRow, parsePgArray } from '../db/tenant-gate';
import { QueryStats } from '../db/counting-logger';
import type { Logger } from '../logger';
import { rowMapper } from '../db/row-mapper';
import { Account, Role } from '../modules/account/account.entity';
import { accountUsableAt } from '../modules/account/account.service';
import type { RequestContext } from './context';
import { unauthenticated } from './errors';
import { createLoaders } from './loaders';
import {
  evaluatorTokenPrincipal,
  evaluatorTokenRefusal,
  hashEvaluatorToken,
  isEvaluatorBearer,
  isWellFormedEvaluatorToken,
  loadEvaluatorTokenRow,
  REFUSAL_MESSAGES,
} from '../modules/evaluator/evaluator-auth';
import { beginAccessRecord, takeAccessRecord, writeAccessRecord } from '../modules/evaluator/evaluator-access';

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated('Authorization 头格式应为 "Bearer <token>" (malformed Authorization header)');
  return match[1]!;
}

/**
 * Builds the per-request context: verifies the token, opens the request transaction, re-reads the
 * account (so disabled accounts and changed passwords take effect at once), and enters the tenancy
 * gate. Any failure rolls the transaction back before answering 401.
 */
export async function createRequestContext(deps: {
  orm: MikroORM;
  tokens: TokenSettings;
  req: IncomingMessage;
  /** The parsed JSON body (an evaluator's request is logged with its operation and document). */
  body: unknown;
  reqId: string;
  log: Logger;
}): Promise<RequestContext> {
  const token = bearerToken(deps.req);
  let claims: { sub: string; agency: string; iat: number } | null = null;
  let evaluatorToken: EvaluatorBearer | null = null;
  if (token && isEvaluatorBearer(token)) {
    // A third-party evaluator's token (src/modules/evaluator/): looked up by its hash in openContext.
    if (!isWellFormedEvaluatorToken(token)) throw unauthenticated(REFUSAL_MESSAGES.UNKNOWN);
    const body = deps.body as { operationName?: unknown; query?: unknown } | undefined;
    evaluatorToken = {
      hash: hashEvaluatorToken(token),
      operationName: typeof body?.operationName === 'string' ? body.operationName.slice(0, 200) : null,
      document: typeof body?.query === 'string' ? body.query : null,
    };
  } else if (token) {
    const result = verifyAccessToken(deps.tokens, token);
    if (!result.ok) {
      throw unauthenticated(
        result.problem === 'EXPIRED' ? '令牌已过期，请重新登录 (token expired)' : '令牌无效 (invalid token)',
      );
    }
    claims = result.claims;
  }
  const ctx = await openContext({ orm: deps.orm, reqId: deps.reqId, log: deps.log, claims, evaluatorToken });
  ctx.clientAddress = deps.req.socket.remoteAddress ?? null;
  return ctx;
}

/** An evaluator token presented as the bearer: its hash, and the operation name the request gave. */
export interface EvaluatorBearer {
  hash: string;
  operationName: string | null;
  /** The document as sent (named in the log when the operation never ran). */
  document: string | null;
}

/**
 * Opens a request transaction, re-reads the account behind `claims` (so disabled accounts and
 * changed passwords take effect at once) and enters the tenancy gate. Used for HTTP requests and
 * for work done on an account's behalf outside HTTP (the demo seeder goes through the same gate).
 * With `evaluatorToken` instead, the token is re-read (revoked, expired and not-yet-valid tokens are
 * refused at once) and the request is recorded in the token's access log.
 */
export async function openContext(deps: {
  orm: MikroORM;
  reqId: string;
  log: Logger;
  claims: { sub: string; agency: string; iat: number } | null;
  evaluatorToken?: EvaluatorBearer | null;
}): Promise<RequestContext> {
  const { claims } = deps;
  const stats = new QueryStats();
  const em = deps.orm.em.fork({ loggerContext: { reqId: deps.reqId, stats } }) as EntityManager;
  await em.begin();
  try {
    let principal: Principal | null = null;
    const accounts = rowMapper(em, Account);
    let account: Record<string, unknown> | null = null;
    if (deps.evaluatorToken) {
      const now = new Date();
      const row = await loadEvaluatorTokenRow(em, deps.evaluatorToken.hash);
      if (!row) throw unauthenticated(REFUSAL_MESSAGES.UNKNOWN);
      // From here on the request is the token's: recorded whatever happens (a refusal included).
      const { hash, operationName, document } = deps.evaluatorToken;
      const record = beginAccessRecord(em, { hash, at: now, log: deps.log, operationName, document });
      const refused = evaluatorTokenRefusal(row, now);
      if (refused) {
        record.outcome = 'UNAUTHENTICATED';
        throw unauthenticated(REFUSAL_MESSAGES[refused]);
      }
      record.used = true;
      principal = evaluatorTokenPrincipal(row);
    } else if (claims) {
      const row = await loadPrincipalRow(em, claims.sub, accounts.columns('a'));
      const now = new Date();
      if (
        !row ||
        row.agency_id !== claims.agency ||
        !accountUsableAt(
          {
            active: row.active,
            accessFrom: row.access_from ? new Date(row.access_from) : null,
            accessUntil: row.access_until ? new Date(row.access_until) : null,
          },
          now,
        ) ||
        claims.iat * 1000 < new Date(row.credentials_changed_at).getTime() - 1000
      ) {
        throw unauthenticated('令牌已失效，请重新登录 (token no longer valid)');
      }
      const roles = parsePgArray(row.roles) as Role[];
      principal = {
        accountId: row.id,
        username: row.username,
        agencyId: row.agency_id,
        agencyPath: row.path,
        roles,
        unitId: row.unit_id,
        readOnly: isReadOnly(roles),
        calendarOperator: row.calendar_operator === true,
      };
      account = row;
    }
    await enterScope(em, principal);
    const loaders = createLoaders(em);
    // The caller's own account was just read (it is always in its own scope): `me` and the workflow's
    // look-ups of the acting account need no second statement.
    if (account) loaders.account.byId.prime(principal!.accountId, accounts.map(account));
    return { reqId: deps.reqId, log: deps.log, principal, em, loaders, stats, clientAddress: null, logins: null };
  } catch (err) {
    await em.rollback().catch(() => undefined);
    const record = takeAccessRecord(em);
    if (record) await writeAccessRecord(em, record, { ok: false, failure: err });
    throw err;
  }
}

/** Runs `work` as the given account, through the tenancy gate, in one committed transaction. */
export async function runAsAccount<T>(
  orm: MikroORM,
  account: { id: string; agencyId: string },
  log: Logger,
  work: (ctx: RequestContext) => Promise<T>,
): Promise<T> {
  const ctx = await openContext({
    orm,
    reqId: `as-${account.id}`,
    log,
    claims: { sub: account.id, agency: account.agencyId, iat: Math.floor(Date.now() / 1000) + 1 },
  });
  try {
    const result = await work(ctx);
    await finishRequestTransaction(ctx.em, true);
    return result;
  } catch (err) {
    await finishRequestTransaction(ctx.em, false);
    throw err;
  }
}

/**
 * Ends the request transaction without flushing: mutations flush inside their own savepoints. A
 * request made with an evaluator token is then written to the token's access log, outside the
 * transaction that just ended (so also when it was rolled back).
 */
export async function finishRequestTransaction(em: EntityManager, ok: boolean): Promise<void> {
  const record = takeAccessRecord(em);
  const trx = em.getTransactionContext();
  let failure: unknown = null;
  try {
    if (!trx) return;
    const connection = em.getConnection('write');
    try {
      if (ok) await connection.commit(trx);
      else await connection.rollback(trx);
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      em.resetTransactionContext();
    }
  } finally {
    if (record) await writeAccessRecord(em, record, { ok, failure });
  }
}
