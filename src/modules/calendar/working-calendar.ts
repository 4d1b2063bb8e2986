/**
 * The official working calendar of mainland China: which dates are working days for government
 * agencies, taking statutory holidays (法定节假日) and make-up working days (调休上班) into account.
 *
 * Built-in data comes from the `chinese-days` package. Its data file is read directly instead of
 * calling its functions, because those parse and format dates with process-local getters: with
 * TZ=America/Los_Angeles, `getDayDetail('2024-10-01')` answers for 2024-09-30. Administrators can add
 * or correct single dates (e.g. once the State Council publishes next year's arrangement, before the
 * package is upgraded), and those entries always win over the package.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { isIsoDate, isWeekend, parseIsoDate } from './date-utils';
import { statutoryHolidayOn } from './statutory-holidays';

export type CalendarEntry = {
  date: string;
  /** HOLIDAY = day off even on a weekday; WORKDAY = make-up working day even on a Saturday/Sunday. */
  kind: 'HOLIDAY' | 'WORKDAY';
  name: string;
};

export type DayReason = 'WEEKDAY' | 'WEEKEND' | 'HOLIDAY' | 'MAKEUP_WORKDAY';
/**
 * ESTIMATE: a fixed statutory holiday of 全国年节及纪念日放假办法, assumed for a year whose State Council
 * notice is not known (never confirmed; the notice may add bridging and make-up days around it).
 */
export type DaySource = 'PACKAGE' | 'ENTRY' | 'WEEKDAY_RULE' | 'ESTIMATE';

export type DayInfo = {
  date: string;
  working: boolean;
  reason: DayReason;
  /** Holiday name (for holidays and for the make-up working days belonging to a holiday), else null. */
  name: string | null;
  source: DaySource;
  /** False when the status of this date could still change with a not-yet-confirmed annual arrangement. */
  confirmed: boolean;
};

export type CalendarEntryProblem = {
  index: number;
  field: 'date' | 'kind' | 'name';
  message: string;
};

export class CalendarEntriesError extends Error {
  constructor(readonly problems: CalendarEntryProblem[]) {
    super(
      `Invalid calendar entries: ${problems.map((p) => `entries[${p.index}].${p.field}: ${p.message}`).join('; ')}`,
    );
    this.name = 'CalendarEntriesError';
  }
}

type PackageData = {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
};

const packageData: PackageData = chineseDaysData;

/**
 * Years for which the package actually holds a State Council arrangement. Derived from the data so a
 * package upgrade extends coverage without a code change; every arrangement declares at least New
 * Year's Day, so a year without any holiday entry is one the package knows nothing about (its
 * functions then silently fall back to Monday–Friday).
 */
export const PACKAGE_COVERED_YEARS: readonly number[] = Object.freeze(
  [...new Set(Object.keys(packageData.holidays).map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b),
);
const packageYears = new Set(PACKAGE_COVERED_YEARS);

/**
 * The New Year's Day arrangement of year Y+1 is published with Y+1's notice but may move days in the
 * last week of December of Y (the data has 2007-12-29…31, 2011-12-31, 2018-12-29…31 for example).
 * So late-December dates also depend on the next year's arrangement.
 */
const NEW_YEAR_SPILLOVER_FROM_DECEMBER_DAY = 25;

/** The years whose official arrangement can decide the status of `date`. */
export function yearsAffectingDate(date: string): number[] {
  const { year, month, day } = parseIsoDate(date);
  return month === 12 && day >= NEW_YEAR_SPILLOVER_FROM_DECEMBER_DAY ? [year, year + 1] : [year];
}

/** Short forms used by the package, mapped to the names used in State Council notices. */
const OFFICIAL_HOLIDAY_NAMES: Record<string, string> = {
  清明: '清明节',
  端午: '端午节',
  中秋: '中秋节',
};

/**
 * The package stores names as "English,中文,statutory days" (e.g. "Spring Festival,春节,3"); only the
 * Chinese part is meaningful to users here.
 */
export function normaliseHolidayName(raw: string): string {
  const parts = raw.split(',').map((p) => p.trim());
  const chinese = parts.find((p) => /[\u4e00-\u9fff]/.test(p)) ?? parts[0] ?? raw;
  return OFFICIAL_HOLIDAY_NAMES[chinese] ?? chinese;
}

export function validateCalendarEntries(entries: readonly CalendarEntry[]): CalendarEntryProblem[] {
  const problems: CalendarEntryProblem[] = [];
  const firstByDate = new Map<string, { index: number; kind: CalendarEntry['kind'] }>();
  entries.forEach((entry, index) => {
    // Entries arrive from administrators through the API, so the declared type is not trusted.
    const raw = entry as Partial<Record<keyof CalendarEntry, unknown>>;
    const dateOk = isIsoDate(raw.date);
    if (!dateOk) {
      problems.push({ index, field: 'date', message: `不是有效的日期（应为YYYY-MM-DD）：${JSON.stringify(raw.date)}` });
    }
    const kindOk = raw.kind === 'HOLIDAY' || raw.kind === 'WORKDAY';
    if (!kindOk) {
      problems.push({ index, field: 'kind', message: `类型应为HOLIDAY或WORKDAY：${JSON.stringify(raw.kind)}` });
    }
    if (typeof raw.name !== 'string' || raw.name.trim() === '') {
      problems.push({ index, field: 'name', message: '名称不能为空' });
    }
    if (dateOk && kindOk) {
      const date = raw.date as string;
      const kind = raw.kind as CalendarEntry['kind'];
      const first = firstByDate.get(date);
      if (!first) {
        firstByDate.set(date, { index, kind });
      } else if (first.kind !== kind) {
        // The same date twice with the same kind is harmless; opposite kinds cannot both hold.
        problems.push({
          index,
          field: 'kind',
          message: `${date}已在第${first.index}条登记为${kindLabel(first.kind)}，不能同时登记为${kindLabel(kind)}`,
        });
      }
    }
  });
  return problems;
}

function kindLabel(kind: CalendarEntry['kind']): string {
  return kind === 'HOLIDAY' ? '放假（HOLIDAY）' : '上班（WORKDAY）';
}

export type WorkingCalendarOptions = {
  entries?: readonly CalendarEntry[];
  /** Years whose arrangement an administrator has fully entered, beyond those the package covers. */
  confirmedYears?: readonly number[];
};

export class WorkingCalendar {
  private readonly entriesByDate: ReadonlyMap<string, CalendarEntry>;
  private readonly extraConfirmedYears: ReadonlySet<number>;

  /** @throws CalendarEntriesError when the entries contradict themselves. */
  constructor(options: WorkingCalendarOptions = {}) {
    const entries = options.entries ?? [];
    const problems = validateCalendarEntries(entries);
    if (problems.length > 0) throw new CalendarEntriesError(problems);
    const byDate = new Map<string, CalendarEntry>();
    for (const entry of entries) byDate.set(entry.date, { ...entry, name: entry.name.trim() });
    this.entriesByDate = byDate;

    for (const year of options.confirmedYears ?? []) {
      if (!Number.isInteger(year) || year < 1900 || year > 9999) {
        throw new RangeError(`confirmedYears: not a valid year: ${String(year)}`);
      }
    }
    this.extraConfirmedYears = new Set(options.confirmedYears ?? []);
  }

  /** The package's covered years, exposed so callers can show them next to administrator entries. */
  static readonly packageCoveredYears: readonly number[] = PACKAGE_COVERED_YEARS;

  isPackageYear(year: number): boolean {
    return packageYears.has(year);
  }

  isConfirmedYear(year: number): boolean {
    return packageYears.has(year) || this.extraConfirmedYears.has(year);
  }

  /** The unconfirmed years among those that can decide `date` (empty when its status is settled). */
  unconfirmedYearsAffecting(date: string): number[] {
    return yearsAffectingDate(date).filter((y) => !this.isConfirmedYear(y));
  }

  dayInfo(date: string): DayInfo {
    const weekend = isWeekend(date); // also validates the date
    const entry = this.entriesByDate.get(date);
    if (entry) {
      // An administrator stated this date's status explicitly, so it is settled whatever the year.
      const working = entry.kind === 'WORKDAY';
      return {
        date,
        working,
        reason: working ? (weekend ? 'MAKEUP_WORKDAY' : 'WEEKDAY') : 'HOLIDAY',
        name: entry.name,
        source: 'ENTRY',
        confirmed: true,
      };
    }
    const confirmed = this.unconfirmedYearsAffecting(date).length === 0;
    const packageWorkday = packageData.workdays[date];
    if (packageWorkday !== undefined) {
      return {
        date,
        working: true,
        reason: weekend ? 'MAKEUP_WORKDAY' : 'WEEKDAY',
        name: normaliseHolidayName(packageWorkday),
        source: 'PACKAGE',
        confirmed,
      };
    }
    const packageHoliday = packageData.holidays[date];
    if (packageHoliday !== undefined) {
      return {
        date,
        working: false,
        reason: 'HOLIDAY',
        name: normaliseHolidayName(packageHoliday),
        source: 'PACKAGE',
        confirmed,
      };
    }
    if (!this.isConfirmedYear(Number(date.slice(0, 4)))) {
      // A year nobody has entered yet: its fixed statutory holidays are certain to be days off, whatever
      // the coming notice adds around them, so count them as holidays (estimated) rather than weekdays.
      const estimated = statutoryHolidayOn(date);
      if (estimated) {
        return { date, working: false, reason: 'HOLIDAY', name: estimated.name, source: 'ESTIMATE', confirmed: false };
      }
    }
    return {
      date,
      working: !weekend,
      reason: weekend ? 'WEEKEND' : 'WEEKDAY',
      name: null,
      source: 'WEEKDAY_RULE',
      confirmed,
    };
  }

  isWorkingDay(date: string): boolean {
    return this.dayInfo(date).working;
  }

  validateEntries(entries: readonly CalendarEntry[]): CalendarEntryProblem[] {
    return validateCalendarEntries(entries);
  }
}
