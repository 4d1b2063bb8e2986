import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { DateScalar } from '../calendar/date-scalar';
import { pointsColumn } from './scheme.entity';

/** 评估轮次 — the government hires evaluators twice a year (002 §22). */
export enum RoundKind {
  MID_YEAR = 'MID_YEAR',
  YEAR_END = 'YEAR_END',
}

export enum RoundStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}

registerEnumType(RoundKind, {
  name: 'RoundKind',
  description: '第三方评估轮次 (third-party evaluation round)',
  valuesConfig: {
    MID_YEAR: { description: '年中评估 (mid-year; counts in the first half and the year)' },
    YEAR_END: { description: '年底评估 (year-end; counts in the year)' },
  },
});
registerEnumType(RoundStatus, {
  name: 'RoundStatus',
  description: '轮次状态 (round status)',
  valuesConfig: {
    OPEN: { description: '进行中 (scores and deduction points may be recorded)' },
    CLOSED: { description: '已结束 (nothing more is recorded; explanations still may be given)' },
  },
});

/** 第三方评估轮次 — organised by an assessing agency for its subtree. */
@ObjectType('EvaluationRound', { description: '第三方评估轮次 (a third-party evaluation round)' })
@Entity({ tableName: 'evaluation_round' })
@Unique({ name: 'evaluation_round_unique', properties: ['agency', 'year', 'kind'] })
@Check({ name: 'evaluation_round_explanation_days', expression: 'explanation_days >= 1 and explanation_days <= 60' })
export class EvaluationRound extends BaseEntity {
  /** The organising (assessing) agency. */
  @Index({ name: 'evaluation_round_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => Int, { description: '年度 (year)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => RoundKind, { description: '轮次 (kind)' })
  @Enum({ items: () => RoundKind, nativeEnumName: 'round_kind' })
  kind!: RoundKind;

  @Field(() => String, { description: '名称 (title)' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => String, { description: '评估机构 (the evaluating company)' })
  @Property({ type: 'string', length: 200 })
  evaluator!: string;

  @Field(() => Int, { description: '书面说明时限，工作日 (working days a responsible unit has to explain a deduction point)' })
  @Property({ type: 'integer', default: 5 })
  explanationDays: number & Opt = 5;

  @Field(() => RoundStatus, { description: '状态 (status)' })
  @Enum({ items: () => RoundStatus, nativeEnumName: 'round_status', default: RoundStatus.OPEN })
  status: RoundStatus & Opt = RoundStatus.OPEN;
}

/** 评估得分 — the evaluators' score of one agency in a round. */
@ObjectType('EvaluationScore', { description: '第三方评估得分 (an agency’s score in a round)' })
@Entity({ tableName: 'evaluation_score' })
@Unique({ name: 'evaluation_score_unique', properties: ['round', 'agency'] })
@Check({ name: 'evaluation_score_range', expression: 'score >= 0 and score <= 100' })
export class EvaluationScore extends BaseEntity {
  @Index({ name: 'evaluation_score_round_idx' })
  @ManyToOne(() => EvaluationRound, { ref: true, deleteRule: 'cascade' })
  round!: Ref<EvaluationRound>;

  /** The evaluated agency (tenancy). */
  @Index({ name: 'evaluation_score_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => Float, { description: '得分 (score, 0–100)' })
  @Property(pointsColumn())
  score!: number;

  @Field(() => String, { description: '评语 (remarks)' })
  @Property({ type: 'text', default: '' })
  note: string & Opt = '';

  @Field(() => String, { description: '录入人 (username, or the evaluator token’s label)' })
  @Property({ type: 'string', length: 100 })
  recordedBy!: string;
}

/** 扣分点 — what the evaluators found; the responsible unit must explain it in writing (002 §22). */
@ObjectType('DeductionPoint', { description: '扣分点 (a deduction point of a round, with its written explanation)' })
@Entity({ tableName: 'deduction_point' })
@Check({ name: 'deduction_point_points', expression: 'points > 0 and points <= 100' })
@Check({ name: 'deduction_point_due_after_notice', expression: 'due_on >= notified_on' })
@Check({ name: 'deduction_point_explained', expression: '(explanation is null) = (explained_on is null)' })
export class DeductionPoint extends BaseEntity {
  @Index({ name: 'deduction_point_round_idx' })
  @ManyToOne(() => EvaluationRound, { ref: true, deleteRule: 'cascade' })
  round!: Ref<EvaluationRound>;

  /** The evaluated agency (tenancy). */
  @Index({ name: 'deduction_point_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  /** The round's year, kept here for the explanation figures. */
  @Field(() => Int, { description: '年度 (year of the round)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => String, { description: '指标编号 (indicator code of the assessing scheme)' })
  @Property({ type: 'string', length: 20 })
  indicatorCode!: string;

  @Field(() => Float, { description: '扣分 (points deducted)' })
  @Property(pointsColumn())
  points!: number;

  @Field(() => String, { description: '问题描述 (what was found)' })
  @Property({ type: 'text' })
  finding!: string;

  @Field(() => String, { nullable: true, description: '佐证链接 (evidence URL)' })
  @Property({ type: 'string', length: 2000, nullable: true })
  evidenceUrl?: string | null;

  /** Who must explain; assigned by the agency's openness office (the evaluators do not know internal units). */
  @Index({ name: 'deduction_point_unit_idx' })
  @ManyToOne(() => Unit, { ref: true, nullable: true, deleteRule: 'set null' })
  unit?: Ref<Unit> | null;

  @Field(() => DateScalar, { description: '通报日期 (date the point was notified; the explanation clock starts)' })
  @Property({ type: 'date' })
  notifiedOn!: string;

  @Field(() => DateScalar, { description: '说明期限 (explanation due: notified + the round’s working days)' })
  @Property({ type: 'date' })
  dueOn!: string;

  @Field(() => String, { nullable: true, description: '书面说明 (the written explanation)' })
  @Property({ type: 'text', nullable: true })
  explanation?: string | null;

  @Field(() => DateScalar, { nullable: true, description: '说明日期 (date explained)' })
  @Property({ type: 'date', nullable: true })
  explainedOn?: string | null;

  @Field(() => String, { nullable: true, description: '说明人 (username)' })
  @Property({ type: 'string', length: 64, nullable: true })
  explainedBy?: string | null;

  @Field(() => String, { description: '录入人 (username, or the evaluator token’s label)' })
  @Property({ type: 'string', length: 100 })
  recordedBy!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '说明提交时间 (when the explanation was submitted)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  explainedAt?: Date | null;
}
