import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { writeShanweiPlan } from '../../../seeds/tools/build-shanwei-plan';
import { matchUnits, type KnownUnit } from '../../../src/modules/catalogue/unit-matcher';

/** Shape of seeds/data/shanwei-2022-plan.expected.json (see seeds/data/README.md, section 4). */
interface ExpectedHeading {
  level: 1 | 2;
  number: string; // "一" for level 1, "（一）" for level 2
  title: string;
  parent: string | null; // level-1 number of a level-2 heading; null for level 1
}
interface ExpectedTask {
  number: number;
  headingPath: { level1: string; level2: string | null };
  requirement: string; // without the leading "N."
  leadUnitsText: string;
  leadUnits: string[];
  cellGroup: number[]; // the task numbers sharing this task's 具体要求 cell, in order
  row: number; // spreadsheet row
}
interface ExpectedPlan {
  title: string;
  agency: string;
  year: number;
  kind: string;
  sheet: string;
  headers: string[];
  firstDataRow: number;
  dataRows: number;
  headings: ExpectedHeading[];
  tasks: ExpectedTask[];
  merges: string[];
}

interface UnitSeed {
  code: string;
  name: string;
}
interface AgencySeed {
  code: string;
  units: UnitSeed[];
  children: AgencySeed[];
}

const DATA = path.join(__dirname, '../../../seeds/data');
const XLSX_FILE = path.join(DATA, 'shanwei-2022-plan.xlsx');
const load = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(DATA, file), 'utf8')) as T;
const expected = load<ExpectedPlan>('shanwei-2022-plan.expected.json');

function text(cell: ExcelJS.Cell): string | null {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  throw new Error(`${cell.address}: expected plain text, got ${JSON.stringify(v)}`);
}

/** What a reader of the sheet sees in a cell: merged continuation cells show their master's text. */
const shown = (cell: ExcelJS.Cell): string | null => text(cell.master);

const LEVEL1 = /^([一二三四五六七八九十]+)、(.+)$/;
const LEVEL2 = /^(（[一二三四五六七八九十]+）)(.+)$/;
const TASK = /^(\d+)\.(.+)$/;

/** Reads the tasks back from the raw cells, the way an importer would. */
function readTasks(ws: ExcelJS.Worksheet): ExpectedTask[] {
  const tasks: ExpectedTask[] = [];
  for (let r = expected.firstDataRow; r <= ws.rowCount; r++) {
    const a = shown(ws.getCell(r, 1));
    const b = shown(ws.getCell(r, 2));
    const c = text(ws.getCell(r, 3));
    const d = text(ws.getCell(r, 4));
    const l1 = LEVEL1.exec(a ?? '');
    if (!l1?.[1]) throw new Error(`A${r}: not a level-1 heading: ${a}`);
    const l2 = b === null ? null : LEVEL2.exec(b);
    if (b !== null && !l2) throw new Error(`B${r}: not a level-2 heading: ${b}`);
    if (c === null || d === null) throw new Error(`row ${r}: empty 具体要求 or 牵头落实单位`);
    const paragraphs = c.split(/\n+/);
    const numbers = paragraphs.map((p) => Number(TASK.exec(p)?.[1]));
    for (const p of paragraphs) {
      const m = TASK.exec(p);
      if (!m?.[1] || m[2] === undefined) throw new Error(`C${r}: paragraph without a task number: ${p}`);
      tasks.push({
        number: Number(m[1]),
        headingPath: { level1: l1[1], level2: l2?.[1] ?? null },
        requirement: m[2],
        leadUnitsText: d,
        leadUnits: d.split('、'),
        cellGroup: numbers,
        row: r,
      });
    }
  }
  return tasks;
}

let ws: ExcelJS.Worksheet;

beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(XLSX_FILE);
  expect(wb.worksheets).toHaveLength(1);
  const sheet = wb.getWorksheet(expected.sheet);
  if (!sheet) throw new Error(`sheet ${expected.sheet} missing`);
  ws = sheet;
});

describe('seeds/tools/build-shanwei-plan.ts', () => {
  it('regenerates the committed workbook byte for byte (into a temp file)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shanwei-plan-'));
    try {
      const out = path.join(dir, 'shanwei-2022-plan.xlsx');
      await writeShanweiPlan(out);
      expect(fs.readFileSync(out).equals(fs.readFileSync(XLSX_FILE))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('seeds/data/shanwei-2022-plan.xlsx', () => {
  it('has the title merged across the 4 columns and the headers in row 2', () => {
    expect(ws.getCell('A1').value).toBe('汕尾市公安局2022年政务公开工作要点分工方案');
    expect(expected).toMatchObject({ title: '汕尾市公安局2022年政务公开工作要点分工方案', agency: 'gd-shanwei', year: 2022, kind: 'DIVISION' });
    for (let c = 2; c <= 4; c++) expect(ws.getCell(1, c).master.address).toBe('A1');
    expect(expected.headers).toEqual(['工作要求', '具体任务', '具体要求', '牵头落实单位']);
    expect(expected.headers.map((_, i) => ws.getCell(2, i + 1).value)).toEqual(expected.headers);
  });

  it('has 34 table rows holding 40 tasks, and nothing below', () => {
    expect(expected.dataRows).toBe(34);
    expect(ws.rowCount).toBe(expected.firstDataRow + expected.dataRows - 1);
    expect(expected.tasks.map((t) => t.number)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('merges exactly where the text omits a 工作要求 or 具体任务 cell', () => {
    expect([...ws.model.merges].sort()).toEqual([...expected.merges].sort());
    // Every merge is vertical within A or B (apart from the title): 具体要求 and 牵头落实单位 are never merged.
    for (const m of expected.merges.filter((x) => x !== 'A1:D1')) expect(m).toMatch(/^([AB])\d+:\1\d+$/);
  });

  it('keeps repeated headings (the table repeats them on a new page) as cells of their own', () => {
    // 一、 appears in A3, A6 and A10: three cells, not one merge.
    for (const addr of ['A3', 'A6', 'A10']) {
      const cell = ws.getCell(addr);
      expect({ addr, master: cell.master.address, text: text(cell) }).toEqual({ addr, master: addr, text: '一、优化政务公开工作基础' });
    }
    // （三） after task 7 continues 一、 (A9 merged into A6) but is its own 具体任务 cell, repeated in B10.
    expect(ws.getCell('A9').master.address).toBe('A6');
    expect(text(ws.getCell('B9'))).toBe('（三）提升政府信息公开申请办理规范化程序');
    expect(text(ws.getCell('B10'))).toBe('（三）提升政府信息公开申请办理规范化程序');
    expect(ws.getCell('B10').isMerged).toBe(false);
  });

  it('leaves the 具体任务 cell under 五、 genuinely empty (B34 alone, B35:B36 an empty merge)', () => {
    expect(text(ws.getCell('A34'))).toBe('五、强化政务公开工作指导监督');
    expect(ws.getCell('B34').value).toBeNull();
    expect(ws.getCell('B34').isMerged).toBe(false);
    expect(ws.getCell('B35').value).toBeNull();
    expect(ws.getCell('B36').master.address).toBe('B35');
  });

  it('reads back, from the raw cells, exactly the tasks of expected.json', () => {
    expect(readTasks(ws)).toEqual(expected.tasks);
  });

  it('keeps several tasks in one 具体要求 cell, separated as in the document', () => {
    const groups = [...new Set(expected.tasks.filter((t) => t.cellGroup.length > 1).map((t) => t.cellGroup.join('+')))];
    expect(groups).toEqual(['1+2', '8+9', '15+16+17', '28+29', '37+38']);
    for (const t of expected.tasks) expect(t.cellGroup).toContain(t.number);
    const byNumber = new Map(expected.tasks.map((t) => [t.number, t]));
    for (const group of groups.map((g) => g.split('+').map(Number))) {
      const first = byNumber.get(group[0] ?? 0);
      if (!first) throw new Error(`no task ${group[0]}`);
      // 28 and 29 follow each other directly; the other shared cells have an empty line between tasks.
      const sep = group[0] === 28 ? '\n' : '\n\n';
      const want = group.map((n) => `${n}.${byNumber.get(n)?.requirement}`).join(sep);
      expect(text(ws.getCell(first.row, 3))).toBe(want);
    }
  });

  it('keeps lead-unit cells verbatim and splits them on 、', () => {
    const texts = new Set(expected.tasks.map((t) => t.leadUnitsText));
    expect(texts).toContain('局直各单位、政务公开办、法制支队');
    expect(texts).toContain('局直相关单位、政务公开办、宣传科、“平安厅”局长信箱工作专班');
    expect(texts).toContain('市局防控办、政务公开办、宣传科');
    expect(texts).toContain('局直相关单位、局保密办、政务公开办');
    for (const t of expected.tasks) expect(t.leadUnits).toEqual(t.leadUnitsText.split('、'));
  });
});

describe('seeds/data/shanwei-2022-plan.expected.json', () => {
  it('has 5 level-1 and 12 level-2 headings, each level-2 under an earlier level-1', () => {
    const l1 = expected.headings.filter((h) => h.level === 1);
    const l2 = expected.headings.filter((h) => h.level === 2);
    expect(l1.map((h) => h.number)).toEqual(['一', '二', '三', '四', '五']);
    expect(l1.every((h) => h.parent === null)).toBe(true);
    expect(l2).toHaveLength(12);
    const count = (p: string): number => l2.filter((h) => h.parent === p).length;
    expect(['一', '二', '三', '四', '五'].map(count)).toEqual([4, 2, 3, 3, 0]);
    expect(new Set(l2.map((h) => `${h.parent}${h.number}`)).size).toBe(12);
  });

  it('puts every task under a listed heading, and the sheet shows that heading', () => {
    const title1 = new Map(expected.headings.filter((h) => h.level === 1).map((h) => [h.number, h.title]));
    const title2 = new Map(expected.headings.filter((h) => h.level === 2).map((h) => [`${h.parent}${h.number}`, h.title]));
    for (const t of expected.tasks) {
      const { level1, level2 } = t.headingPath;
      expect(title1.has(level1)).toBe(true);
      expect(shown(ws.getCell(t.row, 1))).toBe(`${level1}、${title1.get(level1)}`);
      if (level2 === null) {
        expect(level1).toBe('五');
        expect(shown(ws.getCell(t.row, 2))).toBeNull();
      } else {
        expect(title2.has(`${level1}${level2}`)).toBe(true);
        expect(shown(ws.getCell(t.row, 2))).toBe(`${level2}${title2.get(`${level1}${level2}`)}`);
      }
    }
  });

  it('resolves every lead unit against 汕尾市公安局’s units, aliases and collective phrases', () => {
    const roots = load<AgencySeed[]>('agencies.json');
    const aliases = load<Record<string, Record<string, string>>>('unit-aliases.json')[expected.agency] ?? {};
    const phrases = load<Record<string, string[]>>('collective-unit-phrases.json')[expected.agency] ?? [];
    const find = (list: AgencySeed[]): AgencySeed | undefined =>
      list.map((a) => (a.code === expected.agency ? a : find(a.children))).find((a) => a !== undefined);
    const agency = find(roots);
    if (!agency) throw new Error(`agency ${expected.agency} missing`);
    const known: KnownUnit[] = agency.units.map((u) => ({
      id: u.code,
      name: u.name,
      aliases: Object.entries(aliases)
        .filter(([name, code]) => code === u.code && name !== u.name)
        .map(([name]) => name),
    }));
    const usedUnits = new Set<string>();
    for (const t of expected.tasks) {
      const m = matchUnits(t.leadUnitsText, known);
      expect({ task: t.number, unknown: m.unknown }).toEqual({ task: t.number, unknown: [] });
      // Collective phrases must be listed for the agency, not merely caught by the matcher's general rules.
      for (const c of m.collective) expect({ task: t.number, listed: phrases.includes(c) }).toEqual({ task: t.number, listed: true });
      expect(m.units.length + m.collective.length).toBe(t.leadUnits.length);
      m.units.forEach((u) => usedUnits.add(u.id));
    }
    // Every 汕尾 unit exists because this table names it.
    expect([...usedUnits].sort()).toEqual(agency.units.map((u) => u.code).sort());
  });
});
