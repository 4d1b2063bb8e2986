import { Check, DecimalType, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { DateScalar } from '../calendar/date-scalar';
import { AssessmentPeriod, AssessmentScheme, Grade, pointsColumn } from './scheme.entity';

export enum ResultStatus {
  COMPUTED = 'COMPUTED',
  FINAL = 'FINAL',
}

registerEnumType(ResultStatus, {
  name: 'ResultStatus',
  description: '结果状态 (result status)',
  valuesConfig: {
    COMPUTED: { description: '已计算 (computed; may be recomputed, which makes a new result)' },
    FINAL: { description: '已定稿 (finalised and frozen: later data changes do not move it)' },
  },
});

/**
 * 人工评分 — a hand-scored indicator, bonus or veto of one assessed agency for a period, keyed by the
 * indicator's code so that it carries over to a new version of the scheme.
 */
@ObjectType('AssessmentEntry', { description: '人工评分、加分或否决 (a hand-entered score, bonus or veto of an agency for a period)' })
@Entity({ tableName: 'assessment_entry' })
@Unique({ name: 'assessment_entry_unique', properties: ['assessor', 'year', 'period', 'agency', 'indicatorCode'] })
@Check({ name: 'assessment_entry_points', expression: 'points is null or (points >= 0 and points <= 100)' })
export class AssessmentEntry extends BaseEntity {
  /** The assessed agency (tenancy). */
  @Index({ name: 'assessment_entry_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  /** The assessing agency, owner of the scheme. */
  @Index({ name: 'assessment_entry_assessor_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  assessor!: Ref<Agency>;

  @Field(() => Int, { description: '年度 (year)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => AssessmentPeriod, { description: '考核期 (period)' })
  @Enum({ items: () => AssessmentPeriod, nativeEnumName: 'assessment_period' })
  period!: AssessmentPeriod;

  @Field(() => String, { description: '指标编号 (indicator code)' })
  @Property({ type: 'string', length: 20 })
  indicatorCode!: string;

  @Field(() => Float, { nullable: true, description: '得分或加分 (points; manual and bonus indicators)' })
  @Property({ ...pointsColumn(), nullable: true })
  points?: number | null;

  @Field(() => Boolean, { description: '否决 (vetoed; veto indicators)' })
  @Property({ type: 'boolean', default: false })
  vetoed: boolean & Opt = false;

  @Field(() => String, { description: '评分说明 (why: the evidence for the points or the veto)' })
  @Property({ type: 'text', default: '' })
  note: string & Opt = '';

  @Field(() => String, { description: '评分人 (username)' })
  @Property({ type: 'string', length: 64 })
  enteredBy!: string;
}

/**
 * 考核结果 — one computation of an agency's openness score for a period: it names the scheme
 * version and the data cut-off, keeps its inputs and breakdown, and is never changed after it is
 * written except to be finalised. A recomputation is a new row; `current` marks the row roll-ups
 * read (one per assessor, year, period and agency).
 */
@ObjectType('AssessmentResult', { description: '考核结果 (an agency’s openness score for a period, with its breakdown)' })
@Entity({ tableName: 'assessment_result' })
@Index({
  name: 'assessment_result_current_unique',
  expression:
    'create unique index "assessment_result_current_unique" on "assessment_result" ("assessor_id", "year", "period", "agency_id") where "current"',
})
@Check({ name: 'assessment_result_score', expression: 'score >= 0 and score <= 100' })
export class AssessmentResult extends BaseEntity {
  /** The assessed agency (tenancy). */
  @Index({ name: 'assessment_result_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Index({ name: 'assessment_result_assessor_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  assessor!: Ref<Agency>;

  @Index({ name: 'assessment_result_scheme_idx' })
  @ManyToOne(() => AssessmentScheme, { ref: true, deleteRule: 'cascade' })
  scheme!: Ref<AssessmentScheme>;

  @Field(() => Int, { description: '年度 (year)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => AssessmentPeriod, { description: '考核期 (period)' })
  @Enum({ items: () => AssessmentPeriod, nativeEnumName: 'assessment_period' })
  period!: AssessmentPeriod;

  @Field(() => DateScalar, { description: '数据截止日期 (data cut-off: figures as of this day)' })
  @Property({ type: 'date' })
  cutoff!: string;

  @Field(() => ResultStatus, { description: '状态 (status)' })
  @Enum({ items: () => ResultStatus, nativeEnumName: 'result_status', default: ResultStatus.COMPUTED })
  status: ResultStatus & Opt = ResultStatus.COMPUTED;

  @Field(() => Boolean, { description: '是否为现行结果 (the result roll-ups read)' })
  @Property({ type: 'boolean', default: true })
  current: boolean & Opt = true;

  @Field(() => Float, { description: '基础得分 (base score: the indicators’ points after deductions)' })
  @Property(pointsColumn())
  baseScore!: number;

  @Field(() => Float, { description: '加分 (bonus counted, after its cap and threshold)' })
  @Property(pointsColumn())
  bonus!: number;

  @Field(() => Float, { description: '扣分合计 (deductions applied)' })
  @Property(pointsColumn())
  deductions!: number;

  @Field(() => Boolean, { description: '一票否决 (vetoed)' })
  @Property({ type: 'boolean' })
  vetoed!: boolean;

  @Field(() => Float, { description: '否决前得分 (score before a veto)' })
  @Property(pointsColumn())
  scoreBeforeVeto!: number;

  @Field(() => Float, { description: '政务公开得分 (openness score, 0–100)' })
  @Property(pointsColumn())
  score!: number;

  @Field(() => Grade, { description: '等次 (grade band)' })
  @Enum({ items: () => Grade, nativeEnumName: 'grade' })
  grade!: Grade;

  @Field(() => Float, { description: '占比，% (the scheme’s share of openness work in the performance score)' })
  @Property(pointsColumn())
  share!: number;

  @Field(() => Float, { description: '计入绩效考核的分值 (contribution to the performance score: score × share)' })
  @Property({ type: new DecimalType('number'), precision: 7, scale: 3 })
  contribution!: number;

  /** The scoring engine's outcome per indicator (src/modules/assessment/scoring.ts), as computed. */
  @Property({ type: 'json' })
  breakdown!: unknown;

  /** The figures the computation read, so a result can be explained and compared with a recomputation. */
  @Property({ type: 'json' })
  inputs!: unknown;

  @Field(() => [String], { description: '未评分的人工指标 (manual indicators not yet scored; a result with any cannot be finalised)' })
  @Property({ type: 'array', columnType: 'text[]', default: '{}' })
  missingManual: string[] & Opt = [];

  @Field(() => String, { description: '计算人 (username)' })
  @Property({ type: 'string', length: 64 })
  computedBy!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '定稿时间 (finalised at)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finalisedAt?: Date | null;

  @Field(() => String, { nullable: true, description: '定稿人 (username)' })
  @Property({ type: 'string', length: 64, nullable: true })
  finalisedBy?: string | null;

  /** The result this one replaced as current (a recomputation). */
  @ManyToOne(() => AssessmentResult, { ref: true, nullable: true, deleteRule: 'set null' })
  supersedes?: Ref<AssessmentResult> | null;
}
