import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * Reading and writing catalogues in the agencies' own table shape (document 002, Attachment 1):
 * headers found by name in any order (a title row may stand above them), merged cells filled from
 * their master cell, and problems reported per row and column instead of thrown, so that a person
 * gets one complete report for a whole file.
 *
 * This layer knows columns and cells only; what a cell means (units, time limits, 政务五公开) is
 * catalogue-rows.ts's business.
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
  /** Every column, '' when the file has no such column or the cell is empty. */
  cells: Record<SheetColumn, string>;
}

export interface SheetProblem {
  /** 1-based row in the file; null for problems with the file as a whole. */
  row: number | null;
  /** The header text as written in the file, or the canonical Chinese header when the column is missing. */
  column: string | null;
  /** The {@link SheetColumn} (or other field name) concerned. */
  field: string | null;
  severity: 'ERROR' | 'WARNING';
  code: string;
  /** Chinese, with a short English gloss in parentheses. */
  message: string;
  /** The offending text, when there is one. */
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

export const SHEET_COLUMNS: readonly SheetColumn[] = [
  'category',
  'name',
  'content',
  'disclosureType',
  'units',
  'timeLimit',
  'channels',
  'audience',
  'legalBasis',
  'websiteColumn',
];

const REQUIRED: readonly SheetColumn[] = ['category', 'name', 'content', 'units', 'timeLimit'];
const MAX_DATA_ROWS = 5000;
/** File rows searched for the header row (a title and a note or two may stand above it). */
const HEADER_SEARCH_ROWS = 10;
/**
 * Catalogue tables have about ten columns; stray formatting far to the right (Excel's "used range")
 * must not make reading slow.
 */
const MAX_COLUMNS = 64;

/** Header spellings seen in real tables, in normalised form (see {@link normaliseHeader}). */
const HEADER_ALIASES: Record<SheetColumn, readonly string[]> = {
  category: ['目录类别', '类别'],
  name: ['目录名称', '名称', '事项名称'],
  content: ['公开内容', '内容'],
  disclosureType: ['政务五公开', '五公开', '公开类别', '公开类型'],
  units: ['公开主体(责任单位)', '公开主体', '责任单位', '公开主体(责任部门)', '责任部门'],
  timeLimit: ['公开时限', '时限'],
  channels: ['公开方式', '公开渠道', '公开途径'],
  audience: ['公开对象', '对象'],
  legalBasis: ['公开依据', '依据'],
  websiteColumn: ['网站栏目', '栏目', '网站栏目路径'],
};

const HEADER_LOOKUP: ReadonlyMap<string, SheetColumn> = new Map(
  SHEET_COLUMNS.flatMap((c) => HEADER_ALIASES[c].map((alias) => [alias, c] as const)),
);

/** Headers are typed in many ways: "公开主体\n（责任单位）", "公开主体(责任单位)", "目 录 类 别". */
function normaliseHeader(text: string): string {
  return text.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’]/;

/**
 * Word and Excel wrap long Chinese cells with hard line breaks in the middle of a phrase; between
 * Chinese characters a break is an artefact and goes, elsewhere it stands for a space so that
 * Latin words do not run together.
 */
export function cleanCellText(text: string): string {
  const t = text.replace(/\r\n?/g, '\n').trim();
  if (!t.includes('\n')) return t;
  return t.replace(/[ \t\u3000]*\n\s*/g, (match: string, offset: number, whole: string) => {
    const before = whole.slice(0, offset).slice(-1);
    const after = whole.slice(offset + match.length, offset + match.length + 1);
    return CJK.test(before) || CJK.test(after) ? '' : ' ';
  });
}

/**
 * Spreadsheet programs run a cell typed as `=…`, `+…`, `-…` or `@…` as a formula (and some also
 * after a leading tab or carriage return), so an item named `=HYPERLINK("http://evil","x")` in an
 * exported catalogue would become a live link or a DDE command on the reader's desk (OWASP "CSV
 * injection"). Every exporter writes text cells through {@link neutraliseCellText}: the leading `'`
 * makes Excel and WPS show the text as typed. Values that already start with quotes before such a
 * character get one more, so {@link restoreCellText} can always remove exactly one and an export
 * re-imports unchanged.
 */
const FORMULA_LEAD = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^''*[=+\-@\t\r]/;

/** The text as it must be written to an exported cell (see {@link FORMULA_LEAD}). */
export function neutraliseCellText(text: string): string {
  return FORMULA_LEAD.test(text) ? `'${text}` : text;
}

/** The inverse of {@link neutraliseCellText}, for cells read back from a file. */
export function restoreCellText(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}

function emptyCells(): Record<SheetColumn, string> {
  return {
    category: '',
    name: '',
    content: '',
    disclosureType: '',
    units: '',
    timeLimit: '',
    channels: '',
    audience: '',
    legalBasis: '',
    websiteColumn: '',
  };
}

function unreadable(message: string): SheetProblem {
  return { row: null, column: null, field: null, severity: 'ERROR', code: 'UNREADABLE_FILE', message };
}

/* ------------------------------------------------------------------------------------------------
 * Reading: bytes → grid of strings
 * ---------------------------------------------------------------------------------------------- */

/** The file as rows of cell strings; `rowNumber` is the 1-based row in the file. */
interface Grid {
  rows: Array<{ rowNumber: number; cells: string[] }>;
}

function richTextOf(value: ExcelJS.CellRichTextValue): string {
  return value.richText.map((r) => r.text).join('');
}

function dateText(d: Date): string {
  // Excel stores dates without a zone and exceljs reads them as UTC; a time of day is rare in catalogues.
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return richTextOf(value);
  if ('formula' in value || 'sharedFormula' in value) {
    // Only the cached result is meaningful to a reader; a formula without one (never calculated) is empty.
    const result = value.result;
    if (result === undefined || result === null) return '';
    if (typeof result === 'object' && !(result instanceof Date)) return ''; // an error value such as #N/A
    return cellText(result);
  }
  if ('hyperlink' in value) {
    const t: unknown = value.text;
    if (typeof t === 'string') return t;
    if (typeof t === 'object' && t !== null && 'richText' in t) return richTextOf(t as ExcelJS.CellRichTextValue);
    return value.hyperlink;
  }
  // An error value (#N/A, #REF!) or a checkbox carries no text for a catalogue.
  return '';
}

async function readXlsxGrid(data: Buffer): Promise<Grid | SheetProblem> {
  // An XLSX file is a zip archive ("PK"); anything else is the wrong file type.
  if (data.length < 4 || data[0] !== 0x50 || data[1] !== 0x4b) {
    return unreadable('不是 XLSX 文件，请上传 Excel 2007 及以上版本的 .xlsx 文件 (not an .xlsx file)');
  }
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares the pre-generic Buffer type of older @types/node; the runtime takes any Buffer.
    await wb.xlsx.load(data as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    return unreadable('无法读取 XLSX 文件，文件可能已损坏或不是 Excel 文件 (the .xlsx file cannot be read)');
  }
  const ws = wb.worksheets[0];
  if (!ws) return unreadable('工作簿中没有工作表 (no worksheet in the workbook)');
  const rows: Grid['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const count = Math.min(row.cellCount, MAX_COLUMNS);
    for (let c = 1; c <= count; c++) {
      const cell = row.getCell(c);
      // A merge continuation reads its master's value in exceljs. Vertical merges (a category over
      // several items) are filled; a cell spanning several columns holds one value that belongs to
      // its first column only, so horizontal continuations stay empty.
      if (cell.isMerged && cell.master.address !== cell.address && cell.master.col !== cell.col) {
        cells.push('');
        continue;
      }
      cells.push(cleanCellText(cellText(cell.value)));
    }
    rows.push({ rowNumber, cells });
  });
  return { rows };
}

/** C0 control characters other than tab, newline and carriage return never occur in a text CSV. */
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function readCsvGrid(data: Buffer): Grid | SheetProblem {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return unreadable('CSV 文件不是 UTF-8 编码（可能是 GBK），请在 Excel 中另存为“CSV UTF-8”格式 (CSV must be saved as UTF-8)');
  }
  text = text.replace(/^\uFEFF/, '');
  if (BINARY.test(text)) return unreadable('不是文本格式的 CSV 文件 (not a text CSV file)');
  if (text.trim() === '') return unreadable('文件为空 (empty file)');
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (err) {
    const detail = err instanceof Error ? err.message : 'unknown error';
    return unreadable(`CSV 格式错误，请检查引号是否成对 (malformed CSV: ${detail})`);
  }
  // csv-parse numbers records, not lines; a quoted cell with a line break spans two lines, but a
  // person counts rows as Excel shows them, which is records.
  return { rows: records.map((r, i) => ({ rowNumber: i + 1, cells: r.slice(0, MAX_COLUMNS).map(cleanCellText) })) };
}

async function readGrid(data: Buffer, format: SheetFormat): Promise<Grid | SheetProblem> {
  if (data.length === 0) return unreadable('文件为空 (empty file)');
  return format === 'XLSX' ? readXlsxGrid(data) : readCsvGrid(data);
}

/* ------------------------------------------------------------------------------------------------
 * Reading: grid → header mapping → rows
 * ---------------------------------------------------------------------------------------------- */

interface HeaderRow {
  index: number;
  /** Column index → column, for every recognised header cell (duplicates included). */
  found: Array<{ col: number; column: SheetColumn; text: string }>;
}

/**
 * The header row is the row among the first ten that names the most known columns (at least two,
 * so that a title such as "…主动公开基本目录" or a lone "备注" is never taken for it).
 */
function findHeaderRow(grid: Grid): HeaderRow | null {
  let best: HeaderRow | null = null;
  for (let i = 0; i < grid.rows.length; i++) {
    const row = grid.rows[i];
    if (!row || row.rowNumber > HEADER_SEARCH_ROWS) break;
    const found: HeaderRow['found'] = [];
    row.cells.forEach((text, col) => {
      const column = HEADER_LOOKUP.get(normaliseHeader(text));
      if (column) found.push({ col, column, text });
    });
    const distinct = new Set(found.map((f) => f.column)).size;
    const bestDistinct = best ? new Set(best.found.map((f) => f.column)).size : 1;
    if (distinct > bestDistinct) best = { index: i, found };
  }
  return best;
}

function missingHeader(column: SheetColumn, row: number | null): SheetProblem {
  return {
    row,
    column: SHEET_HEADERS[column],
    field: column,
    severity: 'ERROR',
    code: 'MISSING_HEADER',
    message: `缺少表头“${SHEET_HEADERS[column]}” (missing header ${column})`,
  };
}

export async function readCatalogueSheet(
  data: Buffer,
  format: SheetFormat,
): Promise<{ title: string | null; rows: SheetRow[]; problems: SheetProblem[] }> {
  const grid = await readGrid(data, format);
  if ('code' in grid) return { title: null, rows: [], problems: [grid] };

  const header = findHeaderRow(grid);
  if (!header) return { title: null, rows: [], problems: REQUIRED.map((c) => missingHeader(c, null)) };

  const problems: SheetProblem[] = [];
  const headerRowNumber = grid.rows[header.index]?.rowNumber ?? null;
  const columnOf = new Map<SheetColumn, { col: number; text: string }>();
  for (const f of header.found) {
    const first = columnOf.get(f.column);
    if (first) {
      problems.push({
        row: headerRowNumber,
        column: f.text,
        field: f.column,
        severity: 'ERROR',
        code: 'DUPLICATE_HEADER',
        message: `表头“${f.text}”与“${first.text}”重复，无法确定使用哪一列 (duplicate header)`,
        value: f.text,
      });
    } else columnOf.set(f.column, { col: f.col, text: f.text });
  }
  for (const c of REQUIRED) if (!columnOf.has(c)) problems.push(missingHeader(c, headerRowNumber));

  // The title is the first text above the header row ("2024年…主动公开基本目录").
  let title: string | null = null;
  for (const r of grid.rows.slice(0, header.index)) {
    const t = r.cells.find((c) => c !== '');
    if (t !== undefined) {
      title = restoreCellText(t);
      break;
    }
  }

  const rows: SheetRow[] = [];
  let previousCategory = '';
  let dataRows = 0;
  for (const raw of grid.rows.slice(header.index + 1)) {
    const cells = emptyCells();
    for (const [column, { col }] of columnOf) cells[column] = restoreCellText(raw.cells[col] ?? '');
    // Text only in unrecognised columns (a 备注 or 序号 column) does not make an item.
    if (SHEET_COLUMNS.every((c) => cells[c] === '')) continue;
    // Tables converted from Word repeat the header row on every printed page; so do two-line headers
    // whose cells are merged vertically.
    if ([...columnOf].every(([column, { text }]) => cells[column] === '' || cells[column] === text)) continue;
    dataRows += 1;
    if (dataRows > MAX_DATA_ROWS) continue;
    // CSV has no merges, and files re-saved by other tools lose them: an empty category continues
    // the one above, as a merged category cell would.
    if (cells.category === '') {
      if (previousCategory !== '') cells.category = previousCategory;
      else {
        problems.push({
          row: raw.rowNumber,
          column: columnOf.get('category')?.text ?? SHEET_HEADERS.category,
          field: 'category',
          severity: 'ERROR',
          code: 'EMPTY_CATEGORY',
          message: '目录类别为空，且上方没有可沿用的类别 (empty category with none above to continue)',
        });
      }
    }
    previousCategory = cells.category;
    rows.push({ rowNumber: raw.rowNumber, cells });
  }
  if (dataRows > MAX_DATA_ROWS) {
    problems.push({
      row: null,
      column: null,
      field: null,
      severity: 'ERROR',
      code: 'TOO_MANY_ROWS',
      message: `表格有 ${dataRows} 行目录事项，超过上限 ${MAX_DATA_ROWS} 行 (more than ${MAX_DATA_ROWS} rows)`,
      value: String(dataRows),
    });
  }
  return { title, rows, problems };
}

/* ------------------------------------------------------------------------------------------------
 * Writing
 * ---------------------------------------------------------------------------------------------- */

/** Fixed workbook and zip dates: the same catalogue always exports to the same bytes. */
const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));
const SHEET_NAME = '主动公开基本目录';
const COLUMN_WIDTHS: Record<SheetColumn, number> = {
  category: 16,
  name: 20,
  content: 48,
  disclosureType: 12,
  units: 28,
  timeLimit: 28,
  channels: 14,
  audience: 10,
  legalBasis: 28,
  websiteColumn: 24,
};

/**
 * JSZip (inside exceljs) stamps every zip entry with the current time; rewriting the DOS date/time
 * in the local headers and the central directory makes the output reproducible.
 */
function fixZipTimestamps(zip: Buffer, date: Date): Buffer {
  const out = Buffer.from(zip);
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  let eocd = -1;
  for (let p = out.length - 22; p >= Math.max(0, out.length - 22 - 0xffff); p--) {
    if (out.readUInt32LE(p) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new Error('exceljs produced no zip end-of-central-directory record');
  const entries = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad zip central directory entry at ${p}`);
    out.writeUInt16LE(dosTime, p + 12);
    out.writeUInt16LE(dosDate, p + 14);
    const local = out.readUInt32LE(p + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad zip local file header at ${local}`);
    out.writeUInt16LE(dosTime, local + 10);
    out.writeUInt16LE(dosDate, local + 12);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

/** Excel refuses cells longer than this; a longer value would make the whole file unopenable. */
const EXCEL_MAX_CELL = 32767;

export async function writeCatalogueSheet(
  title: string,
  rows: Array<Record<SheetColumn, string>>,
  format: SheetFormat,
): Promise<Buffer> {
  const headers = SHEET_COLUMNS.map((c) => SHEET_HEADERS[c]);
  // Both writers below take these already neutralised values; headers are fixed text.
  const values = rows.map((r) => SHEET_COLUMNS.map((c) => neutraliseCellText(r[c] ?? '')));

  if (format === 'CSV') {
    // Excel in China opens a UTF-8 CSV correctly only with a byte-order mark (otherwise it assumes GBK).
    // No title row: a CSV is read by programs as often as by people, and they expect headers first.
    const text = stringify([headers, ...values], { record_delimiter: '\r\n' });
    return Buffer.from(`\uFEFF${text}`, 'utf8');
  }

  const wb = new ExcelJS.Workbook();
  wb.creator = 'openness-backend';
  wb.lastModifiedBy = 'openness-backend';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  const hasTitle = title.trim() !== '';
  const headerRow = hasTitle ? 2 : 1;
  const ws = wb.addWorksheet(SHEET_NAME, {
    views: [{ state: 'frozen', ySplit: headerRow }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = SHEET_COLUMNS.map((c) => ({ width: COLUMN_WIDTHS[c] }));

  if (hasTitle) {
    const cell = ws.getCell(1, 1);
    cell.value = neutraliseCellText(title.trim());
    cell.font = { size: 16, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
    ws.mergeCells(1, 1, 1, headers.length);
    ws.getRow(1).height = 32;
  }
  headers.forEach((h, i) => {
    const cell = ws.getCell(headerRow, i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  values.forEach((row, r) => {
    row.forEach((v, c) => {
      if (v === '') return;
      const cell = ws.getCell(headerRow + 1 + r, c + 1);
      // Always a string cell: "20" or "=…" typed into a catalogue is text, never a number or formula
      // (and "=…" arrives here already quoted by neutraliseCellText, for programs that re-evaluate text).
      cell.value = v.length > EXCEL_MAX_CELL ? v.slice(0, EXCEL_MAX_CELL) : v;
      cell.alignment = { vertical: 'top', wrapText: true };
    });
  });
  const zip = await wb.xlsx.writeBuffer();
  return fixZipTimestamps(Buffer.from(zip as ArrayBuffer), FIXED_DATE);
}
