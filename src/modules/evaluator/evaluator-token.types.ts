import { Field, GraphQLISODateTime, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection';
import { EvaluatorAccess, EvaluatorPermission, EvaluatorToken } from './evaluator-token.entity';

/** 令牌状态 — derived from the revocation and the window at the time of asking; never stored. */
export enum EvaluatorTokenStatus {
  ACTIVE = 'ACTIVE',
  NOT_YET_VALID = 'NOT_YET_VALID',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}

registerEnumType(EvaluatorTokenStatus, {
  name: 'EvaluatorTokenStatus',
  description: '评估令牌状态 (token status, derived now)',
  valuesConfig: {
    ACTIVE: { description: '有效 (usable now)' },
    NOT_YET_VALID: { description: '未生效 (its window has not begun)' },
    EXPIRED: { description: '已过期 (its window has ended)' },
    REVOKED: { description: '已吊销 (revoked)' },
  },
});

export function tokenStatus(t: { revokedAt?: Date | null; validFrom: Date; validUntil: Date }, now: Date): EvaluatorTokenStatus {
  if (t.revokedAt) return EvaluatorTokenStatus.REVOKED;
  if (now.getTime() < t.validFrom.getTime()) return EvaluatorTokenStatus.NOT_YET_VALID;
  if (now.getTime() >= t.validUntil.getTime()) return EvaluatorTokenStatus.EXPIRED;
  return EvaluatorTokenStatus.ACTIVE;
}

@ObjectType({ description: '签发评估令牌结果 (the issued token: `token` is shown this once and never again)' })
export class IssueEvaluatorTokenPayload {
  @Field(() => String, { description: '令牌 (the secret: give it to the evaluator as `Authorization: Bearer <token>`; only its hash is kept)' })
  token!: string;

  @Field(() => EvaluatorToken, { description: '评估令牌 (the token’s record)' })
  evaluatorToken!: EvaluatorToken;
}

@ObjectType({ description: '评估令牌结果 (token payload)' })
export class EvaluatorTokenPayload {
  @Field(() => EvaluatorToken, { description: '评估令牌 (the token’s record)' })
  evaluatorToken!: EvaluatorToken;
}

/** What an evaluator token's holder may learn about its own token. */
@ObjectType({ description: '当前评估令牌 (the evaluator token the request was made with)' })
export class EvaluatorSession {
  @Field(() => String, { description: '持有人 (label)' })
  label!: string;

  @Field(() => EvaluatorPermission, { description: '权限 (permission)' })
  permission!: EvaluatorPermission;

  @Field(() => GraphQLISODateTime, { description: '生效时间 (valid from)' })
  validFrom!: Date;

  @Field(() => GraphQLISODateTime, { description: '失效时间 (valid until)' })
  validUntil!: Date;

  roundId!: string;
  scopeAgencyId!: string;
}

export const EvaluatorTokenConnection = ConnectionType(EvaluatorToken, 'EvaluatorToken', '评估令牌');
export type EvaluatorTokenConnection = InstanceType<typeof EvaluatorTokenConnection>;
export const EvaluatorAccessConnection = ConnectionType(EvaluatorAccess, 'EvaluatorAccess', '评估令牌访问记录');
export type EvaluatorAccessConnection = InstanceType<typeof EvaluatorAccessConnection>;
