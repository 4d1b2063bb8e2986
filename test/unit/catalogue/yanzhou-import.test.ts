import fs from 'node:fs';
import path from 'node:path';
import { draftToSheetRow, rowsToDrafts, type ItemDraft } from '../../../src/modules/catalogue/catalogue-rows';
import { readCatalogueSheet, writeCatalogueSheet, type SheetProblem } from '../../../src/modules/catalogue/catalogue-sheet';
import type { KnownUnit } from '../../../src/modules/catalogue/unit-matcher';

/** Reading the committed 兖州 2024 catalogue end to end: file → sheet rows → item drafts. */

interface ExpectedItem {
  category: string;
  name: string;
  content: string;
  disclosureType: ItemDraft['disclosureType'];
  unitsText: string;
  units: string[];
  timeLimitText: string;
  channels: string[];
  audience: string;
}
interface AgencySeed {
  code: string;
  units: Array<{ code: string; name: string }>;
  children: AgencySeed[];
}

const DATA = path.join(__dirname, '../../../seeds/data');
const load = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(DATA, file), 'utf8')) as T;
const expected = load<ExpectedItem[]>('yanzhou-2024-catalogue.expected.json');
const aliases = load<Record<string, Record<string, string>>>('unit-aliases.json');

function findAgency(list: AgencySeed[], code: string): AgencySeed | undefined {
  for (const a of list) {
    if (a.code === code) return a;
    const found = findAgency(a.children, code);
    if (found) return found;
  }
  return undefined;
}

const AGENCY = 'sd-jining-yanzhou';
const yanzhou = findAgency(load<AgencySeed[]>('agencies.json'), AGENCY);
if (!yanzhou) throw new Error(`${AGENCY} missing from agencies.json`);
const aliasMap = aliases[AGENCY] ?? {};
/** Units as the database holds them: id = code, aliases from unit-aliases.json (other than the name). */
const known: KnownUnit[] = yanzhou.units.map((u) => ({
  id: u.code,
  name: u.name,
  aliases: Object.entries(aliasMap)
    .filter(([alias, code]) => code === u.code && alias !== u.name)
    .map(([alias]) => alias),
}));

let title: string | null;
let sheetProblems: SheetProblem[];
let drafts: ItemDraft[];
let problems: SheetProblem[];

beforeAll(async () => {
  const sheet = await readCatalogueSheet(fs.readFileSync(path.join(DATA, 'yanzhou-2024-catalogue.xlsx')), 'XLSX');
  title = sheet.title;
  sheetProblems = sheet.problems;
  ({ drafts, problems } = rowsToDrafts(sheet.rows, known));
});

const draft = (name: string, category?: string): ItemDraft => {
  const d = drafts.find((x) => x.name === name && (category === undefined || x.category === category));
  if (!d) throw new Error(`no draft ${name}`);
  return d;
};
const problemsOf = (name: string): SheetProblem[] => problems.filter((p) => p.row === draft(name).rowNumber);

describe('reading seeds/data/yanzhou-2024-catalogue.xlsx', () => {
  it('reads the title and has no ERROR problems', () => {
    expect(title).toBe('2024年济宁市公安局兖州分局主动公开基本目录');
    expect(sheetProblems).toEqual([]);
    expect(problems.filter((p) => p.severity === 'ERROR')).toEqual([]);
  });

  it('gives the 25 items of expected.json, in order, with merged cells filled', () => {
    expect(drafts.map((d) => d.rowNumber)).toEqual(Array.from({ length: 25 }, (_, i) => i + 3));
    expect(
      drafts.map((d) => ({
        category: d.category,
        name: d.name,
        content: d.content,
        disclosureType: d.disclosureType,
        unitsText: d.unitsText,
        timeLimitText: d.timeLimitText,
        channels: d.channels,
        audience: d.audience,
      })),
    ).toEqual(expected.map(({ units: _units, ...rest }) => rest));
    for (const d of drafts) expect([d.legalBasis, d.websiteColumn]).toEqual(['', '']);
  });

  it('resolves responsible units, aliases and "X等…" included', () => {
    expect(draft('部门会议').unitIds).toEqual(['yanzhou-mishuke', 'yanzhou-xuanchuanke']);
    expect(draft('重大决策执行落实').unitIds).toEqual(['yanzhou-mishuke', 'yanzhou-jiaojingdadui', 'yanzhou-xingzhendadui']);
    expect(draft('治安管理').unitIds).toEqual(['yanzhou-zhiandadui', 'yanzhou-hujike', 'yanzhou-churujingdadui']);
    expect(draft('人大建议办理情况').unitIds).toEqual(['yanzhou-mishuke']); // E13:E15 merged
    expect(draft('专题展示', '行政执法公示').unitIds).toEqual(['yanzhou-fazhidadui', 'yanzhou-xukefuwuke']);
    expect(draft('工作推进').unitIds).toEqual([]);
    for (const d of drafts) expect(d.unknownUnits).toEqual([]);
    for (const d of drafts.filter((x) => x.name !== '工作推进')) expect({ name: d.name, linked: d.unitIds.length > 0 }).toEqual({ name: d.name, linked: true });
  });

  it('warns about collective phrases, keeping them in the text', () => {
    const collective = (name: string) => problemsOf(name).filter((p) => p.code === 'COLLECTIVE_UNIT').map((p) => p.value);
    expect(collective('治安管理')).toEqual(['各派出所', '等有关科室']);
    expect(collective('重大决策执行落实')).toEqual(['等重大决策执行涉及警种单位']);
    expect(collective('公告公示')).toEqual(['等有关科室']);
    expect(collective('工作推进')).toEqual(['局属有关单位']);
    expect(collective('部门会议')).toEqual([]);
    expect(draft('治安管理').unitsText).toBe('治安大队、户籍科、出入境管理大队、各派出所等有关科室');
  });

  it('reads the time limits into rules, flagging the 动态跟新 typo', () => {
    const twenty = drafts.filter((d) => d.timeLimitText === '相关信息形成或变更之日起20个工作日内');
    expect(twenty).toHaveLength(21);
    for (const d of twenty) {
      expect({ name: d.name, rule: d.deadlineRule, event: d.deadlineEvent }).toEqual({
        name: d.name,
        rule: { kind: 'WORKING_DAYS', days: 20 },
        event: 'FORMATION_OR_CHANGE',
      });
    }
    expect(draft('公务员考录')).toMatchObject({ deadlineRule: { kind: 'WORKING_DAYS', days: 21 }, deadlineEvent: 'FORMATION_OR_CHANGE', timeLimitWarning: null });
    expect(draft('政府信息公开年报')).toMatchObject({ deadlineRule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, deadlineEvent: null });
    expect(draft('政府信息公开指南')).toMatchObject({ deadlineRule: { kind: 'KEEP_CURRENT', maxAgeDays: null }, deadlineEvent: null });
    expect(draft('部门动态')).toMatchObject({ timeLimitText: '动态跟新', deadlineRule: null, deadlineEvent: null });
    expect(draft('部门动态').timeLimitWarning).toBe('无法识别“动态跟新”，疑为“动态更新”的笔误，请人工确认');
    expect(problemsOf('部门动态')).toEqual([
      expect.objectContaining({ row: 27, column: '公开时限', field: 'timeLimit', severity: 'WARNING', code: 'UNPARSED_TIME_LIMIT', value: '动态跟新' }),
    ]);
    const unparsed = problems.filter((p) => p.code === 'UNPARSED_TIME_LIMIT' || p.code === 'EMPTY_TIME_LIMIT');
    expect(unparsed.map((p) => p.row)).toEqual([27]);
  });

  it('has only COLLECTIVE_UNIT and UNPARSED_TIME_LIMIT warnings', () => {
    expect([...new Set(problems.map((p) => p.code))].sort()).toEqual(['COLLECTIVE_UNIT', 'UNPARSED_TIME_LIMIT']);
  });
});

describe('round trip: drafts → draftToSheetRow → writeCatalogueSheet → readCatalogueSheet → rowsToDrafts', () => {
  const withoutRow = (list: ItemDraft[]) => list.map(({ rowNumber: _rowNumber, ...rest }) => rest);

  it.each(['XLSX', 'CSV'] as const)('gives the same drafts and problems (%s)', async (format) => {
    const file = await writeCatalogueSheet('2024年济宁市公安局兖州分局主动公开基本目录', drafts.map(draftToSheetRow), format);
    const sheet = await readCatalogueSheet(file, format);
    expect(sheet.problems).toEqual([]);
    const again = rowsToDrafts(sheet.rows, known);
    expect(withoutRow(again.drafts)).toEqual(withoutRow(drafts));
    const strip = (ps: SheetProblem[]) => ps.map(({ row: _row, ...rest }) => rest);
    expect(strip(again.problems)).toEqual(strip(problems));
  });

  it.each(['XLSX', 'CSV'] as const)('keeps legal basis, website column, several channels and a formatted rule (%s)', async (format) => {
    const item = {
      category: '政策文件',
      name: '规范性文件',
      content: '本单位制定的规范性文件，含“引号”,逗号\n和换行',
      disclosureType: 'DECISION' as const,
      unitsText: '指挥中心秘书科、法制大队',
      timeLimitText: '',
      deadlineRule: { kind: 'WORKING_DAYS' as const, days: 3 },
      deadlineEvent: 'DOCUMENT_PUBLISHED' as const,
      channels: ['政府网站', '政务微信', '公告栏'],
      audience: '全社会',
      legalBasis: '《中华人民共和国政府信息公开条例》第二十条',
      websiteColumn: '政府信息公开/政策文件',
    };
    const sheet = await readCatalogueSheet(await writeCatalogueSheet('标题', [draftToSheetRow(item)], format), format);
    const { drafts: back, problems: ps } = rowsToDrafts(sheet.rows, known);
    expect(ps).toEqual([]);
    expect(back).toEqual([
      {
        ...item,
        rowNumber: format === 'XLSX' ? 3 : 2,
        // Line breaks between Chinese characters are wrapping artefacts and are dropped on reading.
        content: '本单位制定的规范性文件，含“引号”,逗号和换行',
        timeLimitText: '文件公布后3个工作日内',
        unitIds: ['yanzhou-mishuke', 'yanzhou-fazhidadui'],
        unknownUnits: [],
        timeLimitWarning: null,
      },
    ]);
  });
});
