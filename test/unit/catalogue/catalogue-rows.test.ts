import {
  draftToSheetRow,
  parseDisclosureType,
  rowsToDrafts,
  splitChannels,
  type ItemDraft,
} from '../../../src/modules/catalogue/catalogue-rows';
import { SHEET_COLUMNS, type SheetColumn, type SheetRow } from '../../../src/modules/catalogue/catalogue-sheet';
import type { KnownUnit } from '../../../src/modules/catalogue/unit-matcher';

const known: KnownUnit[] = [
  { id: 'mishuke', name: '指挥中心秘书科', aliases: ['秘书科'] },
  { id: 'xuanchuanke', name: '指挥中心宣传科', aliases: ['宣传科'] },
  { id: 'zhenggongshi', name: '政工室', aliases: [] },
];

let nextRow = 3;
function sheetRow(partial: Partial<Record<SheetColumn, string>>, rowNumber = nextRow++): SheetRow {
  const cells = {
    ...Object.fromEntries(SHEET_COLUMNS.map((c) => [c, ''])),
    category: '政策文件',
    name: '部门文件',
    content: '本单位发布的文件',
    disclosureType: '政策公开',
    units: '指挥中心秘书科',
    timeLimit: '相关信息形成或变更之日起20个工作日内',
    channels: '政府网站',
    audience: '全社会',
    ...partial,
  } as Record<SheetColumn, string>;
  return { rowNumber, cells };
}

describe('parseDisclosureType', () => {
  it.each([
    ['决策公开', 'DECISION'],
    ['决策', 'DECISION'],
    ['执行公开', 'EXECUTION'],
    ['管理公开', 'MANAGEMENT'],
    ['服务公开', 'SERVICE'],
    ['结果公开', 'RESULT'],
    ['结果', 'RESULT'],
    ['政策公开', 'POLICY'],
    [' 管理 公开 ', 'MANAGEMENT'],
    ['', null],
    ['  ', null],
    ['公开', 'INVALID'],
    ['决策公开、执行公开', 'INVALID'],
    ['主动公开', 'INVALID'],
  ])('%s → %s', (text, want) => {
    expect(parseDisclosureType(text)).toBe(want);
  });
});

describe('splitChannels', () => {
  it('splits on 、 and other separators, trims and drops duplicates', () => {
    expect(splitChannels('政府网站、政务微信')).toEqual(['政府网站', '政务微信']);
    expect(splitChannels(' 政府网站，政务微博; 政府网站 / 公告栏 ')).toEqual(['政府网站', '政务微博', '公告栏']);
    expect(splitChannels('')).toEqual([]);
  });
});

describe('rowsToDrafts', () => {
  it('turns a clean row into a draft with resolved units and a parsed time limit', () => {
    const { drafts, problems } = rowsToDrafts(
      [sheetRow({ units: '指挥中心秘书科、宣传科', channels: '政府网站、政务微信', legalBasis: '《条例》', websiteColumn: '政策文件' }, 7)],
      known,
    );
    expect(problems).toEqual([]);
    expect(drafts).toEqual<ItemDraft[]>([
      {
        rowNumber: 7,
        category: '政策文件',
        name: '部门文件',
        content: '本单位发布的文件',
        disclosureType: 'POLICY',
        unitsText: '指挥中心秘书科、宣传科',
        unitIds: ['mishuke', 'xuanchuanke'],
        unknownUnits: [],
        timeLimitText: '相关信息形成或变更之日起20个工作日内',
        deadlineRule: { kind: 'WORKING_DAYS', days: 20 },
        deadlineEvent: 'FORMATION_OR_CHANGE',
        timeLimitWarning: null,
        channels: ['政府网站', '政务微信'],
        audience: '全社会',
        legalBasis: '《条例》',
        websiteColumn: '政策文件',
      },
    ]);
  });

  it('reports an empty name', () => {
    const { drafts, problems } = rowsToDrafts([sheetRow({ name: '' }, 4)], known);
    expect(drafts).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ row: 4, column: '目录名称', field: 'name', severity: 'ERROR', code: 'EMPTY_NAME' })]);
  });

  it('reports over-long cells with the limit and the text', () => {
    const name = '名'.repeat(201);
    const { drafts, problems } = rowsToDrafts(
      [sheetRow({ name }, 5), sheetRow({ name: '名'.repeat(200), category: '类'.repeat(101), content: '文'.repeat(2001) }, 6)],
      known,
    );
    expect(drafts).toEqual([]);
    expect(problems.map((p) => [p.row, p.code, p.field, p.severity])).toEqual([
      [5, 'NAME_TOO_LONG', 'name', 'ERROR'],
      [6, 'CATEGORY_TOO_LONG', 'category', 'ERROR'],
      [6, 'CONTENT_TOO_LONG', 'content', 'ERROR'],
    ]);
    expect(problems[0]).toMatchObject({ column: '目录名称', value: name });
    expect(problems[0]?.message).toMatch(/201.*200.*\(longer than 200 characters\)/);
  });

  it('counts characters, not UTF-16 code units', () => {
    // 200 characters from a CJK extension plane: 400 code units, still within the limit.
    const { problems } = rowsToDrafts([sheetRow({ name: '𠀀'.repeat(200) })], known);
    expect(problems).toEqual([]);
  });

  it('reports invalid 政务五公开 text and keeps an empty one as null', () => {
    const { drafts, problems } = rowsToDrafts([sheetRow({ disclosureType: '主动公开' }, 8), sheetRow({ name: '机构设置', disclosureType: '' }, 9)], known);
    expect(problems).toEqual([
      expect.objectContaining({ row: 8, column: '政务五公开', field: 'disclosureType', severity: 'ERROR', code: 'INVALID_DISCLOSURE_TYPE', value: '主动公开' }),
    ]);
    expect(drafts.map((d) => [d.rowNumber, d.disclosureType])).toEqual([[9, null]]);
  });

  it('reports a duplicate item (same category and name) naming both rows', () => {
    const { drafts, problems } = rowsToDrafts(
      [
        sheetRow({ category: '行政执法公示', name: '专题展示' }, 16),
        sheetRow({ category: '“双随机、一公开”', name: '专题展示' }, 17),
        sheetRow({ category: '行政执法公示', name: '专题展示' }, 18),
      ],
      known,
    );
    expect(problems).toEqual([expect.objectContaining({ row: 18, field: 'name', severity: 'ERROR', code: 'DUPLICATE_ITEM', value: '专题展示' })]);
    expect(problems[0]?.message).toMatch(/第 18 行.*第 16 行/);
    expect(drafts.map((d) => d.rowNumber)).toEqual([16, 17]);
  });

  it('reports each unknown unit as an ERROR but keeps the draft (the caller may create the units)', () => {
    const { drafts, problems } = rowsToDrafts([sheetRow({ units: '秘书科、禁毒大队、巡特警大队等有关科室、禁毒大队' }, 10)], known);
    expect(problems.filter((p) => p.severity === 'ERROR')).toEqual([
      expect.objectContaining({ row: 10, column: '公开主体（责任单位）', field: 'units', code: 'UNKNOWN_UNIT', value: '禁毒大队' }),
      expect.objectContaining({ row: 10, column: '公开主体（责任单位）', field: 'units', code: 'UNKNOWN_UNIT', value: '巡特警大队' }),
    ]);
    expect(problems.filter((p) => p.severity === 'WARNING')).toEqual([
      expect.objectContaining({ row: 10, field: 'units', code: 'COLLECTIVE_UNIT', value: '等有关科室' }),
    ]);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ unitIds: ['mishuke'], unknownUnits: ['禁毒大队', '巡特警大队'], unitsText: '秘书科、禁毒大队、巡特警大队等有关科室、禁毒大队' });
  });

  it('warns about collective phrases and empty units without linking anything', () => {
    const { drafts, problems } = rowsToDrafts([sheetRow({ units: '局属有关单位' }, 11), sheetRow({ name: '其他', units: '' }, 12)], known);
    expect(problems.map((p) => [p.row, p.severity, p.code, p.value])).toEqual([
      [11, 'WARNING', 'COLLECTIVE_UNIT', '局属有关单位'],
      [12, 'WARNING', 'EMPTY_UNITS', undefined],
    ]);
    expect(drafts.map((d) => d.unitIds)).toEqual([[], []]);
  });

  it('warns about an unparsed or empty time limit and keeps the text', () => {
    const { drafts, problems } = rowsToDrafts([sheetRow({ timeLimit: '动态跟新' }, 13), sheetRow({ name: '其他', timeLimit: '' }, 14)], known);
    expect(problems).toEqual([
      expect.objectContaining({ row: 13, column: '公开时限', field: 'timeLimit', severity: 'WARNING', code: 'UNPARSED_TIME_LIMIT', value: '动态跟新' }),
      expect.objectContaining({ row: 14, column: '公开时限', field: 'timeLimit', severity: 'WARNING', code: 'EMPTY_TIME_LIMIT' }),
    ]);
    expect(problems[0]?.message).toContain('疑为“动态更新”的笔误');
    expect(drafts.map((d) => [d.timeLimitText, d.deadlineRule, d.deadlineEvent])).toEqual([
      ['动态跟新', null, null],
      ['', null, null],
    ]);
    expect(drafts[0]?.timeLimitWarning).toContain('动态跟新');
    expect(drafts[1]?.timeLimitWarning).toMatch(/为空/);
  });

  it('gives no draft for a row without category (reported by the sheet reader) yet checks the rest', () => {
    const { drafts, problems } = rowsToDrafts([sheetRow({ category: '', disclosureType: 'x' }, 3)], known);
    expect(drafts).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['INVALID_DISCLOSURE_TYPE']);
  });
});

describe('draftToSheetRow', () => {
  const base = {
    category: '政府信息公开年报',
    name: '政府信息公开年报',
    content: '公开本部门政府信息公开年报',
    disclosureType: 'POLICY' as const,
    unitsText: '许可服务科等有关科室',
    timeLimitText: '',
    deadlineRule: { kind: 'YEARLY_FIXED_DATE' as const, month: 1, day: 31 },
    deadlineEvent: null,
    channels: ['政府网站', '政务微信'],
    audience: '全社会',
    legalBasis: '',
    websiteColumn: '年报',
  };

  it('uses the stored wording, Chinese 政务五公开 and joins channels with 、', () => {
    expect(draftToSheetRow({ ...base, timeLimitText: '每年1月31日之前' })).toEqual({
      category: '政府信息公开年报',
      name: '政府信息公开年报',
      content: '公开本部门政府信息公开年报',
      disclosureType: '政策公开',
      units: '许可服务科等有关科室',
      timeLimit: '每年1月31日之前',
      channels: '政府网站、政务微信',
      audience: '全社会',
      legalBasis: '',
      websiteColumn: '年报',
    });
  });

  it('formats the rule when there is no wording, and leaves both empty when there is neither', () => {
    expect(draftToSheetRow(base).timeLimit).toBe('每年的1月31日前公开');
    expect(draftToSheetRow({ ...base, deadlineRule: { kind: 'WORKING_DAYS', days: 5 }, deadlineEvent: 'DOCUMENT_PUBLISHED' }).timeLimit).toBe('文件公布后5个工作日内');
    expect(draftToSheetRow({ ...base, deadlineRule: null }).timeLimit).toBe('');
    expect(draftToSheetRow({ ...base, disclosureType: null }).disclosureType).toBe('');
  });

  it('maps every disclosure type back to text that parses to it', () => {
    for (const t of ['DECISION', 'EXECUTION', 'MANAGEMENT', 'SERVICE', 'RESULT', 'POLICY'] as const) {
      expect(parseDisclosureType(draftToSheetRow({ ...base, disclosureType: t }).disclosureType)).toBe(t);
    }
  });
});
