/**
 * 公开时限解析 — turns an agency's own wording of a catalogue item's time limit (公开时限) into a
 * structured {@link DeadlineRule}, and back.
 *
 * Pure: no I/O, no clock. The parser is deliberately conservative: whatever it cannot read with
 * confidence (a typo such as "动态跟新", an empty cell, two different numbers of days, "工作日"
 * without a number, a one-off date, a minimum instead of a maximum …) yields `rule: null` and a
 * Chinese `warning` that says why, so that an importer flags the row for a person instead of guessing.
 *
 * Wordings found in the source documents (see seeds/data/README.md):
 *   "相关信息形成或变更之日起20个工作日内"  → WORKING_DAYS 20, FORMATION_OR_CHANGE
 *   "每年的1月31日前公开"                  → YEARLY_FIXED_DATE 1/31
 *   "动态更新"                            → KEEP_CURRENT (maxAgeDays null)
 *   "文件公布后3个工作日内"                → WORKING_DAYS 3, DOCUMENT_PUBLISHED
 *   "完成审批程序后 1 个工作日内公开"       → WORKING_DAYS 1, APPROVAL_COMPLETED
 *   "5 小时内" / "24 小时内" / "48 小时内"  → HOURS
 */
import { NUM, parseCount } from '../calendar/chinese-numbers';
import type { DeadlineRule } from '../calendar/deadline-rule';

/** The event a relative time limit counts from (计算起点). */
export type TimeLimitEvent = 'FORMATION_OR_CHANGE' | 'DOCUMENT_PUBLISHED' | 'APPROVAL_COMPLETED' | 'OTHER';

export interface ParsedTimeLimit {
  /** The text exactly as given. */
  original: string;
  /** The structured rule, or null when the wording could not be read with confidence. */
  rule: DeadlineRule | null;
  /**
   * What a relative rule (WORKING_DAYS, CALENDAR_DAYS, HOURS) counts from; 'OTHER' when the wording
   * names no recognised event (e.g. bare "30日内"). Null for YEARLY_FIXED_DATE, KEEP_CURRENT and
   * when `rule` is null.
   */
  event: TimeLimitEvent | null;
  /** Why `rule` is null (Chinese, for the person reviewing the import); null when parsed. */
  warning: string | null;
}

/* Numbers: src/modules/calendar/chinese-numbers.ts (shared with the plans' task timing). */

/* ------------------------------------------------------------------------------------------------
 * Normalisation
 * ---------------------------------------------------------------------------------------------- */

/** Full-width digits/letters/punctuation → ASCII, ideographic space → space, whitespace removed. */
function normalise(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  // "5 小时内", "1 个工作日" — the documents put spaces around numbers; none of the wordings needs spaces.
  return out.replace(/\s+/g, '');
}

/* ------------------------------------------------------------------------------------------------
 * Pieces of a wording
 * ---------------------------------------------------------------------------------------------- */

type DurationUnit = 'WORKING_DAYS' | 'CALENDAR_DAYS' | 'HOURS';

interface Duration {
  unit: DurationUnit;
  amount: number;
  /** The qualifier in front of the number, e.g. "不超过", "最长" (empty when none). */
  qualifier: string;
  /** What follows the unit, e.g. "内", "以上", "后" (one or two characters, may be empty). */
  after: string;
  /** The matched wording (after normalisation). */
  text: string;
  start: number;
  end: number;
}

const UNIT_WORDS: ReadonlyArray<readonly [string, DurationUnit]> = [
  ['工作日', 'WORKING_DAYS'],
  ['自然日', 'CALENDAR_DAYS'],
  ['日历日', 'CALENDAR_DAYS'],
  ['小时', 'HOURS'],
  ['天', 'CALENDAR_DAYS'],
  ['日', 'CALENDAR_DAYS'],
];

const QUALIFIERS = '不超过|不得超过|不多于|不长于|最长|最多|至多|不少于|不低于|不短于|至少|最少|最短';
const DURATION_RE = new RegExp(
  `(${QUALIFIERS})?(${NUM})个?(工作日|自然日|日历日|小时|天|日)(以内|之内|以上|之后|以后|内|后|前)?`,
  'g',
);
const UNSUPPORTED_UNIT_RE = new RegExp(`(${NUM})个?(月|周|星期|年|分钟|季度)`, 'g');
/** Phrases naming a period rather than a duration ("上一年度的年报"), removed before looking for units. */
const PERIOD_PHRASES_RE = /(上|下|本|当)一?(年度|年|季度|月)/g;
const DATE_RE = new RegExp(`(每年的?|每年度)?(${NUM})月(${NUM})[日号](之前|以前|前|之后|以后|后|起)?`, 'g');

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const MAXIMUM_QUALIFIERS = new Set(['不超过', '不得超过', '不多于', '不长于', '最长', '最多', '至多']);
const MINIMUM_QUALIFIERS = new Set(['不少于', '不低于', '不短于', '至少', '最少', '最短']);

function unitOf(word: string): DurationUnit {
  for (const [w, unit] of UNIT_WORDS) if (w === word) return unit;
  /* istanbul ignore next -- the regular expression only captures the words above */
  throw new Error(`unexpected unit ${word}`);
}

const UNIT_LABEL: Readonly<Record<DurationUnit, string>> = {
  WORKING_DAYS: '个工作日',
  CALENDAR_DAYS: '日',
  HOURS: '小时',
};

/* ------------------------------------------------------------------------------------------------
 * Events
 * ---------------------------------------------------------------------------------------------- */

const EVENT_PATTERNS: ReadonlyArray<readonly [Exclude<TimeLimitEvent, 'OTHER'>, RegExp]> = [
  ['FORMATION_OR_CHANGE', /(形成|产生)(或者?|、)(变更|变化)|形成之日|变更之日/],
  ['DOCUMENT_PUBLISHED', /(文件|政策|规范性文件)?(公布|印发|发布|出台)(后|之日)/],
  ['APPROVAL_COMPLETED', /完成审批|审批(程序)?(完成|办结)/],
];

/* ------------------------------------------------------------------------------------------------
 * Parser
 * ---------------------------------------------------------------------------------------------- */

function fail(original: string, warning: string): ParsedTimeLimit {
  return { original, rule: null, event: null, warning };
}

/** Parses one 公开时限 wording. Never throws. */
export function parseTimeLimit(text: string): ParsedTimeLimit {
  const original = text;
  if (typeof text !== 'string' || text.trim() === '') return fail(original, '公开时限为空，需人工填写');
  const s = normalise(text);

  // Typos of 动态更新 (the 兖州 catalogue writes "动态跟新"): flag, do not correct silently.
  if (/动态/.test(s) && !/动态更新/.test(s)) {
    const m = /动态../.exec(s);
    return fail(original, `无法识别“${m ? m[0] : '动态'}”，疑为“动态更新”的笔误，请人工确认`);
  }

  // ---- dates: only "每年（的）M月D日（前）" is a rule; a one-off date is not representable.
  const dates = [...s.matchAll(DATE_RE)];
  const yearly: Array<{ month: number; day: number }> = [];
  for (const d of dates) {
    const [whole, every, monthText, dayText, after] = d;
    if (every === undefined) return fail(original, `“${whole}”是一次性日期，不是可重复的公开时限，请人工确认`);
    if (after === '之后' || after === '以后' || after === '后' || after === '起')
      return fail(original, `“${whole}”表示某日之后，无法作为公开期限`);
    const month = parseCount(monthText ?? '');
    const day = parseCount(dayText ?? '');
    if (month === null || day === null) return fail(original, `无法识别日期“${whole}”中的数字`);
    const maxDay = month >= 1 && month <= 12 ? DAYS_IN_MONTH[month - 1] : undefined;
    if (maxDay === undefined || day < 1 || day > maxDay) return fail(original, `“${whole}”不是每年都存在的有效日期`);
    yearly.push({ month, day });
  }
  const withoutDates = s.replace(DATE_RE, '');
  if (/每年/.test(s) && yearly.length === 0)
    return fail(original, '写明“每年”但没有具体的月、日（如“每年的1月31日前”），无法确定期限');

  const year = /[0-9]{4}年/.exec(withoutDates);
  if (year) return fail(original, `含有具体年份“${year[0]}”，是一次性期限，不是可重复的公开时限，请人工确认`);

  // ---- units the rule model does not have (months, weeks, years …)
  const unsupported = [...withoutDates.replace(PERIOD_PHRASES_RE, '').matchAll(UNSUPPORTED_UNIT_RE)];
  if (unsupported.length > 0) {
    const m = unsupported[0];
    return fail(original, `不支持以“${m?.[2] ?? ''}”为单位的时限（“${m?.[0] ?? ''}”），请换算为日或工作日后人工确认`);
  }

  // ---- durations
  const durations: Duration[] = [];
  for (const m of withoutDates.matchAll(DURATION_RE)) {
    const [whole, qualifier, numText, unitWord, after] = m;
    const amount = parseCount(numText ?? '');
    if (amount === null) return fail(original, `无法识别“${whole}”中的数字“${numText ?? ''}”`);
    const start = m.index ?? 0;
    durations.push({
      unit: unitOf(unitWord ?? ''),
      amount,
      qualifier: qualifier ?? '',
      after: after ?? '',
      text: whole,
      start,
      end: start + whole.length,
    });
  }

  // Unit words left without a number: "工作日内", "小时内", "个工作日" …
  const rest = durations.reduceRight((acc, d) => acc.slice(0, d.start) + '#'.repeat(d.end - d.start) + acc.slice(d.end), withoutDates);
  if (/工作日/.test(rest)) return fail(original, '写明“工作日”但缺少天数，无法确定期限');
  if (/小时/.test(rest)) return fail(original, '写明“小时”但缺少小时数，无法确定期限');
  if (/[0-9]/.test(rest)) return fail(original, '含有无法识别含义的数字，请人工确认');
  if (/(当日|当天|即时|立即|及时|随时)/.test(rest) && durations.length === 0 && yearly.length === 0 && !/动态更新/.test(s))
    return fail(original, '“当日/及时”等表述没有明确的期限，请人工确认');

  for (const d of durations) {
    if (MINIMUM_QUALIFIERS.has(d.qualifier) || d.after === '以上')
      return fail(original, `“${d.text}”是最短期限，不是公开期限`);
    if (d.after === '后' || d.after === '之后' || d.after === '以后' || d.after === '前')
      return fail(original, `“${d.text}”不是“……内”的期限表述，请人工确认`);
  }

  const distinct = new Map<string, Duration>();
  for (const d of durations) distinct.set(`${d.unit}:${d.amount}`, d);

  // ---- keep current
  if (/动态更新/.test(s)) {
    if (yearly.length > 0) return fail(original, '同时写明“动态更新”和每年固定日期，相互矛盾');
    if (distinct.size === 0) return { original, rule: { kind: 'KEEP_CURRENT', maxAgeDays: null }, event: null, warning: null };
    if (distinct.size > 1) return fail(original, '“动态更新”后写明了多个不同的期限，相互矛盾');
    const [d] = [...distinct.values()];
    if (d === undefined || !MAXIMUM_QUALIFIERS.has(d.qualifier) || d.unit !== 'CALENDAR_DAYS')
      return fail(original, '“动态更新”的最长间隔只支持“不超过N天/最长N日”的写法，请人工确认');
    return { original, rule: { kind: 'KEEP_CURRENT', maxAgeDays: d.amount }, event: null, warning: null };
  }

  // ---- yearly
  const distinctYearly = new Set(yearly.map((y) => `${y.month}/${y.day}`));
  if (distinctYearly.size > 1) return fail(original, '写明了多个不同的每年固定日期，相互矛盾');
  if (yearly.length > 0) {
    if (distinct.size > 0) return fail(original, '同时写明每年固定日期和天数期限，相互矛盾');
    const [y] = yearly;
    if (y === undefined) return fail(original, '无法识别的公开时限');
    return { original, rule: { kind: 'YEARLY_FIXED_DATE', month: y.month, day: y.day }, event: null, warning: null };
  }

  // ---- relative
  if (distinct.size === 0) return fail(original, `无法识别的公开时限表述“${text.trim()}”，请人工确认`);
  if (distinct.size > 1) {
    const list = [...distinct.values()].map((d) => `${d.amount}${UNIT_LABEL[d.unit]}`).join('、');
    return fail(original, `包含多个不同的期限（${list}），相互矛盾，无法确定`);
  }
  const [d] = [...distinct.values()];
  if (d === undefined) return fail(original, '无法识别的公开时限');
  if (d.qualifier !== '' && !MAXIMUM_QUALIFIERS.has(d.qualifier))
    return fail(original, `无法理解“${d.qualifier}”的含义，请人工确认`);

  const firstStart = Math.min(...durations.map((x) => x.start));
  const prefix = withoutDates.slice(0, firstStart);
  const events = EVENT_PATTERNS.filter(([, re]) => re.test(prefix)).map(([e]) => e);
  if (events.length > 1) return fail(original, '时限的计算起点不明确（同时出现多个起算事件），请人工确认');
  const event: TimeLimitEvent = events[0] ?? 'OTHER';

  const rule: DeadlineRule =
    d.unit === 'HOURS'
      ? { kind: 'HOURS', hours: d.amount }
      : d.unit === 'WORKING_DAYS'
        ? { kind: 'WORKING_DAYS', days: d.amount }
        : { kind: 'CALENDAR_DAYS', days: d.amount };
  return { original, rule, event, warning: null };
}

/* ------------------------------------------------------------------------------------------------
 * Formatter
 * ---------------------------------------------------------------------------------------------- */

const EVENT_PREFIX: Readonly<Record<TimeLimitEvent, string>> = {
  FORMATION_OR_CHANGE: '相关信息形成或变更之日起',
  DOCUMENT_PUBLISHED: '文件公布后',
  APPROVAL_COMPLETED: '完成审批程序后',
  OTHER: '',
};

function positiveInteger(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`${what} must be a positive integer, got ${n}`);
  return n;
}

/**
 * Canonical Chinese wording of a rule, used when exporting an item whose original wording is
 * missing. `parseTimeLimit(formatTimeLimit(r, e))` gives back `r` (with KEEP_CURRENT's absent
 * `maxAgeDays` read back as null) and, for relative rules, the event `e` (null read back as 'OTHER').
 * The event is ignored for YEARLY_FIXED_DATE and KEEP_CURRENT. Throws RangeError for an invalid rule.
 */
export function formatTimeLimit(rule: DeadlineRule, event: TimeLimitEvent | null = null): string {
  const prefix = EVENT_PREFIX[event ?? 'OTHER'];
  switch (rule.kind) {
    case 'WORKING_DAYS':
      return `${prefix}${positiveInteger(rule.days, 'days')}个工作日内`;
    case 'CALENDAR_DAYS':
      return `${prefix}${positiveInteger(rule.days, 'days')}日内`;
    case 'HOURS':
      return `${prefix}${positiveInteger(rule.hours, 'hours')}小时内`;
    case 'YEARLY_FIXED_DATE': {
      const maxDay = DAYS_IN_MONTH[rule.month - 1];
      if (!Number.isInteger(rule.month) || maxDay === undefined || !Number.isInteger(rule.day) || rule.day < 1 || rule.day > maxDay)
        throw new RangeError(`invalid yearly date ${rule.month}/${rule.day}`);
      return `每年的${rule.month}月${rule.day}日前公开`;
    }
    case 'KEEP_CURRENT':
      if (rule.maxAgeDays === null || rule.maxAgeDays === undefined) return '动态更新';
      return `动态更新，最长${positiveInteger(rule.maxAgeDays, 'maxAgeDays')}日`;
  }
}
