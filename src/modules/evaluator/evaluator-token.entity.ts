import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { EvaluationRound } from '../assessment/evaluation.entity';

/** What a third-party evaluator's token may do besides reading. */
export enum EvaluatorPermission {
  READ = 'READ',
  RECORD = 'RECORD',
}

registerEnumType(EvaluatorPermission, {
  name: 'EvaluatorPermission',
  description: '评估令牌权限 (what an evaluator token may do)',
  valuesConfig: {
    READ: { description: '只读 (reads published material, figures and its round; changes nothing)' },
    RECORD: { description: '只读并可录入本轮次结果 (also records scores and deduction points of its round, inside its scope)' },
  },
});

/** At most this long between validFrom and validUntil (a year and a day for a leap year). */
export const MAX_TOKEN_WINDOW_DAYS = 366;

/**
 * 第三方评估令牌 — issued by an agency's openness office to a third-party evaluator: bound to one
 * evaluation round, covering the subtree of `scopeAgency`, valid inside [validFrom, validUntil].
 * The token itself is shown once when issued; only its SHA-256 is stored (never exposed).
 */
@ObjectType('EvaluatorToken', { description: '第三方评估令牌 (an evaluator’s read token; the secret itself is shown only once, when issued)' })
@Entity({ tableName: 'evaluator_token' })
@Check({ name: 'evaluator_token_window', expression: `valid_until > valid_from and valid_until <= valid_from + '${MAX_TOKEN_WINDOW_DAYS} days'::interval` })
export class EvaluatorToken extends BaseEntity {
  /** The issuing agency (tenancy): its subtree's administrators list, revoke and audit the token. */
  @Index({ name: 'evaluator_token_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Index({ name: 'evaluator_token_round_idx' })
  @ManyToOne(() => EvaluationRound, { ref: true, deleteRule: 'cascade' })
  round!: Ref<EvaluationRound>;

  /** The root of what the token covers (the issuing agency or an agency below it, inside the round's organiser's subtree). */
  @Index({ name: 'evaluator_token_scope_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  scopeAgency!: Ref<Agency>;

  @Field(() => String, { description: '持有人 (the evaluator: company and person)' })
  @Property({ type: 'string', length: 100 })
  label!: string;

  @Field(() => EvaluatorPermission, { description: '权限 (permission)' })
  @Enum({ items: () => EvaluatorPermission, nativeEnumName: 'evaluator_permission' })
  permission!: EvaluatorPermission;

  @Field(() => GraphQLISODateTime, { description: '生效时间 (valid from)' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  validFrom!: Date;

  @Field(() => GraphQLISODateTime, { description: '失效时间 (valid until; at most 366 days after validFrom)' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  validUntil!: Date;

  /** SHA-256 (hex) of the token: the only form in which it is stored. Never in GraphQL. */
  @Unique({ name: 'evaluator_token_hash_unique' })
  @Property({ type: 'string', length: 64 })
  tokenHash!: string;

  @Field(() => String, { description: '令牌前缀 (first 8 characters of the token, to recognise it)' })
  @Property({ type: 'string', length: 8 })
  tokenPrefix!: string;

  @Field(() => String, { description: '签发人 (username of the issuing administrator)' })
  @Property({ type: 'string', length: 64 })
  issuedBy!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '吊销时间 (revoked at)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Field(() => String, { nullable: true, description: '吊销人 (username)' })
  @Property({ type: 'string', length: 64, nullable: true })
  revokedBy?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '最近使用时间 (last used; updated at most once a minute)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;
}

/**
 * 评估令牌访问记录 — one row per request made with an evaluator token (refused ones included),
 * written by the database function `app_log_evaluator_access` only: append-only for everybody else.
 */
@ObjectType('EvaluatorAccess', { description: '评估令牌访问记录 (one request made with an evaluator token)' })
@Entity({ tableName: 'evaluator_access' })
@Index({ name: 'evaluator_access_token_at_idx', properties: ['token', 'at'] })
@Index({ name: 'evaluator_access_agency_at_idx', properties: ['agency', 'at'] })
export class EvaluatorAccess {
  @Field(() => ID, { description: '标识 (identifier, a UUID)' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => EvaluatorToken, { ref: true, deleteRule: 'cascade' })
  token!: Ref<EvaluatorToken>;

  /** The token's issuing agency (tenancy). */
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => GraphQLISODateTime, { description: '时间 (when the request arrived)' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at!: Date;

  @Field(() => String, { nullable: true, description: '操作名 (the operation’s name, when it has one)' })
  @Property({ type: 'string', length: 200, nullable: true })
  operationName?: string | null;

  @Field(() => String, { nullable: true, description: '操作类型 (query or mutation; null when the request never ran)' })
  @Property({ type: 'string', length: 20, nullable: true })
  operationType?: string | null;

  @Field(() => [String], { description: '请求的字段 (the root fields the operation asked for)' })
  @Property({ type: 'array', columnType: 'text[]', default: '{}' })
  fields: string[] & Opt = [];

  @Field(() => [ID], { description: '涉及的机关 (ids of the agencies whose data the answer held or the arguments named)' })
  @Property({ type: 'array', columnType: 'uuid[]', default: '{}' })
  agencyIds: string[] & Opt = [];

  @Field(() => String, { description: '结果 (OK, or the error code the request was answered with)' })
  @Property({ type: 'string', length: 40 })
  outcome!: string;
}
