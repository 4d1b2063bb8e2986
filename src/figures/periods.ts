/**
 * How a period is read from bucketed figures (pure). Maintained figures are kept per day ('D'), per
 * month ('M', keyed by its first day) and per year ('Y', keyed by 1 January). A period is read as the
 * year buckets of the years it covers whole, the month buckets of the other months it covers whole
 * and the day buckets of the rest — so a year costs one row per agency or item, a half-year six, and
 * an arbitrary period at most 2 × 30 day rows plus its months, whatever the number of publications.
 */
import { addDays, daysInMonth, parseIsoDate } from '../modules/calendar/date-utils';

export type Grain = 'D' | 'M' | 'Y';

/** Buckets of one grain whose keys lie in [from, to] (keys of 'M' and 'Y' are first days). */
export interface BucketSegment {
  grain: Grain;
  from: string;
  to: string;
}

function monthEnd(date: string): string {
  const { year, month } = parseIsoDate(date);
  return `${date.slice(0, 7)}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
}

function nextKey(grain: Grain, key: string): string {
  if (grain === 'D') return addDays(key, 1);
  if (grain === 'M') return addDays(monthEnd(key), 1);
  return `${Number(key.slice(0, 4)) + 1}-01-01`;
}

/**
 * The segments that together cover [from, to] exactly once, in date order, coarsest grain first;
 * adjacent segments of one grain are merged (fewer index ranges to scan).
 */
export function periodSegments(from: string, to: string): BucketSegment[] {
  const out: BucketSegment[] = [];
  const push = (grain: Grain, key: string, last = key) => {
    const prev = out[out.length - 1];
    if (prev && prev.grain === grain && nextKey(grain, prev.to) === key) prev.to = last;
    else out.push({ grain, from: key, to: last });
  };
  let cursor = from;
  while (cursor <= to) {
    if (cursor.endsWith('-01-01') && `${cursor.slice(0, 4)}-12-31` <= to) {
      push('Y', cursor);
      cursor = nextKey('Y', cursor);
    } else if (cursor.endsWith('-01') && monthEnd(cursor) <= to) {
      push('M', cursor);
      cursor = nextKey('M', cursor);
    } else {
      const end = monthEnd(cursor) < to ? monthEnd(cursor) : to;
      push('D', cursor, end);
      cursor = addDays(end, 1);
    }
  }
  return out;
}

/**
 * What a period query reads: part 'T' covers the whole period (every counter); part 'P' covers the
 * days from `asOf` (today) to the period end, where open items are still pending — open items of
 * the period that are not pending are overdue. As parallel arrays for
 * `unnest(?::text[], ?::char(1)[], ?::date[], ?::date[]) as seg(part, grain, lo, hi)`.
 */
export function periodReadParams(from: string, to: string, asOf: string): [string, string, string, string] {
  const parts: Array<BucketSegment & { part: 'T' | 'P' }> = [
    ...periodSegments(from, to).map((s) => ({ ...s, part: 'T' as const })),
    ...periodSegments(asOf > from ? asOf : from, to).map((s) => ({ ...s, part: 'P' as const })),
  ];
  const list = (values: string[]) => `{${values.join(',')}}`;
  return [
    list(parts.map((s) => s.part)),
    list(parts.map((s) => s.grain)),
    list(parts.map((s) => s.from)),
    list(parts.map((s) => s.to)),
  ];
}
