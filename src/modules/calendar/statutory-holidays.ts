/**
 * The fixed statutory holidays of 全国年节及纪念日放假办法 (revised 2024, in force from 2025): 元旦 1 day,
 * 春节 4 days (除夕 to 初三), 清明节 1, 劳动节 2 (1–2 May), 端午节 1, 中秋节 1, 国庆节 3 (1–3 October).
 *
 * Used to estimate a year whose State Council notice (放假调休) is not known yet: the notice adds bridging
 * days and weekend make-up working days around these, which cannot be predicted, so every day derived
 * from here is an estimate. Lunar dates and the 清明 solar term come from `lunar-typescript`, which
 * computes in Beijing time (its results do not depend on the server's time zone).
 */
import { Lunar } from 'lunar-typescript';
import { addDays, formatIsoDate } from './date-utils';

/** The revised 办法 (4-day 春节 from 除夕, 2-day 劳动节) applies from this year on; earlier years are not estimated. */
export const STATUTORY_HOLIDAYS_FROM_YEAR = 2025;
/** Beyond this the lunar tables are not worth trusting for an administrative estimate. */
export const STATUTORY_HOLIDAYS_UNTIL_YEAR = 2199;

export type StatutoryHoliday = { date: string; name: string };

const cache = new Map<number, readonly StatutoryHoliday[]>();

function solarOf(lunar: Lunar): string {
  const s = lunar.getSolar();
  return formatIsoDate({ year: s.getYear(), month: s.getMonth(), day: s.getDay() });
}

/**
 * The fixed statutory holiday dates of `year` (ascending), or an empty list for a year the revised
 * 办法 does not cover. Where two holidays fall on the same date (中秋 within 1–3 October) the names
 * are joined.
 */
export function statutoryHolidays(year: number): readonly StatutoryHoliday[] {
  if (!Number.isInteger(year) || year < STATUTORY_HOLIDAYS_FROM_YEAR || year > STATUTORY_HOLIDAYS_UNTIL_YEAR) return [];
  const cached = cache.get(year);
  if (cached) return cached;

  const byDate = new Map<string, string[]>();
  const add = (date: string, name: string) => {
    const names = byDate.get(date) ?? [];
    if (!names.includes(name)) names.push(name);
    byDate.set(date, names);
  };
  const iso = (month: number, day: number) => formatIsoDate({ year, month, day });

  add(iso(1, 1), '元旦');
  // 除夕 is the last day of the 12th lunar month (the 29th or 30th): the day before 正月初一.
  // 春节 is always in January or February, so 除夕 to 初三 all lie in the same solar year.
  const newYear = solarOf(Lunar.fromYmd(year, 1, 1));
  for (let i = -1; i <= 2; i += 1) add(addDays(newYear, i), '春节');
  // 清明 is a solar term (about 4–5 April), taken from the lunar year's solar-term table.
  const qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()['清明'];
  if (!qingming) throw new Error(`no 清明 solar term for ${year}`);
  add(formatIsoDate({ year: qingming.getYear(), month: qingming.getMonth(), day: qingming.getDay() }), '清明节');
  add(iso(5, 1), '劳动节');
  add(iso(5, 2), '劳动节');
  add(solarOf(Lunar.fromYmd(year, 5, 5)), '端午节');
  for (const d of [1, 2, 3]) add(iso(10, d), '国庆节');
  add(solarOf(Lunar.fromYmd(year, 8, 15)), '中秋节');

  const result = Object.freeze(
    [...byDate.entries()]
      .filter(([date]) => date.startsWith(`${year}-`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([date, names]) => Object.freeze({ date, name: names.join('、') })),
  );
  cache.set(year, result);
  return result;
}

/** The estimated statutory holiday on `date`, if any. */
export function statutoryHolidayOn(date: string): StatutoryHoliday | undefined {
  return statutoryHolidays(Number(date.slice(0, 4))).find((h) => h.date === date);
}
