import fs from 'node:fs';
import path from 'node:path';
import type { DeadlineRule } from '../../../src/modules/calendar/deadline-rule';
import {
  formatTimeLimit,
  parseTimeLimit,
  type ParsedTimeLimit,
  type TimeLimitEvent,
} from '../../../src/modules/catalogue/time-limit-parser';

interface ExpectedItem {
  name: string;
  timeLimitText: string;
}

const EXPECTED_FILE = path.join(__dirname, '../../../seeds/data/yanzhou-2024-catalogue.expected.json');
const expectedItems = JSON.parse(fs.readFileSync(EXPECTED_FILE, 'utf8')) as ExpectedItem[];

function ok(rule: DeadlineRule, event: TimeLimitEvent | null): Omit<ParsedTimeLimit, 'original'> {
  return { rule, event, warning: null };
}

function expectRejected(text: string, reason?: RegExp): ParsedTimeLimit {
  const r = parseTimeLimit(text);
  expect(r.original).toBe(text);
  expect(r.rule).toBeNull();
  expect(r.event).toBeNull();
  expect(typeof r.warning).toBe('string');
  expect(r.warning).toMatch(/[\u4e00-\u9fff]/); // a Chinese explanation
  if (reason) expect(r.warning).toMatch(reason);
  return r;
}

describe('parseTimeLimit — wordings of the source documents', () => {
  it.each<[string, DeadlineRule, TimeLimitEvent | null]>([
    // 002 Attachment 1 (兖州 catalogue)
    ['相关信息形成或变更之日起20个工作日内', { kind: 'WORKING_DAYS', days: 20 }, 'FORMATION_OR_CHANGE'],
    ['相关信息形成或变更之日起21个工作日内', { kind: 'WORKING_DAYS', days: 21 }, 'FORMATION_OR_CHANGE'],
    ['每年的1月31日前公开', { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, null],
    ['动态更新', { kind: 'KEEP_CURRENT', maxAgeDays: null }, null],
    // 000 §三(一)1, 002 §6
    ['文件公布后3个工作日内', { kind: 'WORKING_DAYS', days: 3 }, 'DOCUMENT_PUBLISHED'],
    ['相关解读材料应于文件公布后3个工作日内主动发布', { kind: 'WORKING_DAYS', days: 3 }, 'DOCUMENT_PUBLISHED'],
    // 000 §四(三)4 — with the document's spaces around the number
    ['完成审批程序后 1 个工作日内公开', { kind: 'WORKING_DAYS', days: 1 }, 'APPROVAL_COMPLETED'],
    ['完成审批程序后1个工作日内公开', { kind: 'WORKING_DAYS', days: 1 }, 'APPROVAL_COMPLETED'],
    // 000 §三(二)1, one deadline at a time
    ['5小时内', { kind: 'HOURS', hours: 5 }, 'OTHER'],
    ['5 小时内', { kind: 'HOURS', hours: 5 }, 'OTHER'],
    ['24小时内', { kind: 'HOURS', hours: 24 }, 'OTHER'],
    ['48 小时内', { kind: 'HOURS', hours: 48 }, 'OTHER'],
  ])('%s', (text, rule, event) => {
    expect(parseTimeLimit(text)).toEqual({ original: text, ...ok(rule, event) });
  });
});

describe('parseTimeLimit — other accepted forms', () => {
  it.each<[string, DeadlineRule, TimeLimitEvent | null]>([
    ['30日内', { kind: 'CALENDAR_DAYS', days: 30 }, 'OTHER'],
    ['30天内', { kind: 'CALENDAR_DAYS', days: 30 }, 'OTHER'],
    ['相关信息形成或变更之日起30日内', { kind: 'CALENDAR_DAYS', days: 30 }, 'FORMATION_OR_CHANGE'],
    ['15个自然日内', { kind: 'CALENDAR_DAYS', days: 15 }, 'OTHER'],
    ['动态更新（不超过30天）', { kind: 'KEEP_CURRENT', maxAgeDays: 30 }, null],
    ['动态更新(不超过30天)', { kind: 'KEEP_CURRENT', maxAgeDays: 30 }, null],
    ['动态更新，最长30日', { kind: 'KEEP_CURRENT', maxAgeDays: 30 }, null],
    ['动态更新，最长三十日', { kind: 'KEEP_CURRENT', maxAgeDays: 30 }, null],
    ['动态更新，不超过7天', { kind: 'KEEP_CURRENT', maxAgeDays: 7 }, null],
    // Chinese numerals (1–99)
    ['相关信息形成或变更之日起二十个工作日内', { kind: 'WORKING_DAYS', days: 20 }, 'FORMATION_OR_CHANGE'],
    ['二十个工作日', { kind: 'WORKING_DAYS', days: 20 }, 'OTHER'],
    ['文件公布后三个工作日内', { kind: 'WORKING_DAYS', days: 3 }, 'DOCUMENT_PUBLISHED'],
    ['两个工作日内', { kind: 'WORKING_DAYS', days: 2 }, 'OTHER'],
    ['十个工作日内', { kind: 'WORKING_DAYS', days: 10 }, 'OTHER'],
    ['十五日内', { kind: 'CALENDAR_DAYS', days: 15 }, 'OTHER'],
    ['二十一个工作日内', { kind: 'WORKING_DAYS', days: 21 }, 'OTHER'],
    ['九十九小时内', { kind: 'HOURS', hours: 99 }, 'OTHER'],
    ['四十八小时内', { kind: 'HOURS', hours: 48 }, 'OTHER'],
    ['每年一月三十一日前公开', { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, null],
    ['每年1月31日前公开上一年度政府信息公开工作年度报告', { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, null],
    ['每年的12月31日之前', { kind: 'YEARLY_FIXED_DATE', month: 12, day: 31 }, null],
    // full-width digits and punctuation
    ['相关信息形成或变更之日起２０个工作日内', { kind: 'WORKING_DAYS', days: 20 }, 'FORMATION_OR_CHANGE'],
    ['每年的１月３１日前公开', { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, null],
    ['２４小时内', { kind: 'HOURS', hours: 24 }, 'OTHER'],
    ['动态更新（不超过３０天）', { kind: 'KEEP_CURRENT', maxAgeDays: 30 }, null],
    // surrounding whitespace, the same limit repeated, an event the parser does not know
    ['  相关信息形成或变更之日起20个工作日内\n', { kind: 'WORKING_DAYS', days: 20 }, 'FORMATION_OR_CHANGE'],
    ['20个工作日内，即20个工作日', { kind: 'WORKING_DAYS', days: 20 }, 'OTHER'],
    ['收到申请之日起15个工作日内', { kind: 'WORKING_DAYS', days: 15 }, 'OTHER'],
    ['相关信息形成或者变更之日起20个工作日内', { kind: 'WORKING_DAYS', days: 20 }, 'FORMATION_OR_CHANGE'],
    ['审批完成后1个工作日内', { kind: 'WORKING_DAYS', days: 1 }, 'APPROVAL_COMPLETED'],
  ])('%s', (text, rule, event) => {
    expect(parseTimeLimit(text)).toEqual({ original: text, ...ok(rule, event) });
  });

  it('keeps the original text untouched', () => {
    const text = ' 完成审批程序后 1 个工作日内公开 ';
    expect(parseTimeLimit(text).original).toBe(text);
  });
});

describe('parseTimeLimit — never guesses', () => {
  it('flags the 兖州 typo "动态跟新" instead of reading it as 动态更新', () => {
    const r = expectRejected('动态跟新', /动态跟新/);
    expect(r.warning).toMatch(/笔误|人工/);
  });

  it.each(['', '   ', '\n'])('flags empty text %j', (text) => {
    expectRejected(text, /空/);
  });

  it.each([
    ['相关信息形成或变更之日起20个工作日内或30个工作日内', /矛盾/],
    ['20个工作日内，最迟21个工作日', /矛盾/],
    ['20个工作日或30日内', /矛盾/],
    ['文件公布后3个工作日内，且30日内', /矛盾/],
    ['5小时内发布权威消息、24小时内举行新闻发布会', /矛盾/],
    ['二十个工作日内，20日内', /矛盾/],
  ])('flags contradictory text %s', (text, reason) => {
    expectRejected(text, reason);
  });

  it.each(['工作日内', '相关信息形成或变更之日起工作日内', '个工作日内公开', '在规定的工作日内'])(
    'flags "工作日" without a number: %s',
    (text) => {
      expectRejected(text, /工作日.*缺少|缺少/);
    },
  );

  it.each([
    ['小时内', /小时/],
    ['及时公开', /期限/],
    ['长期公开', undefined],
    ['按规定时限公开', undefined],
    ['每年', /月、日/],
    ['每年1月底前', /月、日/],
    ['2018年底前', /一次性|年份/],
    ['2024年12月31日前', /一次性/],
    ['每年的2月30日前', /有效日期/],
    ['每年的2月29日前', /有效日期/],
    ['每年的13月1日前', /有效日期/],
    ['每年的1月31日后', /之后/],
    ['3个月内', /月/],
    ['一周内', /周/],
    ['公开征求意见期限一般不少于30天', /最短/],
    ['至少20个工作日', /最短/],
    ['20个工作日以上', /最短/],
    ['一百天内', /数字/],
    ['三五个工作日', /数字/],
    ['0个工作日内', /数字/],
    ['动态更新，30日内', /动态更新/],
    ['动态更新，不超过5个工作日', /动态更新/],
    ['动态更新，每年的1月31日前', /矛盾/],
    ['每年的1月31日前或20个工作日内', /矛盾/],
    ['每年的1月31日前，每年的3月31日前', /矛盾/],
    ['动态调整', /动态更新/],
    ['相关信息形成或变更之日起20', /数字/],
    ['文件公布后或审批完成后3个工作日内', /起点/],
  ])('flags %s', (text, reason) => {
    expectRejected(text, reason);
  });
});

describe('formatTimeLimit', () => {
  it('writes the documents’ own canonical wordings', () => {
    expect(formatTimeLimit({ kind: 'WORKING_DAYS', days: 20 }, 'FORMATION_OR_CHANGE')).toBe('相关信息形成或变更之日起20个工作日内');
    expect(formatTimeLimit({ kind: 'WORKING_DAYS', days: 3 }, 'DOCUMENT_PUBLISHED')).toBe('文件公布后3个工作日内');
    expect(formatTimeLimit({ kind: 'WORKING_DAYS', days: 1 }, 'APPROVAL_COMPLETED')).toBe('完成审批程序后1个工作日内');
    expect(formatTimeLimit({ kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, null)).toBe('每年的1月31日前公开');
    expect(formatTimeLimit({ kind: 'KEEP_CURRENT', maxAgeDays: null }, null)).toBe('动态更新');
    expect(formatTimeLimit({ kind: 'KEEP_CURRENT' })).toBe('动态更新');
    expect(formatTimeLimit({ kind: 'KEEP_CURRENT', maxAgeDays: 30 })).toBe('动态更新，最长30日');
    expect(formatTimeLimit({ kind: 'HOURS', hours: 24 }, 'OTHER')).toBe('24小时内');
    expect(formatTimeLimit({ kind: 'CALENDAR_DAYS', days: 30 }, null)).toBe('30日内');
  });

  const rules: DeadlineRule[] = [
    { kind: 'WORKING_DAYS', days: 1 },
    { kind: 'WORKING_DAYS', days: 20 },
    { kind: 'WORKING_DAYS', days: 21 },
    { kind: 'WORKING_DAYS', days: 120 },
    { kind: 'CALENDAR_DAYS', days: 1 },
    { kind: 'CALENDAR_DAYS', days: 30 },
    { kind: 'CALENDAR_DAYS', days: 365 },
    { kind: 'HOURS', hours: 5 },
    { kind: 'HOURS', hours: 24 },
    { kind: 'HOURS', hours: 48 },
  ];
  const events: Array<TimeLimitEvent | null> = ['FORMATION_OR_CHANGE', 'DOCUMENT_PUBLISHED', 'APPROVAL_COMPLETED', 'OTHER', null];

  it.each(rules.flatMap((r) => events.map((e) => [r, e] as const)))('round-trips %j from %s', (rule, event) => {
    const text = formatTimeLimit(rule, event);
    expect(parseTimeLimit(text)).toEqual({ original: text, rule, event: event ?? 'OTHER', warning: null });
  });

  const absolute: DeadlineRule[] = [
    { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 },
    { kind: 'YEARLY_FIXED_DATE', month: 2, day: 28 },
    { kind: 'YEARLY_FIXED_DATE', month: 12, day: 31 },
    { kind: 'YEARLY_FIXED_DATE', month: 6, day: 30 },
    { kind: 'KEEP_CURRENT', maxAgeDays: null },
    { kind: 'KEEP_CURRENT', maxAgeDays: 1 },
    { kind: 'KEEP_CURRENT', maxAgeDays: 30 },
    { kind: 'KEEP_CURRENT', maxAgeDays: 90 },
  ];
  it.each(absolute.flatMap((r) => events.map((e) => [r, e] as const)))('round-trips %j (event %s ignored)', (rule, event) => {
    const text = formatTimeLimit(rule, event);
    expect(parseTimeLimit(text)).toEqual({ original: text, rule, event: null, warning: null });
  });

  it('reads an absent maxAgeDays back as null', () => {
    expect(parseTimeLimit(formatTimeLimit({ kind: 'KEEP_CURRENT' })).rule).toEqual({ kind: 'KEEP_CURRENT', maxAgeDays: null });
  });

  it.each<DeadlineRule>([
    { kind: 'WORKING_DAYS', days: 0 },
    { kind: 'WORKING_DAYS', days: -1 },
    { kind: 'CALENDAR_DAYS', days: 1.5 },
    { kind: 'HOURS', hours: Number.NaN },
    { kind: 'YEARLY_FIXED_DATE', month: 2, day: 30 },
    { kind: 'YEARLY_FIXED_DATE', month: 0, day: 1 },
    { kind: 'KEEP_CURRENT', maxAgeDays: 0 },
  ])('rejects the invalid rule %j', (rule) => {
    expect(() => formatTimeLimit(rule, 'OTHER')).toThrow(RangeError);
  });
});

describe('every 公开时限 in the 兖州 2024 catalogue', () => {
  it('has 25 items', () => {
    expect(expectedItems).toHaveLength(25);
  });

  it('parses as expected, with the 动态跟新 row flagged', () => {
    const results = expectedItems.map((item) => ({ name: item.name, ...parseTimeLimit(item.timeLimitText) }));
    for (const r of results) {
      switch (r.original) {
        case '相关信息形成或变更之日起20个工作日内':
          expect(r).toMatchObject({ rule: { kind: 'WORKING_DAYS', days: 20 }, event: 'FORMATION_OR_CHANGE', warning: null });
          break;
        case '相关信息形成或变更之日起21个工作日内':
          expect(r).toMatchObject({ name: '公务员考录', rule: { kind: 'WORKING_DAYS', days: 21 }, event: 'FORMATION_OR_CHANGE', warning: null });
          break;
        case '动态更新':
          expect(r).toMatchObject({ name: '政府信息公开指南', rule: { kind: 'KEEP_CURRENT', maxAgeDays: null }, event: null, warning: null });
          break;
        case '每年的1月31日前公开':
          expect(r).toMatchObject({ name: '政府信息公开年报', rule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, event: null, warning: null });
          break;
        case '动态跟新':
          expect(r.name).toBe('部门动态');
          expect(r.rule).toBeNull();
          expect(r.warning).toMatch(/动态跟新/);
          break;
        default:
          throw new Error(`unexpected time limit ${r.original}`);
      }
    }
    expect(results.filter((r) => r.rule === null).map((r) => r.name)).toEqual(['部门动态']);
    expect(results.filter((r) => r.rule?.kind === 'WORKING_DAYS' && r.rule.days === 20)).toHaveLength(21);
  });
});
