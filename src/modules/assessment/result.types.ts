import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection';
import { DateScalar } from '../calendar/date-scalar';
import { AssessmentResult } from './result.entity';
import { AssessmentPeriod, IndicatorKind, IndicatorMetric } from './scheme.entity';

@ObjectType('IndicatorOutcome', { description: '指标得分明细 (an indicator’s points in a result)' })
export class IndicatorOutcomeType {
  @Field(() => String, { description: '编号 (code)' })
  code!: string;

  @Field(() => String, { description: '名称 (name)' })
  name!: string;

  @Field(() => IndicatorKind, { description: '类型 (kind)' })
  kind!: IndicatorKind;

  @Field(() => Float, { description: '分值 (weight)' })
  weight!: number;

  @Field(() => IndicatorMetric, { nullable: true, description: '数据指标 (metric)' })
  metric!: IndicatorMetric | null;

  @Field(() => String, { nullable: true, description: '计分公式 (formula in words)' })
  formula!: string | null;

  @Field(() => Float, { nullable: true, description: '比率 (the rate the formula read; null when nothing was due)' })
  rate!: number | null;

  @Field(() => Float, { nullable: true, description: '分子或计数 (numerator of the rate, or the count)' })
  numerator!: number | null;

  @Field(() => Float, { nullable: true, description: '分母 (denominator of the rate)' })
  denominator!: number | null;

  @Field(() => Float, { nullable: true, description: '扣减前得分 (points before deductions; null for a manual indicator not scored)' })
  earned!: number | null;

  @Field(() => Float, { description: '实际扣分 (deductions applied, capped at the points earned)' })
  deducted!: number;

  @Field(() => Float, { description: '记录的扣分 (deductions recorded against the indicator, before the cap)' })
  deductionsRecorded!: number;

  @Field(() => Float, { description: '得分 (final points)' })
  points!: number;

  @Field(() => Boolean, { description: '否决 (vetoed)' })
  vetoed!: boolean;

  @Field(() => String, { nullable: true, description: '评分说明 (note of a hand entry)' })
  note!: string | null;
}

@ObjectType('ResultFigures', { description: '考核结果所依据的数据 (the figures a result read, as of its cut-off)' })
export class ResultFigures {
  @Field(() => DateScalar, { description: '期初 (period start)' })
  from!: string;

  @Field(() => DateScalar, { description: '期末 (period end)' })
  to!: string;

  @Field(() => DateScalar, { description: '截止 (as of)' })
  asOf!: string;

  @Field(() => Int, { description: '目录事项 (catalogue items)' })
  items!: number;

  @Field(() => Int, { description: '期内有发布的事项 (items with a publication in the period)' })
  coveredItems!: number;

  @Field(() => Int, { description: '按时发布 (published on time)' })
  onTime!: number;

  @Field(() => Int, { description: '超期发布 (published late)' })
  late!: number;

  @Field(() => Int, { description: '逾期未发布 (overdue)' })
  overdue!: number;

  @Field(() => Int, { description: '长期未更新事项 (stale items)' })
  staleItems!: number;

  @Field(() => Int, { description: '空白栏目 (empty items)' })
  emptyItems!: number;

  @Field(() => Int, { description: '年度任务 (plan tasks of the year)' })
  tasks!: number;

  @Field(() => Int, { description: '已完成任务 (tasks accepted as done)' })
  tasksDone!: number;

  @Field(() => Int, { description: '逾期任务 (overdue tasks)' })
  tasksOverdue!: number;

  @Field(() => Int, { description: '期内应说明的扣分点 (deduction points due for explanation in the period)' })
  explanationsDue!: number;

  @Field(() => Int, { description: '按时说明 (explained on time)' })
  explainedOnTime!: number;

  @Field(() => Int, { description: '逾期说明 (explained late)' })
  explainedLate!: number;

  @Field(() => Int, { description: '逾期未说明 (not explained, past due)' })
  explanationsOverdue!: number;

  @Field(() => Float, { nullable: true, description: '第三方评估平均得分 (mean third-party score of the period’s rounds; null when none)' })
  thirdPartyScore!: number | null;

  @Field(() => Int, { description: '计入的第三方评估轮次 (rounds counted)' })
  thirdPartyRounds!: number;

  @Field(() => Float, { description: '察访核验扣分合计 (inspection deductions recorded in the period)' })
  inspectionDeductions!: number;
}

@ObjectType('AssessmentResultPayload', { description: '考核结果变更结果 (result mutation payload)' })
export class AssessmentResultPayload {
  @Field(() => AssessmentResult, { description: '考核结果 (the result)' })
  result!: AssessmentResult;
}

@ObjectType('ComputeAssessmentResultsPayload', { description: '计算结果 (the new results, one per agency)' })
export class ComputeAssessmentResultsPayload {
  @Field(() => [AssessmentResult], { description: '新结果 (new results)' })
  results!: AssessmentResult[];
}

@ObjectType('AssessmentEntryPayload', { description: '人工评分结果 (hand-entry payload)' })
export class AssessmentEntryPayload {
  @Field(() => ID, { description: '评分记录 (entry id)' })
  entryId!: string;

  @Field(() => String, { description: '指标编号 (indicator code)' })
  indicatorCode!: string;

  @Field(() => Float, { nullable: true, description: '得分 (points)' })
  points!: number | null;

  @Field(() => Boolean, { description: '否决 (vetoed)' })
  vetoed!: boolean;
}

@ObjectType('ResultVerification', { description: '复算核对 (a result recomputed with its own scheme version and cut-off, not stored)' })
export class ResultVerification {
  @Field(() => AssessmentResult, { description: '被核对的结果 (the stored result)' })
  result!: AssessmentResult;

  @Field(() => Float, { description: '复算得分 (score recomputed now)' })
  recomputedScore!: number;

  @Field(() => Boolean, { description: '是否一致 (whether the recomputation gives the same points everywhere)' })
  same!: boolean;

  @Field(() => [String], { description: '不一致的指标编号 (codes whose points differ; SCORE/BONUS/VETO for the totals)' })
  differences!: string[];
}

export const AssessmentResultConnection = ConnectionType(AssessmentResult, 'AssessmentResult', '考核结果');

@ObjectType('ScoreSummary', { description: '得分统计 (scores of a set of agencies)' })
export class ScoreSummary {
  @Field(() => Int, { description: '有结果的机关数 (agencies with a result)' })
  results!: number;

  @Field(() => Float, { nullable: true, description: '平均分 (mean score)' })
  mean!: number | null;

  @Field(() => Float, { nullable: true, description: '最低分 (minimum)' })
  min!: number | null;

  @Field(() => Float, { nullable: true, description: '最高分 (maximum)' })
  max!: number | null;

  @Field(() => Int, { description: '优秀 (excellent)' })
  excellent!: number;

  @Field(() => Int, { description: '良好 (good)' })
  good!: number;

  @Field(() => Int, { description: '合格 (pass)' })
  pass!: number;

  @Field(() => Int, { description: '不合格，含否决 (fail, including vetoed)' })
  fail!: number;

  @Field(() => Int, { description: '被否决 (vetoed)' })
  vetoed!: number;

  @Field(() => Int, { description: '已定稿 (finalised)' })
  finalised!: number;

  @Field(() => Float, { nullable: true, description: '平均计入绩效分值 (mean contribution to the performance score)' })
  meanContribution!: number | null;
}

@ObjectType('AssessmentFigures', { description: '考核汇总数据 (completion, publication, explanation figures and scores of an agency or subtree)' })
export class AssessmentFigures {
  @Field(() => Int, { description: '年度任务 (tasks)' })
  tasks!: number;

  @Field(() => Int, { description: '已完成 (done)' })
  tasksDone!: number;

  @Field(() => Int, { description: '逾期任务 (overdue tasks)' })
  tasksOverdue!: number;

  @Field(() => Float, { nullable: true, description: '任务完成率 = 已完成 ÷ 任务 (from summed counts)' })
  taskCompletionRate!: number | null;

  @Field(() => Int, { description: '目录事项 (items)' })
  items!: number;

  @Field(() => Int, { description: '期内有发布的事项 (covered items)' })
  coveredItems!: number;

  @Field(() => Int, { description: '长期未更新 (stale items)' })
  staleItems!: number;

  @Field(() => Int, { description: '空白栏目 (empty items)' })
  emptyItems!: number;

  @Field(() => Int, { description: '按时发布 (on time)' })
  onTime!: number;

  @Field(() => Int, { description: '超期发布 (late)' })
  late!: number;

  @Field(() => Int, { description: '逾期未发布 (overdue publications)' })
  overduePublications!: number;

  @Field(() => Float, { nullable: true, description: '按时发布率 (on-time rate from summed counts)' })
  onTimeRate!: number | null;

  @Field(() => Int, { description: '扣分点 (deduction points due in the period)' })
  explanationsDue!: number;

  @Field(() => Int, { description: '待说明 (not yet explained)' })
  explanationsOpen!: number;

  @Field(() => Int, { description: '逾期未说明 (not explained, past due)' })
  explanationsOverdue!: number;

  @Field(() => Int, { description: '逾期说明 (explained late)' })
  explainedLate!: number;

  @Field(() => ScoreSummary, { description: '得分 (scores of the current results)' })
  scores!: ScoreSummary;
}

@ObjectType('AssessmentRollupRow', { description: '考核汇总行 (an agency: its own figures and its whole subtree’s)' })
export class AssessmentRollupRow {
  @Field(() => ID, { description: '机关 (agency id)' })
  agencyId!: string;

  @Field(() => Int, { nullable: true, description: '同级排名：按本级得分 (rank among siblings by own score; null for the root or without a result)' })
  rank!: number | null;

  @Field(() => AssessmentFigures, { description: '本级 (the agency itself)' })
  own!: AssessmentFigures;

  @Field(() => AssessmentFigures, { description: '含下级合计 (its whole subtree)' })
  subtree!: AssessmentFigures;
}

@ObjectType('AssessmentRollup', { description: '考核汇总 (roll-up of a subtree: the root and each direct child’s subtree)' })
export class AssessmentRollup {
  @Field(() => Int, { description: '年度 (year)' })
  year!: number;

  @Field(() => AssessmentPeriod, { description: '考核期 (period)' })
  period!: AssessmentPeriod;

  @Field(() => DateScalar, { description: '统计截止 (as of)' })
  asOf!: string;

  @Field(() => ID, { nullable: true, description: '考核机关 (whose results are counted; null when no scheme applies)' })
  assessorId!: string | null;

  @Field(() => AssessmentRollupRow, { description: '根机关 (the root)' })
  root!: AssessmentRollupRow;

  @Field(() => [AssessmentRollupRow], { description: '直属下级，按排名 (direct children, ranked)' })
  children!: AssessmentRollupRow[];
}

