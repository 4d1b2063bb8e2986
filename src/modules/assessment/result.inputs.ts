import { IsOptional, MaxLength, ArrayMaxSize } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../calendar/date-scalar';
import { AssessmentPeriod } from './scheme.entity';

@InputType({ description: '人工评分、加分或否决 (score an indicator by hand, give a bonus, or veto)' })
export class ScoreAssessmentIndicatorInput {
  @Field(() => ID, { description: '考核方案版本 (scheme version; its latest version is used for the indicator)' })
  schemeId!: string;

  @Field(() => ID, { description: '被考核机关 (assessed agency)' })
  agencyId!: string;

  @Field(() => AssessmentPeriod, { description: '考核期 (period)' })
  period!: AssessmentPeriod;

  @Field(() => String, { description: '指标编号 (indicator code: a MANUAL, BONUS or VETO indicator)' })
  @MaxLength(20)
  indicatorCode!: string;

  @Field(() => Float, { nullable: true, description: '得分或加分 (points, 0 – the indicator’s weight; MANUAL and BONUS)' })
  points?: number | null;

  @Field(() => Boolean, { nullable: true, description: '否决 (vetoed; VETO indicators)' })
  vetoed?: boolean | null;

  @Field(() => String, { defaultValue: '', description: '评分说明 (why; required for a veto)' })
  @MaxLength(2000)
  note: string = '';
}

@InputType({ description: '计算考核结果 (compute results: one new result per assessed agency)' })
export class ComputeAssessmentResultsInput {
  @Field(() => ID, { description: '考核方案版本 (the scheme version to use; must be the latest)' })
  schemeId!: string;

  @Field(() => AssessmentPeriod, { description: '考核期 (period)' })
  period!: AssessmentPeriod;

  @Field(() => DateScalar, { nullable: true, description: '数据截止日期 (data cut-off; default the period end, or today while the period runs)' })
  cutoff?: string | null;

  @Field(() => [ID], { nullable: true, description: '只计算这些机关 (only these assessed agencies; default all)' })
  @IsOptional()
  @ArrayMaxSize(2000)
  agencyIds?: string[] | null;
}

@InputType({ description: '按标识操作考核结果 (a result by id)' })
export class AssessmentResultIdInput {
  @Field(() => ID, { description: '考核结果 (result)' })
  id!: string;
}

@InputType({ description: '考核结果筛选 (result filter)' })
export class AssessmentResultFilter {
  @Field(() => Int, { description: '年度 (year)' })
  year!: number;

  @Field(() => AssessmentPeriod, { nullable: true, description: '考核期 (period)' })
  period?: AssessmentPeriod | null;

  @Field(() => ID, { nullable: true, description: '考核机关 (assessing agency)' })
  assessorId?: string | null;

  @Field(() => ID, { nullable: true, description: '被考核机关 (assessed agency)' })
  agencyId?: string | null;

  @Field(() => Boolean, { defaultValue: true, description: '只列现行结果 (current results only; false lists every computation)' })
  currentOnly: boolean = true;
}

@InputType({ description: '考核汇总范围 (roll-up scope)' })
export class AssessmentRollupFilter {
  @Field(() => Int, { description: '年度 (year)' })
  year!: number;

  @Field(() => AssessmentPeriod, { description: '考核期 (period)' })
  period!: AssessmentPeriod;

  @Field(() => ID, { nullable: true, description: '汇总根机关 (root; default the caller’s agency)' })
  agencyId?: string | null;

  @Field(() => ID, { nullable: true, description: '考核机关 (whose results count; default the nearest agency at or above the root with a scheme for the year)' })
  assessorId?: string | null;
}
