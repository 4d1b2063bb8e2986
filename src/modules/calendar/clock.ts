import { isIsoDate } from './date-utils';
import { todayInChina } from './deadline-engine';

let fixedToday: string | null = null;

/**
 * Today's date in China, the reference of every "not in the future", "overdue" and "due soon"
 * decision. One place, so tests (and a demo frozen on a date) can pin it with `setFixedToday`.
 */
export function today(): string {
  return fixedToday ?? todayInChina();
}

/** Pins "today" (tests, demos); `null` returns to the real clock. */
export function setFixedToday(date: string | null): void {
  if (date !== null && !isIsoDate(date)) throw new RangeError(`not a date: ${date}`);
  fixedToday = date;
}

/**
 * Runs `work` with "today" pinned to `date`, then restores whatever was pinned before: the demo
 * seeder records a past year's work (an explanation given on time in 2024) through the services,
 * whose rules date it today.
 */
export async function withToday<T>(date: string, work: () => Promise<T>): Promise<T> {
  const before = fixedToday;
  setFixedToday(date);
  try {
    return await work();
  } finally {
    fixedToday = before;
  }
}
