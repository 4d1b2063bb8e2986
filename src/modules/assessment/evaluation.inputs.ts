import { Max, MaxLength, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../calendar/date-scalar';
import { RoundKind } from './evaluation.entity';
import { DeductionState } from './evaluation.types';

@InputType({ description: '新建第三方评估轮次 (create a third-party evaluation round)' })
export class CreateEvaluationRoundInput {
  @Field(() => ID, { description: '组织机关 (organising agency: it evaluates the agencies below it)' })
  agencyId!: string;

  @Field(() => Int, { description: '年度 (year)' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => RoundKind, { description: '轮次 (kind: mid-year or year-end; one of each per agency and year)' })
  kind!: RoundKind;

  @Field(() => String, { nullable: true, description: '名称 (title; default 「<机关><年度>年年中/年底政务公开第三方评估」)' })
  @MaxLength(200)
  title?: string | null;

  @Field(() => String, { description: '评估机构 (the evaluating company)' })
  @MaxLength(200)
  evaluator!: string;

  @Field(() => Int, { defaultValue: 5, description: '书面说明时限，工作日 (working days to explain a deduction point, 1–60)' })
  @Min(1)
  @Max(60)
  explanationDays: number = 5;
}

@InputType({ description: '结束评估轮次 (close a round: nothing more is recorded; explanations may still be given)' })
export class CloseEvaluationRoundInput {
  @Field(() => ID, { description: '评估轮次 (round)' })
  id!: string;
}

@InputType({ description: '评估轮次筛选 (round filter)' })
export class EvaluationRoundFilter {
  @Field(() => ID, { nullable: true, description: '组织机关 (organising agency; may be an agency above the caller)' })
  agencyId?: string | null;

  @Field(() => Int, { nullable: true, description: '年度 (year)' })
  year?: number | null;
}

@InputType({ description: '录入评估得分 (record an agency’s score in a round; a second entry replaces the first)' })
export class RecordEvaluationScoreInput {
  @Field(() => ID, { description: '评估轮次 (round)' })
  roundId!: string;

  @Field(() => ID, { description: '被评估机关 (evaluated agency: below the organising agency)' })
  agencyId!: string;

  @Field(() => Float, { description: '得分 (score, 0–100)' })
  score!: number;

  @Field(() => String, { nullable: true, description: '评语 (remarks)' })
  @MaxLength(5000)
  note?: string | null;
}

@InputType({ description: '录入扣分点 (record a deduction point of a round)' })
export class RecordDeductionPointInput {
  @Field(() => ID, { description: '评估轮次 (round)' })
  roundId!: string;

  @Field(() => ID, { description: '被评估机关 (evaluated agency: below the organising agency)' })
  agencyId!: string;

  @Field(() => String, { description: '指标编号 (indicator code in the organising agency’s scheme in force for the round’s year)' })
  @MaxLength(20)
  indicatorCode!: string;

  @Field(() => Float, { description: '扣分 (points deducted: more than 0, at most the indicator’s weight)' })
  points!: number;

  @Field(() => String, { description: '问题描述 (what was found)' })
  @MaxLength(5000)
  finding!: string;

  @Field(() => String, { nullable: true, description: '佐证链接 (evidence URL, http or https)' })
  @MaxLength(2000)
  evidenceUrl?: string | null;

  @Field(() => DateScalar, { nullable: true, description: '通报日期 (date notified; default today, not in the future)' })
  notifiedOn?: string | null;
}

@InputType({ description: '删除扣分点 (remove a deduction point: only while the round is open and before it is explained)' })
export class DeleteDeductionPointInput {
  @Field(() => ID, { description: '扣分点 (deduction point)' })
  id!: string;
}

@InputType({ description: '指定扣分点责任单位 (assign the unit that must explain a deduction point)' })
export class AssignDeductionPointInput {
  @Field(() => ID, { description: '扣分点 (deduction point)' })
  id!: string;

  @Field(() => ID, { description: '责任单位 (responsible unit of the evaluated agency)' })
  unitId!: string;
}

@InputType({ description: '书面说明扣分点 (give the written explanation of a deduction point)' })
export class ExplainDeductionPointInput {
  @Field(() => ID, { description: '扣分点 (deduction point)' })
  id!: string;

  @Field(() => String, { description: '书面说明 (the written explanation)' })
  @MaxLength(10000)
  explanation!: string;
}

@InputType({ description: '扣分点筛选 (deduction-point filter)' })
export class DeductionPointFilter {
  @Field(() => ID, { nullable: true, description: '评估轮次 (round)' })
  roundId?: string | null;

  @Field(() => ID, { nullable: true, description: '被评估机关 (evaluated agency)' })
  agencyId?: string | null;

  @Field(() => ID, { nullable: true, description: '责任单位 (responsible unit)' })
  unitId?: string | null;

  @Field(() => DeductionState, { nullable: true, description: '说明状态 (explanation state as of today)' })
  state?: DeductionState | null;
}

@InputType({ description: '扣分点说明情况筛选 (explanation-count filter)' })
export class ExplanationCountsFilter {
  @Field(() => Int, { description: '年度 (year of the rounds)' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => ID, { nullable: true, description: '机关 (subtree root; default the caller’s agency)' })
  agencyId?: string | null;
}
