import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
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

  @Query(() => CalendarChangeConnection, {
    description:
      '日历变更记录；重算数只含本机关及下级的时限，日历维护员看到全部 (recorded calendar changes, oldest first; the counts are the caller’s own part, the whole for a calendar operator)',
  })
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
    description:
      '设置某年度放假安排（仅日历维护员；须单独提交），随后系统重新计算受影响的未完成时限 (set a year’s arrangement — calendar operators only, alone in its operation; the system then recomputes the open deadlines depending on it)',
  })
  setCalendarEntries(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('input', () => SetCalendarEntriesInput) input: SetCalendarEntriesInput,
  ) {
    return calendarService.setEntries(ctx, info, input);
  }

  @Mutation(() => RemoveCalendarEntryPayload, {
    description:
      '删除一条日历登记（仅日历维护员；须单独提交），随后系统重新计算受影响的未完成时限 (remove an entry — calendar operators only, alone in its operation; the system then recomputes the open deadlines)',
  })
  removeCalendarEntry(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('input', () => RemoveCalendarEntryInput) input: RemoveCalendarEntryInput,
  ) {
    return calendarService.removeEntry(ctx, info, input);
  }

  @FieldResolver(() => Int, {
    description:
      '重新计算的未完成时限数（本机关及下级；日历维护员为全部）(open deadlines the system recomputed: the caller’s subtree, all for a calendar operator)',
  })
  async recomputed(@Root() change: CalendarChange, @Ctx() ctx: RequestContext): Promise<number> {
    return (await ctx.loaders.calendar.effects.load(change.id)).recomputed;
  }

  @FieldResolver(() => Int, {
    description: '其中截止日或暂定状态发生变化的时限数（同上范围）(of which the due date or provisional flag changed; same scope)',
  })
  async changed(@Root() change: CalendarChange, @Ctx() ctx: RequestContext): Promise<number> {
    return (await ctx.loaders.calendar.effects.load(change.id)).changed;
  }
}
