import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { neutraliseCellText } from './cell-text';
import type { SheetFormat, SheetSpec } from './sheet-reader';

/**
 * Writing tables in the agencies' own shape: a title row, the canonical headers, one data row per
 * record. The same records always give the same bytes, and what is written reads back unchanged
 * through sheet-reader.ts.
 */

export interface SheetWriteOptions<K extends string> {
  /** Name of the worksheet tab. */
  sheetName: string;
  /** Written above the headers in XLSX (merged across the columns); '' for none. Never in CSV. */
  title: string;
  /** Column widths in Excel's character units. */
  widths: Record<K, number>;
  /**
   * Columns whose identical consecutive values are merged vertically in XLSX, outermost first: a
   * run in a later column never crosses a boundary of a run in an earlier one, so that two equal
   * sub-headings under different headings stay two cells. Empty cells are never merged.
   */
  verticalMerges?: readonly K[];
}

/** Fixed workbook and zip dates: the same records always export to the same bytes. */
const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));

/**
 * JSZip (inside exceljs) stamps every zip entry with the current time; rewriting the DOS date/time
 * in the local headers and the central directory makes the output reproducible.
 */
export function fixZipTimestamps(zip: Buffer, date: Date): Buffer {
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

/**
 * Row ranges (0-based, inclusive, at least two rows) to merge per column; see
 * {@link SheetWriteOptions.verticalMerges}.
 */
export function verticalMergeRuns<K extends string>(
  rows: ReadonlyArray<Record<K, string>>,
  columns: readonly K[],
): Array<{ column: K; first: number; last: number }> {
  const runs: Array<{ column: K; first: number; last: number }> = [];
  // Row indexes where a run of an outer column starts; an inner run must break there too.
  const breaks = new Set<number>([0]);
  for (const column of columns) {
    const starts: number[] = [];
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r]?.[column] ?? '';
      if (r === 0 || breaks.has(r) || v !== (rows[r - 1]?.[column] ?? '')) starts.push(r);
    }
    starts.forEach((first, i) => {
      const last = (starts[i + 1] ?? rows.length) - 1;
      if (last > first && (rows[first]?.[column] ?? '') !== '') runs.push({ column, first, last });
    });
    for (const s of starts) breaks.add(s);
  }
  return runs;
}

export async function writeSheet<K extends string>(
  spec: SheetSpec<K>,
  rows: ReadonlyArray<Record<K, string>>,
  format: SheetFormat,
  options: SheetWriteOptions<K>,
): Promise<Buffer> {
  const columns = spec.columns;
  const headers = columns.map((c) => spec.headers[c]);
  // Both writers below take these already neutralised values; headers are fixed text.
  const values = rows.map((r) => columns.map((c) => neutraliseCellText(r[c] ?? '')));

  if (format === 'CSV') {
    // Excel in China opens a UTF-8 CSV correctly only with a byte-order mark (otherwise it assumes GBK).
    // No title row: a CSV is read by programs as often as by people, and they expect headers first.
    // No merges either: every row carries its own values, which the reader takes as they are.
    const text = stringify([headers, ...values], { record_delimiter: '\r\n' });
    return Buffer.from(`\uFEFF${text}`, 'utf8');
  }

  const wb = new ExcelJS.Workbook();
  wb.creator = 'openness-backend';
  wb.lastModifiedBy = 'openness-backend';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  const hasTitle = options.title.trim() !== '';
  const headerRow = hasTitle ? 2 : 1;
  const ws = wb.addWorksheet(options.sheetName, {
    views: [{ state: 'frozen', ySplit: headerRow }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = columns.map((c) => ({ width: options.widths[c] }));

  if (hasTitle) {
    const cell = ws.getCell(1, 1);
    cell.value = neutraliseCellText(options.title.trim());
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

  const runs = verticalMergeRuns(rows, options.verticalMerges ?? []);
  // Continuation cells of a merge are left unwritten: the merge gives them their master's text.
  const continuation = new Set<string>();
  const masterRows = new Set<string>();
  for (const run of runs) {
    const c = columns.indexOf(run.column);
    masterRows.add(`${run.first}:${c}`);
    for (let r = run.first + 1; r <= run.last; r++) continuation.add(`${r}:${c}`);
  }
  values.forEach((row, r) => {
    row.forEach((v, c) => {
      if (v === '' || continuation.has(`${r}:${c}`)) return;
      const cell = ws.getCell(headerRow + 1 + r, c + 1);
      // Always a string cell: "20" or "=…" typed into a table is text, never a number or formula
      // (and "=…" arrives here already quoted by neutraliseCellText, for programs that re-evaluate text).
      cell.value = v.length > EXCEL_MAX_CELL ? v.slice(0, EXCEL_MAX_CELL) : v;
      cell.alignment = { vertical: masterRows.has(`${r}:${c}`) ? 'middle' : 'top', wrapText: true };
    });
  });
  for (const run of runs) {
    const c = columns.indexOf(run.column) + 1;
    ws.mergeCells(headerRow + 1 + run.first, c, headerRow + 1 + run.last, c);
  }
  const zip = await wb.xlsx.writeBuffer();
  return fixZipTimestamps(Buffer.from(zip as ArrayBuffer), FIXED_DATE);
}
