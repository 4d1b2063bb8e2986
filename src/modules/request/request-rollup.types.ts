import { Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Agency } from '../agency/agency.entity';
import { DateScalar } from '../calendar/date-scalar';
import { RequestOutcome } from './request.entity';

@InputType({ description: '依申请公开汇总筛选 (information-request roll-up filter)' })
export class RequestRollupFilter {
  @Field(() => Int, { description: '年度 (year: of receipt for the counts, of reply for the outcomes)' })
  @Min(2008)
  @Max(2100)
  year!: number;

  @Field(() => ID, { nullable: true, description: '机关 (subtree root; default the caller’s agency)' })
  agencyId?: string | null;
}

@ObjectType({ description: '按办理结果计数 (replies of the year with one outcome)' })
export class RequestRollupOutcomeCount {
  @Field(() => RequestOutcome, { description: '办理结果 (outcome)' })
  outcome!: RequestOutcome;

  @Field(() => Int, { description: '件数 (requests answered this way in the year)' })
  count!: number;
}

@ObjectType({
  description:
    '依申请公开办理情况，比率由合计数计算 (information-request figures; rates from summed counts, never averages of rates). ' +
    'Counts other than byOutcome and repliedInYear are of the requests RECEIVED in the year; byOutcome counts the REPLIES made in the year (annual report Table 3).',
})
export class RequestRollupFigures {
  @Field(() => Int, { description: '收到申请数 (requests received in the year)' })
  received!: number;

  @Field(() => Int, { description: '已答复 (of those, answered)' })
  answered!: number;

  @Field(() => Int, { description: '按期答复 (answered on or before the due date; a reply given while the clock stood counts as on time)' })
  answeredOnTime!: number;

  @Field(() => Int, { description: '逾期答复 (answered after the due date)' })
  answeredLate!: number;

  @Field(() => Int, { description: '尚未答复 (not answered yet, whatever the due date)' })
  open!: number;

  @Field(() => Int, { description: '逾期未答复 (not answered, due before today)' })
  overdue!: number;

  @Field(() => Int, { description: '计时中止 (not answered, clock stopped: a correction awaited or a consultation running)' })
  clockStopped!: number;

  @Field(() => Int, { description: '延长答复期限 (requests whose reply period was extended)' })
  extended!: number;

  @Field(() => Float, { nullable: true, description: '按期答复率 answeredOnTime / (answered + overdue) (null when nothing is answered or overdue)' })
  onTimeRate!: number | null;

  @Field(() => Int, { description: '本年答复数 (replies made in the year, whatever the year of receipt: the sum of byOutcome)' })
  repliedInYear!: number;

  @Field(() => [RequestRollupOutcomeCount], { description: '本年答复按办理结果 (replies made in the year by outcome, in the order of Table 3; outcomes with none left out)' })
  byOutcome!: RequestRollupOutcomeCount[];
}

@ObjectType({ description: '一个机关的依申请公开情况：本级与整个下辖 (one agency: its own requests and its whole subtree)' })
export class RequestRollupRow {
  @Field(() => ID, { description: '机关 (agency id)' })
  agencyId!: string;

  @Field(() => Agency, { description: '机关 (agency)' })
  agency?: Agency;

  @Field(() => RequestRollupFigures, { description: '本级 (own requests)' })
  own!: RequestRollupFigures;

  @Field(() => RequestRollupFigures, { description: '含下级合计 (the agency and everything below it)' })
  subtree!: RequestRollupFigures;
}

@ObjectType({ description: '依申请公开汇总 (information-request roll-up of a subtree; from maintained figures)' })
export class RequestRollup {
  @Field(() => Int, { description: '年度 (year)' })
  year!: number;

  @Field(() => DateScalar, { description: '统计日 (as-of date of "overdue": today)' })
  asOf!: string;

  @Field(() => [RequestRollupRow], { description: '各机关，自上而下 (every agency of the subtree, top down)' })
  rows!: RequestRollupRow[];
}
