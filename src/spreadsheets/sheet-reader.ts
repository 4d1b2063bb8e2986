import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse';
import { zipBoundsProblem } from './zip-bounds';
import { openXlsxRows, UnreadableSheet, type GridRow } from './xlsx-rows';
import { cleanCellText, normaliseHeader, normaliseLineBreaks, restoreCellText } from './cell-text';

/**
 * Reading tables in the agencies' own shape: headers found by name in any order (a title row may
 * stand above them), merged cells filled from their master cell, and problems reported per row and
 * column instead of thrown, so that a person gets one complete report for a whole file.
 *
 * This layer knows columns and cells only; what a cell means is the caller's business (see
 * catalogue-rows.ts, plan-rows.ts). A table is described by a {@link SheetSpec}.
 */

export type SheetFormat = 'XLSX' | 'CSV';

export interface SheetProblem {
  /** 1-based row in the file; null for problems with the file as a whole. */
  row: number | null;
  /** The header text as written in the file, or the canonical Chinese header when the column is missing. */
  column: string | null;
  /** The column key (or other field name) concerned. */
  field: string | null;
  severity: 'ERROR' | 'WARNING';
  code: string;
  /** Chinese, with a short English gloss in parentheses. */
  message: string;
  /** The offending text, when there is one. */
  value?: string;
}

export interface SheetSpec<K extends string> {
  /** In export order. */
  columns: readonly K[];
  /** Canonical Chinese header, used on export and in messages. */
  headers: Record<K, string>;
  /**
   * Other header texts accepted on import. Compared after {@link normaliseHeader} (no whitespace,
   * half-width parentheses), so they may be written either way.
   */
  aliases: Record<K, readonly string[]>;
  /** Columns whose header must be present. */
  required: readonly K[];
  maxDataRows: number;
  /**
   * Columns whose vertically merged cells are expected (filled from the master cell). A merge that
   * covers any other column, or spans several columns, is an ERROR problem naming row and column
   * (code MERGED_CELL_UNEXPECTED).
   */
  mergeableColumns: readonly K[];
  /**
   * When true, a cell spanning several columns is read in its first column only and the others read
   * empty, without a problem. Catalogues have always been read this way and tables in the wild
   * rely on it; tables where a spanning cell would be misread leave it false.
   */
  allowHorizontalMerges?: boolean;
  /**
   * Columns read with their line breaks (only `\r\n` normalised and the cell trimmed), for a caller
   * that gives breaks a meaning (several numbered tasks in one cell). Other cells are cleaned with
   * {@link cleanCellText}, which drops the breaks Word and Excel insert when wrapping.
   */
  keepLineBreaks?: readonly K[];
  /** What one data row is, in Chinese, for messages ("目录事项", "任务"). */
  rowLabel?: string;
}

export interface SheetReadRow<K extends string> {
  /** 1-based row number in the file, for messages a person can act on. */
  rowNumber: number;
  /** Every column, '' when the file has no such column or the cell is empty. */
  cells: Record<K, string>;
  /** True when the cell's text came from a merge master above, not from the cell itself. */
  merged: Record<K, boolean>;
}

export interface SheetReadResult<K extends string> {
  /** The first text above the header row (the table's title), if any. */
  title: string | null;
  /** Header text as written in the file, for each column found. */
  headers: Partial<Record<K, string>>;
  rows: Array<SheetReadRow<K>>;
  problems: SheetProblem[];
}

/** File rows searched for the header row (a title and a note or two may stand above it). */
const HEADER_SEARCH_ROWS = 10;
/**
 * The tables have about ten columns; stray formatting far to the right (Excel's "used range") must
 * not make reading slow.
 */
const MAX_COLUMNS = 64;
/** Excel's own cell limit: nothing longer is a table cell. */
export const MAX_CELL_CHARS = 32_767;
/** How much of an offending text a report echoes back. */
export const REPORT_VALUE_CHARS = 200;

/**
 * Header text → column, checked once per spec: an alias shared by two columns would make reading
 * depend on the order of the spec, which is a programming error, not a problem with a file.
 */
const lookups = new WeakMap<object, ReadonlyMap<string, string>>();

function headerLookup<K extends string>(spec: SheetSpec<K>): ReadonlyMap<string, K> {
  const cached = lookups.get(spec);
  if (cached) return cached as ReadonlyMap<string, K>;
  const map = new Map<string, K>();
  for (const c of spec.columns) {
    for (const text of [spec.headers[c], ...spec.aliases[c]]) {
      const key = normaliseHeader(text);
      const other = map.get(key);
      if (other !== undefined && other !== c) throw new Error(`sheet spec: header "${text}" names both ${other} and ${c}`);
      map.set(key, c);
    }
  }
  lookups.set(spec, map);
  return map;
}

function unreadable(message: string): SheetProblem {
  return { row: null, column: null, field: null, severity: 'ERROR', code: 'UNREADABLE_FILE', message };
}

/* ------------------------------------------------------------------------------------------------
 * Bytes → grid of strings
 * ---------------------------------------------------------------------------------------------- */

function richTextOf(value: ExcelJS.CellRichTextValue): string {
  return value.richText.map((r) => r.text).join('');
}

function dateText(d: Date): string {
  // Excel stores dates without a zone and exceljs reads them as UTC; a time of day is rare in these tables.
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
  // An error value (#N/A, #REF!) or a checkbox carries no text.
  return '';
}

/** The file's rows, in order, produced as they are read: a consumer that stops early stops the parse. */
type RowSource = AsyncGenerator<GridRow, void, undefined>;

async function openXlsxGrid(data: Buffer): Promise<RowSource | SheetProblem> {
  // An XLSX file is a zip archive ("PK"); anything else is the wrong file type.
  if (data.length < 4 || data[0] !== 0x50 || data[1] !== 0x4b) {
    return unreadable('不是 XLSX 文件，请上传 Excel 2007 及以上版本的 .xlsx 文件 (not an .xlsx file)');
  }
  // Bounded before it is parsed: every entry is inflated from this archive, so none may be a bomb.
  const bomb = zipBoundsProblem(data);
  if (bomb) return unreadable(bomb);
  try {
    const rows = await openXlsxRows(data, MAX_COLUMNS, (value) => normaliseLineBreaks(cellText(value)));
    return rows ?? unreadable('工作簿中没有工作表 (no worksheet in the workbook)');
  } catch (err) {
    if (err instanceof UnreadableSheet) return unreadable(err.message);
    throw err;
  }
}

/** C0 control characters other than tab, newline and carriage return never occur in a text CSV. */
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * The text in pieces for the streaming parser, so that it parses only as far as it is read (one
 * whole string would be parsed in one synchronous go). A piece never ends inside a surrogate pair:
 * csv-parse encodes each piece on its own and would turn half a pair into U+FFFD.
 */
function* textPieces(text: string, size = 16 * 1024): Generator<string> {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += 1;
    yield text.slice(i, end);
    i = end;
  }
}

async function* csvRows(text: string): RowSource {
  const source = Readable.from(textPieces(text));
  const parser = source.pipe(parseCsv({ relax_column_count: true, skip_empty_lines: false }));
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      // csv-parse numbers records, not lines; a quoted cell with a line break spans two lines, but a
      // person counts rows as Excel shows them, which is records.
      rowNumber += 1;
      const cells = record.slice(0, MAX_COLUMNS).map(normaliseLineBreaks);
      yield { rowNumber, cells, masters: cells.map(() => null) };
    }
  } catch (err) {
    const detail = err instanceof Error ? err.message : 'unknown error';
    throw new UnreadableSheet(`CSV 格式错误，请检查引号是否成对 (malformed CSV: ${detail})`);
  } finally {
    source.destroy();
    parser.destroy();
  }
}

function openCsvGrid(data: Buffer): RowSource | SheetProblem {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return unreadable('CSV 文件不是 UTF-8 编码（可能是 GBK），请在 Excel 中另存为“CSV UTF-8”格式 (CSV must be saved as UTF-8)');
  }
  text = text.replace(/^\uFEFF/, '');
  if (BINARY.test(text)) return unreadable('不是文本格式的 CSV 文件 (not a text CSV file)');
  if (text.trim() === '') return unreadable('文件为空 (empty file)');
  return csvRows(text);
}

async function openGrid(data: Buffer, format: SheetFormat): Promise<RowSource | SheetProblem> {
  if (data.length === 0) return unreadable('文件为空 (empty file)');
  return format === 'XLSX' ? openXlsxGrid(data) : openCsvGrid(data);
}

/* ------------------------------------------------------------------------------------------------
 * Grid → header mapping → rows
 * ---------------------------------------------------------------------------------------------- */

interface HeaderRow<K extends string> {
  index: number;
  /** Every recognised header cell (duplicates included), with its text cleaned. */
  found: Array<{ col: number; column: K; text: string }>;
}

/**
 * The header row is the row among the first ten that names the most known columns (at least two,
 * so that a title such as "…主动公开基本目录" or a lone "备注" is never taken for it).
 */
function findHeaderRow<K extends string>(head: GridRow[], lookup: ReadonlyMap<string, K>): HeaderRow<K> | null {
  let best: HeaderRow<K> | null = null;
  for (let i = 0; i < head.length; i++) {
    const row = head[i];
    if (!row || row.rowNumber > HEADER_SEARCH_ROWS) break;
    const found: HeaderRow<K>['found'] = [];
    row.cells.forEach((raw, col) => {
      const text = cleanCellText(raw);
      const column = lookup.get(normaliseHeader(text));
      if (column) found.push({ col, column, text });
    });
    const distinct = new Set(found.map((f) => f.column)).size;
    const bestDistinct = best ? new Set(best.found.map((f) => f.column)).size : 1;
    if (distinct > bestDistinct) best = { index: i, found };
  }
  return best;
}

function missingHeader<K extends string>(spec: SheetSpec<K>, column: K, row: number | null): SheetProblem {
  return {
    row,
    column: spec.headers[column],
    field: column,
    severity: 'ERROR',
    code: 'MISSING_HEADER',
    message: `缺少表头“${spec.headers[column]}” (missing header ${column})`,
  };
}

function blankRecord<K extends string, V>(columns: readonly K[], value: V): Record<K, V> {
  return Object.fromEntries(columns.map((c) => [c, value])) as Record<K, V>;
}

export async function readSheet<K extends string>(spec: SheetSpec<K>, data: Buffer, format: SheetFormat): Promise<SheetReadResult<K>> {
  const lookup = headerLookup(spec);
  const source = await openGrid(data, format);
  if ('code' in source) return { title: null, headers: {}, rows: [], problems: [source] };
  try {
    return await readRows(spec, lookup, source);
  } catch (err) {
    // Damage found while streaming (before the row limit: what lies beyond it is never read).
    if (err instanceof UnreadableSheet) return { title: null, headers: {}, rows: [], problems: [unreadable(err.message)] };
    throw err;
  } finally {
    // Ends the parse when reading stopped early (no header, or the row limit).
    await source.return();
  }
}

async function readRows<K extends string>(spec: SheetSpec<K>, lookup: ReadonlyMap<string, K>, source: RowSource): Promise<SheetReadResult<K>> {
  // The header is searched for among the first rows only; they are held, the rest streams past.
  const head: GridRow[] = [];
  let first = await source.next();
  while (!first.done && first.value.rowNumber <= HEADER_SEARCH_ROWS) {
    head.push(first.value);
    first = await source.next();
  }
  const header = findHeaderRow(head, lookup);
  if (!header) return { title: null, headers: {}, rows: [], problems: spec.required.map((c) => missingHeader(spec, c, null)) };
  const pending = first;
  async function* dataRows(): RowSource {
    yield* head.slice(header!.index + 1);
    if (!pending.done) yield pending.value;
    yield* source;
  }

  const problems: SheetProblem[] = [];
  const headerRowNumber = head[header.index]?.rowNumber ?? null;
  const columnOf = new Map<K, { col: number; text: string }>();
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
  for (const c of spec.required) if (!columnOf.has(c)) problems.push(missingHeader(spec, c, headerRowNumber));
  const headers: Partial<Record<K, string>> = {};
  for (const [column, { text }] of columnOf) headers[column] = text;
  const columnAt = new Map<number, K>([...columnOf].map(([column, { col }]) => [col, column]));

  // The title is the first text above the header row ("2024年…主动公开基本目录").
  let title: string | null = null;
  for (const r of head.slice(0, header.index)) {
    const t = r.cells.find((c) => c !== '');
    if (t !== undefined) {
      title = restoreCellText(cleanCellText(t));
      break;
    }
  }

  const keepBreaks = new Set<K>(spec.keepLineBreaks ?? []);
  const mergeable = new Set<K>(spec.mergeableColumns);
  const reportedMerges = new Set<string>();
  const rowLabel = spec.rowLabel ?? '数据';
  const rows: Array<SheetReadRow<K>> = [];
  let dataRowCount = 0;
  for await (const raw of dataRows()) {
    const cells = blankRecord(spec.columns, '');
    const merged = blankRecord(spec.columns, false);
    for (const [column, { col }] of columnOf) {
      let text = raw.cells[col] ?? '';
      if (text.length > MAX_CELL_CHARS) {
        // Excel's own limit: longer text is no table cell; keep a prefix so the row still reads.
        problems.push({
          row: raw.rowNumber,
          column: columnOf.get(column)!.text,
          field: column,
          severity: 'ERROR',
          code: 'CELL_TOO_LONG',
          message: `单元格超过 ${MAX_CELL_CHARS} 个字符 (cell longer than ${MAX_CELL_CHARS} characters)`,
          value: text.slice(0, REPORT_VALUE_CHARS),
        });
        text = text.slice(0, MAX_CELL_CHARS);
      }
      cells[column] = restoreCellText(keepBreaks.has(column) ? text : cleanCellText(text));
      const master = raw.masters[col];
      if (master && master.col === col && cells[column] !== '') merged[column] = true;
    }
    // Text only in unrecognised columns (a 备注 or 序号 column) does not make a data row.
    if (spec.columns.every((c) => cells[c] === '')) continue;
    // Tables converted from Word repeat the header row on every printed page; so do two-line headers
    // whose cells are merged vertically.
    if ([...columnOf].every(([column, { text }]) => cells[column] === '' || cleanCellText(cells[column]) === text)) continue;
    dataRowCount += 1;
    if (dataRowCount > spec.maxDataRows) {
      // Reading stops here: the rest of the file is never parsed, so its length is not known and
      // nothing further on (damage included) is reported.
      problems.push({
        row: null,
        column: null,
        field: null,
        severity: 'ERROR',
        code: 'TOO_MANY_ROWS',
        message: `表格至少有 ${dataRowCount} 行${rowLabel}，超过上限 ${spec.maxDataRows} 行；读到第 ${raw.rowNumber} 行即停止 (more than ${spec.maxDataRows} rows)`,
      });
      break;
    }
    rows.push({ rowNumber: raw.rowNumber, cells, merged });
    raw.masters.forEach((master, col) => {
      if (!master) return;
      const key = `${master.row}:${master.col}`;
      if (reportedMerges.has(key)) return;
      const slaveColumn = columnAt.get(col);
      const masterColumn = columnAt.get(master.col);
      const horizontal = master.col !== col;
      if (horizontal) {
        // A merge among unrecognised columns (序号, 备注) changes nothing that is read.
        if (spec.allowHorizontalMerges || (slaveColumn === undefined && masterColumn === undefined)) return;
      } else if (slaveColumn === undefined || mergeable.has(slaveColumn)) return;
      const column = (horizontal ? (masterColumn ?? slaveColumn) : slaveColumn) as K;
      const text = columnOf.get(column)?.text ?? spec.headers[column];
      // The master row is where a person finds the merge, unless it lies in the title or header rows.
      const row = headerRowNumber !== null && master.row > headerRowNumber ? master.row : raw.rowNumber;
      reportedMerges.add(key);
      problems.push({
        row,
        column: text,
        field: column,
        severity: 'ERROR',
        code: 'MERGED_CELL_UNEXPECTED',
        message: horizontal
          ? `第 ${row} 行“${text}”单元格横向合并了多列，无法确定内容属于哪一列，请取消合并 (merged cell spans several columns)`
          : `第 ${row} 行起“${text}”单元格与下方单元格合并；此列每行须单独填写，请取消合并 (merged cell not allowed in this column)`,
        ...(cells[column] !== '' ? { value: cells[column] } : {}),
      });
    });
  }
  return { title, headers, rows, problems };
}
