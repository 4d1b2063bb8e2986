import { Arg, Args, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { CalendarChange, CalendarEntry } from './calendar.entity';
import {
  CalendarChangeConnection,
  CalendarDayType,
  CalendarYearType,
  RemoveCalendarEntryInput,
  RemoveCalendarEntryPayload,
  SetCalendarEntriesInput,
  SetCalendarEntriesPayload,
} from './calendar.inputs';
import { calendarService } from './calendar.service';
import { DeadlinePreview, DeadlinePreviewInput } from './deadline-preview.inputs';
import { previewDeadline } from './deadline-preview.service';
import { DateScalar } from './date-scalar';

@Resolver(() => CalendarChange)
export class CalendarResolver {
  @Query(() => [CalendarDayType], {
    description: '工作日历：区间内每一天是否工作日及依据 (each day of a range: working or not, why, and whether confirmed)',
  })
  calendarDays(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => DateScalar, { description: '开始日期 (first day)' }) from: string,
    @Arg('to', () => DateScalar, { description: '结束日期，最多400天 (last day; at most 400 days)' }) to: string,
  ) {
    return calendarService.days(ctx, from, to);
  }

  @Query(() => [CalendarYearType], { description: '各年度放假安排状态 (which years’ arrangements are known and confirmed)' })
  calendarYears(@Ctx() ctx: RequestContext) {
    return calendarService.years(ctx);
  }

  @Query(() => [CalendarEntry], { description: '某年度的管理员登记 (administrator entries of one year’s arrangement)' })
  calendarEntries(@Ctx() ctx: RequestContext, @Arg('year', () => Int, { description: '年度 (year)' }) year: number) {
    return calendarService.entries(ctx, year);
  }

  @Query(() => CalendarChangeConnection, { description: '日历变更记录 (recorded calendar changes, oldest first)' })
  calendarChanges(@Ctx() ctx: RequestContext, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return calendarService.changes(ctx, args);
  }

  @Query(() => DeadlinePreview, {
    description:
      '时限试算：按规则、起算日、暂停和一次延长计算截止日及说明，不保存任何数据 (compute a due date with the same engine as stored deadlines; creates nothing)',
  })
  deadlinePreview(@Ctx() ctx: RequestContext, @Arg('input', () => DeadlinePreviewInput) input: DeadlinePreviewInput) {
    return previewDeadline(ctx, input);
  }

  @Mutation(() => SetCalendarEntriesPayload, {
    description: '设置某年度放假安排并重新计算受影响的未完成时限 (set a year’s arrangement; open deadlines depending on it are recomputed)',
  })
  setCalendarEntries(@Ctx() ctx: RequestContext, @Arg('input', () => SetCalendarEntriesInput) input: SetCalendarEntriesInput) {
    return calendarService.setEntries(ctx, input);
  }

  @Mutation(() => RemoveCalendarEntryPayload, {
    description: '删除一条日历登记并重新计算受影响的未完成时限 (remove an entry; open deadlines depending on it are recomputed)',
  })
  removeCalendarEntry(@Ctx() ctx: RequestContext, @Arg('input', () => RemoveCalendarEntryInput) input: RemoveCalendarEntryInput) {
    return calendarService.removeEntry(ctx, input);
  }
}
