import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * Reading and writing catalogues in the agencies' own table shape (document 002, Attachment 1):
 * headers found by name in any order (a title row may stand above them), merged cells filled from
 * their master cell, and problems reported per row and column instead of thrown.
 */

export type SheetFormat = 'XLSX' | 'CSV';
export type SheetColumn =
  | 'category'
  | 'name'
  | 'content'
  | 'disclosureType'
  | 'units'
  | 'timeLimit'
  | 'channels'
  | 'audience'
  | 'legalBasis'
  | 'websiteColumn';

export interface SheetRow {
  /** 1-based row number in the file, for messages a person can act on. */
  rowNumber: number;
  cells: Record<SheetColumn, string>;
}

export interface SheetProblem {
  row: number | null;
  column: string | null;
  field: string | null;
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  value?: string;
}

export const SHEET_HEADERS: Record<SheetColumn, string> = {
  category: '目录类别',
  name: '目录名称',
  content: '公开内容',
  disclosureType: '政务五公开',
  units: '公开主体（责任单位）',
  timeLimit: '公开时限',
  channels: '公开方式',
  audience: '公开对象',
  legalBasis: '公开依据',
  websiteColumn: '网站栏目',
};

const COLUMNS = Object.keys(SHEET_HEADERS) as SheetColumn[];
const REQUIRED: SheetColumn[] = ['category', 'name', 'content', 'units', 'timeLimit'];
const MAX_ROWS = 5000;

/** Header spellings seen in real tables, after normalisation. */
const ALIASES: Record<SheetColumn, string[]> = {
  category: ['目录类别', '类别'],
  name: ['目录名称', '名称', '事项名称'],
  content: ['公开内容', '内容'],
  disclosureType: ['政务五公开', '五公开', '公开类别', '公开类型'],
  units: ['公开主体(责任单位)', '公开主体', '责任单位', '公开主体(责任部门)'],
  timeLimit: ['公开时限', '时限'],
  channels: ['公开方式', '公开渠道', '公开途径'],
  audience: ['公开对象', '对象'],
  legalBasis: ['公开依据', '依据'],
  websiteColumn: ['网站栏目', '栏目', '网站栏目路径'],
};

function normaliseHeader(text: string): string {
  return text.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

function cleanCell(text: string): string {
  return text.replace(/\r?\n/g, '').trim();
}

function problem(p: Omit<SheetProblem, 'field'> & { field?: string | null }): SheetProblem {
  return { field: null, ...p };
}

function emptyCells(): Record<SheetColumn, string> {
  return Object.fromEntries(COLUMNS.map((c) => [c, ''])) as Record<SheetColumn, string>;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return value.result == null ? '' : String(value.result);
    if ('text' in value) return String(value.text);
  }
  return '';
}

/** The grid of a file as strings; merged cells already carry their master's value. */
async function readGrid(data: Buffer, format: SheetFormat): Promise<string[][] | SheetProblem> {
  const unreadable = (message: string) => problem({ row: null, column: null, severity: 'ERROR', code: 'UNREADABLE_FILE', message });
  if (data.length === 0) return unreadable('文件为空 (empty file)');
  if (format === 'XLSX') {
    // An XLSX file is a zip archive: anything else is the wrong file type.
    if (data[0] !== 0x50 || data[1] !== 0x4b) return unreadable('不是 XLSX 文件 (not an .xlsx file)');
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(data as unknown as ArrayBuffer);
    } catch {
      return unreadable('无法读取 XLSX 文件 (the .xlsx file cannot be read)');
    }
    const ws = wb.worksheets[0];
    if (!ws) return unreadable('工作簿中没有工作表 (no worksheet)');
    const grid: string[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= Math.max(ws.columnCount, row.cellCount); c++) {
        const cell = row.getCell(c);
        cells.push(cleanCell(cellText(cell.isMerged && cell.master ? cell.master.value : cell.value)));
      }
      grid.push(cells);
    }
    return grid;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return unreadable('CSV 文件不是 UTF-8 编码，请另存为 UTF-8 (CSV must be UTF-8)');
  }
  if (text.includes('\u0000')) return unreadable('不是文本文件 (not a text file)');
  try {
    const rows = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: false }) as string[][];
    return rows.map((r) => r.map(cleanCell));
  } catch (err) {
    return unreadable(`CSV 格式错误 (malformed CSV: ${err instanceof Error ? err.message : 'unknown'})`);
  }
}

export async function readCatalogueSheet(
  data: Buffer,
  format: SheetFormat,
): Promise<{ title: string | null; rows: SheetRow[]; problems: SheetProblem[] }> {
  const grid = await readGrid(data, format);
  if (!Array.isArray(grid)) return { title: null, rows: [], problems: [grid] };
  const problems: SheetProblem[] = [];

  // The header row is the first of the first ten that names at least two known columns.
  let headerIndex = -1;
  let mapping = new Map<number, SheetColumn>();
  for (let r = 0; r < Math.min(10, grid.length); r++) {
    const m = new Map<number, SheetColumn>();
    grid[r]!.forEach((text, c) => {
      const n = normaliseHeader(text);
      const col = COLUMNS.find((k) => ALIASES[k].includes(n));
      if (col) m.set(c, col);
    });
    if (m.size >= 2) {
      headerIndex = r;
      mapping = m;
      break;
    }
  }
  if (headerIndex < 0) {
    return {
      title: null,
      rows: [],
      problems: REQUIRED.map((c) =>
        problem({ row: null, column: SHEET_HEADERS[c], field: c, severity: 'ERROR', code: 'MISSING_HEADER', message: `缺少表头“${SHEET_HEADERS[c]}” (missing header)` }),
      ),
    };
  }
  const headerRow = grid[headerIndex]!;
  const seen = new Map<SheetColumn, number>();
  for (const [c, col] of mapping) {
    if (seen.has(col)) {
      problems.push(problem({ row: headerIndex + 1, column: headerRow[c]!, field: col, severity: 'ERROR', code: 'DUPLICATE_HEADER', message: `表头“${headerRow[c]}”重复 (duplicate header)` }));
    } else seen.set(col, c);
  }
  for (const col of REQUIRED) {
    if (!seen.has(col)) {
      problems.push(problem({ row: headerIndex + 1, column: SHEET_HEADERS[col], field: col, severity: 'ERROR', code: 'MISSING_HEADER', message: `缺少表头“${SHEET_HEADERS[col]}” (missing header)` }));
    }
  }
  const title = grid.slice(0, headerIndex).map((r) => r.find((t) => t) ?? '').find((t) => t) ?? null;

  const rows: SheetRow[] = [];
  let previousCategory = '';
  for (let r = headerIndex + 1; r < grid.length; r++) {
    const raw = grid[r]!;
    if (raw.every((t) => !t)) continue;
    const cells = emptyCells();
    for (const [col, c] of seen) cells[col] = raw[c] ?? '';
    // Merged category cells lose their value in CSV and in files saved without merge data.
    if (!cells.category) {
      if (previousCategory) cells.category = previousCategory;
      else problems.push(problem({ row: r + 1, column: SHEET_HEADERS.category, field: 'category', severity: 'ERROR', code: 'EMPTY_CATEGORY', message: '目录类别为空且上方没有可沿用的类别 (empty category with none above)' }));
    }
    previousCategory = cells.category;
    rows.push({ rowNumber: r + 1, cells });
  }
  if (rows.length > MAX_ROWS) {
    problems.push(problem({ row: null, column: null, severity: 'ERROR', code: 'TOO_MANY_ROWS', message: `超过 ${MAX_ROWS} 行 (more than ${MAX_ROWS} rows)` }));
  }
  return { title, rows, problems };
}

export async function writeCatalogueSheet(
  title: string,
  rows: Array<Record<SheetColumn, string>>,
  format: SheetFormat,
): Promise<Buffer> {
  const headers = COLUMNS.map((c) => SHEET_HEADERS[c]);
  if (format === 'CSV') {
    // Excel in China opens UTF-8 CSV correctly only with a byte-order mark.
    const text = stringify([headers, ...rows.map((r) => COLUMNS.map((c) => r[c] ?? ''))], { record_delimiter: '\r\n' });
    return Buffer.from('\uFEFF' + text, 'utf8');
  }
  const wb = new ExcelJS.Workbook();
  const fixed = new Date('2000-01-01T00:00:00Z');
  wb.created = fixed;
  wb.modified = fixed;
  const ws = wb.addWorksheet('主动公开基本目录');
  ws.addRow([title]);
  ws.mergeCells(1, 1, 1, headers.length);
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  const header = ws.addRow(headers);
  header.font = { bold: true };
  for (const r of rows) ws.addRow(COLUMNS.map((c) => r[c] ?? ''));
  const widths: Record<SheetColumn, number> = { category: 16, name: 20, content: 48, disclosureType: 12, units: 28, timeLimit: 32, channels: 14, audience: 10, legalBasis: 24, websiteColumn: 24 };
  COLUMNS.forEach((c, i) => (ws.getColumn(i + 1).width = widths[c]));
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
