import { ArrayMaxSize, Max, MaxLength, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../calendar/date-scalar';

@InputType({ description: '核验发现 (a finding of an inspection, with its deduction)' })
export class InspectionFindingInput {
  @Field(() => String, { description: '指标编号 (indicator code in the inspecting agency’s scheme in force for the year)' })
  @MaxLength(20)
  indicatorCode!: string;

  @Field(() => Float, { description: '扣分 (points deducted: 0 to the indicator’s weight)' })
  points!: number;

  @Field(() => String, { description: '发现的问题 (what was found)' })
  @MaxLength(5000)
  finding!: string;

  @Field(() => ID, { nullable: true, description: '责任单位 (responsible unit of the inspected agency)' })
  unitId?: string | null;

  @Field(() => String, { nullable: true, description: '佐证链接 (evidence URL, http or https)' })
  @MaxLength(2000)
  evidenceUrl?: string | null;
}

@InputType({ description: '录入察访核验 (record an inspection with its findings: all or nothing)' })
export class RecordInspectionInput {
  @Field(() => ID, { description: '被核验机关 (inspected agency: strictly below the caller’s agency, which inspects)' })
  agencyId!: string;

  @Field(() => DateScalar, { description: '核验日期 (date of the inspection; decides the year and half; not in the future)' })
  inspectedOn!: string;

  @Field(() => String, { nullable: true, description: '核验人员 (inspectors)' })
  @MaxLength(200)
  inspectors?: string | null;

  @Field(() => String, { nullable: true, description: '核验情况 (summary)' })
  @MaxLength(10000)
  summary?: string | null;

  @Field(() => [InspectionFindingInput], { description: '发现的问题 (findings; may be empty)' })
  @ArrayMaxSize(200)
  findings!: InspectionFindingInput[];
}

@InputType({ description: '察访核验筛选 (inspection filter)' })
export class InspectionFilter {
  @Field(() => ID, { nullable: true, description: '被核验机关 (inspected agency)' })
  agencyId?: string | null;

  @Field(() => Int, { nullable: true, description: '年度 (year)' })
  year?: number | null;

  @Field(() => Int, { nullable: true, description: '半年 (half: 1 = January–June, 2 = July–December)' })
  @Min(1)
  @Max(2)
  half?: number | null;
}

@InputType({ description: '未核验机关查询 (which agencies a scheme applies to have no inspection in a half year)' })
export class AgenciesWithoutInspectionInput {
  @Field(() => ID, { description: '考核方案版本 (scheme version: its agencies and year)' })
  schemeId!: string;

  @Field(() => Int, { description: '半年 (half: 1 = January–June, 2 = July–December)' })
  @Min(1)
  @Max(2)
  half!: number;
}
