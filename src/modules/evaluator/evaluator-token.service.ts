import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { assertAdminOf, hasRole, requirePrincipal } from '../../auth/policy';
import { pathWithin, type Principal } from '../../auth/principal';
import { rowMapper, selectLean, type Lean } from '../../db/row-mapper';
import { sql, uuidArrayLiteral } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import { decodeCursor, toConnection, type Connection, type ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict, forbidden, notFound } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import { Role } from '../account/account.entity';
import type { Agency } from '../agency/agency.entity';
import { agencyService } from '../agency/agency.service';
import { EvaluationRound, RoundStatus } from '../assessment/evaluation.entity';
import { newEvaluatorToken } from './evaluator-auth';
import { EvaluatorAccess, EvaluatorPermission, EvaluatorToken, MAX_TOKEN_WINDOW_DAYS } from './evaluator-token.entity';
import type { EvaluatorAccessFilter, EvaluatorTokenFilter, IssueEvaluatorTokenInput, RevokeEvaluatorTokenInput } from './evaluator-token.inputs';
import { EvaluatorTokenStatus, type EvaluatorSession } from './evaluator-token.types';

const DAY_MS = 86_400_000;

/** The module's own per-request loaders (keyed by the request's loader set, which lives exactly as long as the request). */
const loaderSets = new WeakMap<object, ReturnType<typeof createLoaders>>();

function createLoaders(em: EntityManager) {
  const byId = <T extends { id: string }>(entity: new () => T) =>
    new DataLoader<string, Lean<T> | null>(async (ids) => {
      const rows = await selectLean(em, entity, 'where t.id = any(?::uuid[])', [uuidArrayLiteral(ids)]);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    });
  return { tokenById: byId(EvaluatorToken), roundById: byId(EvaluationRound) };
}

export function evaluatorLoaders(ctx: RequestContext): ReturnType<typeof createLoaders> {
  let set = loaderSets.get(ctx.loaders);
  if (!set) {
    set = createLoaders(ctx.em);
    loaderSets.set(ctx.loaders, set);
  }
  return set;
}

/** Tokens and their log are the openness office's (and a superior viewer's) business; never a token's. */
function assertMayAudit(ctx: RequestContext, action: string): Principal {
  const p = requirePrincipal(ctx);
  if (p.evaluatorToken || !(hasRole(p, Role.AGENCY_ADMIN) || hasRole(p, Role.SUPERIOR_VIEWER))) {
    throw forbidden(`需要管理员或上级查看权限 (${action} requires an agency administrator or a superior viewer)`);
  }
  return p;
}

/** The SQL of a derived status on alias `t` at `now`. */
function statusCondition(status: EvaluatorTokenStatus, now: Date): { sql: string; params: unknown[] } {
  const at = now.toISOString();
  switch (status) {
    case EvaluatorTokenStatus.REVOKED:
      return { sql: 't.revoked_at is not null', params: [] };
    case EvaluatorTokenStatus.NOT_YET_VALID:
      return { sql: 't.revoked_at is null and t.valid_from > ?::timestamptz', params: [at] };
    case EvaluatorTokenStatus.EXPIRED:
      return { sql: 't.revoked_at is null and t.valid_until <= ?::timestamptz', params: [at] };
    case EvaluatorTokenStatus.ACTIVE:
      return { sql: 't.revoked_at is null and t.valid_from <= ?::timestamptz and t.valid_until > ?::timestamptz', params: [at, at] };
  }
}

/**
 * 第三方评估令牌: issued by an agency's openness office for one evaluation round, covering its
 * subtree or part of it, for a window; listed and revoked there; every request made with one is in
 * its access log (src/modules/evaluator/evaluator-access.ts).
 */
export class EvaluatorTokenService {
  async get(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<EvaluatorToken>> {
    assertMayAudit(ctx, '查询评估令牌 (evaluatorToken)');
    const row = await evaluatorLoaders(ctx).tokenById.load(requireId(id, field));
    if (!row) throw notFound('评估令牌 (evaluator token)', id);
    return row;
  }

  async list(ctx: RequestContext, args: ConnectionArgs, filter?: EvaluatorTokenFilter | null): Promise<Connection<Lean<EvaluatorToken>>> {
    assertMayAudit(ctx, '评估令牌列表 (evaluatorTokens)');
    const qb = ctx.em.createQueryBuilder(EvaluatorToken, 't');
    if (filter?.roundId) qb.andWhere({ round: requireId(filter.roundId, 'filter.roundId') });
    if (filter?.agencyId) qb.andWhere({ agency: requireId(filter.agencyId, 'filter.agencyId') });
    if (filter?.status) {
      const c = statusCondition(filter.status, new Date());
      qb.andWhere(c.sql, c.params);
    }
    return paginateQb(ctx.em, qb, args, { column: 'created_at', value: (t) => new Date(t.createdAt).toISOString() });
  }

  /** Newest first, keyset-paged on (at, id). */
  async accessLog(ctx: RequestContext, args: ConnectionArgs, filter?: EvaluatorAccessFilter | null): Promise<Connection<Lean<EvaluatorAccess>>> {
    assertMayAudit(ctx, '评估令牌访问记录 (evaluatorAccessLog)');
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter?.tokenId) {
      where.push('t.token_id = ?::uuid');
      params.push(requireId(filter.tokenId, 'filter.tokenId'));
    }
    if (filter?.from) {
      where.push('t.at >= ?::timestamptz');
      params.push(validDate(filter.from, 'filter.from').toISOString());
    }
    if (filter?.to) {
      where.push('t.at < ?::timestamptz');
      params.push(validDate(filter.to, 'filter.to').toISOString());
    }
    const cursor = decodeCursor(args.after);
    const filtered = where.length ? `where ${where.join(' and ')}` : '';
    // Counted only if the query reads `totalCount` (toConnection).
    const count = async () => (await sql<{ n: number }>(ctx.em, `select count(*)::int as n from evaluator_access t ${filtered}`, params))[0]?.n ?? 0;
    const page = [...where];
    const pageParams = [...params];
    if (cursor) {
      page.push('(t.at, t.id) < (?::timestamptz, ?::uuid)');
      pageParams.push(String(cursor[0]), requireId(cursor[1], 'after'));
    }
    const mapper = rowMapper(ctx.em, EvaluatorAccess);
    const rows = await sql<Record<string, unknown>>(
      ctx.em,
      `select ${mapper.columns('t')} from evaluator_access t ${page.length ? `where ${page.join(' and ')}` : ''}
        order by t.at desc, t.id desc limit ?`,
      [...pageParams, args.first + 1],
    );
    return toConnection(rows.map(mapper.map), args.first, count, (r) => [new Date(r.at).toISOString(), r.id]);
  }

  async issue(ctx: RequestContext, input: IssueEvaluatorTokenInput): Promise<{ token: string; evaluatorToken: EvaluatorToken }> {
    const p = requirePrincipal(ctx);
    if (p.evaluatorToken) throw forbidden('评估令牌不能签发令牌 (an evaluator token cannot issue tokens)');
    const issuer = await agencyService.get(ctx, p.agencyId, 'input');
    assertAdminOf(ctx, issuer, '签发评估令牌 (issueEvaluatorToken)');

    const round = await evaluatorLoaders(ctx).roundById.load(requireId(input.roundId, 'input.roundId'));
    if (!round) throw notFound('评估轮次 (evaluation round)', input.roundId);
    // The organiser is readable exactly when it lies in the issuer's subtree; otherwise it is above it.
    const organiser = await ctx.loaders.agency.byId.load(round.agency.id);
    if (input.permission === EvaluatorPermission.RECORD) {
      if (!organiser) {
        throw forbidden(
          '只有评估轮次组织机关或其上级的管理员可以签发可录入结果的令牌 (only an administrator of the round’s organising agency or above may let an evaluator record its results)',
        );
      }
      if (round.status !== RoundStatus.OPEN) {
        throw badInput('input.permission', '评估轮次已结束，只能签发只读令牌 (the round is closed: it records nothing more, issue a READ token)');
      }
    }
    const scope = await this.scopeOf(ctx, input.scopeAgencyId, organiser ?? issuer, organiser);

    const now = new Date();
    const validFrom = input.validFrom ? validDate(input.validFrom, 'input.validFrom') : now;
    const validUntil = validDate(input.validUntil, 'input.validUntil');
    if (validUntil.getTime() <= validFrom.getTime()) {
      throw badInput('input.validUntil', '失效时间须晚于生效时间 (validUntil must lie after validFrom)');
    }
    if (validUntil.getTime() - validFrom.getTime() > MAX_TOKEN_WINDOW_DAYS * DAY_MS) {
      throw badInput('input.validUntil', `有效期不能超过 ${MAX_TOKEN_WINDOW_DAYS} 天 (a token is valid for at most ${MAX_TOKEN_WINDOW_DAYS} days)`);
    }
    if (validUntil.getTime() <= now.getTime()) {
      throw badInput('input.validUntil', '失效时间已过 (validUntil has already passed)');
    }
    const label = input.label.trim();
    if (!label) throw badInput('input.label', '请填写持有人 (name the evaluator)');

    const secret = newEvaluatorToken();
    const evaluatorToken = await inTransaction(ctx, async (em) => {
      const row = em.create(EvaluatorToken, {
        agency: issuer.id,
        round: round.id,
        scopeAgency: scope.id,
        label,
        permission: input.permission,
        validFrom,
        validUntil,
        tokenHash: secret.hash,
        tokenPrefix: secret.prefix,
        issuedBy: p.username,
      });
      await em.flush();
      return row;
    });
    ctx.log.info({ evaluatorToken: evaluatorToken.id, round: round.id, scope: scope.id, permission: input.permission }, 'evaluator token issued');
    return { token: secret.token, evaluatorToken };
  }

  /**
   * The scope root: given, it must lie in the issuer's subtree (else it is not even visible) and in
   * the organiser's (when the organiser is visible; when it lies above the issuer, the issuer's
   * whole subtree is inside it anyway). Default: the organiser, or the issuer below it.
   */
  private async scopeOf(
    ctx: RequestContext,
    scopeAgencyId: string | null | undefined,
    fallback: Lean<Agency>,
    organiser: Lean<Agency> | null,
  ): Promise<Lean<Agency>> {
    if (!scopeAgencyId) return fallback;
    const scope = await ctx.loaders.agency.byId.load(requireId(scopeAgencyId, 'input.scopeAgencyId'));
    if (!scope) {
      throw badInput('input.scopeAgencyId', '覆盖范围须为本机关或其下级机关 (the scope must be the caller’s agency or an agency below it)');
    }
    if (organiser && !pathWithin(scope.path, organiser.path)) {
      throw badInput('input.scopeAgencyId', '覆盖范围须在评估轮次组织机关的辖区内 (the scope must lie inside the round’s organising agency’s subtree)');
    }
    return scope;
  }

  async revoke(ctx: RequestContext, input: RevokeEvaluatorTokenInput): Promise<EvaluatorToken> {
    const p = requirePrincipal(ctx);
    if (p.evaluatorToken) throw forbidden('评估令牌不能吊销令牌 (an evaluator token cannot revoke tokens)');
    const token = await evaluatorLoaders(ctx).tokenById.load(requireId(input.id, 'input.id'));
    if (!token) throw notFound('评估令牌 (evaluator token)', input.id);
    const issuer = await agencyService.get(ctx, token.agency.id, 'input.id');
    assertAdminOf(ctx, issuer, '吊销评估令牌 (revokeEvaluatorToken)');
    const revoked = await inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(EvaluatorToken, token.id, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
      if (row.revokedAt) throw conflict('该评估令牌已被吊销 (the token is already revoked)', 'input.id');
      row.revokedAt = new Date();
      row.revokedBy = p.username;
      await em.flush();
      return row;
    });
    ctx.log.info({ evaluatorToken: revoked.id }, 'evaluator token revoked');
    return revoked;
  }

  /** The token the request was made with; null for any other caller. */
  session(ctx: RequestContext): EvaluatorSession | null {
    const p = requirePrincipal(ctx);
    const t = p.evaluatorToken;
    if (!t) return null;
    return {
      label: t.label,
      permission: t.permission as EvaluatorPermission,
      validFrom: t.validFrom!,
      validUntil: t.validUntil!,
      roundId: t.roundId,
      scopeAgencyId: t.scopeAgencyId ?? p.agencyId,
    };
  }

  async round(ctx: RequestContext, id: string): Promise<Lean<EvaluationRound> | null> {
    return evaluatorLoaders(ctx).roundById.load(id);
  }

  async token(ctx: RequestContext, id: string): Promise<Lean<EvaluatorToken> | null> {
    return evaluatorLoaders(ctx).tokenById.load(id);
  }
}

/** GraphQL's DateTime parser gives Invalid Date for some inputs; refuse them by field. */
function validDate(value: Date, field: string): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw badInput(field, '时间无效 (invalid date-time)');
  return d;
}

export const evaluatorTokenService = new EvaluatorTokenService();
