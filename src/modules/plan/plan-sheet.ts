import { readSheet, type SheetFormat, type SheetProblem, type SheetReadRow, type SheetSpec } from '../../spreadsheets/sheet-reader';
import { writeSheet } from '../../spreadsheets/sheet-writer';

/**
 * Work plans in the agencies' own table shape, the 分工方案 (document 003: 工作要求 | 具体任务 |
 * 具体要求 | 牵头落实单位, often with 配合单位 and 完成时限 beside them). This file only says which
 * columns a plan has and how they are laid out on export; what the cells mean is plan-rows.ts's
 * business.
 */

export type PlanSheetColumn = 'requirementHeading' | 'taskHeading' | 'requirements' | 'leadUnits' | 'cooperatingUnits' | 'timing';

export type PlanSheetRow = SheetReadRow<PlanSheetColumn>;

export const PLAN_SHEET_COLUMNS: readonly PlanSheetColumn[] = [
  'requirementHeading',
  'taskHeading',
  'requirements',
  'leadUnits',
  'cooperatingUnits',
  'timing',
];

export const PLAN_SHEET_HEADERS: Record<PlanSheetColumn, string> = {
  requirementHeading: '工作要求',
  taskHeading: '具体任务',
  requirements: '具体要求',
  leadUnits: '牵头落实单位',
  cooperatingUnits: '配合单位',
  timing: '完成时限',
};

export const PLAN_SHEET_SPEC: SheetSpec<PlanSheetColumn> = {
  columns: PLAN_SHEET_COLUMNS,
  headers: PLAN_SHEET_HEADERS,
  aliases: {
    requirementHeading: ['工作任务', '重点工作'],
    taskHeading: ['主要任务'],
    requirements: ['任务内容', '工作内容', '具体措施'],
    leadUnits: ['牵头单位', '责任单位', '落实单位'],
    cooperatingUnits: ['协办单位'],
    timing: ['时限要求', '完成时间'],
  },
  required: ['requirements', 'leadUnits'],
  maxDataRows: 2000,
  // A heading, a unit list or a deadline merged over several rows means the same for each of them;
  // a 具体要求 cell merged over several rows would make its tasks appear once per row.
  mergeableColumns: ['requirementHeading', 'taskHeading', 'leadUnits', 'cooperatingUnits', 'timing'],
  // Several numbered tasks share a 具体要求 cell, one per line; the breaks tell them apart.
  keepLineBreaks: ['requirements'],
  rowLabel: '任务',
};

const SHEET_NAME = '分工方案';
const COLUMN_WIDTHS: Record<PlanSheetColumn, number> = {
  requirementHeading: 20,
  taskHeading: 24,
  requirements: 60,
  leadUnits: 24,
  cooperatingUnits: 20,
  timing: 16,
};

/** `read` is readSheetInWorker for uploads (src/spreadsheets/sheet-worker.ts); tests read in-process. */
export async function readPlanSheet(
  data: Buffer,
  format: SheetFormat,
  read: typeof readSheet = readSheet,
): Promise<{ title: string | null; rows: PlanSheetRow[]; problems: SheetProblem[] }> {
  const { title, rows, problems } = await read(PLAN_SHEET_SPEC, data, format);
  return { title, rows, problems };
}

/** XLSX merges identical consecutive headings, as the agencies' own tables do. */
export async function writePlanSheet(
  title: string,
  rows: Array<Record<PlanSheetColumn, string>>,
  format: SheetFormat,
  write: typeof writeSheet = writeSheet,
): Promise<Buffer> {
  return write(PLAN_SHEET_SPEC, rows, format, {
    sheetName: SHEET_NAME,
    title,
    widths: COLUMN_WIDTHS,
    verticalMerges: ['requirementHeading', 'taskHeading'],
  });
}
