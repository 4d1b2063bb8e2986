import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { buildYanzhouCatalogueXlsx } from '../../../seeds/tools/build-yanzhou-catalogue';

/** One item of seeds/data/yanzhou-2024-catalogue.expected.json (merged cells already filled). */
interface ExpectedItem {
  category: string;
  name: string;
  content: string;
  disclosureType: 'DECISION' | 'EXECUTION' | 'MANAGEMENT' | 'SERVICE' | 'RESULT' | 'POLICY' | null;
  unitsText: string;
  units: string[];
  timeLimitText: string;
  channels: string[];
  audience: string;
}

const DATA = path.join(__dirname, '../../../seeds/data');
const XLSX_FILE = path.join(DATA, 'yanzhou-2024-catalogue.xlsx');
const expected = JSON.parse(fs.readFileSync(path.join(DATA, 'yanzhou-2024-catalogue.expected.json'), 'utf8')) as ExpectedItem[];

const TITLE = '2024年济宁市公安局兖州分局主动公开基本目录';
const HEADERS = ['目录类别', '目录名称', '公开内容', '政务五公开', '公开主体（责任单位）', '公开时限', '公开方式', '公开对象'];
const FIRST_DATA_ROW = 3;
const TYPE_LABEL: Record<NonNullable<ExpectedItem['disclosureType']>, string> = {
  DECISION: '决策公开',
  EXECUTION: '执行公开',
  MANAGEMENT: '管理公开',
  SERVICE: '服务公开',
  RESULT: '结果公开',
  POLICY: '政策公开',
};

/** The spreadsheet text of an expected item, column by column (null = empty cell). */
function cellsOf(item: ExpectedItem): Array<string | null> {
  return [
    item.category,
    item.name,
    item.content,
    item.disclosureType === null ? null : TYPE_LABEL[item.disclosureType],
    item.unitsText,
    item.timeLimitText,
    item.channels.join('、'),
    item.audience,
  ];
}

function text(cell: ExcelJS.Cell): string | null {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  throw new Error(`${cell.address}: expected plain text, got ${JSON.stringify(v)}`);
}

function isMergeSlave(cell: ExcelJS.Cell): boolean {
  return cell.isMerged && cell.master.address !== cell.address;
}

let ws: ExcelJS.Worksheet;

beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(XLSX_FILE);
  expect(wb.worksheets).toHaveLength(1);
  const sheet = wb.getWorksheet('主动公开基本目录');
  if (!sheet) throw new Error('sheet 主动公开基本目录 missing');
  ws = sheet;
});

describe('seeds/data/yanzhou-2024-catalogue.xlsx', () => {
  it('has the title merged across the 8 columns in row 1', () => {
    expect(ws.getCell('A1').value).toBe(TITLE);
    for (let c = 2; c <= 8; c++) expect(ws.getCell(1, c).master.address).toBe('A1');
    expect(ws.model.merges).toContain('A1:H1');
  });

  it('has the 8 headers in row 2', () => {
    expect(HEADERS.map((_, i) => ws.getCell(2, i + 1).value)).toEqual(HEADERS);
  });

  it('has 25 data rows and nothing below', () => {
    expect(expected).toHaveLength(25);
    expect(ws.rowCount).toBe(FIRST_DATA_ROW + 25 - 1);
    for (let r = FIRST_DATA_ROW; r < FIRST_DATA_ROW + 25; r++) expect(text(ws.getCell(r, 2))).not.toBeNull();
  });

  it('merges exactly the cells the original table merges', () => {
    expect([...ws.model.merges].sort()).toEqual(['A1:H1', 'A13:A15', 'A18:A19', 'A20:A22', 'A4:A5', 'C4:C5', 'E13:E15'].sort());
  });

  it('merges the 目录类别 cell vertically over every run of items of the same category', () => {
    const runs: Array<{ category: string; from: number; to: number }> = [];
    expected.forEach((item, i) => {
      const last = runs[runs.length - 1];
      if (last && last.category === item.category) last.to = i;
      else runs.push({ category: item.category, from: i, to: i });
    });
    expect(runs.filter((r) => r.to > r.from).map((r) => r.category)).toEqual(['机构职能', '建议提案办理结果', '政策解读与回应', '组织管理']);
    for (const run of runs) {
      const top = ws.getCell(FIRST_DATA_ROW + run.from, 1);
      expect(text(top)).toBe(run.category);
      expect(isMergeSlave(top)).toBe(false);
      for (let i = run.from + 1; i <= run.to; i++) {
        const cell = ws.getCell(FIRST_DATA_ROW + i, 1);
        expect(cell.isMerged).toBe(true);
        expect(cell.master.address).toBe(top.address);
      }
      if (run.to > run.from) expect(ws.model.merges).toContain(`A${FIRST_DATA_ROW + run.from}:A${FIRST_DATA_ROW + run.to}`);
      else expect(top.isMerged).toBe(false);
    }
  });

  it('holds the expected text in every cell that is not a merge continuation', () => {
    expected.forEach((item, i) => {
      const r = FIRST_DATA_ROW + i;
      cellsOf(item).forEach((want, c) => {
        const cell = ws.getCell(r, c + 1);
        if (isMergeSlave(cell)) return;
        expect({ address: cell.address, value: text(cell) }).toEqual({ address: cell.address, value: want });
      });
    });
  });

  it('gives every cell, once merged cells are filled from their master, the expected.json value', () => {
    expected.forEach((item, i) => {
      const r = FIRST_DATA_ROW + i;
      cellsOf(item).forEach((want, c) => {
        const cell = ws.getCell(r, c + 1);
        expect({ address: cell.address, value: text(cell.master) }).toEqual({ address: cell.address, value: want });
      });
    });
  });

  it('keeps genuinely empty 政务五公开 cells empty (not merged) and the document’s odd wordings', () => {
    for (const name of ['机构设置', '公告公示', '人大建议办理情况', '政协提案办理情况']) {
      const i = expected.findIndex((item) => item.name === name);
      const cell = ws.getCell(FIRST_DATA_ROW + i, 4);
      expect({ name, merged: cell.isMerged, value: cell.value }).toEqual({ name, merged: false, value: null });
    }
    const all: string[] = [];
    ws.eachRow((row) => row.eachCell((cell) => all.push(String(cell.value))));
    expect(all.join('\n')).not.toMatch(/bookmark|_GoBack/);
    expect(all).toContain('动态跟新');
    expect(all).toContain('相关信息形成或变更之日起21个工作日内');
    expect(all).toContain('政策公开');
    expect(all).toContain('指挥中心秘书科、交警大队、刑侦大队等重大决策执行涉及警种单位');
  });
});

describe('seeds/tools/build-yanzhou-catalogue.ts', () => {
  it('regenerates the committed file byte for byte', async () => {
    const built = await buildYanzhouCatalogueXlsx();
    expect(built.equals(fs.readFileSync(XLSX_FILE))).toBe(true);
  });
});

describe('seeds/data/yanzhou-2024-catalogue.expected.json', () => {
  it('splits units on 、 and ，/, and channels likewise', () => {
    for (const item of expected) {
      expect(item.units).toEqual(item.unitsText.split(/[、，,]/).map((s) => s.trim()).filter((s) => s !== ''));
      expect(item.units.length).toBeGreaterThan(0);
      expect(item.channels).toEqual(['政府网站']);
      expect(item.audience).toBe('全社会');
    }
  });

  it('lists the items in document order', () => {
    expect(expected.map((i) => i.name)).toEqual([
      '部门文件',
      '主要职责',
      '机构设置',
      '部门领导',
      '重大决策执行落实',
      '部门财政预决算',
      '公务员考录',
      '治安管理',
      '公告公示',
      '部门会议',
      '建议提案办理总体情况',
      '人大建议办理情况',
      '政协提案办理情况',
      '专题展示',
      '专题展示',
      '政策解读',
      '回应关切',
      '政务公开组织领导',
      '政务公开工作推进',
      '政务公开工作培训',
      '主动公开基本目录',
      '政府信息公开指南',
      '政府信息公开年报',
      '工作推进',
      '部门动态',
    ]);
  });
});
