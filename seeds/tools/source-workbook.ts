/**
 * What the tools rebuilding the source documents' tables as spreadsheets share: the marker for a
 * vertically merged cell, the merges it implies, and the workbook layout (title row merged across
 * the columns, a header row, bordered data rows, fixed dates and zip timestamps so the output is
 * byte-for-byte deterministic).
 */
import ExcelJS from 'exceljs';
import { fixZipTimestamps } from '../../src/spreadsheets/sheet-writer';

/** A cell vertically merged with the cell above it (the original table prints nothing for it). */
export const UP: unique symbol = Symbol('merged with the cell above');
/** A cell value: text, '' for a genuinely empty cell, or {@link UP} for a merged continuation. */
export type SourceCell = string | typeof UP;

/** A merged range in spreadsheet coordinates (1-based, inclusive). */
export interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** The vertical merges implied by {@link UP} cells: each run of UP cells joins the cell above it. */
export function verticalMerges(rows: ReadonlyArray<readonly SourceCell[]>, columns: number, firstRow: number): MergeRange[] {
  const merges: MergeRange[] = [];
  for (let col = 0; col < columns; col++) {
    let r = 0;
    while (r < rows.length) {
      if (rows[r]?.[col] === UP) throw new Error(`row ${r + 1}, column ${col + 1}: merged with nothing above`);
      let end = r;
      while (end + 1 < rows.length && rows[end + 1]?.[col] === UP) end++;
      if (end > r) merges.push({ top: firstRow + r, left: col + 1, bottom: firstRow + end, right: col + 1 });
      r = end + 1;
    }
  }
  return merges.sort((a, b) => a.top - b.top || a.left - b.left);
}

export interface SourceWorkbookSpec {
  /** The tool's own path, recorded as the workbook's creator. */
  creator: string;
  title: string;
  sheetName: string;
  headers: readonly string[];
  widths: readonly number[];
  headerHeight: number;
  /** The one column of long running text, left-aligned; the others are centred. */
  leftAlignedColumn: number;
  firstDataRow: number;
  date: Date;
}

const thin: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
const border: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };

export function buildSourceWorkbook(spec: SourceWorkbookSpec, rows: ReadonlyArray<readonly SourceCell[]>): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = spec.creator;
  wb.lastModifiedBy = spec.creator;
  wb.title = spec.title;
  wb.created = spec.date;
  wb.modified = spec.date;

  const ws = wb.addWorksheet(spec.sheetName, {
    views: [{ state: 'frozen', ySplit: 2 }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = spec.widths.map((width) => ({ width }));

  // Row 1: the title, merged across the columns.
  ws.getCell(1, 1).value = spec.title;
  ws.mergeCells(1, 1, 1, spec.headers.length);
  const title = ws.getCell(1, 1);
  title.font = { name: '宋体', size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 32;

  // Row 2: headers.
  spec.headers.forEach((h, i) => {
    const cell = ws.getCell(2, i + 1);
    cell.value = h;
    cell.font = { name: '宋体', size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = border;
  });
  ws.getRow(2).height = spec.headerHeight;

  // Data rows: UP cells are left unset and covered by a merge; '' cells stay genuinely empty.
  rows.forEach((row, i) => {
    const r = spec.firstDataRow + i;
    row.forEach((value, c) => {
      const cell = ws.getCell(r, c + 1);
      if (typeof value === 'string' && value !== '') cell.value = value;
      cell.font = { name: '宋体', size: 10 };
      cell.alignment = { horizontal: c === spec.leftAlignedColumn ? 'left' : 'center', vertical: 'middle', wrapText: true };
      cell.border = border;
    });
  });
  for (const m of verticalMerges(rows, spec.headers.length, spec.firstDataRow)) ws.mergeCells(m.top, m.left, m.bottom, m.right);
  return wb;
}

export async function buildSourceXlsx(spec: SourceWorkbookSpec, rows: ReadonlyArray<readonly SourceCell[]>): Promise<Buffer> {
  const data = await buildSourceWorkbook(spec, rows).xlsx.writeBuffer();
  return fixZipTimestamps(Buffer.from(data), spec.date);
}
