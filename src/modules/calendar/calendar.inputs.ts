import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { ConnectionType } from '../../graphql/connection';
import { CalendarChange, CalendarDayKind } from './calendar.entity';
import { DateScalar } from './date-scalar';

export const CalendarChangeConnection = ConnectionType(CalendarChange, 'CalendarChange', '日历变更记录');

export enum DayReasonEnum {
  WEEKDAY = 'WEEKDAY',
  WEEKEND = 'WEEKEND',
  HOLIDAY = 'HOLIDAY',
  MAKEUP_WORKDAY = 'MAKEUP_WORKDAY',
}
export enum DaySourceEnum {
  PACKAGE = 'PACKAGE',
  ENTRY = 'ENTRY',
  WEEKDAY_RULE = 'WEEKDAY_RULE',
  ESTIMATE = 'ESTIMATE',
}
registerEnumType(DayReasonEnum, {
  name: 'DayReason',
  description: '工作日判断依据 (why a day is or is not a working day)',
  valuesConfig: {
    WEEKDAY: { description: '周一至周五 (ordinary weekday)' },
    WEEKEND: { description: '周末 (weekend)' },
    HOLIDAY: { description: '法定节假日或放假 (holiday / day off)' },
    MAKEUP_WORKDAY: { description: '调休上班 (make-up working day on a weekend)' },
  },
});
registerEnumType(DaySourceEnum, {
  name: 'DaySource',
  description: '日历数据来源 (where the day’s status comes from)',
  valuesConfig: {
    PACKAGE: { description: '内置国务院放假安排 (built-in State Council arrangement)' },
    ENTRY: { description: '管理员登记 (administrator entry)' },
    WEEKDAY_RULE: { description: '按周一至周五推算 (Monday–Friday rule)' },
    ESTIMATE: {
      description: '按《全国年节及纪念日放假办法》估算的法定节假日（当年安排未公布）(estimated statutory holiday of a year not yet announced)',
    },
  },
});

@ObjectType('CalendarDay', { description: '日历中的一天 (one day of the working calendar)' })
export class CalendarDayType {
  @Field(() => DateScalar, { description: '日期 (date)' })
  date!: string;

  @Field(() => Boolean, { description: '是否工作日 (working day)' })
  working!: boolean;

  @Field(() => DayReasonEnum, { description: '依据 (reason)' })
  reason!: DayReasonEnum;

  @Field(() => String, { nullable: true, description: '节假日名称 (holiday name, also on its make-up working days)' })
  holidayName!: string | null;

  @Field(() => DaySourceEnum, { description: '来源 (source)' })
  source!: DaySourceEnum;

  @Field(() => Boolean, { description: '是否已确认 (false while the year’s arrangement is not yet confirmed)' })
  confirmed!: boolean;
}

@ObjectType('CalendarYear', { description: '年度放假安排状态 (status of a year’s holiday arrangement)' })
export class CalendarYearType {
  @Field(() => Int, { description: '年度 (year)' })
  year!: number;

  @Field(() => Boolean, { description: '是否已确认 (confirmed: built in, or entered and confirmed by an administrator)' })
  confirmed!: boolean;

  @Field(() => Boolean, { description: '内置数据已包含 (covered by the built-in State Council data)' })
  packageCovered!: boolean;

  @Field(() => Boolean, { description: '管理员已确认 (confirmed by an administrator)' })
  confirmedByAdmin!: boolean;

  @Field(() => Int, { description: '管理员登记条数 (number of administrator entries)' })
  entryCount!: number;

  @Field(() => String, { description: '备注 (note, e.g. the notice number)' })
  note!: string;
}

@InputType({ description: '一条日历登记 (one calendar entry)' })
export class CalendarEntryInput {
  /** Kept as a plain string so that malformed dates are reported per entry (`input.entries.3.date`). */
  @Field(() => String, { description: '日期 YYYY-MM-DD (date)' })
  @MaxLength(10)
  date!: string;

  @Field(() => CalendarDayKind, { description: '类型 (kind)' })
  kind!: CalendarDayKind;

  @Field(() => String, { description: '名称 (name, e.g. 元旦)' })
  @MaxLength(100)
  name!: string;
}

@InputType({ description: '设置某年度的放假安排：替换该年度全部登记 (set a year’s arrangement, replacing its entries)' })
export class SetCalendarEntriesInput {
  @Field(() => Int, { description: '年度 (year of the arrangement)' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => [CalendarEntryInput], {
    description: '登记 (entries: dates of the year, or of the last week of December before it for 元旦)',
  })
  @ArrayMaxSize(200)
  entries!: CalendarEntryInput[];

  @Field(() => Boolean, { description: '是否已确认全年安排 (the year’s arrangement is complete and confirmed)' })
  confirmed!: boolean;

  @Field(() => String, { nullable: true, description: '备注 (note, e.g. 国办发明电〔2026〕x号)' })
  @IsOptional()
  @MaxLength(500)
  note?: string | null;
}

@InputType({ description: '删除一条日历登记 (remove a calendar entry)' })
export class RemoveCalendarEntryInput {
  @Field(() => DateScalar, { description: '日期 (date)' })
  date!: string;
}

@ObjectType({ description: '设置放假安排结果 (result of setting a year’s arrangement)' })
export class SetCalendarEntriesPayload {
  @Field(() => CalendarYearType, { description: '年度状态 (the year)' })
  year!: CalendarYearType;

  @Field(() => CalendarChange, { description: '变更记录 (the recorded change)' })
  change!: CalendarChange;
}

@ObjectType({ description: '删除日历登记结果 (result of removing an entry)' })
export class RemoveCalendarEntryPayload {
  @Field(() => DateScalar, { description: '已删除的日期 (date removed)' })
  removedDate!: string;

  @Field(() => CalendarChange, { description: '变更记录 (the recorded change)' })
  change!: CalendarChange;
}
