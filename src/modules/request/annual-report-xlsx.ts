import ExcelJS from 'exceljs';
import { neutraliseCellText } from '../../spreadsheets/cell-text';
import { fixZipTimestamps } from '../../spreadsheets/sheet-writer';
import {
  TABLE2_BLOCKS,
  TABLE2_CONTENT_HEADER,
  TABLE3_APPLICANTS_HEADER,
  TABLE3_COLUMNS,
  TABLE3_HEADER_NOTE,
  TABLE3_ROWS,
  TABLE4_FLAT_COLUMNS,
  TABLE4_RESULT_COLUMNS,
  TABLE_TITLES,
  TEMPLATE_NAMES,
  type ReportDocument,
} from './annual-report-tables';

/**
 * The tables of an annual report as a workbook, one sheet per table in the template's layout (the
 * same merged headers as the DOCX): 表二 主动公开 (with a column for each figure's source), 表三 依申请公开,
 * 表四 复议诉讼, plus 原报告数据 for an older template's figures and 校验 listing any failing check. Values
 * are numeric cells; texts typed by users (sources, labels of old figures) are neutralised against
 * formulas like every export. Fixed dates, so the same report gives the same bytes.
 */

const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));
const thin = { style: 'thin' as const };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };

type Sheet = ExcelJS.Worksheet;

function put(ws: Sheet, row: number, col: number, value: string | number | null, o: { bold?: boolean; merge?: [number, number]; left?: boolean } = {}): void {
  const c = ws.getCell(row, col);
  c.value = value == null ? null : value;
  c.font = { name: '宋体', size: 10, bold: o.bold ?? false };
  c.alignment = { horizontal: o.left ? 'left' : 'center', vertical: 'middle', wrapText: true };
  if (o.merge && (o.merge[0] > row || o.merge[1] > col)) ws.mergeCells(row, col, o.merge[0], o.merge[1]);
  for (let r = row; r <= (o.merge?.[0] ?? row); r++) for (let k = col; k <= (o.merge?.[1] ?? col); k++) ws.getCell(r, k).border = BORDER;
}

function title(ws: Sheet, text: string, width: number): void {
  const c = ws.getCell(1, 1);
  c.value = text;
  c.font = { name: '黑体', size: 14, bold: true };
  c.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.mergeCells(1, 1, 1, width);
  ws.getRow(1).height = 28;
}

function sheet2(wb: ExcelJS.Workbook, doc: ReportDocument): void {
  const ws = wb.addWorksheet('表二 主动公开');
  ws.columns = [{ width: 18 }, { width: 16 }, { width: 16 }, { width: 16 }, { width: 48 }];
  title(ws, TABLE_TITLES.table2, 5);
  let r = 2;
  for (const block of TABLE2_BLOCKS) {
    put(ws, r, 1, block.label, { bold: true, merge: [r, 4] });
    put(ws, r, 5, '数据来源', { bold: true });
    r += 1;
    const span = block.columns.length === 1;
    put(ws, r, 1, TABLE2_CONTENT_HEADER, { bold: true });
    block.columns.forEach((c, i) => put(ws, r, 2 + i, c.label, { bold: true, merge: span ? [r, 4] : undefined }));
    put(ws, r, 5, '', {});
    r += 1;
    for (const row of block.rows) {
      put(ws, r, 1, row.label);
      const sources: string[] = [];
      block.columns.forEach((c, i) => {
        const e = doc.table2[row.key]?.[c.key];
        put(ws, r, 2 + i, e?.value ?? null, { merge: span ? [r, 4] : undefined });
        if (e?.source) sources.push(block.columns.length > 1 ? `${c.label}：${e.source}` : e.source);
      });
      put(ws, r, 5, neutraliseCellText(sources.join('；')), { left: true });
      r += 1;
    }
  }
}

function sheet3(wb: ExcelJS.Workbook, doc: ReportDocument): void {
  const ws = wb.addWorksheet('表三 依申请公开');
  ws.columns = [{ width: 12 }, { width: 14 }, { width: 40 }, ...TABLE3_COLUMNS.map(() => ({ width: 11 }))];
  title(ws, TABLE_TITLES.table3, 10);
  put(ws, 2, 1, TABLE3_HEADER_NOTE, { merge: [4, 3] });
  put(ws, 2, 4, TABLE3_APPLICANTS_HEADER, { bold: true, merge: [2, 10] });
  put(ws, 3, 4, TABLE3_COLUMNS[0]!.label, { bold: true, merge: [4, 4] });
  const orgs = TABLE3_COLUMNS.filter((c) => c.group);
  put(ws, 3, 5, orgs[0]!.group, { bold: true, merge: [3, 4 + orgs.length] });
  orgs.forEach((c, i) => put(ws, 4, 5 + i, c.label, { bold: true }));
  put(ws, 3, 10, TABLE3_COLUMNS[TABLE3_COLUMNS.length - 1]!.label, { bold: true, merge: [4, 10] });
  const first = 5;
  const sectionRows = TABLE3_ROWS.map((row, i) => ({ row, i })).filter((x) => x.row.section);
  TABLE3_ROWS.forEach((row, i) => {
    const r = first + i;
    if (!row.section) put(ws, r, 1, row.label, { merge: [r, 3], left: true });
    else {
      if (i === sectionRows[0]!.i) put(ws, r, 1, row.section, { merge: [first + sectionRows[sectionRows.length - 1]!.i, 1] });
      if (!row.group) put(ws, r, 2, row.label, { merge: [r, 3], left: true });
      else {
        if (TABLE3_ROWS[i - 1]?.group !== row.group) {
          const span = TABLE3_ROWS.filter((x) => x.group === row.group).length;
          put(ws, r, 2, row.group, { merge: [r + span - 1, 2] });
        }
        put(ws, r, 3, row.label, { left: true });
      }
    }
    TABLE3_COLUMNS.forEach((c, k) => put(ws, r, 4 + k, doc.table3[row.key]?.[c.key] ?? null));
  });
}

function sheet4(wb: ExcelJS.Workbook, doc: ReportDocument): void {
  const ws = wb.addWorksheet('表四 复议诉讼');
  const n = TABLE4_RESULT_COLUMNS.length;
  ws.columns = TABLE4_FLAT_COLUMNS.map(() => ({ width: 10 }));
  title(ws, TABLE_TITLES.table4, 3 * n);
  put(ws, 2, 1, TABLE4_FLAT_COLUMNS[0]!.group, { bold: true, merge: [2, n] });
  put(ws, 2, n + 1, TABLE4_FLAT_COLUMNS[n]!.group, { bold: true, merge: [2, 3 * n] });
  TABLE4_RESULT_COLUMNS.forEach((c, i) => put(ws, 3, 1 + i, c.label, { bold: true, merge: [4, 1 + i] }));
  put(ws, 3, n + 1, TABLE4_FLAT_COLUMNS[n]!.subgroup, { bold: true, merge: [3, 2 * n] });
  put(ws, 3, 2 * n + 1, TABLE4_FLAT_COLUMNS[2 * n]!.subgroup, { bold: true, merge: [3, 3 * n] });
  TABLE4_FLAT_COLUMNS.slice(n).forEach((c, i) => put(ws, 4, n + 1 + i, c.label, { bold: true }));
  TABLE4_FLAT_COLUMNS.forEach((c, i) => put(ws, 5, 1 + i, doc.table4[c.row]?.[c.column] ?? null));
}

export async function buildAnnualReportXlsx(doc: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'openness-backend';
  wb.lastModifiedBy = 'openness-backend';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.title = doc.title;
  sheet2(wb, doc);
  sheet3(wb, doc);
  sheet4(wb, doc);
  if (doc.legacyFigures.length) {
    const ws = wb.addWorksheet('原报告数据');
    ws.columns = [{ width: 44 }, { width: 12 }, { width: 60 }];
    title(ws, `原报告统计数据（${TEMPLATE_NAMES[doc.template]}）`, 3);
    ['项目', '数值', '说明'].forEach((h, i) => put(ws, 2, 1 + i, h, { bold: true }));
    doc.legacyFigures.forEach((f, i) => {
      put(ws, 3 + i, 1, neutraliseCellText(f.label), { left: true });
      put(ws, 3 + i, 2, f.value);
      put(ws, 3 + i, 3, neutraliseCellText(f.note), { left: true });
    });
  }
  if (doc.members) {
    const ws = wb.addWorksheet('汇总机关');
    ws.columns = [{ width: 40 }, { width: 12 }];
    title(ws, `${doc.title}：汇总机关`, 2);
    ['机关', '报告状态'].forEach((h, i) => put(ws, 2, 1 + i, h, { bold: true }));
    doc.members.forEach((m, i) => {
      put(ws, 3 + i, 1, m.name, { left: true });
      put(ws, 3 + i, 2, m.final ? '已定稿' : '未定稿');
    });
  }
  if (doc.checkProblems.length) {
    const ws = wb.addWorksheet('校验');
    ws.columns = [{ width: 40 }, { width: 100 }];
    title(ws, '校验未通过的项目', 2);
    ['单元格', '问题'].forEach((h, i) => put(ws, 2, 1 + i, h, { bold: true }));
    doc.checkProblems.forEach((p, i) => {
      put(ws, 3 + i, 1, p.field, { left: true });
      put(ws, 3 + i, 2, p.message, { left: true });
    });
  }
  const zip = await wb.xlsx.writeBuffer();
  return fixZipTimestamps(Buffer.from(zip as ArrayBuffer), FIXED_DATE);
}
