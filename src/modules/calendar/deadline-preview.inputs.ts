import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { DeadlineRuleInput, DeadlineRuleType } from '../catalogue/catalogue.inputs';
import { DeadlineExplanation } from '../publication/publication.inputs';
import { DateScalar } from './date-scalar';

@InputType({ description: '暂停计算区间 (a pause of the clock, both days inclusive)' })
export class DeadlinePauseInput {
  @Field(() => String, { description: '暂停开始日期 (first paused day: date or instant)' })
  @MaxLength(40)
  from!: string;

  @Field(() => String, { nullable: true, description: '暂停结束日期，空表示尚未恢复 (last paused day; null while still paused)' })
  @IsOptional()
  @MaxLength(40)
  to?: string | null;
}

@InputType({ description: '时限试算 (compute a due date without creating anything)' })
export class DeadlinePreviewInput {
  @Field(() => DeadlineRuleInput, { description: '时限规则 (the rule)' })
  rule!: DeadlineRuleInput;

  @Field(() => String, {
    description: '起算日期或时刻 (start: a date, or an instant such as 2026-10-01T09:00:00+08:00, required for HOURS)',
  })
  @MaxLength(40)
  start!: string;

  @Field(() => [DeadlinePauseInput], { nullable: true, description: '暂停计算 (pauses; WORKING_DAYS and CALENDAR_DAYS only)' })
  @IsOptional()
  @ArrayMaxSize(50)
  pauses?: DeadlinePauseInput[] | null;

  @Field(() => Int, { nullable: true, description: '延长的工作日数（一次）(one extension in working days after the original due date)' })
  @IsOptional()
  extensionWorkingDays?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: '自然日期限末日遇节假日顺延 (CALENDAR_DAYS only: roll an end on a rest day forward to the next working day)',
  })
  @IsOptional()
  rollForwardToWorkingDay?: boolean | null;

  @Field(() => String, { nullable: true, description: '参照日期，仅用于说明 (reference date, e.g. today; only reported in the explanation)' })
  @IsOptional()
  @MaxLength(40)
  asOf?: string | null;
}

@ObjectType('DeadlinePreview', { description: '时限试算结果 (a computed due date; nothing is stored)' })
export class DeadlinePreview {
  @Field(() => DateScalar, { nullable: true, description: '截止日 (due date; null while paused or when nothing is due)' })
  due!: string | null;

  @Field(() => String, { nullable: true, description: '截止时刻（按小时计算的时限）(due instant, +08:00, for HOURS rules)' })
  dueAt!: string | null;

  @Field(() => Boolean, { description: '是否暂停中 (a pause without an end stops the clock)' })
  paused!: boolean;

  @Field(() => Int, { nullable: true, description: '暂停前已计天数 (days counted before the running pause)' })
  countedSoFar!: number | null;

  @Field(() => DateScalar, { nullable: true, description: '暂停开始日期 (first day of the running pause)' })
  pausedSince!: string | null;

  @Field(() => Boolean, { description: '是否暂定 (provisional: depends on a year whose holidays are not confirmed)' })
  provisional!: boolean;

  @Field(() => [String], { description: '暂定原因 (why provisional)' })
  reasons!: string[];

  @Field(() => [Int], { description: '依据的日历年度 (calendar years the due date depends on)' })
  yearsConsulted!: number[];

  @Field(() => DeadlineRuleType, { description: '采用的时限规则 (the rule, as understood)' })
  rule!: DeadlineRuleType;

  @Field(() => DeadlineExplanation, { description: '计算说明 (explanation)' })
  explanation!: DeadlineExplanation;
}
