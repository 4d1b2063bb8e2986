import { MaxLength } from 'class-validator';
import { Field, GraphQLISODateTime, ID, InputType } from 'type-graphql';
import { EvaluatorPermission } from './evaluator-token.entity';
import { EvaluatorTokenStatus } from './evaluator-token.types';

@InputType({ description: '签发评估令牌 (issue a token for a third-party evaluator; the token is shown once)' })
export class IssueEvaluatorTokenInput {
  @Field(() => ID, { description: '评估轮次 (the round the evaluator works on)' })
  roundId!: string;

  @Field(() => ID, {
    nullable: true,
    description: '覆盖范围 (the agency whose subtree the token covers: inside the caller’s subtree and the round organiser’s; default the organiser, or the caller’s agency when the organiser lies above it)',
  })
  scopeAgencyId?: string | null;

  @Field(() => String, { description: '持有人 (the evaluator: company and person)' })
  @MaxLength(100)
  label!: string;

  @Field(() => EvaluatorPermission, { description: '权限 (READ, or RECORD to also record the round’s scores and deduction points)' })
  permission!: EvaluatorPermission;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '生效时间 (valid from; default now)' })
  validFrom?: Date | null;

  @Field(() => GraphQLISODateTime, { description: '失效时间 (valid until: after validFrom and now, at most 366 days after validFrom)' })
  validUntil!: Date;
}

@InputType({ description: '吊销评估令牌 (revoke an evaluator token: refused from the next request on)' })
export class RevokeEvaluatorTokenInput {
  @Field(() => ID, { description: '评估令牌 (token)' })
  id!: string;
}

@InputType({ description: '评估令牌筛选 (token filter)' })
export class EvaluatorTokenFilter {
  @Field(() => ID, { nullable: true, description: '评估轮次 (round)' })
  roundId?: string | null;

  @Field(() => ID, { nullable: true, description: '签发机关 (issuing agency)' })
  agencyId?: string | null;

  @Field(() => EvaluatorTokenStatus, { nullable: true, description: '状态 (status now)' })
  status?: EvaluatorTokenStatus | null;
}

@InputType({ description: '访问记录筛选 (access-log filter)' })
export class EvaluatorAccessFilter {
  @Field(() => ID, { nullable: true, description: '评估令牌 (token)' })
  tokenId?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '起 (from, inclusive)' })
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '止 (to, exclusive)' })
  to?: Date | null;
}
