/**
 * Computes due dates for deadline rules (公开时限 / 答复期限) against the official working calendar,
 * with an explanation precise enough to be shown to staff and applicants.
 *
 * Pure: no clock, no I/O. Dates are China-local ISO dates; instants are converted with the fixed
 * +08:00 offset, so results do not depend on the server's time zone.
 */
import type { DeadlineRule } from './deadline-rule';
import {
  addDays,
  chinaDateOfInstant,
  daysBetween,
  daysInMonth,
  formatChinaInstant,
  formatIsoDate,
  isIsoDate,
  isIsoInstantString,
  parseInstant,
  toChinaDate,
  weekdayNameZh,
  yearOf,
} from './date-utils';
import { statutoryHolidays } from './statutory-holidays';
import { WorkingCalendar, yearsAffectingDate, type DayInfo } from './working-calendar';

export type DeadlinePause = {
  /** First day on which the clock is stopped (inclusive). */
  from: string;
  /** Last day on which the clock is stopped (inclusive); null/absent while the pause is still running. */
  to?: string | null;
};

export type DeadlineInput = {
  rule: DeadlineRule;
  /** ISO date of the triggering event, or an ISO instant (required for HOURS; otherwise its China date is used). */
  start: string;
  /** Only for WORKING_DAYS and CALENDAR_DAYS, e.g. while waiting for an applicant's supplementary material (补正). */
  pauses?: readonly DeadlinePause[] | null;
  /** One extension, counted in working days after the original due date (e.g. 延长答复期限20个工作日). */
  extensionWorkingDays?: number | null;
  /**
   * Reference date (typically today) for KEEP_CURRENT and YEARLY_FIXED_DATE. It never changes the due
   * date — which depends only on the rule and start — but is reported in the explanation.
   */
  asOf?: string | null;
  /**
   * CALENDAR_DAYS only. Statutory calendar-day periods in this domain (e.g. "N日内") are not rolled
   * forward when they end on a weekend or holiday, so the default is false; agencies whose own rules
   * say otherwise can opt in.
   */
  rollForwardToWorkingDay?: boolean;
};

export type ExplanationStepKind =
  | 'COUNTED'
  | 'COUNTED_MAKEUP_WORKDAY'
  | 'SKIPPED_WEEKEND'
  | 'SKIPPED_HOLIDAY'
  | 'PAUSED'
  | 'EXTENSION';

export type ExplanationStep = {
  date: string;
  kind: ExplanationStepKind;
  /** Position of a counted day within its period (the extension restarts at 1). */
  ordinal?: number;
  /** Holiday name for skipped holidays and for counted make-up working days; otherwise null/absent. */
  name?: string | null;
};

export type Explanation = {
  rule: DeadlineRule;
  start: string;
  steps: ExplanationStep[];
  summary: string;
};

export type DeadlineResult = {
  /** China-local due date (inclusive); null while paused or when the rule sets no due date. */
  due: string | null;
  /** HOURS only: the due instant with +08:00 offset. */
  dueInstant?: string;
  /** True while an open pause stops the clock. */
  paused: boolean;
  /** When paused: days already counted (original period plus extension, in the rule's unit). */
  countedSoFar?: number;
  /** When paused: the first day of the running pause. */
  pausedSince?: string;
  provisional: boolean;
  provisionalReasons: string[];
  /** Every year whose calendar arrangement the result depends on, ascending. */
  yearsConsulted: number[];
  explanation: Explanation;
};

export class DeadlineInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'DeadlineInputError';
  }
}

/** Guards against runaway loops from absurd rules; no real disclosure period comes near 100 years. */
const MAX_PERIOD_DAYS = 36_600;

type NormalisedPause = { index: number; from: string; to: string | null };

export function computeDeadline(input: DeadlineInput, calendar: WorkingCalendar): DeadlineResult {
  const rule = input.rule;
  switch (rule.kind) {
    case 'WORKING_DAYS':
    case 'CALENDAR_DAYS':
      return computeCountedPeriod(input, rule, calendar);
    case 'HOURS':
      rejectPeriodOptions(input, rule.kind);
      return computeHours(input, rule);
    case 'YEARLY_FIXED_DATE':
      rejectPeriodOptions(input, rule.kind);
      return computeYearly(input, rule);
    case 'KEEP_CURRENT':
      rejectPeriodOptions(input, rule.kind);
      return computeKeepCurrent(input, rule);
    default: {
      const unknownRule: unknown = rule;
      throw new DeadlineInputError('rule', `未知的时限规则：${JSON.stringify(unknownRule)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// WORKING_DAYS / CALENDAR_DAYS
// ---------------------------------------------------------------------------------------------

/** Records which calendar data the computation looked at, for `provisional` and `yearsConsulted`. */
class CalendarTrace {
  readonly years = new Set<number>();
  /** Unconfirmed year → whether a day inside that year (rather than only its New Year spill-over) was examined. */
  private readonly unconfirmed = new Map<number, boolean>();
  /** Unconfirmed year → estimated statutory holidays met (name → dates), in the order met. */
  private readonly estimated = new Map<number, Map<string, string[]>>();

  constructor(private readonly calendar: WorkingCalendar) {}

  consult(date: string): DayInfo {
    const info = this.calendar.dayInfo(date);
    for (const year of yearsAffectingDate(date)) this.years.add(year);
    if (!info.confirmed) {
      const ownYear = yearOf(date);
      for (const year of this.calendar.unconfirmedYearsAffecting(date)) {
        this.unconfirmed.set(year, (this.unconfirmed.get(year) ?? false) || year === ownYear);
      }
    }
    if (info.source === 'ESTIMATE') {
      const byName = this.estimated.get(yearOf(date)) ?? new Map<string, string[]>();
      const dates = byName.get(info.name ?? '节假日') ?? [];
      if (!dates.includes(date)) dates.push(date);
      byName.set(info.name ?? '节假日', dates);
      this.estimated.set(yearOf(date), byName);
    }
    return info;
  }

  reasons(): string[] {
    return [...this.unconfirmed.entries()]
      .sort(([a], [b]) => a - b)
      .map(([year, direct]) => {
        if (!direct) {
          return `${year}年元旦的放假安排尚未确认，可能调整${year - 1}年12月下旬的上班安排，按周一至周五推算`;
        }
        if (statutoryHolidays(year).length === 0) {
          return `${year}年的节假日安排尚未确认（国务院通常在上一年年底公布），按周一至周五推算`;
        }
        const met = this.estimated.get(year);
        const assumed =
          met && met.size > 0
            ? `计算中按法定节假日跳过：${[...met.entries()].map(([name, dates]) => `${name}（${dateRuns(dates)}）`).join('、')}`
            : '计算期间未遇到法定节假日';
        return (
          `${year}年的节假日安排尚未确认（国务院通常在上一年年底公布），截止日为估算：` +
          `按《全国年节及纪念日放假办法》的法定节假日及周末休息估算，${assumed}；` +
          `未计入当年通知可能另行安排的调休放假和补班`
        );
      });
  }

  yearsConsulted(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }
}

/** "2027-02-05至2027-02-08、2027-04-05" for ascending dates. */
function dateRuns(dates: readonly string[]): string {
  const sorted = [...dates].sort();
  const runs: Array<{ from: string; to: string }> = [];
  for (const d of sorted) {
    const last = runs[runs.length - 1];
    if (last && addDays(last.to, 1) === d) last.to = d;
    else runs.push({ from: d, to: d });
  }
  return runs.map((r) => (r.from === r.to ? r.from : `${r.from}至${r.to}`)).join('、');
}

/** The name shown for a skipped or counted day; estimated holidays say so. */
function stepName(info: DayInfo): string | null {
  if (info.name == null) return null;
  return info.source === 'ESTIMATE' ? `${info.name}（估算）` : info.name;
}

type CountOutcome =
  | { kind: 'DONE'; end: string; counted: number }
  | { kind: 'PAUSED'; counted: number; pausedSince: string };

function computeCountedPeriod(
  input: DeadlineInput,
  rule: Extract<DeadlineRule, { kind: 'WORKING_DAYS' | 'CALENDAR_DAYS' }>,
  calendar: WorkingCalendar,
): DeadlineResult {
  const days = requireCount(rule.days, 'rule.days');
  const start = normaliseDate(input.start, 'start');
  const pauses = normalisePauses(input.pauses ?? [], start);
  const extension = input.extensionWorkingDays == null ? 0 : requireCount(input.extensionWorkingDays, 'extensionWorkingDays');
  if (input.asOf != null) normaliseDate(input.asOf, 'asOf');
  const rollForward = input.rollForwardToWorkingDay === true;
  if (rollForward && rule.kind !== 'CALENDAR_DAYS') {
    throw new DeadlineInputError('rollForwardToWorkingDay', '仅适用于自然日（CALENDAR_DAYS）期限');
  }

  const trace = new CalendarTrace(calendar);
  const steps: ExplanationStep[] = [];
  const pauseContaining = (date: string): NormalisedPause | undefined =>
    pauses.find((p) => p.from <= date && (p.to === null || date <= p.to));

  /**
   * Walks forward from the day after `after`, skipping paused days, until `n` days are counted.
   * `countDay` decides (and records) whether a non-paused day counts.
   */
  const walk = (after: string, n: number, countDay: (date: string, ordinal: number) => boolean): CountOutcome => {
    let cursor = after;
    let counted = 0;
    while (counted < n) {
      cursor = addDays(cursor, 1);
      const pause = pauseContaining(cursor);
      if (pause) {
        if (pause.to === null) {
          steps.push({ date: cursor, kind: 'PAUSED' });
          return { kind: 'PAUSED', counted, pausedSince: pause.from };
        }
        for (let d = cursor; d <= pause.to; d = addDays(d, 1)) steps.push({ date: d, kind: 'PAUSED' });
        cursor = pause.to;
        continue;
      }
      if (countDay(cursor, counted + 1)) counted += 1;
    }
    return { kind: 'DONE', end: cursor, counted };
  };

  const countWorkingDay =
    (counterKind: 'COUNTED' | 'EXTENSION') =>
    (date: string, ordinal: number): boolean => {
      const info = trace.consult(date);
      if (!info.working) {
        steps.push({ date, kind: info.reason === 'WEEKEND' ? 'SKIPPED_WEEKEND' : 'SKIPPED_HOLIDAY', name: stepName(info) });
        return false;
      }
      const makeup = info.reason === 'MAKEUP_WORKDAY';
      if (counterKind === 'EXTENSION') {
        steps.push({ date, kind: 'EXTENSION', ordinal, name: makeup ? info.name : null });
      } else {
        steps.push(makeup ? { date, kind: 'COUNTED_MAKEUP_WORKDAY', ordinal, name: info.name } : { date, kind: 'COUNTED', ordinal });
      }
      return true;
    };

  const countCalendarDay = (date: string, ordinal: number): boolean => {
    steps.push({ date, kind: 'COUNTED', ordinal });
    return true;
  };

  const unitLabel = rule.kind === 'WORKING_DAYS' ? '个工作日' : '个自然日';
  const head =
    rule.kind === 'WORKING_DAYS'
      ? `自${start}（${weekdayNameZh(start)}）起算${days}个工作日（第1日为其后的第一个工作日）`
      : `自${start}（${weekdayNameZh(start)}）起算${days}个自然日${rollForward ? '' : '（不因周末、节假日顺延）'}`;

  const main = walk(start, days, rule.kind === 'WORKING_DAYS' ? countWorkingDay('COUNTED') : countCalendarDay);
  const mainStepCount = steps.length;

  /** `text` ends where the running pause is to be described; the pause's own step is left out of the details. */
  const pausedResult = (
    outcome: Extract<CountOutcome, { kind: 'PAUSED' }>,
    countedBefore: number,
    text: string,
    detailsFrom: number,
  ): DeadlineResult => {
    const countedSoFar = countedBefore + outcome.counted;
    const details = describeSteps(steps.slice(detailsFrom, -1));
    const summary =
      `${text}${details ? `：${details}` : ''}；自${outcome.pausedSince}起暂停计算（尚未恢复），` +
      `已计${countedSoFar}${unitLabel}，截止日待恢复计算后确定。`;
    return finish(trace, { due: null, paused: true, countedSoFar, pausedSince: outcome.pausedSince }, input, start, steps, summary);
  };

  if (main.kind === 'PAUSED') return pausedResult(main, 0, head, 0);

  let due = main.end;
  const mainDetails = describeSteps(steps.slice(0, mainStepCount));
  let summary = `${head}${mainDetails ? `：${mainDetails}` : ''}`;
  if (rollForward) {
    const lastCounted = due;
    const lastInfo = trace.consult(lastCounted);
    if (!lastInfo.working) {
      const rollText = `${summary}，第${days}日${lastCounted}${dayLabel(lastInfo)}，顺延至下一个工作日`;
      const rolled = walk(lastCounted, 1, countWorkingDay('COUNTED'));
      if (rolled.kind === 'PAUSED') return pausedResult(rolled, days, rollText, mainStepCount);
      // The roll target is not an ordinal day of the period, so its step carries no ordinal.
      const target = steps[steps.length - 1];
      if (target) delete target.ordinal;
      summary = rollText;
      due = rolled.end;
    }
  }

  if (extension > 0) {
    const originalDue = due;
    const extensionFrom = steps.length;
    const extText = `${summary}，原截止${originalDue}；延长${extension}个工作日（自原截止日后起算）`;
    const ext = walk(originalDue, extension, countWorkingDay('EXTENSION'));
    if (ext.kind === 'PAUSED') return pausedResult(ext, days, extText, extensionFrom);
    const extDetails = describeSteps(steps.slice(extensionFrom));
    due = ext.end;
    summary = `${extText}${extDetails ? `：${extDetails}` : ''}`;
  }

  summary += `，截止${due}（${weekdayNameZh(due)}）。`;
  const latePauses = pauses.filter((p) => p.from > due);
  if (latePauses.length > 0) {
    summary += `${latePauses.map((p) => p.from).join('、')}起的暂停晚于截止日，不影响期限。`;
  }
  return finish(trace, { due, paused: false }, input, start, steps, summary);
}

function finish(
  trace: CalendarTrace,
  core: Pick<DeadlineResult, 'due' | 'paused' | 'countedSoFar' | 'pausedSince'>,
  input: DeadlineInput,
  start: string,
  steps: ExplanationStep[],
  summary: string,
): DeadlineResult {
  const provisionalReasons = trace.reasons();
  const provisional = provisionalReasons.length > 0;
  const fullSummary = provisional ? `${summary}结果为暂定：${provisionalReasons.join('；')}。` : summary;
  return {
    ...core,
    provisional,
    provisionalReasons,
    yearsConsulted: trace.yearsConsulted(),
    explanation: { rule: input.rule, start, steps, summary: fullSummary },
  };
}

function dayLabel(info: DayInfo): string {
  if (info.reason === 'HOLIDAY') return `为${stepName(info) ?? '节假日'}`;
  if (info.reason === 'WEEKEND') return `为${weekdayNameZh(info.date)}`;
  return '非工作日';
}

/**
 * Compresses steps into readable fragments: holiday runs with their dates, a weekend count, pause
 * runs and the make-up working days that were counted.
 */
function describeSteps(steps: readonly ExplanationStep[]): string {
  const holidayRuns: Array<{ name: string; from: string; to: string; count: number }> = [];
  const pauseRuns: Array<{ from: string; to: string; count: number }> = [];
  const makeups: string[] = [];
  let weekends = 0;
  for (const step of steps) {
    if (step.kind === 'SKIPPED_HOLIDAY') {
      const name = step.name ?? '节假日';
      const last = holidayRuns[holidayRuns.length - 1];
      if (last && last.name === name && addDays(last.to, 1) === step.date) {
        last.to = step.date;
        last.count += 1;
      } else {
        holidayRuns.push({ name, from: step.date, to: step.date, count: 1 });
      }
    } else if (step.kind === 'SKIPPED_WEEKEND') {
      weekends += 1;
    } else if (step.kind === 'PAUSED') {
      const last = pauseRuns[pauseRuns.length - 1];
      if (last && addDays(last.to, 1) === step.date) {
        last.to = step.date;
        last.count += 1;
      } else {
        pauseRuns.push({ from: step.date, to: step.date, count: 1 });
      }
    } else if (step.name && (step.kind === 'COUNTED_MAKEUP_WORKDAY' || step.kind === 'EXTENSION')) {
      makeups.push(`${step.date}（${step.name}）`);
    }
  }
  const range = (from: string, to: string): string => (from === to ? from : `${from}至${to}`);
  const skipped = [
    ...holidayRuns.map((r) => `${r.name}${r.count}天（${range(r.from, r.to)}）`),
    ...(weekends > 0 ? [`周末${weekends}天`] : []),
  ];
  const parts: string[] = [];
  if (skipped.length > 0) parts.push(`跳过${skipped.join('、')}`);
  for (const r of pauseRuns) parts.push(`暂停计算${r.count}天（${range(r.from, r.to)}）`);
  if (makeups.length > 0) parts.push(`计入调休工作日${makeups.join('、')}`);
  return parts.join('，');
}

// ---------------------------------------------------------------------------------------------
// HOURS / YEARLY_FIXED_DATE / KEEP_CURRENT
// ---------------------------------------------------------------------------------------------

function computeHours(input: DeadlineInput, rule: Extract<DeadlineRule, { kind: 'HOURS' }>): DeadlineResult {
  if (typeof rule.hours !== 'number' || !Number.isFinite(rule.hours) || rule.hours < 0 || rule.hours > MAX_PERIOD_DAYS * 24) {
    throw new DeadlineInputError('rule.hours', `小时数应为非负数：${JSON.stringify(rule.hours)}`);
  }
  if (typeof input.start !== 'string' || !isIsoInstantString(input.start)) {
    throw new DeadlineInputError(
      'start',
      `按小时计算的时限需要精确到时刻的起算时间（ISO格式，如2024-10-01T09:00:00+08:00）：${JSON.stringify(input.start)}`,
    );
  }
  let startMs: number;
  try {
    startMs = parseInstant(input.start);
  } catch (e) {
    throw new DeadlineInputError('start', (e as Error).message);
  }
  const dueMs = startMs + rule.hours * 3_600_000;
  const startText = formatChinaInstant(startMs);
  const dueInstant = formatChinaInstant(dueMs);
  return {
    due: chinaDateOfInstant(dueMs),
    dueInstant,
    paused: false,
    provisional: false,
    provisionalReasons: [],
    yearsConsulted: [],
    explanation: {
      rule,
      start: startText,
      steps: [],
      summary: `自${startText}起${rule.hours}小时（按北京时间连续计算，不扣除节假日），截止${dueInstant}。`,
    },
  };
}

function computeYearly(input: DeadlineInput, rule: Extract<DeadlineRule, { kind: 'YEARLY_FIXED_DATE' }>): DeadlineResult {
  const { month, day } = rule;
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new DeadlineInputError('rule.month', `月份应为1至12：${JSON.stringify(month)}`);
  }
  // 29 February is allowed (it recurs in leap years); anything else beyond the month's length is not.
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(2000, month)) {
    throw new DeadlineInputError('rule.day', `${month}月没有${JSON.stringify(day)}日`);
  }
  const start = normaliseDate(input.start, 'start');
  const asOf = input.asOf == null ? null : normaliseDate(input.asOf, 'asOf');

  let year = yearOf(start);
  let due: string | null = null;
  // At most 8 years apart for 29 February (e.g. 1896 → 1904); the loop bound only guards that case.
  for (let i = 0; i <= 8 && due === null; i += 1, year += 1) {
    if (day > daysInMonth(year, month)) continue;
    const candidate = formatIsoDate({ year, month, day });
    if (candidate > start) due = candidate;
  }
  if (due === null) throw new DeadlineInputError('rule.day', `找不到${month}月${day}日`);

  let summary =
    `每年${month}月${day}日前完成：${start}之后的第一个${month}月${day}日为${due}，` +
    `截止${due}（${weekdayNameZh(due)}，固定日期不因节假日顺延）。`;
  if (asOf !== null) summary += asOfNote(asOf, due);
  return plainResult(rule, start, due, summary);
}

function computeKeepCurrent(input: DeadlineInput, rule: Extract<DeadlineRule, { kind: 'KEEP_CURRENT' }>): DeadlineResult {
  const start = normaliseDate(input.start, 'start');
  const asOf = input.asOf == null ? null : normaliseDate(input.asOf, 'asOf');
  const sinceNote = asOf !== null && asOf >= start ? `截至${asOf}，距最近一次发布已${daysBetween(start, asOf)}天。` : '';
  if (rule.maxAgeDays == null) {
    return plainResult(
      rule,
      start,
      null,
      `动态更新（信息变化时及时更新）：未规定最长更新间隔，因此没有固定截止日；最近一次发布为${start}。${sinceNote}`,
    );
  }
  const maxAge = requireCount(rule.maxAgeDays, 'rule.maxAgeDays');
  const due = addDays(start, maxAge);
  let summary =
    `动态更新：最近一次发布为${start}，最长间隔${maxAge}个自然日，` +
    `下次更新不晚于${due}（${weekdayNameZh(due)}）。${sinceNote}`;
  if (asOf !== null) summary += asOfNote(asOf, due);
  return plainResult(rule, start, due, summary);
}

function asOfNote(asOf: string, due: string): string {
  const diff = daysBetween(asOf, due);
  if (diff > 0) return `截至${asOf}，距截止日还有${diff}天。`;
  if (diff === 0) return `截至${asOf}，今日为截止日。`;
  return `截至${asOf}，已超过截止日${-diff}天。`;
}

function plainResult(rule: DeadlineRule, start: string, due: string | null, summary: string): DeadlineResult {
  return {
    due,
    paused: false,
    provisional: false,
    provisionalReasons: [],
    yearsConsulted: [],
    explanation: { rule, start, steps: [], summary },
  };
}

// ---------------------------------------------------------------------------------------------
// Input validation
// ---------------------------------------------------------------------------------------------

function rejectPeriodOptions(input: DeadlineInput, kind: DeadlineRule['kind']): void {
  if ((input.pauses ?? []).length > 0) {
    throw new DeadlineInputError('pauses', `暂停计算仅适用于工作日或自然日期限，不适用于${kind}`);
  }
  if (input.extensionWorkingDays != null && input.extensionWorkingDays !== 0) {
    throw new DeadlineInputError('extensionWorkingDays', `延长期限仅适用于工作日或自然日期限，不适用于${kind}`);
  }
  if (input.rollForwardToWorkingDay === true) {
    throw new DeadlineInputError('rollForwardToWorkingDay', '仅适用于自然日（CALENDAR_DAYS）期限');
  }
}

function requireCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_PERIOD_DAYS) {
    throw new DeadlineInputError(field, `应为不超过${MAX_PERIOD_DAYS}的非负整数：${JSON.stringify(value)}`);
  }
  return value;
}

function normaliseDate(value: unknown, field: string): string {
  if (typeof value === 'string') {
    if (isIsoDate(value)) return value;
    if (isIsoInstantString(value)) {
      try {
        return toChinaDate(value);
      } catch {
        // fall through to the common message
      }
    }
  }
  throw new DeadlineInputError(field, `不是有效的日期（应为YYYY-MM-DD或ISO时间）：${JSON.stringify(value)}`);
}

/**
 * A pause may begin on the start date itself (e.g. a request found incomplete on the day it arrived):
 * the start date is never counted, so that is harmless. Pauses must not overlap, and a running pause
 * must be the last one.
 */
function normalisePauses(pauses: readonly DeadlinePause[], start: string): NormalisedPause[] {
  const normalised = pauses.map((p, index): NormalisedPause => {
    const from = normaliseDate(p.from, `pauses[${index}].from`);
    const to = p.to == null ? null : normaliseDate(p.to, `pauses[${index}].to`);
    if (from < start) {
      throw new DeadlineInputError(`pauses[${index}].from`, `暂停开始日期${from}早于起算日${start}`);
    }
    if (to !== null && to < from) {
      throw new DeadlineInputError(`pauses[${index}].to`, `暂停结束日期${to}早于开始日期${from}`);
    }
    return { index, from, to };
  });
  const sorted = [...normalised].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.index - b.index));
  for (let i = 1; i < sorted.length; i += 1) {
    const prev = sorted[i - 1]!;
    const next = sorted[i]!;
    if (prev.to === null) {
      throw new DeadlineInputError(
        `pauses[${prev.index}].to`,
        `暂停（自${prev.from}起）尚未结束，之后不能再有暂停（pauses[${next.index}]自${next.from}起）`,
      );
    }
    if (next.from <= prev.to) {
      throw new DeadlineInputError(
        `pauses[${next.index}].from`,
        `与pauses[${prev.index}]（${prev.from}至${prev.to}）重叠`,
      );
    }
  }
  return sorted;
}

// ---------------------------------------------------------------------------------------------
// Status helpers
// ---------------------------------------------------------------------------------------------

export type DeadlineStatus = 'ON_TIME' | 'LATE' | 'DUE_SOON' | 'OVERDUE' | 'PENDING';

export type DeadlineStatusInput = {
  /** Due date, or a due instant (HOURS rules); null when the rule sets no due date. */
  due: string | null;
  /** Publication date or instant; null/absent while unpublished. */
  publishedOn?: string | null;
  /** Today's China-local date (see todayInChina). */
  today: string;
  /** "Due soon" window in working days after today (default 3); today itself is always inside it. */
  dueSoonWorkingDays?: number;
  calendar?: WorkingCalendar;
};

let defaultCalendar: WorkingCalendar | undefined;

/**
 * ON_TIME / LATE once published; otherwise OVERDUE after the due date, DUE_SOON when the due date is
 * today or within the window of working days (so a deadline just after a long holiday is flagged
 * before the holiday starts), PENDING otherwise or when there is no due date.
 */
export function deadlineStatus(input: DeadlineStatusInput): DeadlineStatus {
  const { due, publishedOn, today } = input;
  const window = input.dueSoonWorkingDays ?? 3;
  if (!Number.isInteger(window) || window < 0) {
    throw new DeadlineInputError('dueSoonWorkingDays', `应为非负整数：${JSON.stringify(window)}`);
  }
  const todayDate = normaliseDate(today, 'today');
  if (publishedOn != null) {
    if (due === null) return 'ON_TIME';
    // Compare instants when both sides carry a time, so an HOURS deadline missed by an hour is LATE.
    if (isIsoInstantString(due) && isIsoInstantString(publishedOn)) {
      return parseInstant(publishedOn) <= parseInstant(due) ? 'ON_TIME' : 'LATE';
    }
    return normaliseDate(publishedOn, 'publishedOn') <= normaliseDate(due, 'due') ? 'ON_TIME' : 'LATE';
  }
  if (due === null) return 'PENDING';
  const dueDate = normaliseDate(due, 'due');
  if (todayDate > dueDate) return 'OVERDUE';
  if (todayDate === dueDate) return 'DUE_SOON';
  const calendar = input.calendar ?? (defaultCalendar ??= new WorkingCalendar());
  let workingDays = 0;
  for (let d = addDays(todayDate, 1); d <= dueDate; d = addDays(d, 1)) {
    if (calendar.isWorkingDay(d)) workingDays += 1;
    if (workingDays > window) return 'PENDING';
  }
  return 'DUE_SOON';
}

/** Today's date in China (Asia/Shanghai, UTC+08:00). */
export function todayInChina(now: Date = new Date()): string {
  return chinaDateOfInstant(now);
}
