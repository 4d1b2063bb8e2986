import ExcelJS from 'exceljs';
import type { KnownUnit } from '../../../src/modules/catalogue/unit-matcher';
import {
  parseHeading,
  planHeadingText,
  planToSheetRows,
  rowsToPlanDraft,
  splitRequirements,
  taskTitle,
  type ExportableTask,
  type PlanHeadingDraft,
  type PlanTaskDraft,
} from '../../../src/modules/plan/plan-rows';
import { PLAN_SHEET_COLUMNS, readPlanSheet, writePlanSheet, type PlanSheetColumn, type PlanSheetRow } from '../../../src/modules/plan/plan-sheet';
import type { SheetProblem } from '../../../src/spreadsheets/sheet-reader';

type Cell = ExcelJS.CellValue;

async function xlsx(rows: Cell[][], merges: string[] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((r, i) =>
    r.forEach((v, c) => {
      if (v !== null && v !== undefined) ws.getCell(i + 1, c + 1).value = v;
    }),
  );
  for (const m of merges) ws.mergeCells(m);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

const KNOWN: KnownUnit[] = [
  { id: 'gkb', name: '政务公开办', aliases: ['公开办'] },
  { id: 'fz', name: '法制支队', aliases: [] },
  { id: 'xc', name: '宣传科', aliases: ['指挥中心宣传科'] },
  { id: 'jb', name: '警保支队', aliases: [] },
  { id: 'zx', name: '治巡支队', aliases: [] },
];

/** Rows as the reader gives them, for tests that need no file. */
function rows(...cells: Array<Partial<Record<PlanSheetColumn, string>>>): PlanSheetRow[] {
  return cells.map((c, i) => ({
    rowNumber: i + 2,
    cells: { ...Object.fromEntries(PLAN_SHEET_COLUMNS.map((k) => [k, ''])), ...c } as Record<PlanSheetColumn, string>,
    merged: Object.fromEntries(PLAN_SHEET_COLUMNS.map((k) => [k, false])) as Record<PlanSheetColumn, boolean>,
  }));
}

function summary(problems: SheetProblem[]): Array<[string, number | null, string | null, string]> {
  return problems.map((p) => [p.code, p.row, p.column, p.severity]);
}

const L1 = '一、优化政务公开工作基础';
const L1B = '五、强化政务公开工作指导监督';
const L2A = '（一）深化行政规章、规范性文件集中公开';
const L2B = '（二）持续推进政务公开标准化规范化';
const K2A = `${L1}\u0000${L2A}`;
const K2B = `${L1}\u0000${L2B}`;

describe('parseHeading / planHeadingText', () => {
  it('splits the number from the title at both levels', () => {
    expect(parseHeading(1, L1)).toEqual({ number: '一', title: '优化政务公开工作基础', fullText: L1 });
    expect(parseHeading(1, '十二. 其他')).toEqual({ number: '十二', title: '其他', fullText: '十二、其他' });
    expect(parseHeading(2, L2A)).toEqual({ number: '（一）', title: '深化行政规章、规范性文件集中公开', fullText: L2A });
    expect(parseHeading(2, '(二)持续推进')).toEqual({ number: '（二）', title: '持续推进', fullText: '（二）持续推进' });
  });

  it('keeps text without a recognisable number as the title', () => {
    expect(parseHeading(1, '优化政务公开工作基础')).toEqual({ number: '', title: '优化政务公开工作基础', fullText: '优化政务公开工作基础' });
    expect(parseHeading(2, '一、不是二级编号')).toEqual({ number: '', title: '一、不是二级编号', fullText: '一、不是二级编号' });
    expect(planHeadingText(1, '', '无编号')).toBe('无编号');
    expect(planHeadingText(2, '（三）', '标题')).toBe('（三）标题');
  });
});

describe('splitRequirements', () => {
  it('splits numbered tasks separated by blank lines, by a line break, or following each other after a full stop', () => {
    expect(splitRequirements('1.巩固成果。\n\n2.摸清底数，\n持续更新。')).toEqual({
      ok: true,
      tasks: [
        { number: '1', text: '巩固成果。' },
        { number: '2', text: '摸清底数，持续更新。' },
      ],
    });
    expect(splitRequirements('28.积极推进预决算公开。\n29.整理收费项目。')).toEqual({
      ok: true,
      tasks: [
        { number: '28', text: '积极推进预决算公开。' },
        { number: '29', text: '整理收费项目。' },
      ],
    });
    expect(splitRequirements('3、甲。4、乙。')).toEqual({ ok: true, tasks: [{ number: '3', text: '甲。' }, { number: '4', text: '乙。' }] });
    expect(splitRequirements('（１）甲。\n（２）乙。')).toEqual({ ok: true, tasks: [{ number: '1', text: '甲。' }, { number: '2', text: '乙。' }] });
  });

  it('keeps sub-items, decimals and numbers in running text inside the task', () => {
    expect(splitRequirements('5.做好三件事：（1）甲；（2）乙。2.5倍于去年。')).toEqual({
      ok: true,
      tasks: [{ number: '5', text: '做好三件事：（1）甲；（2）乙。2.5倍于去年。' }],
    });
    expect(splitRequirements('38.每年至少听取1次汇报，落实国办公开办函〔2021〕30号文件。')).toEqual({
      ok: true,
      tasks: [{ number: '38', text: '每年至少听取1次汇报，落实国办公开办函〔2021〕30号文件。' }],
    });
  });

  it('takes a cell without a leading number as one task without a number', () => {
    expect(splitRequirements('加强规范性文件合法性审核，\n确保严格履行法定程序。')).toEqual({
      ok: true,
      tasks: [{ number: '', text: '加强规范性文件合法性审核，确保严格履行法定程序。' }],
    });
  });

  it('refuses numbers that go backwards or repeat, and text before the first number', () => {
    expect(splitRequirements('2.甲。\n1.乙。')).toEqual({ ok: false, reason: 'NOT_INCREASING', marker: '1.', previous: '2.' });
    expect(splitRequirements('2.甲。2.乙。')).toEqual({ ok: false, reason: 'NOT_INCREASING', marker: '2.', previous: '2.' });
    expect(splitRequirements('总体要求如下。\n1.甲。\n2.乙。')).toEqual({ ok: false, reason: 'TEXT_BEFORE_NUMBER', marker: '1.' });
  });
});

describe('taskTitle', () => {
  it('is the first sentence', () => {
    expect(taskTitle('严格落实信息发布审核制度；严格执行保密审查。')).toBe('严格落实信息发布审核制度');
    expect(taskTitle('完善政府信息公开平台建设，规范栏目设置和信息分类。其他。')).toBe('完善政府信息公开平台建设，规范栏目设置和信息分类');
  });

  it('cuts a long first sentence at its last comma within 60 characters, else hard with an ellipsis', () => {
    const long = `${'甲'.repeat(30)}，${'乙'.repeat(25)}，${'丙'.repeat(20)}。`;
    expect(taskTitle(long)).toBe(`${'甲'.repeat(30)}，${'乙'.repeat(25)}`);
    const noComma = `${'丁'.repeat(80)}。`;
    expect(taskTitle(noComma)).toBe(`${'丁'.repeat(59)}…`);
    expect([...taskTitle(noComma)]).toHaveLength(60);
  });
});

describe('rowsToPlanDraft', () => {
  it('reads a document-003-shaped workbook: merged headings, blank continuation, shared cells, several units', async () => {
    const file = await xlsx(
      [
        ['汕尾市公安局2022年政务公开工作要点分工方案'],
        ['工作要求', '具体任务', '具体要求', '牵头落实单位', '配合单位', '完成时限'],
        [L1, L2A, '1.巩固行政法规集中公开工作成果，对照国家正式版本。\n\n2.摸清底数、持续更新。', '政务公开办、法制支队', '', '2022年底前'],
        [null, null, '3.加强规范性文件合法性审核。', '局直各单位、政务公开办、法制支队', '宣传科', null],
        [null, L2B, '4.全面规范公开权责清单。', '局直各单位、政务公开办', null, null],
        [null, '', '5.深入实施“双随机、一公开”监管。', '法制支队、治巡支队', null, null],
        [L1B, '', '37.每年至少召开一次会议。\n38.每年至少听取1次汇报。', '政务公开办', null, null],
        [L1B, null, '39.积极配合复议。', '法制支队、政务公开办、局直各单位', null, null],
      ],
      ['A1:F1', 'A3:A6', 'B3:B4', 'F3:F4'],
    );
    const sheet = await readPlanSheet(file, 'XLSX');
    expect(sheet.problems).toEqual([]);
    const plan = rowsToPlanDraft(sheet.rows, KNOWN);
    expect(plan.problems).toEqual([]);
    expect(plan.headings).toEqual<PlanHeadingDraft[]>([
      { key: L1, level: 1, number: '一', title: '优化政务公开工作基础', parentKey: null, rowNumber: 3 },
      { key: K2A, level: 2, number: '（一）', title: '深化行政规章、规范性文件集中公开', parentKey: L1, rowNumber: 3 },
      { key: K2B, level: 2, number: '（二）', title: '持续推进政务公开标准化规范化', parentKey: L1, rowNumber: 5 },
      { key: L1B, level: 1, number: '五', title: '强化政务公开工作指导监督', parentKey: null, rowNumber: 7 },
    ]);
    expect(plan.tasks.map((t) => [t.rowNumber, t.number, t.headingKey, t.leadUnitIds, t.cooperatingUnitIds, t.timingText, t.cellGroup])).toEqual([
      [3, '1', K2A, ['gkb', 'fz'], [], '2022年底前', 0],
      [3, '2', K2A, ['gkb', 'fz'], [], '2022年底前', 0],
      [4, '3', K2A, ['gkb', 'fz'], ['xc'], '2022年底前', 1],
      [5, '4', K2B, ['gkb'], [], '', 2],
      // A blank 具体任务 under the same 工作要求 continues the one above …
      [6, '5', K2B, ['fz', 'zx'], [], '', 3],
      // … under a new 工作要求 the tasks hang directly under it.
      [7, '37', L1B, ['gkb'], [], '', 4],
      [7, '38', L1B, ['gkb'], [], '', 4],
      [8, '39', L1B, ['fz', 'gkb'], [], '', 5],
    ]);
    expect(plan.tasks[0]).toEqual<PlanTaskDraft>({
      rowNumber: 3,
      number: '1',
      title: '巩固行政法规集中公开工作成果，对照国家正式版本',
      requirement: '巩固行政法规集中公开工作成果，对照国家正式版本。',
      headingKey: K2A,
      leadUnitsText: '政务公开办、法制支队',
      leadUnitIds: ['gkb', 'fz'],
      leadUnknown: [],
      cooperatingUnitsText: '',
      cooperatingUnitIds: [],
      cooperatingUnknown: [],
      timingText: '2022年底前',
      cellGroup: 0,
    });
    // Collective phrases stay in the text and are no problem.
    expect(plan.tasks[2]?.leadUnitsText).toBe('局直各单位、政务公开办、法制支队');
  });

  it('gives headings without a level 1 above a key of their own, and a sheet without headings no heading', () => {
    const plan = rowsToPlanDraft(rows({ taskHeading: '(一)无上级', requirements: '1.甲。', leadUnits: '政务公开办' }, { requirements: '乙。', leadUnits: '公开办' }), KNOWN);
    expect(plan.problems).toEqual([]);
    expect(plan.headings).toEqual([{ key: '\u0000（一）无上级', level: 2, number: '（一）', title: '无上级', parentKey: null, rowNumber: 2 }]);
    expect(plan.tasks.map((t) => [t.number, t.headingKey, t.leadUnitIds])).toEqual([
      ['1', '\u0000（一）无上级', ['gkb']],
      ['', '\u0000（一）无上级', ['gkb']],
    ]);
    expect(rowsToPlanDraft(rows({ requirements: '1.甲。', leadUnits: '政务公开办' }), KNOWN).tasks[0]?.headingKey).toBeNull();
  });

  it('takes a row with headings only as the start of a section', () => {
    const plan = rowsToPlanDraft(rows({ requirementHeading: L1 }, { taskHeading: L2A }, { requirements: '1.甲。', leadUnits: '政务公开办' }), KNOWN);
    expect(plan.problems).toEqual([]);
    expect(plan.headings.map((h) => [h.key, h.rowNumber])).toEqual([
      [L1, 2],
      [K2A, 3],
    ]);
    expect(plan.tasks[0]?.headingKey).toBe(K2A);
  });

  it('reports unknown units (with the name as value), a missing lead unit, bad and repeated numbers, each with row and column', () => {
    const plan = rowsToPlanDraft(
      rows(
        { requirementHeading: L1, requirements: '1.甲。', leadUnits: '政务公开办、网安大队', cooperatingUnits: '不存在科' },
        { requirements: '2.乙。', leadUnits: '' },
        { requirements: '4.丙。\n3.丁。', leadUnits: '政务公开办' },
        { requirements: '前言。\n5.戊。', leadUnits: '政务公开办' },
        { requirements: '6.己。\n1.庚。', leadUnits: '政务公开办' },
        { requirements: '2.重复。', leadUnits: '政务公开办' },
        { leadUnits: '政务公开办', timing: '年底前' },
        { requirements: '7.', leadUnits: '政务公开办' },
      ),
      KNOWN,
    );
    expect(summary(plan.problems)).toEqual([
      ['UNKNOWN_UNIT', 2, '牵头落实单位', 'ERROR'],
      ['UNKNOWN_UNIT', 2, '配合单位', 'ERROR'],
      ['NO_LEAD_UNIT', 3, '牵头落实单位', 'ERROR'],
      ['TASK_NUMBERING', 4, '具体要求', 'ERROR'],
      ['TASK_NUMBERING', 5, '具体要求', 'ERROR'],
      ['TASK_NUMBERING', 6, '具体要求', 'ERROR'],
      ['DUPLICATE_TASK_NUMBER', 7, '具体要求', 'ERROR'],
      ['EMPTY_REQUIREMENTS', 8, '具体要求', 'ERROR'],
      ['EMPTY_TASK', 9, '具体要求', 'ERROR'],
    ]);
    expect(plan.problems.map((p) => p.value)).toEqual(['网安大队', '不存在科', undefined, '3.', '5.', '1.', '2', undefined, '7']);
    expect(plan.problems[6]?.message).toMatch(/与第 3 行重复/);
    // Tasks with unknown units are still drafted: the caller may create the units.
    expect(plan.tasks[0]).toMatchObject({ number: '1', leadUnitIds: ['gkb'], leadUnknown: ['网安大队'], cooperatingUnknown: ['不存在科'] });
    expect(plan.tasks.map((t) => t.number)).toEqual(['1', '2', '2']);
  });

  it('reports a merged 具体要求 cell once (by the reader) and drafts its tasks once', async () => {
    const file = await xlsx(
      [
        ['工作要求', '具体要求', '牵头落实单位'],
        [L1, '1.甲。', '政务公开办'],
        [null, null, '法制支队'],
      ],
      ['A2:A3', 'B2:B3'],
    );
    const sheet = await readPlanSheet(file, 'XLSX');
    const plan = rowsToPlanDraft(sheet.rows, KNOWN);
    expect(summary([...sheet.problems, ...plan.problems])).toEqual([['MERGED_CELL_UNEXPECTED', 2, '具体要求', 'ERROR']]);
    expect(plan.tasks.map((t) => [t.rowNumber, t.number])).toEqual([[2, '1']]);
  });

  it('reports an unknown unit in a merged cell once, on the row holding its text', async () => {
    const file = await xlsx(
      [
        ['具体要求', '牵头落实单位'],
        ['1.甲。', '网安大队'],
        ['2.乙。', null],
      ],
      ['B2:B3'],
    );
    const plan = rowsToPlanDraft((await readPlanSheet(file, 'XLSX')).rows, KNOWN);
    expect(summary(plan.problems)).toEqual([['UNKNOWN_UNIT', 2, '牵头落实单位', 'ERROR']]);
    expect(plan.tasks.map((t) => t.leadUnknown)).toEqual([['网安大队'], ['网安大队']]);
  });
});

describe('planToSheetRows and the round trip', () => {
  it('writes one task per row with its number and full headings', () => {
    const task: ExportableTask = {
      headingPath: [L1, L2A],
      number: '28',
      requirement: '积极推进预决算公开。',
      leadUnitsText: '警保支队、政务公开办',
      cooperatingUnitsText: '',
      timingText: '2022年底前',
    };
    expect(planToSheetRows([task, { ...task, headingPath: [L1B, null], number: '' }])).toEqual([
      { requirementHeading: L1, taskHeading: L2A, requirements: '28.积极推进预决算公开。', leadUnits: '警保支队、政务公开办', cooperatingUnits: '', timing: '2022年底前' },
      { requirementHeading: L1B, taskHeading: '', requirements: '积极推进预决算公开。', leadUnits: '警保支队、政务公开办', cooperatingUnits: '', timing: '2022年底前' },
    ]);
  });

  const source = rows(
    { requirementHeading: L1, taskHeading: L2A, requirements: '1.巩固成果。\n2.摸清底数，持续更新。', leadUnits: '政务公开办、法制支队', timing: '2022年底前' },
    { requirements: '3.=1+1 不是公式。', leadUnits: '局直各单位、政务公开办', cooperatingUnits: '宣传科' },
    { taskHeading: L2B, requirements: '4.全面规范公开权责清单。', leadUnits: '政务公开办' },
    { requirements: '5.深入实施监管。', leadUnits: '法制支队、治巡支队' },
    { requirementHeading: '二、无二级标题', requirements: '6.甲。', leadUnits: '警保支队' },
    { requirementHeading: L1B, requirements: '37.每年至少召开一次会议。\n38.每年至少听取1次汇报。', leadUnits: '政务公开办' },
  );

  function exportable(plan: ReturnType<typeof rowsToPlanDraft>): ExportableTask[] {
    const byKey = new Map(plan.headings.map((h) => [h.key, h]));
    const text = (h: PlanHeadingDraft | undefined) => (h ? planHeadingText(h.level, h.number, h.title) : null);
    return plan.tasks.map((t) => {
      const h = t.headingKey === null ? undefined : byKey.get(t.headingKey);
      const parent = h?.parentKey ? byKey.get(h.parentKey) : undefined;
      return {
        headingPath: h?.level === 2 ? [text(parent), text(h)] : [text(h), null],
        number: t.number,
        requirement: t.requirement,
        leadUnitsText: t.leadUnitsText,
        cooperatingUnitsText: t.cooperatingUnitsText,
        timingText: t.timingText,
      };
    });
  }

  const withoutRows = (plan: ReturnType<typeof rowsToPlanDraft>) => ({
    headings: plan.headings.map(({ rowNumber: _, ...h }) => h),
    tasks: plan.tasks.map(({ rowNumber: _, cellGroup: __, ...t }) => t),
  });

  it.each(['XLSX', 'CSV'] as const)('export → read → rowsToPlanDraft gives the same headings and tasks (%s)', async (format) => {
    const original = rowsToPlanDraft(source, KNOWN);
    expect(original.problems).toEqual([]);
    expect(original.tasks).toHaveLength(8);
    const file = await writePlanSheet('2022年政务公开工作要点分工方案', planToSheetRows(exportable(original)), format);
    const sheet = await readPlanSheet(file, format);
    expect(sheet.problems).toEqual([]);
    const again = rowsToPlanDraft(sheet.rows, KNOWN);
    expect(again.problems).toEqual([]);
    expect(withoutRows(again)).toEqual(withoutRows(original));
    // One task per row: every task is its own cell group now.
    expect(new Set(again.tasks.map((t) => t.cellGroup)).size).toBe(again.tasks.length);
  });
});
