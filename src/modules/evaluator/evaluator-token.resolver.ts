import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { EvaluationRound } from '../assessment/evaluation.entity';
import { EvaluatorAccess, EvaluatorToken } from './evaluator-token.entity';
import { EvaluatorAccessFilter, EvaluatorTokenFilter, IssueEvaluatorTokenInput, RevokeEvaluatorTokenInput } from './evaluator-token.inputs';
import { evaluatorTokenService } from './evaluator-token.service';
import {
  EvaluatorAccessConnection,
  EvaluatorSession,
  EvaluatorTokenConnection,
  EvaluatorTokenPayload,
  EvaluatorTokenStatus,
  IssueEvaluatorTokenPayload,
  tokenStatus,
} from './evaluator-token.types';

@Resolver(() => EvaluatorToken)
export class EvaluatorTokenResolver {
  @Query(() => EvaluatorToken, { description: '按标识查询评估令牌 (an evaluator token issued in the caller’s subtree; administrators and superior viewers)' })
  evaluatorToken(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return evaluatorTokenService.get(ctx, id);
  }

  @Query(() => EvaluatorTokenConnection, { description: '评估令牌列表 (evaluator tokens issued in the caller’s subtree, oldest first; never the secret)' })
  evaluatorTokens(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => EvaluatorTokenFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: EvaluatorTokenFilter | null,
  ) {
    return evaluatorTokenService.list(ctx, args, filter);
  }

  @Query(() => EvaluatorAccessConnection, {
    description: '评估令牌访问记录 (every request made with the evaluator tokens issued in the caller’s subtree, newest first)',
  })
  evaluatorAccessLog(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => EvaluatorAccessFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: EvaluatorAccessFilter | null,
  ) {
    return evaluatorTokenService.accessLog(ctx, args, filter);
  }

  @Query(() => EvaluatorSession, { nullable: true, description: '当前评估令牌 (the evaluator token this request was made with; null for accounts)' })
  evaluatorSession(@Ctx() ctx: RequestContext) {
    return evaluatorTokenService.session(ctx);
  }

  @Mutation(() => IssueEvaluatorTokenPayload, {
    description: '签发评估令牌 (issue a token for a third-party evaluator: bound to a round, covering a subtree, for a window; the token is shown once)',
  })
  issueEvaluatorToken(@Ctx() ctx: RequestContext, @Arg('input', () => IssueEvaluatorTokenInput) input: IssueEvaluatorTokenInput) {
    return evaluatorTokenService.issue(ctx, input);
  }

  @Mutation(() => EvaluatorTokenPayload, { description: '吊销评估令牌 (revoke an evaluator token: its next request is refused)' })
  async revokeEvaluatorToken(@Ctx() ctx: RequestContext, @Arg('input', () => RevokeEvaluatorTokenInput) input: RevokeEvaluatorTokenInput) {
    return { evaluatorToken: await evaluatorTokenService.revoke(ctx, input) };
  }

  @FieldResolver(() => EvaluatorTokenStatus, { description: '状态 (status now)' })
  status(@Root() token: Lean<EvaluatorToken>) {
    return tokenStatus(token, new Date());
  }

  @FieldResolver(() => Agency, { nullable: true, description: '签发机关 (issuing agency)' })
  agency(@Root() token: Lean<EvaluatorToken>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(token.agency.id);
  }

  @FieldResolver(() => Agency, { nullable: true, description: '覆盖范围 (the agency whose subtree the token covers)' })
  scopeAgency(@Root() token: Lean<EvaluatorToken>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(token.scopeAgency.id);
  }

  @FieldResolver(() => EvaluationRound, { nullable: true, description: '评估轮次 (round)' })
  round(@Root() token: Lean<EvaluatorToken>, @Ctx() ctx: RequestContext) {
    return evaluatorTokenService.round(ctx, token.round.id);
  }
}

@Resolver(() => EvaluatorAccess)
export class EvaluatorAccessResolver {
  @FieldResolver(() => EvaluatorToken, { nullable: true, description: '评估令牌 (token)' })
  token(@Root() row: Lean<EvaluatorAccess>, @Ctx() ctx: RequestContext) {
    return evaluatorTokenService.token(ctx, row.token.id);
  }

  @FieldResolver(() => [Agency], { description: '涉及的机关 (the agencies touched that the caller can see)' })
  async agencies(@Root() row: Lean<EvaluatorAccess>, @Ctx() ctx: RequestContext) {
    const agencies = await Promise.all(row.agencyIds.map((id) => ctx.loaders.agency.byId.load(id)));
    return agencies.filter((a) => a != null);
  }
}

@Resolver(() => EvaluatorSession)
export class EvaluatorSessionResolver {
  @FieldResolver(() => EvaluationRound, { nullable: true, description: '评估轮次 (round)' })
  round(@Root() session: EvaluatorSession, @Ctx() ctx: RequestContext) {
    return evaluatorTokenService.round(ctx, session.roundId);
  }

  @FieldResolver(() => Agency, { nullable: true, description: '覆盖范围 (the agency whose subtree the token covers)' })
  scopeAgency(@Root() session: EvaluatorSession, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(session.scopeAgencyId);
  }
}
