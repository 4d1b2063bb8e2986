/**
 * Counts as the documents write them — Arabic digits or Chinese numerals up to 99 ("3个工作日",
 * "二十个工作日", "两次") — shared by every reader of time-limit wording (the catalogue's time limits,
 * the plans' task timing). Pure.
 */

export const CN_DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** A run of Arabic digits or Chinese numeral characters (validated by {@link parseCount}). */
export const NUM = '[0-9]+|[零〇一二两三四五六七八九十百千]+';

/**
 * Parses "20", "二十", "二十一", "十五", "三", "两" (Chinese numerals 1–99 only). Returns null for
 * anything else ("三五", "一百", "二〇", "0"), which the caller reports instead of guessing.
 */
export function parseCount(token: string | undefined): number | null {
  if (token === undefined) return null;
  if (/^[0-9]+$/.test(token)) {
    const n = Number.parseInt(token, 10);
    return n > 0 && Number.isSafeInteger(n) ? n : null;
  }
  const m = /^(?:([一二两三四五六七八九])?十([一二三四五六七八九])?|([一二两三四五六七八九]))$/.exec(token);
  if (!m) return null;
  if (m[3] !== undefined) return CN_DIGITS[m[3]] ?? null;
  const tens = m[1] === undefined ? 1 : (CN_DIGITS[m[1]] ?? 0);
  const ones = m[2] === undefined ? 0 : (CN_DIGITS[m[2]] ?? 0);
  return tens * 10 + ones;
}
