import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';

/** 角色 — what an account may do inside its agency's subtree. */
export enum Role {
  /** 政务公开办 — the openness office: administers its agency and everything below it. */
  AGENCY_ADMIN = 'AGENCY_ADMIN',
  /** 联络员 — a unit liaison: edits the work of its own internal unit. */
  UNIT_LIAISON = 'UNIT_LIAISON',
  /** 承办单位负责人 — head of an internal unit: second-level sign-off of its unit's publications. */
  UNIT_HEAD = 'UNIT_HEAD',
  /** 局分管领导 — a bureau leader: final sign-off. */
  LEADER = 'LEADER',
  /** 上级查看 — a superior office that reads roll-ups of its subtree and changes nothing. */
  SUPERIOR_VIEWER = 'SUPERIOR_VIEWER',
  /** 第三方评估 — a third-party evaluator: read-only and only within its access window. */
  EVALUATOR = 'EVALUATOR',
}

registerEnumType(Role, {
  name: 'Role',
  description: '角色 (role)',
  valuesConfig: {
    AGENCY_ADMIN: { description: '政务公开办管理员 (agency administrator, the openness office)' },
    UNIT_LIAISON: { description: '单位联络员 (unit liaison, bound to one internal unit)' },
    UNIT_HEAD: { description: '承办单位负责人 (unit head, signs off its unit’s publications)' },
    LEADER: { description: '局分管领导 (bureau leader, final sign-off)' },
    SUPERIOR_VIEWER: { description: '上级查看 (superior viewer, read-only roll-ups)' },
    EVALUATOR: { description: '第三方评估 (third-party evaluator, read-only and time-boxed)' },
  },
});

/** Roles that never write, whatever else the account holds. */
export const READ_ONLY_ROLES: readonly Role[] = [Role.SUPERIOR_VIEWER, Role.EVALUATOR];

/** 账号 — a person's login, belonging to one agency (and, for unit roles, one internal unit). */
@ObjectType('Account', { description: '账号 (account) of a person in one agency' })
@Entity({ tableName: 'account' })
export class Account extends BaseEntity {
  @Field(() => String, { description: '用户名 (username)' })
  @Unique({ name: 'account_username_unique' })
  @Property({ type: 'string', length: 64 })
  username!: string;

  @Field(() => String, { description: '姓名 (display name)' })
  @Property({ type: 'string', length: 100 })
  displayName!: string;

  @Property({ type: 'string', length: 255, hidden: true, lazy: true })
  passwordHash!: string;

  @Index({ name: 'account_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Index({ name: 'account_unit_idx' })
  @ManyToOne(() => Unit, { ref: true, nullable: true, deleteRule: 'set null' })
  unit?: Ref<Unit> | null;

  @Field(() => [Role], { description: '角色 (roles)' })
  @Enum({ items: () => Role, array: true, nativeEnumName: 'account_role' })
  roles: Role[] = [];

  @Field(() => Boolean, { description: '是否启用 (active)' })
  @Property({ type: 'boolean', default: true })
  active: boolean & Opt = true;

  /** Evaluators' access window; tokens are never valid outside it. */
  @Field(() => GraphQLISODateTime, { nullable: true, description: '访问开始 (access window start, evaluators)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  accessFrom?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '访问截止 (access window end, evaluators)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  accessUntil?: Date | null;

  /** Tokens issued before this instant are refused, so a password change logs every session out. */
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  credentialsChangedAt: Date & Opt = new Date();
}
