import type { EntityManager } from '@mikro-orm/postgresql';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import { requirePrincipal } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import { selectLean, type Lean } from '../../db/row-mapper';
import { sql, uuidArrayLiteral } from '../../db/sql';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { AppError, badInput } from '../../graphql/errors';
import { paginateQb } from '../../graphql/paginate';
import type { Logger } from '../../logger';
import { CalendarChange, CalendarChangeAction, CalendarDayKind, CalendarEntry, CalendarYear } from './calendar.entity';
import {
  CALENDAR_LOCK_KEY,
  notAnOperator,
  recomputeAfterChange,
  recomputePendingCalendarChanges,
  writeCalendarAsOperator,
} from './calendar-system';
import type { CalendarYearType, RemoveCalendarEntryInput, SetCalendarEntriesInput } from './calendar.inputs';
import { DayReasonEnum, DaySourceEnum, type CalendarDayType } from './calendar.inputs';
import { addDays, daysBetween, isIsoDate, parseIsoDate, yearOf } from './date-utils';
import {
  PACKAGE_COVERED_YEARS,
  validateCalendarEntries,
  WorkingCalendar,
  type CalendarEntry as CalendarEntryValue,
} from './working-calendar';

/** Longest range `calendarDays` answers in one call. */
export const MAX_CALENDAR_RANGE_DAYS = 400;

const KIND_LABEL: Record<CalendarDayKind, string> = { HOLIDAY: '放假', WORKDAY: '上班' };

/** Dates the arrangement of `year` may decide: the year itself and 元旦 spill-over into late December. */
function belongsToArrangement(date: string, year: number): boolean {
  const { year: y, month, day } = parseIsoDate(date);
  return y === year || (y === year - 1 && month === 12 && day >= 25);
}

export class CalendarService {
  /** The working calendar as stored: built-in data plus administrator entries and confirmed years (one statement). */
  async load(em: EntityManager): Promise<WorkingCalendar> {
    const rows = await sql<{ date: string | null; kind: CalendarDayKind | null; name: string | null; year: number | null }>(
      em,
      `select e.date::text as date, e.kind::text as kind, e.name, null::int as year from calendar_entry e
       union all
       select null, null, null, y.year from calendar_year y where y.confirmed`,
    );
    const entries: CalendarEntryValue[] = [];
    const confirmedYears: number[] = [];
    for (const r of rows) {
      if (r.date) entries.push({ date: r.date, kind: r.kind!, name: r.name! });
      else if (r.year != null) confirmedYears.push(Number(r.year));
    }
    return new WorkingCalendar({ entries, confirmedYears });
  }

  /**
   * The shared side of the calendar lock. Anything that stores a due date takes it first in its
   * transaction — before any row lock, so it can never wait for a calendar change while holding a
   * row that change needs.
   */
  async lockShared(em: EntityManager): Promise<void> {
    await sql(em, `select pg_advisory_xact_lock_shared(?::bigint)`, [CALENDAR_LOCK_KEY]);
  }

  /** The calendar as committed now, for computing due dates in a mutation holding `lockShared`. */
  async loadForDeadlines(ctx: RequestContext): Promise<WorkingCalendar> {
    ctx.loaders.calendar.reset();
    return ctx.loaders.calendar.working();
  }

  async days(ctx: RequestContext, from: string, to: string): Promise<CalendarDayType[]> {
    requirePrincipal(ctx);
    if (to < from) throw badInput('to', '结束日期早于开始日期 (to is before from)');
    if (daysBetween(from, to) >= MAX_CALENDAR_RANGE_DAYS) {
      throw badInput('to', `一次最多查询${MAX_CALENDAR_RANGE_DAYS}天 (at most ${MAX_CALENDAR_RANGE_DAYS} days per query)`);
    }
    const calendar = await ctx.loaders.calendar.working();
    const out: CalendarDayType[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const info = calendar.dayInfo(d);
      out.push({
        date: info.date,
        working: info.working,
        reason: info.reason as DayReasonEnum,
        holidayName: info.name,
        source: info.source as DaySourceEnum,
        confirmed: info.confirmed,
      });
    }
    return out;
  }

  /** Every year the calendar knows: built in, or with administrator entries or confirmation. */
  async years(ctx: RequestContext): Promise<CalendarYearType[]> {
    requirePrincipal(ctx);
    const rows = await sql<{ year: number; confirmed: boolean | null; note: string | null; entries: string }>(
      ctx.em,
      `select coalesce(y.year, e.year) as year, y.confirmed, y.note, coalesce(e.n, 0) as entries
         from calendar_year y
         full join (select year, count(*) as n from calendar_entry group by year) e on e.year = y.year`,
    );
    const byYear = new Map<number, CalendarYearType>();
    for (const year of PACKAGE_COVERED_YEARS) {
      byYear.set(year, { year, confirmed: true, packageCovered: true, confirmedByAdmin: false, entryCount: 0, note: '' });
    }
    for (const r of rows) {
      const year = Number(r.year);
      const packageCovered = PACKAGE_COVERED_YEARS.includes(year);
      byYear.set(year, {
        year,
        packageCovered,
        confirmedByAdmin: r.confirmed === true,
        confirmed: packageCovered || r.confirmed === true,
        entryCount: Number(r.entries),
        note: r.note ?? '',
      });
    }
    return [...byYear.values()].sort((a, b) => b.year - a.year);
  }

  async year(ctx: RequestContext, year: number): Promise<CalendarYearType> {
    const all = await this.years(ctx);
    return (
      all.find((y) => y.year === year) ?? {
        year,
        confirmed: false,
        packageCovered: false,
        confirmedByAdmin: false,
        entryCount: 0,
        note: '',
      }
    );
  }

  async entries(ctx: RequestContext, year: number): Promise<Lean<CalendarEntry>[]> {
    requirePrincipal(ctx);
    return selectLean(ctx.em, CalendarEntry, 'where t.year = ? order by t.date', [year]);
  }

  async changes(ctx: RequestContext, args: ConnectionArgs): Promise<Connection<Lean<CalendarChange>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(CalendarChange, 'c');
    return paginateQb(ctx.em, qb, args, { column: 'created_at', value: (c) => c.createdAt.toISOString() });
  }

  /**
   * The national calendar is kept by the deployment's calendar operators (npm run calendar:operator),
   * a capability outside tenancy that no agency role carries — not even a province's administrator.
   * A calendar change commits on its own (the operator's transaction, then the system's), so it must
   * be the only field of its operation: nothing else could be rolled back with it, and an earlier
   * mutation of the same request holding the calendar's shared lock would wait on it forever.
   */
  assertCalendarOperator(ctx: RequestContext, info: GraphQLResolveInfo, action: string): Principal {
    const p = requirePrincipal(ctx);
    if (!p.calendarOperator || p.readOnly || p.evaluatorToken) throw notAnOperator(action);
    const fields = info.operation.selectionSet.selections.filter((s) => !(s.kind === Kind.FIELD && s.name.value === '__typename'));
    if (fields.length !== 1) {
      throw badInput(
        info.fieldName,
        `工作日历的变更须单独提交，不能与其他操作放在同一请求中 (${action} must be the only field of its operation)`,
      );
    }
    return p;
  }

  /**
   * Replaces the entries of one year's arrangement and sets whether it is confirmed, as the operator;
   * then the system recomputes every open deadline depending on a changed year (its own transaction).
   */
  async setEntries(
    ctx: RequestContext,
    info: GraphQLResolveInfo,
    input: SetCalendarEntriesInput,
  ): Promise<{ year: CalendarYearType; change: Lean<CalendarChange> }> {
    const action = '设置放假安排 (setCalendarEntries)';
    const p = this.assertCalendarOperator(ctx, info, action);
    const wanted = input.entries.map((e) => ({ date: e.date?.trim(), kind: e.kind, name: e.name?.trim() ?? '' }));
    const problems = validateCalendarEntries(wanted as CalendarEntryValue[]);
    if (problems.length > 0) {
      const first = problems[0]!;
      throw badInput(`input.entries.${first.index}.${first.field}`, first.message, {
        problems: problems.map((q) => ({ field: `input.entries.${q.index}.${q.field}`, message: q.message })),
      });
    }
    wanted.forEach((e, i) => {
      if (!belongsToArrangement(e.date, input.year)) {
        throw badInput(
          `input.entries.${i}.date`,
          `${e.date}不属于${input.year}年的放假安排（只能是该年的日期或上一年12月25日之后的元旦调休）(date outside the ${input.year} arrangement)`,
        );
      }
    });
    // The same date twice with the same kind is harmless (validateCalendarEntries allows it): keep one.
    const byDate = new Map(wanted.map((e) => [e.date, e]));
    const note = input.note?.trim();

    const changeId = await writeCalendarAsOperator(p.accountId, action, async (em) => {
      const current = await em.find(CalendarEntry, { year: input.year });
      const clashes = byDate.size ? await em.find(CalendarEntry, { date: { $in: [...byDate.keys()] }, year: { $ne: input.year } }) : [];
      const yearRow = await em.findOne(CalendarYear, { year: input.year });
      if (clashes.length > 0) {
        const clash = clashes[0]!;
        const index = wanted.findIndex((e) => e.date === clash.date);
        throw badInput(
          `input.entries.${index}.date`,
          `${clash.date}已登记在${clash.year}年的安排中，请先在该年度删除 (already entered under ${clash.year})`,
        );
      }
      const currentByDate = new Map(current.map((e) => [e.date, e]));
      const added: CalendarEntryValue[] = [];
      const changed: Array<{ before: CalendarEntryValue; after: CalendarEntryValue }> = [];
      const removed: CalendarEntryValue[] = [];
      for (const e of byDate.values()) {
        const existing = currentByDate.get(e.date);
        if (!existing) {
          added.push(e as CalendarEntryValue);
          em.create(CalendarEntry, { date: e.date, year: input.year, kind: e.kind, name: e.name, createdBy: p.username });
        } else if (existing.kind !== e.kind || existing.name !== e.name) {
          changed.push({ before: { date: existing.date, kind: existing.kind, name: existing.name }, after: e as CalendarEntryValue });
          existing.kind = e.kind;
          existing.name = e.name;
          existing.createdBy = p.username;
        }
      }
      for (const e of current) {
        if (!byDate.has(e.date)) {
          removed.push({ date: e.date, kind: e.kind, name: e.name });
          em.remove(e);
        }
      }
      const confirmedBefore = yearRow?.confirmed ?? false;
      if (yearRow) {
        yearRow.confirmed = input.confirmed;
        if (note != null) yearRow.note = note;
        yearRow.updatedBy = p.username;
      } else {
        em.create(CalendarYear, { year: input.year, confirmed: input.confirmed, note: note ?? '', updatedBy: p.username });
      }

      const touched = [...added, ...removed, ...changed.map((c) => c.after)];
      const affected = new Set<number>(touched.map((e) => yearOf(e.date)));
      if (touched.length > 0 || confirmedBefore !== input.confirmed) affected.add(input.year);
      const describe = (e: CalendarEntryValue) => `${e.date} ${KIND_LABEL[e.kind]} ${e.name}`;
      const parts = [
        added.length ? `新增${added.length}条（${added.map(describe).join('；')}）` : '',
        changed.length ? `修改${changed.length}条（${changed.map((c) => `${describe(c.before)} → ${describe(c.after)}`).join('；')}）` : '',
        removed.length ? `删除${removed.length}条（${removed.map(describe).join('；')}）` : '',
        confirmedBefore !== input.confirmed ? `确认状态：${confirmedBefore ? '已确认' : '未确认'} → ${input.confirmed ? '已确认' : '未确认'}` : '',
      ].filter(Boolean);
      const summary = `${input.year}年放假安排：${parts.length ? parts.join('，') : '无变化'}`;
      const change = em.create(CalendarChange, {
        actor: p.username,
        action: CalendarChangeAction.SET_ENTRIES,
        year: input.year,
        summary,
        details: {
          added,
          changed,
          removed,
          confirmedBefore,
          confirmedAfter: input.confirmed,
          note: note ?? null,
          recomputeReason: `${input.year}年放假安排调整`,
        },
        affectedYears: [...affected].sort((a, b) => a - b),
      });
      await em.flush();
      return change.id;
    });
    const change = await this.afterChange(ctx, changeId);
    return { year: await this.year(ctx, input.year), change };
  }

  async removeEntry(
    ctx: RequestContext,
    info: GraphQLResolveInfo,
    input: RemoveCalendarEntryInput,
  ): Promise<{ removedDate: string; change: Lean<CalendarChange> }> {
    const action = '删除日历登记 (removeCalendarEntry)';
    const p = this.assertCalendarOperator(ctx, info, action);
    if (!isIsoDate(input.date)) throw badInput('input.date', '不是有效的日期 (not a valid date)');
    const changeId = await writeCalendarAsOperator(p.accountId, action, async (em) => {
      const entry = await em.findOne(CalendarEntry, { date: input.date });
      if (!entry) throw new AppError('NOT_FOUND', `${input.date}没有日历登记 (no calendar entry on this date)`, { field: 'input.date' });
      const removed: CalendarEntryValue = { date: entry.date, kind: entry.kind, name: entry.name };
      em.remove(entry);
      const affected = [...new Set([entry.year, yearOf(entry.date)])].sort((a, b) => a - b);
      const change = em.create(CalendarChange, {
        actor: p.username,
        action: CalendarChangeAction.REMOVE_ENTRY,
        year: entry.year,
        summary: `${entry.year}年放假安排：删除1条（${removed.date} ${KIND_LABEL[removed.kind]} ${removed.name}）`,
        details: { added: [], changed: [], removed: [removed], recomputeReason: `删除日历登记${entry.date}` },
        affectedYears: affected,
      });
      await em.flush();
      return change.id;
    });
    return { removedDate: input.date, change: await this.afterChange(ctx, changeId) };
  }

  /**
   * After the operator's change committed: the system recomputes (its own transaction), then the
   * change is read back through the caller's gate. If the recomputation fails the change stands with
   * `recomputedAt` null and start-up finishes it; the caller is told so instead of a silent success.
   */
  private async afterChange(ctx: RequestContext, changeId: string): Promise<Lean<CalendarChange>> {
    ctx.loaders.calendar.reset();
    try {
      await recomputeAfterChange(changeId, (em) => this.load(em));
    } catch (err) {
      ctx.log.error({ err, changeId }, 'calendar change saved, recomputing open deadlines failed');
      throw new AppError(
        'INTERNAL_SERVER_ERROR',
        '工作日历已保存，但未完成时限的重算失败，服务重启时将自动补算 (the calendar change is saved; recomputing open deadlines failed and is finished at the next start)',
        { changeId },
      );
    }
    const [change] = await selectLean(ctx.em, CalendarChange, 'where t.id = ?', [changeId]);
    return change!;
  }

  /** Start-up: finishes recomputations a crash interrupted (see calendar-system.ts). */
  finishPendingRecomputations(log: Logger): Promise<number> {
    return recomputePendingCalendarChanges(log, (em) => this.load(em));
  }

  /**
   * The caller's part of changes' effects: the open deadlines of agencies it may read (row-level
   * security on calendar_change_effect; a calendar operator reads all of them), per change id.
   */
  async effects(em: EntityManager, changeIds: readonly string[]): Promise<Map<string, { recomputed: number; changed: number }>> {
    const rows = await sql<{ change_id: string; recomputed: string; changed: string }>(
      em,
      `select change_id, sum(recomputed) as recomputed, sum(changed) as changed
         from calendar_change_effect where change_id = any(?::uuid[]) group by change_id`,
      [uuidArrayLiteral(changeIds)],
    );
    return new Map(rows.map((r) => [r.change_id, { recomputed: Number(r.recomputed), changed: Number(r.changed) }]));
  }
}

export const calendarService = new CalendarService();
