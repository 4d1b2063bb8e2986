/**
 * 任务时限 — reads the timing of a work-plan task (工作要点 / 分工方案): a 完成时限 cell, or the timing
 * phrase inside a task's requirement text (具体要求) when the sheet has no 完成时限 column, and explains
 * it back in Chinese with an English gloss.
 *
 * Pure: no I/O, no clock. Like the catalogue's time-limit parser (../catalogue/time-limit-parser.ts)
 * it never guesses: a wording it cannot read completely becomes UNREADABLE with the text kept, so
 * that a person decides, and a task without a readable deadline is never reported overdue.
 *
 * Wordings found in the source documents (DOMAIN.md, "Work plan and responsibility matrix"):
 *   "2018年底前要完成主动公开基本目录的编制"                 → DUE_DATE 2018-12-31          (000 §六(一))
 *   "年内邀请相关人员列席党委或者工作会议不得少于 2 次"       → RECURRING YEARLY, 2          (000 §二(二)4)
 *   "每年至少召开一次会议" / "每年至少听取1次…汇报"          → RECURRING YEARLY, 1          (003 items 37–38)
 *   "至少每半年開展一次察訪核驗" (traditional characters)    → RECURRING HALF_YEARLY, 1     (001 §二十二)
 *   "5 小时内发布权威消息、24 小时内…48 小时内予以回应"      → HOURS_AFTER_EVENT [5, 24, 48] (000 §三(二)1)
 *   "文件公布后3个工作日内"                                  → WORKING_DAYS_AFTER_EVENT 3, 文件公布 (000 §三(一)1, 002 §6)
 *   "完成审批程序后 1 个工作日内公开"                        → WORKING_DAYS_AFTER_EVENT 1, 完成审批程序 (000 §四(三)4)
 *   "公开征求意见期限一般不少于30天"                         → a minimum duration, not a deadline (003 item 16)
 *   "每日实时监测，每季度深度扫描，每半年提前预评估"          → several recurrences (003 item 24)
 *
 * Judgement calls (each documented where it is made):
 * - "每年的1月31日前公开" is an annual deadline; a plan covers one year, so it is read as a DUE_DATE
 *   in the plan year (planYear-01-31), like "6月底前" and "年底前".
 * - "每季度深度扫描" (a recurrence word without a count) means at least once per period: count 1.
 * - "每日"/"每天" (daily, e.g. "每日实时监测") is continuous monitoring that no period check can use:
 *   findTaskTiming passes over it, parseTaskTiming reports a cell with it as UNREADABLE.
 * - A cell holding several different timings (003 item 24) is UNREADABLE for parseTaskTiming: the
 *   task's check needs one timing, and picking one would be a guess. findTaskTiming, which scans prose
 *   for "the" timing of a task, takes the first one it can represent (there: 每季度).
 */
import { CN_DIGITS, NUM, parseCount } from '../calendar/chinese-numbers';
import { daysInMonth, formatIsoDate } from '../calendar/date-utils';

export type TaskTimingKind = 'DUE_DATE' | 'RECURRING' | 'WORKING_DAYS_AFTER_EVENT' | 'HOURS_AFTER_EVENT' | 'NONE' | 'UNREADABLE';
export type TaskRecurrence = 'YEARLY' | 'HALF_YEARLY' | 'QUARTERLY' | 'MONTHLY';

export interface TaskTiming {
  kind: TaskTimingKind;
  /** 'YYYY-MM-DD' for DUE_DATE, else null. */
  dueOn: string | null;
  /** RECURRING only. */
  recurrence: TaskRecurrence | null;
  /** RECURRING only, ≥ 1. */
  minimumCount: number | null;
  /** WORKING_DAYS_AFTER_EVENT only, ≥ 1. */
  workingDays: number | null;
  /** HOURS_AFTER_EVENT only: ascending, distinct, positive; [] otherwise. */
  hours: number[];
  /** What starts the clock, as written, for the two *_AFTER_EVENT kinds; null when not written. */
  event: string | null;
  /** The text the timing was read from, verbatim (the phrase found, or the whole cell). */
  text: string;
}

const TIMING_KINDS: readonly TaskTimingKind[] = [
  'DUE_DATE',
  'RECURRING',
  'WORKING_DAYS_AFTER_EVENT',
  'HOURS_AFTER_EVENT',
  'NONE',
  'UNREADABLE',
];
const RECURRENCES: readonly TaskRecurrence[] = ['YEARLY', 'HALF_YEARLY', 'QUARTERLY', 'MONTHLY'];

/** A reading without its source text; `text` is added by the two public readers. */
type Reading = Omit<TaskTiming, 'text'>;

const EMPTY: Reading = { kind: 'NONE', dueOn: null, recurrence: null, minimumCount: null, workingDays: null, hours: [], event: null };

function reading(kind: TaskTimingKind, fields: Partial<Reading> = {}): Reading {
  return { ...EMPTY, ...fields, kind };
}

/* ------------------------------------------------------------------------------------------------
 * Numbers
 * ---------------------------------------------------------------------------------------------- */


/** A four-digit year, in Arabic digits or written digit by digit ("二〇一八"). */
const YEAR = '[0-9]{4}|[〇零一二三四五六七八九]{4}';


function parseYear(token: string): number | null {
  if (/^[0-9]{4}$/.test(token)) return Number(token);
  let out = 0;
  for (const ch of token) {
    const d = CN_DIGITS[ch];
    if (d === undefined || ch === '两') return null;
    out = out * 10 + d;
  }
  return out >= 1000 ? out : null;
}

/** 'YYYY-MM-DD' when the date exists, else null (e.g. 2月29日 in 2023). */
function isoDate(year: number, month: number | null, day: number | null): string | null {
  if (month === null || day === null || !Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (month < 1 || month > 12 || day < 1 || year < 1 || year > 9999 || day > daysInMonth(year, month)) return null;
  return formatIsoDate({ year, month, day });
}

function monthEnd(year: number, month: number | null): string | null {
  if (month === null || month < 1 || month > 12) return null;
  return isoDate(year, month, daysInMonth(year, month));
}

/* ------------------------------------------------------------------------------------------------
 * Normalisation, with a map back to the original text (results quote the text verbatim)
 * ---------------------------------------------------------------------------------------------- */

/**
 * Traditional characters that occur in the timing wordings. 001 (鲤城区) is written in traditional
 * characters ("至少每半年開展一次察訪核驗"); only what the patterns below look at is mapped.
 */
const TRADITIONAL: Readonly<Record<string, string>> = {
  內: '内',
  個: '个',
  時: '时',
  後: '后',
  兩: '两',
  於: '于',
  應: '应',
  當: '当',
  從: '从',
  須: '须',
  週: '周',
  號: '号',
  規: '规',
  長: '长',
  堅: '坚',
  續: '续',
  態: '态',
  動: '动',
  開: '开',
  會: '会',
  盡: '尽',
  適: '适',
  視: '视',
  況: '况',
  實: '实',
  隨: '随',
  間: '间',
  過: '过',
  數: '数',
  發: '发',
  佈: '布',
  達: '达',
  歲: '岁',
  屆: '届',
};

interface Normalised {
  original: string;
  /** Full-width → ASCII, traditional → simplified, whitespace dropped, line breaks → ';'. */
  text: string;
  /** For each code unit of `text`: where its source character starts / ends in `original`. */
  from: number[];
  to: number[];
}

function normalise(original: string): Normalised {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of original) {
    const start = i;
    i += ch.length;
    const code = ch.codePointAt(0) ?? 0;
    let out: string;
    // A line break inside a cell separates statements the way a full stop does.
    if (ch === '\n' || ch === '\r') out = ';';
    // "2018 年底前", "不得少于 2 次", "5 小时内" — the documents put spaces around numbers.
    else if (/\s/.test(ch)) continue;
    else if (code >= 0xff01 && code <= 0xff5e) out = String.fromCodePoint(code - 0xfee0);
    else out = TRADITIONAL[ch] ?? ch;
    for (let k = 0; k < out.length; k += 1) {
      from.push(start);
      to.push(i);
    }
    text += out;
  }
  return { original, text, from, to };
}

/** The original text behind normalised positions [start, end). */
function originalSlice(n: Normalised, start: number, end: number): string {
  if (end <= start) return '';
  return n.original.slice(n.from[start], n.to[end - 1]);
}

/** Marks text already read by a pattern; no pattern matches it, and it ends a clause. */
const MASK = '\u0000';
/** Ends a clause: what a count or an event may belong to. */
const CLAUSE_END = new Set([',', '，', '。', ';', '；', ':', '：', '!', '！', '?', '？', MASK]);
/** Ends a sentence: the hour limits of one sentence form one timing. */
const SENTENCE_END = new Set(['。', ';', '；', '!', '！', '?', '？']);

/* ------------------------------------------------------------------------------------------------
 * Scanner
 * ---------------------------------------------------------------------------------------------- */

/**
 * TIMING: a representable timing. UNREADABLE: a timing-shaped phrase that cannot be represented or
 * read (an invalid date, "30日内", "每周", "每月5日前" …). MINIMUM: a minimum duration ("不少于30天"),
 * not a deadline. VAGUE: "及时", "定期", "尽快" … ONGOING: "长期坚持", "持续推进", "常态化" … DAILY:
 * "每日", "每天" (see the module comment).
 */
type Category = 'TIMING' | 'UNREADABLE' | 'MINIMUM' | 'VAGUE' | 'ONGOING' | 'DAILY';

interface Candidate {
  category: Category;
  /** Normalised positions [start, end) of the phrase. */
  start: number;
  end: number;
  reading: Reading | null;
}

const MAX_QUALIFIERS = '不超过|不得超过|不多于|不长于|最长|最多|至多|最迟|最晚';
const MIN_QUALIFIERS = '不得少于|不少于|不低于|不短于|至少|最少';
const MIN_QUALIFIER_SET = new Set(MIN_QUALIFIERS.split('|'));
const BEFORE = '之前|以前|前|完成';

/**
 * "到/于" before a month or year end make it a deadline ("到2018年底"); "至年底" is left out: in reports
 * it means "as of the year end" (004: "至年底共实施抽查40多件"). A day needs "前"/"完成" after it.
 */
const DATE_DAY_RE = new RegExp(`(每年度?的?)?(?:(${YEAR})年)?(${NUM})月(${NUM})[日号](${BEFORE})?`, 'g');
const MONTH_END_RE = new RegExp(`(到|于)?(每年度?的?)?(?:(${YEAR})年)?(${NUM})月份?(?:底|末)(${BEFORE})?`, 'g');
const YEAR_END_RE = new RegExp(
  `(到|于)?(?:(每年度?的?)|(${YEAR})年?|(本|今|当)|(明|次|下一?|去|上一?))?年度?(?:底|末)(${BEFORE})?`,
  'g',
);
const WORKING_DAYS_RE = new RegExp(`(${MAX_QUALIFIERS}|${MIN_QUALIFIERS})?(${NUM})个?工作日(以内|之内|内|以上|之后|以后|后)?`, 'g');
const HOURS_RE = new RegExp(`(${MAX_QUALIFIERS}|${MIN_QUALIFIERS})?(${NUM})个?小时(以内|之内|内|以上|之后|以后|后)?`, 'g');
/** "年内", "本年度内", "2018年内" — not "半年内", "三年内", "明年内" (those are durations or relative years). */
const YEAR_WITHIN_RE = new RegExp(
  `(?:(${YEAR})年度?|(?:本|今|当)年度?|(?<![0-9零〇一二两三四五六七八九十百千半上下明去前次每])年度?)内`,
  'g',
);
/** Durations the timing model has no kind for (calendar days, months, weeks, years). */
const DURATION_RE = new RegExp(`(${MAX_QUALIFIERS}|${MIN_QUALIFIERS})?(${NUM})个?(自然日|日历日|天|日|月|周|星期|年)(以内|之内|内|以上)?`, 'g');
const EVERY_N_RE = new RegExp(`每隔?(${NUM})个?(年|月|季度|季|周|星期|天|日)`, 'g');
const RECURRENCE_RE = /每半年|每年度|每年|每个季度|每季度|每季|每个月|每月|每半月|每周|每星期|每日|每天|(?<![0-9零〇一二两三四五六七八九十百千半上下明去前次每])全年/g;
const VAGUE_RE =
  /视情况而定|视情况|根据工作需要|根据需要|按需|第一时间|按照规定时限|按规定时限|规定时限|法定时限|不定期|定期|及时|尽快|尽早|适时|按时|限期|随时|实时|即时|立即|马上|当日|当天/g;
const ONGOING_RE = /长期坚持|长期|持续推进|持续开展|持续|常态化|常年|动态更新|动态调整|长效|经常性/g;

const RECURRENCE_OF: Readonly<Record<string, TaskRecurrence>> = {
  每半年: 'HALF_YEARLY',
  每年度: 'YEARLY',
  每年: 'YEARLY',
  全年: 'YEARLY',
  每个季度: 'QUARTERLY',
  每季度: 'QUARTERLY',
  每季: 'QUARTERLY',
  每个月: 'MONTHLY',
  每月: 'MONTHLY',
};

/** After a recurrence word: a day or month inside the period ("每年一月份", "每月5日前", "每季度第一个月"). */
const POSITION_IN_PERIOD_RE = new RegExp(`^的?(?:(?:${NUM})(?:月份?|日|号)|初|第|首|上旬|中旬|下旬)`);
const COUNT_RE = new RegExp(`(${MAX_QUALIFIERS})?(?:${MIN_QUALIFIERS})?(${NUM})次(?!性|解读)`);
const COUNT_RANGE_RE = new RegExp(`(?:${NUM})(?:-|~|～|至|到)(?:${NUM})次`);
/** "X后", "X之日起" right before a number, optionally followed by "（最迟）应在". */
const EVENT_TAIL_RE = /^(.*?)(之日起|之日后|之日以后|之后|以后|后|起)的?(?:最迟|最晚)?(?:应当|应|须|需|要|必须)?(?:在|于)?$/;
/** Words that introduce the event ("应于文件公布后", "自受理之日起"); the event starts after the last one. */
const EVENT_LEAD_RE = /应当于|应当在|应于|应在|要在|须在|需在|必须在|自从|自|从|(?<![关对由属等基])于|在(?!线)/g;

class Scanner {
  private readonly masked: string[];
  readonly candidates: Candidate[] = [];
  private readonly sentenceOf: number[];

  constructor(
    private readonly n: Normalised,
    private readonly planYear: number,
  ) {
    this.masked = n.text.split('');
    let sentence = 0;
    this.sentenceOf = this.masked.map((ch) => (SENTENCE_END.has(ch) ? sentence++ : sentence));
  }

  /**
   * Runs the patterns from the most to the least specific; each one's text is masked so that, e.g.,
   * the "每年" of "每年的1月31日前" is not read again as a recurrence, or the "30天" of "不少于30天" as
   * a duration.
   */
  scan(): Candidate[] {
    this.each(DATE_DAY_RE, (m) => this.dateDay(m));
    this.each(MONTH_END_RE, (m) => this.monthEnd(m));
    this.each(YEAR_END_RE, (m) => this.yearEnd(m));
    this.each(WORKING_DAYS_RE, (m) => this.limit(m, 'WORKING_DAYS_AFTER_EVENT'));
    this.each(HOURS_RE, (m) => this.limit(m, 'HOURS_AFTER_EVENT'));
    this.each(YEAR_WITHIN_RE, (m) => this.yearWithin(m));
    this.each(DURATION_RE, (m) => this.duration(m));
    this.each(EVERY_N_RE, (m) => this.claim(m.index, m.index + m[0].length, 'UNREADABLE'));
    this.each(RECURRENCE_RE, (m) => this.recurrence(m));
    this.each(VAGUE_RE, (m) => this.claim(m.index, m.index + m[0].length, 'VAGUE'));
    this.each(ONGOING_RE, (m) => this.claim(m.index, m.index + m[0].length, 'ONGOING'));
    this.groupHours();
    return [...this.candidates].sort((a, b) => a.start - b.start);
  }

  /** What no pattern read (masked text removed). */
  rest(): string {
    return this.masked.filter((ch) => ch !== MASK).join('');
  }

  private each(re: RegExp, handle: (m: RegExpExecArray & { index: number }) => void): void {
    const snapshot = this.masked.join('');
    for (const m of snapshot.matchAll(re)) {
      const start = m.index ?? 0;
      // A handler may have claimed more than its match (an event before it, a count after it).
      if (this.masked.slice(start, start + m[0].length).includes(MASK)) continue;
      handle(m as RegExpExecArray & { index: number });
    }
  }

  private claim(start: number, end: number, category: Category, r: Reading | null = null): void {
    this.candidates.push({ category, start, end, reading: r });
    for (let i = start; i < end; i += 1) this.masked[i] = MASK;
  }

  private due(start: number, end: number, date: string | null): void {
    if (date === null) this.claim(start, end, 'UNREADABLE');
    else this.claim(start, end, 'TIMING', reading('DUE_DATE', { dueOn: date }));
  }

  /** "2024年9月15日前", "每年的1月31日前" (annual deadline → the plan year's date). A date without "前" is not a deadline. */
  private dateDay(m: RegExpExecArray & { index: number }): void {
    const [whole, , yearText, monthText, dayText, before] = m;
    if (before === undefined) return;
    const year = yearText === undefined ? this.planYear : parseYear(yearText);
    const date = year === null ? null : isoDate(year, parseCount(monthText), parseCount(dayText));
    this.due(m.index, m.index + whole.length, date);
  }

  /** "6月底前", "2024年6月底前", "到6月底": the last day of that month. */
  private monthEnd(m: RegExpExecArray & { index: number }): void {
    const [whole, lead, , yearText, monthText, before] = m;
    if (lead === undefined && before === undefined) return;
    const year = yearText === undefined ? this.planYear : parseYear(yearText);
    this.due(m.index, m.index + whole.length, year === null ? null : monthEnd(year, parseCount(monthText)));
  }

  /** "2018年底前", "年底前", "到2018年底", "每年年底前". "明年底前" names a year relative to an unknown date: unreadable. */
  private yearEnd(m: RegExpExecArray & { index: number }): void {
    const [whole, lead, every, yearText, own, relative, before] = m;
    if (lead === undefined && before === undefined) return; // "年底两次" (002 §22): not a deadline
    const start = m.index;
    const end = start + whole.length;
    if (relative !== undefined) return this.claim(start, end, 'UNREADABLE');
    if (every === undefined && yearText === undefined && own === undefined) {
      // A bare "年底": the character before must not make it part of something else ("上半年底", "两年底").
      const prev = start > 0 ? (this.masked[start - 1] ?? '') : '';
      if (/[0-9零〇一二两三四五六七八九十百千半]/.test(prev)) return;
      if (/[明次下去上]/.test(prev)) return this.claim(start - 1, end, 'UNREADABLE');
    }
    const year = yearText === undefined ? this.planYear : parseYear(yearText);
    this.due(start, end, year === null ? null : isoDate(year, 12, 31));
  }

  /** "文件公布后3个工作日内", "最迟要在 5 小时内". */
  private limit(m: RegExpExecArray & { index: number }, kind: 'WORKING_DAYS_AFTER_EVENT' | 'HOURS_AFTER_EVENT'): void {
    const [whole, qualifier, numText, suffix] = m;
    const start = m.index;
    const end = start + whole.length;
    const amount = parseCount(numText);
    if (amount === null) return this.claim(start, end, 'UNREADABLE');
    if ((qualifier !== undefined && MIN_QUALIFIER_SET.has(qualifier)) || suffix === '以上') return this.claim(start, end, 'MINIMUM');
    const within = suffix === '以内' || suffix === '之内' || suffix === '内' || (qualifier !== undefined && suffix === undefined);
    // "3个工作日后" or a bare "20个工作日" says when, not by when: not a limit this model can check.
    if (!within) return this.claim(start, end, 'UNREADABLE');
    const event = this.eventBefore(start);
    const fields: Partial<Reading> =
      kind === 'WORKING_DAYS_AFTER_EVENT' ? { workingDays: amount, event: event?.text ?? null } : { hours: [amount], event: event?.text ?? null };
    this.claim(event?.start ?? start, end, 'TIMING', reading(kind, fields));
  }

  /**
   * The event a limit counts from, when the text names it right before the number: "文件公布后",
   * "相关信息形成或变更之日起", "应在完成审批程序后". Null when no "后/起" precedes the number
   * ("最迟要在 5 小时内"): the event is then not written, and nothing is made up.
   */
  private eventBefore(pos: number): { start: number; text: string } | null {
    let clauseStart = pos;
    while (clauseStart > 0 && !CLAUSE_END.has(this.masked[clauseStart - 1] ?? MASK)) clauseStart -= 1;
    const segment = this.masked.slice(clauseStart, pos).join('');
    const m = EVENT_TAIL_RE.exec(segment);
    if (!m) return null;
    const raw = m[1] ?? '';
    let offset = 0;
    for (const lead of raw.matchAll(EVENT_LEAD_RE)) offset = (lead.index ?? 0) + lead[0].length;
    let eventText = raw.slice(offset);
    if (eventText.endsWith('之日')) eventText = eventText.slice(0, -2);
    if (eventText === '') return null;
    const start = clauseStart + offset;
    return { start, text: originalSlice(this.n, start, start + eventText.length).trim() };
  }

  /** "年内…不得少于 2 次" counts per year; "年内完成" is a deadline at the end of that year. */
  private yearWithin(m: RegExpExecArray & { index: number }): void {
    const start = m.index;
    const anchorEnd = start + m[0].length;
    const count = this.countAfter(anchorEnd);
    if (count !== null) {
      if (count.n === null) return this.claim(start, count.end, 'UNREADABLE');
      return this.claim(start, count.end, 'TIMING', reading('RECURRING', { recurrence: 'YEARLY', minimumCount: count.n }));
    }
    const year = m[1] === undefined ? this.planYear : parseYear(m[1]);
    this.due(start, anchorEnd, year === null ? null : isoDate(year, 12, 31));
  }

  private duration(m: RegExpExecArray & { index: number }): void {
    const [whole, qualifier, , , suffix] = m;
    // "9月", "2018年", "16日" alone are dates or periods, not durations.
    if (qualifier === undefined && suffix === undefined) return;
    const start = m.index;
    const end = start + whole.length;
    const minimum = (qualifier !== undefined && MIN_QUALIFIER_SET.has(qualifier)) || suffix === '以上';
    this.claim(start, end, minimum ? 'MINIMUM' : 'UNREADABLE');
  }

  /** "每年至少召开一次", "每半年开展一次", "每季度深度扫描" (count 1), "全年不少于2次". */
  private recurrence(m: RegExpExecArray & { index: number }): void {
    const anchor = m[0];
    const start = m.index;
    const anchorEnd = start + anchor.length;
    if (anchor === '每日' || anchor === '每天') return this.claim(start, anchorEnd, 'DAILY');
    const recurrence = RECURRENCE_OF[anchor];
    if (recurrence === undefined) return this.claim(start, anchorEnd, 'UNREADABLE'); // 每周, 每星期, 每半月
    const after = this.masked.slice(anchorEnd).join('');
    const position = POSITION_IN_PERIOD_RE.exec(after);
    // "每年一月份编制", "每月5日前报送": a date inside each period, which a count per period cannot express.
    if (position) return this.claim(start, anchorEnd + position[0].length, 'UNREADABLE');
    const count = this.countAfter(anchorEnd);
    if (count !== null) {
      if (count.n === null) return this.claim(start, count.end, 'UNREADABLE');
      return this.claim(start, count.end, 'TIMING', reading('RECURRING', { recurrence, minimumCount: count.n }));
    }
    // "全年" without a count is just "the whole year" ("全年工作").
    if (anchor === '全年') return;
    // No count: once per period. The phrase quoted runs to the end of the clause ("每季度深度扫描").
    let end = anchorEnd;
    while (end < this.masked.length && !CLAUSE_END.has(this.masked[end] ?? MASK)) end += 1;
    this.claim(start, end, 'TIMING', reading('RECURRING', { recurrence, minimumCount: 1 }));
  }

  /**
   * The first count ("一次", "不得少于 2 次", "两次") in the clause after `from`; n is null when it is
   * not a minimum ("不超过2次", "1-2次") or not a number that can be read.
   */
  private countAfter(from: number): { n: number | null; end: number } | null {
    let clauseEnd = from;
    while (clauseEnd < this.masked.length && !CLAUSE_END.has(this.masked[clauseEnd] ?? MASK)) clauseEnd += 1;
    const clause = this.masked.slice(from, clauseEnd).join('');
    const count = COUNT_RE.exec(clause);
    const range = COUNT_RANGE_RE.exec(clause);
    if (range && (!count || range.index <= count.index)) return { n: null, end: from + range.index + range[0].length };
    if (!count) return null;
    const end = from + count.index + count[0].length;
    if (count[1] !== undefined) return { n: null, end };
    return { n: parseCount(count[2]), end };
  }

  /**
   * "5 小时内发布权威消息、24 小时内举行新闻发布会，对其他政务舆情应在 48 小时内予以回应" is one
   * requirement with three limits: the hour limits of one sentence become one timing.
   */
  private groupHours(): void {
    const hours = this.candidates.filter((c) => c.category === 'TIMING' && c.reading?.kind === 'HOURS_AFTER_EVENT');
    const bySentence = new Map<number, Candidate[]>();
    for (const c of hours) {
      const key = this.sentenceOf[c.start] ?? 0;
      bySentence.set(key, [...(bySentence.get(key) ?? []), c]);
    }
    for (const group of bySentence.values()) {
      if (group.length < 2) continue;
      for (const c of group) this.candidates.splice(this.candidates.indexOf(c), 1);
      const first = group[0]!;
      const last = group[group.length - 1]!;
      const events = [...new Set(group.map((c) => c.reading?.event).filter((e): e is string => e != null))];
      if (events.length > 1) {
        // Different limits counted from different events: one timing cannot hold that.
        this.candidates.push({ category: 'UNREADABLE', start: first.start, end: last.end, reading: null });
        continue;
      }
      const values = [...new Set(group.flatMap((c) => c.reading?.hours ?? []))].sort((a, b) => a - b);
      this.candidates.push({
        category: 'TIMING',
        start: first.start,
        end: last.end,
        reading: reading('HOURS_AFTER_EVENT', { hours: values, event: events[0] ?? null }),
      });
    }
  }
}

function checkPlanYear(planYear: number): void {
  if (!Number.isInteger(planYear) || planYear < 1000 || planYear > 9999) {
    throw new RangeError(`planYear must be a four-digit year, got ${planYear}`);
  }
}

function sameReading(a: Reading, b: Reading): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Numbers that no pattern read: "不少于2次" without a period, "30号", a stray "4." … */
const LEFTOVER_NUMBER_RE = new RegExp(`[0-9]|(?:${NUM})个?(?:次|天|日|月|周|星期|年|小时|工作日|季度)`);

/**
 * A cell that is only a date or a period, as 完成时限 columns often are: "2024年6月30日",
 * "2024-06-30", "2024年6月" / "6月底" (end of that month), "2024年" / "年底" (end of that year).
 * The column says "complete by", so a period means its last day.
 */
function bareCellDate(text: string, planYear: number): string | null | undefined {
  const iso = /^([0-9]{4})[-./]([0-9]{1,2})[-./]([0-9]{1,2})(?:之前|以前|前)?$/.exec(text);
  if (iso) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  if (/^(?:本|今|当)?年度?(?:底|末)(?:之前|以前|前)?(?:完成)?$/.test(text)) return isoDate(planYear, 12, 31);
  const m = new RegExp(`^(?:(${YEAR})年)?(?:(${NUM})月份?)?(?:(${NUM})[日号])?(底|末)?(?:之前|以前|前)?(?:完成)?$`).exec(text);
  if (!m) return undefined;
  const [, yearText, monthText, dayText, endWord] = m;
  if (yearText === undefined && monthText === undefined) return undefined;
  const year = yearText === undefined ? planYear : parseYear(yearText);
  if (year === null) return null;
  if (monthText === undefined) return dayText === undefined ? isoDate(year, 12, 31) : null;
  if (dayText !== undefined) return endWord === undefined ? isoDate(year, parseCount(monthText), parseCount(dayText)) : null;
  return monthEnd(year, parseCount(monthText));
}

/* ------------------------------------------------------------------------------------------------
 * Public readers
 * ---------------------------------------------------------------------------------------------- */

/**
 * Reads a 完成时限 cell (or a typed-in timing text). Empty → NONE. "长期坚持", "持续推进", "常态化" →
 * NONE (ongoing, no deadline). Anything it cannot read fully → UNREADABLE with the text kept; never
 * a guess. In particular UNREADABLE:
 * - vague words alone ("尽快", "及时", "定期", "视情况而定");
 * - several different timings (003 item 24 "每日实时监测，每季度深度扫描，每半年提前预评估"): which
 *   one the task is checked against is a decision for a person;
 * - an ongoing word together with a deadline ("长期坚持，年底前完成"): the cell says both "no deadline"
 *   and a deadline;
 * - a minimum duration ("不少于30天"), a calendar-day/month limit ("30日内"), "每日", "每周";
 * - numbers left over that no pattern explains ("不少于2次" without a period).
 * Vague words next to one precise timing are accepted: "及时发声，最迟 5 小时内" is refined by the hours.
 * Throws RangeError when planYear is not a four-digit year (a programming error, not a wording).
 */
export function parseTaskTiming(text: string, planYear: number): TaskTiming {
  checkPlanYear(planYear);
  const original = typeof text === 'string' ? text : '';
  if (original.trim() === '') return { ...EMPTY, text: original };
  const unreadable: TaskTiming = { ...reading('UNREADABLE'), text: original };

  const n = normalise(original);
  const scanner = new Scanner(n, planYear);
  const candidates = scanner.scan();
  const categories = new Set(candidates.map((c) => c.category));
  if (categories.has('UNREADABLE') || categories.has('MINIMUM') || categories.has('DAILY')) return unreadable;

  const timings: Reading[] = [];
  for (const c of candidates) {
    if (c.category === 'TIMING' && c.reading && !timings.some((t) => sameReading(t, c.reading!))) timings.push(c.reading);
  }
  const leftoverNumbers = LEFTOVER_NUMBER_RE.test(scanner.rest());
  if (timings.length > 1) return unreadable;
  if (timings.length === 1) {
    if (categories.has('ONGOING') || leftoverNumbers) return unreadable;
    return { ...timings[0]!, text: original };
  }
  if (candidates.length === 0) {
    const date = bareCellDate(n.text, planYear);
    if (date === undefined || date === null) return unreadable;
    return { ...reading('DUE_DATE', { dueOn: date }), text: original };
  }
  // Only ongoing (and perhaps vague) words: ongoing work without a deadline.
  if (categories.has('ONGOING') && !leftoverNumbers) return { ...EMPTY, text: original };
  return unreadable;
}

/**
 * Scans a task's requirement text (具体要求) for a timing phrase when the sheet has no 完成时限
 * column. The first timing phrase wins — a recurrence with a count (or "每季度…", once per period), a
 * working-day or hour limit after an event, a dated deadline — and `text` quotes that phrase verbatim.
 * Phrases that are not deadlines give NONE: minimum durations ("公开征求意见期限一般不少于30天"),
 * vague words ("及时", "定期", "尽快", "视情况而定"), ongoing words ("持续推进", "常态化") and daily
 * monitoring ("每日实时监测"); with nothing else the result is NONE with text ''. A phrase shaped like
 * a deadline that cannot be read or represented ("2024年2月30日前", "30日内", "每周", "每年一月份")
 * gives UNREADABLE with that phrase, so a person looks at it instead of the task silently having none.
 * Dates without "前" ("2018年9月4日") are mentions, not deadlines. Throws RangeError like parseTaskTiming.
 */
export function findTaskTiming(requirement: string, planYear: number): TaskTiming {
  checkPlanYear(planYear);
  const original = typeof requirement === 'string' ? requirement : '';
  if (original.trim() === '') return { ...EMPTY, text: '' };
  const n = normalise(original);
  const found = new Scanner(n, planYear).scan().find((c) => c.category === 'TIMING' || c.category === 'UNREADABLE');
  if (!found) return { ...EMPTY, text: '' };
  const text = originalSlice(n, found.start, found.end).trim();
  return { ...(found.reading ?? reading('UNREADABLE')), text };
}

/* ------------------------------------------------------------------------------------------------
 * Explanation
 * ---------------------------------------------------------------------------------------------- */

const PERIOD_ZH: Readonly<Record<TaskRecurrence, string>> = {
  YEARLY: '每年',
  HALF_YEARLY: '每半年',
  QUARTERLY: '每季度',
  MONTHLY: '每月',
};
const PERIOD_EN: Readonly<Record<TaskRecurrence, string>> = {
  YEARLY: 'year',
  HALF_YEARLY: 'half-year',
  QUARTERLY: 'quarter',
  MONTHLY: 'month',
};

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

function englishList(values: readonly number[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} and ${values[values.length - 1]}`;
}

/**
 * Chinese explanation with a short English gloss, like the catalogue's explanations:
 * "每半年至少 1 次 (at least once per half-year)",
 * "事件（文件公布）后 3 个工作日内 (within 3 working days after 文件公布)".
 * A timing with structural problems (see timingProblems) is described as incomplete, never throws.
 */
export function explainTaskTiming(t: TaskTiming): string {
  const problems = timingProblems(t);
  if (problems.length > 0) {
    return `完成时限不完整：${problems.map((p) => p.message).join('；')} (incomplete timing: ${problems.map((p) => p.field).join(', ')})`;
  }
  switch (t.kind) {
    case 'DUE_DATE':
      return `${t.dueOn} 前完成 (due by ${t.dueOn})`;
    case 'RECURRING': {
      const r = t.recurrence!;
      const n = t.minimumCount!;
      return `${PERIOD_ZH[r]}至少 ${n} 次 (at least ${times(n)} per ${PERIOD_EN[r]})`;
    }
    case 'WORKING_DAYS_AFTER_EVENT': {
      const d = t.workingDays!;
      const unit = d === 1 ? 'working day' : 'working days';
      return t.event
        ? `事件（${t.event}）后 ${d} 个工作日内 (within ${d} ${unit} after ${t.event})`
        : `${d} 个工作日内，未写明起算事件 (within ${d} ${unit}; the starting event is not stated)`;
    }
    case 'HOURS_AFTER_EVENT': {
      const hs = t.hours;
      const several = hs.length > 1;
      const zh = `${several ? '分别在 ' : ''}${hs.join('、')} 小时内`;
      const en = `within ${englishList(hs)} ${hs.length === 1 && hs[0] === 1 ? 'hour' : 'hours'}${several ? ' respectively' : ''}`;
      return t.event
        ? `事件（${t.event}）后${several ? '' : ' '}${zh} (${en} after ${t.event})`
        : `${zh}，未写明起算事件 (${en}; the starting event is not stated)`;
    }
    case 'NONE':
      return t.text.trim() === ''
        ? '无完成时限 (no deadline)'
        : `无固定完成时限（“${t.text.trim()}”） (no fixed deadline: ongoing work)`;
    case 'UNREADABLE':
      return `无法识别的完成时限“${t.text.trim()}”，需人工确认 (unreadable timing; a person must check it)`;
  }
}

/* ------------------------------------------------------------------------------------------------
 * Validation of caller-given timings
 * ---------------------------------------------------------------------------------------------- */

type TimingField = 'kind' | 'dueOn' | 'recurrence' | 'minimumCount' | 'workingDays' | 'hours' | 'event';

const FIELD_ZH: Readonly<Record<TimingField, string>> = {
  kind: '时限类型',
  dueOn: '完成日期',
  recurrence: '周期',
  minimumCount: '每期最少次数',
  workingDays: '工作日数',
  hours: '小时数',
  event: '起算事件',
};

const KIND_ZH: Readonly<Record<TaskTimingKind, string>> = {
  DUE_DATE: '截止日期',
  RECURRING: '周期性任务',
  WORKING_DAYS_AFTER_EVENT: '事件后若干工作日',
  HOURS_AFTER_EVENT: '事件后若干小时',
  NONE: '无时限',
  UNREADABLE: '无法识别',
};

/** Which fields each kind uses; every other field must be null (hours: empty). */
const FIELDS_OF: Readonly<Record<TaskTimingKind, readonly TimingField[]>> = {
  DUE_DATE: ['dueOn'],
  RECURRING: ['recurrence', 'minimumCount'],
  WORKING_DAYS_AFTER_EVENT: ['workingDays', 'event'],
  HOURS_AFTER_EVENT: ['hours', 'event'],
  NONE: [],
  UNREADABLE: [],
};

function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

/**
 * Structural problems of a timing given by a caller (used to validate GraphQL input), each
 * { field, message } with a Chinese message: a missing or invalid value for the kind, or a value in a
 * field that does not belong to the kind. `hours` null counts as empty; `text` is not checked.
 */
export function timingProblems(t: TaskTiming): Array<{ field: string; message: string }> {
  const problems: Array<{ field: TimingField; message: string }> = [];
  if (!TIMING_KINDS.includes(t.kind)) {
    return [{ field: 'kind', message: `未知的时限类型：${JSON.stringify(t.kind)}` }];
  }
  const hours: unknown = t.hours ?? [];
  const used = FIELDS_OF[t.kind];
  const present: Record<TimingField, boolean> = {
    kind: true,
    dueOn: t.dueOn != null,
    recurrence: t.recurrence != null,
    minimumCount: t.minimumCount != null,
    workingDays: t.workingDays != null,
    hours: !Array.isArray(hours) || hours.length > 0,
    event: t.event != null,
  };
  for (const field of ['dueOn', 'recurrence', 'minimumCount', 'workingDays', 'hours', 'event'] as const) {
    if (present[field] && !used.includes(field)) {
      problems.push({ field, message: `${KIND_ZH[t.kind]}（${t.kind}）不使用${FIELD_ZH[field]}，应为空` });
    }
  }
  switch (t.kind) {
    case 'DUE_DATE':
      if (t.dueOn == null) problems.push({ field: 'dueOn', message: '截止日期类时限缺少完成日期' });
      else if (typeof t.dueOn !== 'string' || isoDate(Number(t.dueOn.slice(0, 4)), Number(t.dueOn.slice(5, 7)), Number(t.dueOn.slice(8, 10))) !== t.dueOn)
        problems.push({ field: 'dueOn', message: `完成日期不是有效日期（应为YYYY-MM-DD）：${JSON.stringify(t.dueOn)}` });
      break;
    case 'RECURRING':
      if (t.recurrence == null) problems.push({ field: 'recurrence', message: '周期性任务缺少周期（每年、每半年、每季度或每月）' });
      else if (!RECURRENCES.includes(t.recurrence)) problems.push({ field: 'recurrence', message: `未知的周期：${JSON.stringify(t.recurrence)}` });
      if (t.minimumCount == null) problems.push({ field: 'minimumCount', message: '周期性任务缺少每期最少次数' });
      else if (!isPositiveInteger(t.minimumCount))
        problems.push({ field: 'minimumCount', message: `每期最少次数应为不小于1的整数：${JSON.stringify(t.minimumCount)}` });
      break;
    case 'WORKING_DAYS_AFTER_EVENT':
      if (t.workingDays == null) problems.push({ field: 'workingDays', message: '缺少工作日数' });
      else if (!isPositiveInteger(t.workingDays))
        problems.push({ field: 'workingDays', message: `工作日数应为不小于1的整数：${JSON.stringify(t.workingDays)}` });
      break;
    case 'HOURS_AFTER_EVENT':
      if (!Array.isArray(hours) || hours.length === 0) problems.push({ field: 'hours', message: '缺少小时数' });
      else if (!hours.every((h) => typeof h === 'number' && Number.isFinite(h) && h > 0))
        problems.push({ field: 'hours', message: `小时数应为正数：${JSON.stringify(hours)}` });
      else if (!hours.every((h: number, i) => i === 0 || h > (hours[i - 1] as number)))
        problems.push({ field: 'hours', message: `小时数应按从小到大排列且不重复：${JSON.stringify(hours)}` });
      break;
    default:
      break;
  }
  if ((t.kind === 'WORKING_DAYS_AFTER_EVENT' || t.kind === 'HOURS_AFTER_EVENT') && t.event != null) {
    if (typeof t.event !== 'string' || t.event.trim() === '')
      problems.push({ field: 'event', message: '起算事件不能为空字符串（未写明时应为空值）' });
  }
  return problems;
}

/* ------------------------------------------------------------------------------------------------
 * Periods
 * ---------------------------------------------------------------------------------------------- */

/**
 * The periods of a plan year for a recurrence, in order: YEARLY → '2024'; HALF_YEARLY → '2024-H1',
 * '2024-H2'; QUARTERLY → '2024-Q1'…'2024-Q4'; MONTHLY → '2024-01'…'2024-12' (February ends on the
 * 29th in leap years). Throws RangeError for an unknown recurrence or a year outside 1–9999.
 */
export function recurrencePeriods(recurrence: TaskRecurrence, year: number): Array<{ key: string; start: string; end: string }> {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`year must be an integer 1–9999, got ${year}`);
  const monthsPer: Record<TaskRecurrence, number> = { YEARLY: 12, HALF_YEARLY: 6, QUARTERLY: 3, MONTHLY: 1 };
  const span = monthsPer[recurrence];
  if (span === undefined) throw new RangeError(`unknown recurrence ${JSON.stringify(recurrence)}`);
  const y = String(year).padStart(4, '0');
  const periods: Array<{ key: string; start: string; end: string }> = [];
  for (let first = 1, i = 1; first <= 12; first += span, i += 1) {
    const last = first + span - 1;
    const key =
      recurrence === 'YEARLY'
        ? y
        : recurrence === 'HALF_YEARLY'
          ? `${y}-H${i}`
          : recurrence === 'QUARTERLY'
            ? `${y}-Q${i}`
            : `${y}-${String(first).padStart(2, '0')}`;
    periods.push({
      key,
      start: formatIsoDate({ year, month: first, day: 1 }),
      end: formatIsoDate({ year, month: last, day: daysInMonth(year, last) }),
    });
  }
  return periods;
}
