import { Check, DecimalType, Entity, Enum, Index, ManyToOne, PrimaryKeyProp, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';

/** 考核期 — what a result covers: the first half (mid-year inspections and round) or the whole year. */
export enum AssessmentPeriod {
  FIRST_HALF = 'FIRST_HALF',
  YEAR = 'YEAR',
}

/** 指标类型 */
export enum IndicatorKind {
  GROUP = 'GROUP',
  COMPUTED = 'COMPUTED',
  MANUAL = 'MANUAL',
  BONUS = 'BONUS',
  VETO = 'VETO',
}

/** 数据指标 — figures a computed indicator reads (from the maintained figures, never raw rows). */
export enum IndicatorMetric {
  CATALOGUE_COVERAGE = 'CATALOGUE_COVERAGE',
  ON_TIME_PUBLICATION = 'ON_TIME_PUBLICATION',
  TASK_COMPLETION = 'TASK_COMPLETION',
  EXPLANATIONS_ON_TIME = 'EXPLANATIONS_ON_TIME',
  THIRD_PARTY_SCORE = 'THIRD_PARTY_SCORE',
  STALE_ITEMS = 'STALE_ITEMS',
  EMPTY_ITEMS = 'EMPTY_ITEMS',
  OVERDUE_TASKS = 'OVERDUE_TASKS',
  LATE_EXPLANATIONS = 'LATE_EXPLANATIONS',
}

/** 计分方法 */
export enum IndicatorFormula {
  PROPORTIONAL = 'PROPORTIONAL',
  DEDUCT_PER_COUNT = 'DEDUCT_PER_COUNT',
}

/** 等次 */
export enum Grade {
  EXCELLENT = 'EXCELLENT',
  GOOD = 'GOOD',
  PASS = 'PASS',
  FAIL = 'FAIL',
}

registerEnumType(AssessmentPeriod, {
  name: 'AssessmentPeriod',
  description: '考核期 (assessment period)',
  valuesConfig: {
    FIRST_HALF: { description: '上半年 (1 January – 30 June)' },
    YEAR: { description: '全年 (the whole year)' },
  },
});
registerEnumType(IndicatorKind, {
  name: 'IndicatorKind',
  description: '指标类型 (indicator kind)',
  valuesConfig: {
    GROUP: { description: '分类指标 (a group; its weight is the sum of its children’s)' },
    COMPUTED: { description: '数据计分 (computed from the figures with a stated formula)' },
    MANUAL: { description: '人工评分 (scored by hand)' },
    BONUS: { description: '加分项 (bonus, up to its weight; the scheme caps the total)' },
    VETO: { description: '一票否决项 (veto: a vetoed result fails)' },
  },
});
registerEnumType(IndicatorMetric, {
  name: 'IndicatorMetric',
  description: '数据指标 (figure a computed indicator reads)',
  valuesConfig: {
    CATALOGUE_COVERAGE: { description: '目录覆盖率：期内有发布的事项占比 (share of catalogue items with a publication in the period)' },
    ON_TIME_PUBLICATION: { description: '按时发布率 (on-time publication rate: on time ÷ (on time + late + overdue))' },
    TASK_COMPLETION: { description: '任务完成率 (share of the year’s plan tasks accepted as done)' },
    EXPLANATIONS_ON_TIME: { description: '扣分点按时说明率 (deduction points explained on time ÷ those due)' },
    THIRD_PARTY_SCORE: { description: '第三方评估得分 (the third-party evaluators’ score, 0–100)' },
    STALE_ITEMS: { description: '长期未更新事项数 (stale items)' },
    EMPTY_ITEMS: { description: '空白栏目数 (empty items: nothing ever published)' },
    OVERDUE_TASKS: { description: '逾期任务数 (overdue tasks)' },
    LATE_EXPLANATIONS: { description: '逾期未说明或逾期说明的扣分点数 (deduction points explained late or not at all by the deadline)' },
  },
});
registerEnumType(IndicatorFormula, {
  name: 'IndicatorFormula',
  description: '计分方法 (formula from figure to points)',
  valuesConfig: {
    PROPORTIONAL: { description: '按比率计分：权重 × min(1, 比率 ÷ 目标) (weight × min(1, rate ÷ target))' },
    DEDUCT_PER_COUNT: { description: '按项扣分：权重 − 每项扣分 × 项数，扣完为止 (weight − per item × count, not below 0)' },
  },
});
registerEnumType(Grade, {
  name: 'Grade',
  description: '考核等次 (grade band)',
  valuesConfig: {
    EXCELLENT: { description: '优秀 (excellent)' },
    GOOD: { description: '良好 (good)' },
    PASS: { description: '合格 (pass)' },
    FAIL: { description: '不合格 (fail; also every vetoed result)' },
  },
});

/**
 * Points with two decimals, read as numbers (not the driver's strings). A fresh options object per
 * property: MikroORM writes the column name into the options it is given.
 */
export function pointsColumn() {
  return { type: new DecimalType('number'), precision: 6, scale: 2 };
}

/**
 * 考核方案 — one VERSION of an assessing agency's scheme for a year. Versions are immutable: a
 * change makes version n + 1, and every result names the version it used, so a result can be
 * reproduced and explained after the scheme moved on.
 */
@ObjectType('AssessmentScheme', { description: '考核方案的一个版本 (one version of an assessing agency’s yearly assessment scheme)' })
@Entity({ tableName: 'assessment_scheme' })
@Unique({ name: 'assessment_scheme_version_unique', properties: ['agency', 'year', 'version'] })
@Check({ name: 'assessment_scheme_share', expression: 'share >= 4 and share <= 100' })
@Check({ name: 'assessment_scheme_version_positive', expression: 'version >= 1' })
export class AssessmentScheme extends BaseEntity {
  /** The assessing agency (owner). */
  @Index({ name: 'assessment_scheme_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => Int, { description: '年度 (year)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => Int, { description: '版本 (version: 1, 2, …; a change makes a new version)' })
  @Property({ type: 'integer' })
  version!: number;

  @Field(() => String, { description: '名称 (title)' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => Float, { description: '公开工作占绩效考核总分的比例，% (share of openness work in the total performance score, percent; at least 4)' })
  @Property(pointsColumn())
  share!: number;

  @Field(() => Float, { description: '加分上限 (cap on the total bonus)' })
  @Property({ ...pointsColumn(), default: 0 })
  bonusCap: number & Opt = 0;

  @Field(() => Float, { description: '加分门槛：基础得分达到此分才计加分 (bonus counts only when the base score reaches this)' })
  @Property({ ...pointsColumn(), default: 0 })
  bonusThreshold: number & Opt = 0;

  @Field(() => Float, { description: '优秀分数线 (excellent from)' })
  @Property({ ...pointsColumn(), default: 90 })
  excellentFrom: number & Opt = 90;

  @Field(() => Float, { description: '良好分数线 (good from)' })
  @Property({ ...pointsColumn(), default: 80 })
  goodFrom: number & Opt = 80;

  @Field(() => Float, { description: '合格分数线 (pass from)' })
  @Property({ ...pointsColumn(), default: 60 })
  passFrom: number & Opt = 60;

  @Field(() => Boolean, { description: '适用于下辖全部机关 (applies to every agency below the assessing agency; else to the chosen ones)' })
  @Property({ type: 'boolean', default: true })
  appliesToAll: boolean & Opt = true;

  @Field(() => String, { description: '修订说明 (what changed in this version)' })
  @Property({ type: 'text', default: '' })
  changeNote: string & Opt = '';

  @Field(() => String, { description: '制定人 (username)' })
  @Property({ type: 'string', length: 64 })
  createdBy!: string;
}

/** 考核指标 — one node of a scheme version's indicator tree. */
@ObjectType('AssessmentIndicator', { description: '考核指标 (an indicator of a scheme version)' })
@Entity({ tableName: 'assessment_indicator' })
@Unique({ name: 'assessment_indicator_code_unique', properties: ['scheme', 'code'] })
@Check({ name: 'assessment_indicator_weight', expression: 'weight >= 0 and weight <= 100' })
export class AssessmentIndicator extends BaseEntity {
  @Index({ name: 'assessment_indicator_scheme_idx' })
  @ManyToOne(() => AssessmentScheme, { ref: true, deleteRule: 'cascade' })
  scheme!: Ref<AssessmentScheme>;

  @Index({ name: 'assessment_indicator_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => String, { description: '编号 (code, stable across versions: 1, 1.2 …)' })
  @Property({ type: 'string', length: 20 })
  code!: string;

  @Field(() => String, { nullable: true, description: '上级指标编号 (parent code; null at the top)' })
  @Property({ type: 'string', length: 20, nullable: true })
  parentCode?: string | null;

  @Field(() => Int, { description: '顺序 (position in the scheme)' })
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => String, { description: '指标名称 (name)' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { description: '评分标准 (scoring rule as written)' })
  @Property({ type: 'text', default: '' })
  description: string & Opt = '';

  @Field(() => IndicatorKind, { description: '类型 (kind)' })
  @Enum({ items: () => IndicatorKind, nativeEnumName: 'indicator_kind' })
  kind!: IndicatorKind;

  @Field(() => Float, { description: '分值 (weight in points; for a bonus its maximum; 0 for a veto)' })
  @Property(pointsColumn())
  weight!: number;

  @Field(() => IndicatorMetric, { nullable: true, description: '数据指标 (metric, computed indicators)' })
  @Enum({ items: () => IndicatorMetric, nativeEnumName: 'indicator_metric', nullable: true })
  metric?: IndicatorMetric | null;

  @Field(() => IndicatorFormula, { nullable: true, description: '计分方法 (formula, computed indicators)' })
  @Enum({ items: () => IndicatorFormula, nativeEnumName: 'indicator_formula', nullable: true })
  formula?: IndicatorFormula | null;

  @Field(() => Float, { nullable: true, description: '每项扣分 (points per counted item, DEDUCT_PER_COUNT)' })
  @Property({ ...pointsColumn(), nullable: true })
  perCount?: number | null;

  @Field(() => Float, { nullable: true, description: '目标比率，满分所需 (target rate for full points, PROPORTIONAL; default 1)' })
  @Property({ type: new DecimalType('number'), precision: 5, scale: 4, nullable: true })
  target?: number | null;
}

/** The agencies a scheme version applies to when it does not apply to the whole subtree. */
@Entity({ tableName: 'assessment_scheme_agency' })
export class AssessmentSchemeAgency {
  @ManyToOne(() => AssessmentScheme, { primary: true, ref: true, deleteRule: 'cascade' })
  scheme!: Ref<AssessmentScheme>;

  @Index({ name: 'assessment_scheme_agency_assessed_idx' })
  @ManyToOne(() => Agency, { primary: true, ref: true, deleteRule: 'cascade' })
  assessed!: Ref<Agency>;

  /** The assessing agency (tenancy). */
  @Index({ name: 'assessment_scheme_agency_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  [PrimaryKeyProp]?: ['scheme', 'assessed'];
}
