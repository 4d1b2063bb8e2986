/**
 * Calendar-date helpers for China-local dates held as ISO strings ('YYYY-MM-DD').
 *
 * Everything here works on UTC arithmetic only: a date string is mapped to a day number (days since
 * 1970-01-01) via Date.UTC, so results never depend on the process time zone. China has used a fixed
 * UTC+08:00 offset without daylight saving since 1991, which is what lets instants be converted
 * with a constant offset instead of a time-zone database.
 */

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
/** Asia/Shanghai is UTC+08:00 all year round. */
export const CHINA_OFFSET_MS = 8 * MS_PER_HOUR;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Date and time with optional seconds/fraction and optional offset. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

export type YearMonthDay = { year: number; month: number; day: number };

/** Parses a strict 'YYYY-MM-DD' calendar date, or returns null (rejects e.g. 2025-02-29). */
export function tryParseIsoDate(value: string): YearMonthDay | null {
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && tryParseIsoDate(value) !== null;
}

export function parseIsoDate(value: string): YearMonthDay {
  const parsed = tryParseIsoDate(value);
  if (!parsed) throw new RangeError(`Invalid ISO date (expected YYYY-MM-DD): ${JSON.stringify(value)}`);
  return parsed;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function formatIsoDate(ymd: YearMonthDay): string {
  return `${pad(ymd.year, 4)}-${pad(ymd.month, 2)}-${pad(ymd.day, 2)}`;
}

/** Days since 1970-01-01; the basis of all date arithmetic here. */
export function toDayNumber(date: string): number {
  const { year, month, day } = parseIsoDate(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Signed number of days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** 0 = Sunday … 6 = Saturday, like Date#getUTCDay. */
export function weekday(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: string): boolean {
  const d = weekday(date);
  return d === 0 || d === 6;
}

export function yearOf(date: string): number {
  return parseIsoDate(date).year;
}

/** ISO date strings of equal length compare correctly as strings; this makes the intent explicit. */
export function compareIsoDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxIsoDate(a: string, b: string): string {
  return a >= b ? a : b;
}

const WEEKDAY_NAMES_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;

export function weekdayNameZh(date: string): string {
  return WEEKDAY_NAMES_ZH[weekday(date)]!;
}

export function isIsoInstantString(value: string): boolean {
  return ISO_DATE_TIME.test(value);
}

/**
 * Parses an instant. Strings must be ISO date-times; one without an offset is read as China local time
 * rather than as process-local time (which is what `new Date(string)` would do), so that callers
 * passing naive timestamps from forms get the same answer on every server.
 */
export function parseInstant(value: string | Date): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
    return ms;
  }
  const m = ISO_DATE_TIME.exec(value);
  if (!m) throw new RangeError(`Invalid ISO instant (expected YYYY-MM-DDTHH:mm[:ss][offset]): ${JSON.stringify(value)}`);
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (!tryParseIsoDate(date)) throw new RangeError(`Invalid ISO instant (no such date): ${JSON.stringify(value)}`);
  const hours = Number(m[4]);
  const minutes = Number(m[5]);
  const seconds = m[6] === undefined ? 0 : Number(m[6]);
  if (hours > 23 || minutes > 59 || seconds > 59) {
    throw new RangeError(`Invalid ISO instant (time out of range): ${JSON.stringify(value)}`);
  }
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const offsetMs = m[8] === undefined ? CHINA_OFFSET_MS : parseOffset(m[8]);
  const wallClockAsUtc = toDayNumber(date) * MS_PER_DAY + hours * MS_PER_HOUR + minutes * 60_000 + seconds * 1000 + millis;
  return wallClockAsUtc - offsetMs;
}

function parseOffset(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) throw new RangeError(`Invalid UTC offset: ${offset}`);
  return sign * (hours * MS_PER_HOUR + minutes * 60_000);
}

/** The China-local calendar date of an instant. */
export function chinaDateOfInstant(instant: string | Date | number): string {
  const ms = typeof instant === 'number' ? instant : parseInstant(instant);
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Formats an instant as China local time with an explicit +08:00 offset. Milliseconds are only written
 * when non-zero, so whole-second deadlines read naturally ('2024-10-01T09:00:00+08:00').
 */
export function formatChinaInstant(instant: number | Date): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const shifted = new Date(ms + CHINA_OFFSET_MS).toISOString(); // 'YYYY-MM-DDTHH:mm:ss.sssZ'
  const wholeSeconds = shifted.endsWith('.000Z');
  return `${wholeSeconds ? shifted.slice(0, 19) : shifted.slice(0, 23)}+08:00`;
}

/**
 * Accepts either a plain date or an instant and returns the China-local date; lets event timestamps be
 * passed straight through to date-based rules.
 */
export function toChinaDate(value: string): string {
  if (isIsoDate(value)) return value;
  return chinaDateOfInstant(value);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
