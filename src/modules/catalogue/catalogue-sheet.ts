import { readSheet, type SheetFormat, type SheetProblem, type SheetSpec } from '../../spreadsheets/sheet-reader';
import { writeSheet } from '../../spreadsheets/sheet-writer';

/**
 * Catalogues in the agencies' own table shape (document 002, Attachment 1). Reading and writing
 * tables is src/spreadsheets/'s business; this file only says which columns a catalogue has, and
 * adds the one rule of its own: an empty 目录类别 continues the one above.
 *
 * What a cell means (units, time limits, 政务五公开) is catalogue-rows.ts's business.
 */

export { cleanCellText, neutraliseCellText, restoreCellText } from '../../spreadsheets/cell-text';
export type { SheetFormat, SheetProblem } from '../../spreadsheets/sheet-reader';

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

/** Header spellings seen in real tables. */
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

export const CATALOGUE_SHEET_SPEC: SheetSpec<SheetColumn> = {
  columns: SHEET_COLUMNS,
  headers: SHEET_HEADERS,
  aliases: HEADER_ALIASES,
  required: ['category', 'name', 'content', 'units', 'timeLimit'],
  maxDataRows: 5000,
  // A category (or any other cell) merged over several items means the same for each of them, and
  // a cell spanning columns has always been read in its first column: real catalogues do both.
  mergeableColumns: SHEET_COLUMNS,
  allowHorizontalMerges: true,
  rowLabel: '目录事项',
};

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

/** `read` is readSheetInWorker for uploads (src/spreadsheets/sheet-worker.ts); tests read in-process. */
export async function readCatalogueSheet(
  data: Buffer,
  format: SheetFormat,
  read: typeof readSheet = readSheet,
): Promise<{ title: string | null; rows: SheetRow[]; problems: SheetProblem[] }> {
  const sheet = await read(CATALOGUE_SHEET_SPEC, data, format);
  const rows: SheetRow[] = [];
  const categoryProblems: SheetProblem[] = [];
  let previousCategory = '';
  for (const { rowNumber, cells } of sheet.rows) {
    // CSV has no merges, and files re-saved by other tools lose them: an empty category continues
    // the one above, as a merged category cell would.
    if (cells.category === '') {
      if (previousCategory !== '') cells.category = previousCategory;
      else {
        categoryProblems.push({
          row: rowNumber,
          column: sheet.headers.category ?? SHEET_HEADERS.category,
          field: 'category',
          severity: 'ERROR',
          code: 'EMPTY_CATEGORY',
          message: '目录类别为空，且上方没有可沿用的类别 (empty category with none above to continue)',
        });
      }
    }
    previousCategory = cells.category;
    rows.push({ rowNumber, cells });
  }
  // Row problems before the file-wide count, as a person reads the report top to bottom.
  const tooMany = sheet.problems.filter((p) => p.code === 'TOO_MANY_ROWS');
  const problems = [...sheet.problems.filter((p) => p.code !== 'TOO_MANY_ROWS'), ...categoryProblems, ...tooMany];
  return { title: sheet.title, rows, problems };
}

export async function writeCatalogueSheet(
  title: string,
  rows: Array<Record<SheetColumn, string>>,
  format: SheetFormat,
  write: typeof writeSheet = writeSheet,
): Promise<Buffer> {
  return write(CATALOGUE_SHEET_SPEC, rows, format, { sheetName: SHEET_NAME, title, widths: COLUMN_WIDTHS });
}
