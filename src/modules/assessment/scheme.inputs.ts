import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { IndicatorFormula, IndicatorKind, IndicatorMetric } from './scheme.entity';

@InputType({ description: '考核指标 (an indicator of a scheme; the tree is given by parent codes)' })
export class IndicatorInput {
  @Field(() => String, { description: '编号 (code, e.g. 1 or 1.2; stable across versions)' })
  @MaxLength(20)
  code!: string;

  @Field(() => String, { nullable: true, description: '上级指标编号 (parent code; omit at the top)' })
  @MaxLength(20)
  parentCode?: string | null;

  @Field(() => String, { description: '指标名称 (name)' })
  @MaxLength(200)
  name!: string;

  @Field(() => String, { defaultValue: '', description: '评分标准 (scoring rule as written)' })
  @MaxLength(2000)
  description: string = '';

  @Field(() => IndicatorKind, { description: '类型 (kind)' })
  kind!: IndicatorKind;

  @Field(() => Float, { description: '分值 (weight; a bonus’s maximum; 0 for a veto)' })
  weight!: number;

  @Field(() => IndicatorMetric, { nullable: true, description: '数据指标 (metric; computed indicators)' })
  metric?: IndicatorMetric | null;

  @Field(() => IndicatorFormula, { nullable: true, description: '计分方法 (formula; computed indicators)' })
  formula?: IndicatorFormula | null;

  @Field(() => Float, { nullable: true, description: '每项扣分 (points per counted item; DEDUCT_PER_COUNT)' })
  perCount?: number | null;

  @Field(() => Float, { nullable: true, description: '目标比率 (rate for full points, 0–1; PROPORTIONAL; default 1)' })
  target?: number | null;
}

/** The content of a scheme version: what a new version restates in full. */
@InputType('SchemeContentInput', { description: '考核方案内容 (the content of a scheme version)' })
export class SchemeContentInput {
  @Field(() => String, { nullable: true, description: '名称 (title; default 「<机关><年度>年度政务公开考核方案」)' })
  @MaxLength(200)
  title?: string | null;

  @Field(() => Float, { description: '公开工作占绩效考核总分的比例，% (share of the performance score, percent; 4–100)' })
  share!: number;

  @Field(() => Float, { defaultValue: 0, description: '加分上限 (bonus cap)' })
  bonusCap: number = 0;

  @Field(() => Float, { defaultValue: 0, description: '加分门槛 (base score from which bonus counts)' })
  bonusThreshold: number = 0;

  @Field(() => Float, { defaultValue: 90, description: '优秀分数线 (excellent from)' })
  excellentFrom: number = 90;

  @Field(() => Float, { defaultValue: 80, description: '良好分数线 (good from)' })
  goodFrom: number = 80;

  @Field(() => Float, { defaultValue: 60, description: '合格分数线 (pass from)' })
  passFrom: number = 60;

  @Field(() => Boolean, { defaultValue: true, description: '适用于下辖全部机关 (applies to every agency below; false: only agencyIds)' })
  appliesToAll: boolean = true;

  @Field(() => [ID], { nullable: true, description: '适用机关 (the chosen agencies, when not applying to all)' })
  @IsOptional()
  @ArrayMaxSize(2000)
  agencyIds?: string[] | null;

  @Field(() => [IndicatorInput], { description: '指标 (indicators, parents before or after children; order is kept)' })
  @ArrayMaxSize(300)
  indicators!: IndicatorInput[];
}

@InputType({ description: '制定考核方案 (create the first version of a scheme)' })
export class CreateAssessmentSchemeInput extends SchemeContentInput {
  @Field(() => ID, { description: '考核机关 (the assessing agency)' })
  agencyId!: string;

  @Field(() => Int, { description: '年度 (year)' })
  @Min(2000)
  @Max(2100)
  year!: number;
}

@InputType({ description: '修订考核方案：生成新版本 (revise a scheme: makes a new version; results keep naming the version they used)' })
export class ReviseAssessmentSchemeInput extends SchemeContentInput {
  @Field(() => ID, { description: '被修订的版本 (the version revised; must be the latest)' })
  schemeId!: string;

  @Field(() => String, { description: '修订说明 (what changed and why)' })
  @MaxLength(2000)
  changeNote!: string;
}

@InputType({ description: '考核方案筛选 (scheme filter)' })
export class AssessmentSchemeFilter {
  @Field(() => ID, { nullable: true, description: '考核机关 (assessing agency)' })
  agencyId?: string | null;

  @Field(() => Int, { nullable: true, description: '年度 (year)' })
  year?: number | null;

  @Field(() => Boolean, { defaultValue: true, description: '只列最新版本 (latest versions only)' })
  latestOnly: boolean = true;
}
