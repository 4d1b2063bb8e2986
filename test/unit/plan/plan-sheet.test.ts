import ExcelJS from 'exceljs';
import {
  PLAN_SHEET_COLUMNS,
  PLAN_SHEET_HEADERS,
  readPlanSheet,
  writePlanSheet,
  type PlanSheetColumn,
} from '../../../src/modules/plan/plan-sheet';
import { verticalMergeRuns } from '../../../src/spreadsheets/sheet-writer';
import type { SheetProblem } from '../../../src/spreadsheets/sheet-reader';

type Cell = ExcelJS.CellValue;

/** A one-sheet workbook from rows of cell values; `merges` are "A4:A5" ranges. */
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

async function load(data: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as Parameters<typeof wb.xlsx.load>[0]);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('no worksheet');
  return ws;
}

function row(partial: Partial<Record<PlanSheetColumn, string>>): Record<PlanSheetColumn, string> {
  return { ...Object.fromEntries(PLAN_SHEET_COLUMNS.map((c) => [c, ''])), ...partial } as Record<PlanSheetColumn, string>;
}

function summary(problems: SheetProblem[]): Array<[string, number | null, string | null, string]> {
  return problems.map((p) => [p.code, p.row, p.column, p.severity]);
}

const TITLE = '汕尾市公安局2022年政务公开工作要点分工方案';
const H4 = ['工作要求', '具体任务', '具体要求', '牵头落实单位'];
const L1 = '一、优化政务公开工作基础';
const L1B = '五、强化政务公开工作指导监督';
const L2A = '（一）深化行政规章、规范性文件集中公开';
const L2B = '（二）持续推进政务公开标准化规范化';

describe('readPlanSheet — XLSX', () => {
  it('finds headers in another order below a title row, by name or alias', async () => {
    const file = await xlsx(
      [
        [TITLE],
        ['序号', '完成时间', '牵头单位', '具体要求', '协办单位', '具体任务', '工作要求'],
        ['1', '2022年底前', '政务公开办', '1.巩固行政法规集中公开工作成果。', '法制支队', L2A, L1],
      ],
      ['A1:G1'],
    );
    const sheet = await readPlanSheet(file, 'XLSX');
    expect(sheet.problems).toEqual([]);
    expect(sheet.title).toBe(TITLE);
    expect(sheet.rows).toEqual([
      {
        rowNumber: 3,
        cells: row({
          requirementHeading: L1,
          taskHeading: L2A,
          requirements: '1.巩固行政法规集中公开工作成果。',
          leadUnits: '政务公开办',
          cooperatingUnits: '法制支队',
          timing: '2022年底前',
        }),
        merged: Object.fromEntries(PLAN_SHEET_COLUMNS.map((c) => [c, false])),
      },
    ]);
  });

  it('fills vertically merged heading and unit cells from their master and marks them merged', async () => {
    const file = await xlsx(
      [
        H4,
        [L1, L2A, '1.甲。', '政务公开办、法制支队'],
        [null, null, '2.乙。', null],
        [null, L2B, '3.丙。', '政务公开办'],
      ],
      ['A2:A4', 'B2:B3', 'D2:D3'],
    );
    const sheet = await readPlanSheet(file, 'XLSX');
    expect(sheet.problems).toEqual([]);
    expect(sheet.rows.map((r) => [r.rowNumber, r.cells.requirementHeading, r.cells.taskHeading, r.cells.leadUnits])).toEqual([
      [2, L1, L2A, '政务公开办、法制支队'],
      [3, L1, L2A, '政务公开办、法制支队'],
      [4, L1, L2B, '政务公开办'],
    ]);
    expect(sheet.rows.map((r) => [r.merged.requirementHeading, r.merged.taskHeading, r.merged.requirements, r.merged.leadUnits])).toEqual([
      [false, false, false, false],
      [true, true, false, true],
      [true, false, false, false],
    ]);
  });

  it('keeps the line breaks of 具体要求 (they separate tasks) and cleans the other cells', async () => {
    const file = await xlsx([H4, ['一、优化政务\n公开工作基础', L2A, '1.巩固行政法规\n集中公开。\n\n2.摸清底数。', '政务公开办']]);
    const sheet = await readPlanSheet(file, 'XLSX');
    expect(sheet.rows[0]?.cells.requirementHeading).toBe(L1);
    expect(sheet.rows[0]?.cells.requirements).toBe('1.巩固行政法规\n集中公开。\n\n2.摸清底数。');
  });

  it('reports a merged 具体要求 cell as an ERROR naming its first row and the column', async () => {
    const file = await xlsx(
      [H4, [L1, L2A, '1.甲。', '政务公开办'], [null, null, null, '法制支队'], [null, null, '2.乙。', '宣传科']],
      ['C2:C3'],
    );
    const sheet = await readPlanSheet(file, 'XLSX');
    expect(summary(sheet.problems)).toEqual([['MERGED_CELL_UNEXPECTED', 2, '具体要求', 'ERROR']]);
    expect(sheet.problems[0]).toMatchObject({ field: 'requirements', value: '1.甲。' });
    expect(sheet.problems[0]?.message).toMatch(/第 2 行起“具体要求”单元格与下方单元格合并.*\(merged cell not allowed/);
    // The continuation is still read (and marked), so that the rows layer can leave it out.
    expect(sheet.rows[1]?.merged.requirements).toBe(true);
  });

  it('reports a cell spanning several columns as an ERROR naming its row and column', async () => {
    const file = await xlsx([H4, [L1, L2A, '1.甲。', '政务公开办'], [null, null, '2.乙。以及丙。', null]], ['C3:D3', 'A2:A3', 'B2:B3']);
    const sheet = await readPlanSheet(file, 'XLSX');
    expect(summary(sheet.problems)).toEqual([['MERGED_CELL_UNEXPECTED', 3, '具体要求', 'ERROR']]);
    expect(sheet.problems[0]?.message).toMatch(/横向合并/);
    expect(sheet.rows[1]?.cells.leadUnits).toBe('');
  });

  it('ignores merges among columns it does not read, and in the title and header rows', async () => {
    const file = await xlsx(
      [
        [TITLE],
        ['工作要求', '具体任务', '具体要求', '牵头落实单位', '备注', null],
        [L1, L2A, '1.甲。', '政务公开办', '说明', null],
      ],
      ['A1:F1', 'E2:F2', 'E3:F3'],
    );
    const sheet = await readPlanSheet(file, 'XLSX');
    expect(sheet.problems).toEqual([]);
    expect(sheet.rows).toHaveLength(1);
  });

  it('reports missing required headers by their canonical names', async () => {
    const sheet = await readPlanSheet(await xlsx([['工作要求', '具体任务', '完成时限'], [L1, L2A, '年底前']]), 'XLSX');
    expect(summary(sheet.problems)).toEqual([
      ['MISSING_HEADER', 1, '具体要求', 'ERROR'],
      ['MISSING_HEADER', 1, '牵头落实单位', 'ERROR'],
    ]);
  });

  it('refuses more than 2000 task rows', async () => {
    const lines = ['具体要求,牵头单位', ...Array.from({ length: 2001 }, (_, i) => `${i + 1}.任务,政务公开办`)];
    const sheet = await readPlanSheet(Buffer.from(lines.join('\n'), 'utf8'), 'CSV');
    expect(sheet.problems).toEqual([expect.objectContaining({ row: null, code: 'TOO_MANY_ROWS', severity: 'ERROR' })]);
    expect(sheet.problems[0]?.message).toMatch(/2001 行任务/);
  });
});

describe('readPlanSheet — CSV', () => {
  it('reads a UTF-8 CSV with a title line, quoted multi-line cells and blank heading cells', async () => {
    const text = [
      `${TITLE},,,`,
      '具体任务,工作要求,具体要求,责任单位',
      `${L2A},${L1},"1.甲。\n2.乙。",政务公开办`,
      `,,3.丙。,"法制支队、政务公开办"`,
      `,${L1B},37.丁。,政务公开办`,
    ].join('\r\n');
    const sheet = await readPlanSheet(Buffer.from(`\uFEFF${text}`, 'utf8'), 'CSV');
    expect(sheet.problems).toEqual([]);
    expect(sheet.title).toBe(TITLE);
    expect(sheet.rows.map((r) => [r.rowNumber, r.cells.requirementHeading, r.cells.taskHeading, r.cells.requirements, r.cells.leadUnits])).toEqual([
      [3, L1, L2A, '1.甲。\n2.乙。', '政务公开办'],
      [4, '', '', '3.丙。', '法制支队、政务公开办'],
      [5, L1B, '', '37.丁。', '政务公开办'],
    ]);
    expect(sheet.rows.every((r) => PLAN_SHEET_COLUMNS.every((c) => !r.merged[c]))).toBe(true);
  });
});

describe('verticalMergeRuns', () => {
  it('merges identical consecutive values, never empty cells, and never across an outer boundary', () => {
    type C = 'a' | 'b';
    const rows: Array<Record<C, string>> = [
      { a: '一', b: '（一）' },
      { a: '一', b: '（一）' },
      { a: '二', b: '（一）' },
      { a: '二', b: '' },
      { a: '二', b: '' },
      { a: '', b: 'x' },
      { a: '', b: 'x' },
    ];
    expect(verticalMergeRuns(rows, ['a', 'b'])).toEqual([
      { column: 'a', first: 0, last: 1 },
      { column: 'a', first: 2, last: 4 },
      { column: 'b', first: 0, last: 1 },
      { column: 'b', first: 5, last: 6 },
    ]);
  });
});

describe('writePlanSheet', () => {
  const rows = [
    row({ requirementHeading: L1, taskHeading: L2A, requirements: '1.甲。', leadUnits: '政务公开办、法制支队' }),
    row({ requirementHeading: L1, taskHeading: L2A, requirements: '2.乙。', leadUnits: '政务公开办' }),
    row({ requirementHeading: L1, taskHeading: L2B, requirements: '=3.不是公式', leadUnits: '政务公开办', timing: '2022年底前' }),
    row({ requirementHeading: L1B, requirements: '37.丁。', leadUnits: '政务公开办', cooperatingUnits: '局直各单位' }),
  ];

  it('writes a title, the canonical headers in order, and merges identical consecutive heading cells', async () => {
    const ws = await load(await writePlanSheet(TITLE, rows, 'XLSX'));
    expect(ws.name).toBe('分工方案');
    expect(ws.getCell('A1').value).toBe(TITLE);
    expect(PLAN_SHEET_COLUMNS.map((_, i) => ws.getCell(2, i + 1).value)).toEqual(PLAN_SHEET_COLUMNS.map((c) => PLAN_SHEET_HEADERS[c]));
    expect([...ws.model.merges].sort()).toEqual(['A1:F1', 'A3:A5', 'B3:B4']);
    expect(ws.getCell('C5').value).toBe("'=3.不是公式");
    expect(ws.getCell('B6').value).toBeNull();
  });

  it('writes the same bytes whatever the time', async () => {
    const writeAt = async (iso: string): Promise<Buffer> => {
      jest.useFakeTimers({ now: new Date(iso), doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
      try {
        return await writePlanSheet(TITLE, rows, 'XLSX');
      } finally {
        jest.useRealTimers();
      }
    };
    expect((await writeAt('2030-03-04T05:06:08Z')).equals(await writeAt('2031-07-08T09:10:12Z'))).toBe(true);
  });

  it.each(['XLSX', 'CSV'] as const)('reads back what it wrote (%s)', async (format) => {
    const sheet = await readPlanSheet(await writePlanSheet(TITLE, rows, format), format);
    expect(sheet.problems).toEqual([]);
    expect(sheet.rows.map((r) => r.cells)).toEqual(rows);
  });
});
