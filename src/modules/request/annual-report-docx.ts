import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import {
  SECTION_HEADINGS,
  TABLE2_BLOCKS,
  TABLE2_CONTENT_HEADER,
  TABLE3_APPLICANTS_HEADER,
  TABLE3_COLUMNS,
  TABLE3_HEADER_NOTE,
  TABLE3_ROWS,
  TABLE4_FLAT_COLUMNS,
  TABLE4_RESULT_COLUMNS,
  TEMPLATE_NAMES,
  type CountTable,
  type ReportDocument,
  type Table2Data,
} from './annual-report-tables';

/**
 * The annual report as a Word document in the layout of 国办公开办函〔2021〕30号: the title, the six
 * sections 一、总体情况 … 六、其他需要报告的事项 as headings, the narrative as paragraphs, and Tables 2, 3 and
 * 4 with the template's merged header cells (Table 3: the 勾稽关系 note over three header rows and three
 * label columns, 申请人情况 / 法人或其他组织 over their columns, 三、本年度办理结果 and （三）…（六） merged down
 * their rows; Table 4: 行政复议 / 行政诉讼 and 未经复议直接起诉 / 复议后起诉 over 15 columns). Written with the
 * maintained `docx` library; cells a hand-entered report does not state stay empty.
 */

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const BODY_FONT = '仿宋_GB2312';
const HEADING_FONT = '黑体';
const TITLE_FONT = '方正小标宋简体';
const TABLE_FONT = '宋体';
/** Half-points: 三号 16 pt for the body, 二号 22 pt for the title, 五号 10.5 pt and 小五 9 pt in tables. */
const BODY_SIZE = 32;
const TITLE_SIZE = 44;
const TABLE_SIZE = 21;
const SMALL_TABLE_SIZE = 18;

interface CellOptions {
  colSpan?: number;
  rowSpan?: number;
  bold?: boolean;
  size?: number;
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
}

function cell(text: string, o: CellOptions = {}): TableCell {
  return new TableCell({
    ...(o.colSpan && o.colSpan > 1 ? { columnSpan: o.colSpan } : {}),
    ...(o.rowSpan && o.rowSpan > 1 ? { rowSpan: o.rowSpan } : {}),
    verticalAlign: VerticalAlign.CENTER,
    children: [
      new Paragraph({
        alignment: o.align ?? AlignmentType.CENTER,
        children: [new TextRun({ text, bold: o.bold ?? false, size: o.size ?? TABLE_SIZE, font: TABLE_FONT })],
      }),
    ],
  });
}

const valueText = (v: number | null | undefined) => (v == null ? '' : String(v));

function heading(text: string): Paragraph {
  return new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text, font: HEADING_FONT, size: BODY_SIZE })] });
}

/** Narrative text: one paragraph per line, indented two characters as in the published reports. */
function narrative(text: string): Paragraph[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.map((line) => new Paragraph({ indent: { firstLine: 2 * BODY_SIZE * 10 }, children: [new TextRun({ text: line, font: BODY_FONT, size: BODY_SIZE })] }));
}

function note(text: string): Paragraph {
  return new Paragraph({ children: [new TextRun({ text, font: BODY_FONT, size: TABLE_SIZE })] });
}

/** Table 2: four blocks (第二十条第（一）（五）（六）（八）项), each a title row, a header row and its rows, in one 4-column table. */
function table2(t: Table2Data): Table {
  const rows: TableRow[] = [];
  for (const block of TABLE2_BLOCKS) {
    rows.push(new TableRow({ children: [cell(block.label, { colSpan: 4, bold: true })] }));
    const span = block.columns.length === 1 ? 3 : 1;
    rows.push(new TableRow({ children: [cell(TABLE2_CONTENT_HEADER, { bold: true }), ...block.columns.map((c) => cell(c.label, { colSpan: span, bold: true }))] }));
    for (const row of block.rows) {
      rows.push(new TableRow({ children: [cell(row.label), ...block.columns.map((c) => cell(valueText(t[row.key]?.[c.key]?.value), { colSpan: span }))] }));
    }
  }
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, columnWidths: [2400, 2200, 2200, 2200], rows });
}

/** The sources of Table 2's figures, as a note below it. */
function table2Sources(t: Table2Data): Paragraph[] {
  const lines: string[] = [];
  for (const block of TABLE2_BLOCKS) {
    for (const row of block.rows) {
      for (const col of block.columns) {
        const e = t[row.key]?.[col.key];
        if (e?.source) lines.push(`${row.label}·${col.label}：${e.source}`);
      }
    }
  }
  return lines.length ? [note('数据来源：'), ...lines.map(note)] : [];
}

/** Table 3 in the template's layout: 3 label columns and 7 value columns under 3 header rows. */
function table3(t: CountTable): Table {
  const applicants = TABLE3_COLUMNS.filter((c) => c.group);
  const person = TABLE3_COLUMNS[0]!;
  const total = TABLE3_COLUMNS[TABLE3_COLUMNS.length - 1]!;
  const rows: TableRow[] = [
    new TableRow({
      tableHeader: true,
      children: [cell(TABLE3_HEADER_NOTE, { colSpan: 3, rowSpan: 3, size: SMALL_TABLE_SIZE }), cell(TABLE3_APPLICANTS_HEADER, { colSpan: 7, bold: true })],
    }),
    new TableRow({
      tableHeader: true,
      children: [cell(person.label, { rowSpan: 2, bold: true }), cell(applicants[0]!.group!, { colSpan: applicants.length, bold: true }), cell(total.label, { rowSpan: 2, bold: true })],
    }),
    new TableRow({ tableHeader: true, children: applicants.map((c) => cell(c.label, { bold: true, size: SMALL_TABLE_SIZE })) }),
  ];
  const values = (rowKey: string) => TABLE3_COLUMNS.map((c) => cell(valueText(t[rowKey]?.[c.key])));
  const sectionSpan = TABLE3_ROWS.filter((r) => r.section).length;
  let sectionOpen = false;
  TABLE3_ROWS.forEach((row, i) => {
    const labels: TableCell[] = [];
    if (!row.section) {
      labels.push(cell(row.label, { colSpan: 3, align: AlignmentType.LEFT }));
    } else {
      if (!sectionOpen) {
        labels.push(cell(row.section, { rowSpan: sectionSpan }));
        sectionOpen = true;
      }
      if (!row.group) {
        labels.push(cell(row.label, { colSpan: 2, align: AlignmentType.LEFT }));
      } else {
        // The first row of a group carries the merged group cell; the others only their own label.
        if (TABLE3_ROWS[i - 1]?.group !== row.group) labels.push(cell(row.group, { rowSpan: TABLE3_ROWS.filter((r) => r.group === row.group).length }));
        labels.push(cell(row.label, { align: AlignmentType.LEFT, size: SMALL_TABLE_SIZE }));
      }
    }
    rows.push(new TableRow({ children: [...labels, ...values(row.key)] }));
  });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, columnWidths: [900, 900, 2300, 700, 700, 700, 700, 700, 700, 700], rows });
}

/** Table 4 in the template's layout: one row of 15 values under 行政复议 / 行政诉讼 (未经复议直接起诉, 复议后起诉). */
function table4(t: CountTable): Table {
  const n = TABLE4_RESULT_COLUMNS.length;
  const small = { bold: true, size: SMALL_TABLE_SIZE };
  const lawsuitKinds = [...new Set(TABLE4_FLAT_COLUMNS.filter((c) => c.subgroup).map((c) => c.subgroup!))];
  const rows = [
    new TableRow({ tableHeader: true, children: [cell(TABLE4_FLAT_COLUMNS[0]!.group, { colSpan: n, bold: true }), cell(TABLE4_FLAT_COLUMNS[n]!.group, { colSpan: 2 * n, bold: true })] }),
    new TableRow({
      tableHeader: true,
      children: [...TABLE4_RESULT_COLUMNS.map((c) => cell(c.label, { ...small, rowSpan: 2 })), ...lawsuitKinds.map((k) => cell(k, { colSpan: n, bold: true }))],
    }),
    new TableRow({ tableHeader: true, children: lawsuitKinds.flatMap(() => TABLE4_RESULT_COLUMNS.map((c) => cell(c.label, small))) }),
    new TableRow({ children: TABLE4_FLAT_COLUMNS.map((c) => cell(valueText(t[c.row]?.[c.column]), { size: SMALL_TABLE_SIZE })) }),
  ];
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, columnWidths: Array.from({ length: 3 * n }, () => 600), rows });
}

function legacyTable(doc: ReportDocument): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: [4000, 1500, 3500],
    rows: [
      new TableRow({ tableHeader: true, children: [cell('项目', { bold: true }), cell('数值', { bold: true }), cell('说明', { bold: true })] }),
      ...doc.legacyFigures.map((f) => new TableRow({ children: [cell(f.label, { align: AlignmentType.LEFT }), cell(String(f.value)), cell(f.note, { align: AlignmentType.LEFT })] })),
    ],
  });
}

export async function buildAnnualReportDocx(doc: ReportDocument): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: doc.title, font: TITLE_FONT, size: TITLE_SIZE })] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: `（${doc.year}年度 · 模板：${TEMPLATE_NAMES[doc.template]} · ${doc.final ? '定稿' : '草稿'}）`, font: BODY_FONT, size: TABLE_SIZE })],
    }),
  ];
  const [overview, proactive, requests, appeals, problems, other] = SECTION_HEADINGS;
  children.push(heading(overview), ...narrative(doc.overview));
  if (doc.members) {
    const finals = doc.members.filter((m) => m.final).length;
    children.push(...narrative(`本汇总包括以下${doc.members.length}个机关，其中${finals}个机关的年度报告已定稿：${doc.members.map((m) => `${m.name}${m.final ? '（已定稿）' : '（未定稿）'}`).join('、')}。`));
  }
  children.push(heading(proactive), table2(doc.table2), ...table2Sources(doc.table2));
  children.push(heading(requests), table3(doc.table3));
  children.push(heading(appeals), table4(doc.table4));
  children.push(heading(problems), ...narrative(doc.problems));
  children.push(heading(other), ...narrative(doc.otherMatters));
  if (doc.legacyFigures.length) {
    children.push(note(`附：原报告统计数据（${TEMPLATE_NAMES[doc.template]}）`), legacyTable(doc));
  }
  if (!doc.final && doc.checkProblems.length) {
    children.push(note('附：校验未通过的项目（定稿前须改正）'), ...doc.checkProblems.map((p) => note(`${p.field}：${p.message}`)));
  }
  const document = new Document({
    creator: 'openness-backend',
    title: doc.title,
    styles: {
      default: { document: { run: { font: BODY_FONT, size: BODY_SIZE } } },
      paragraphStyles: [
        {
          id: 'Heading1',
          name: 'Heading 1',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { font: HEADING_FONT, size: BODY_SIZE, bold: false, color: '000000' },
          paragraph: { spacing: { before: 240, after: 120 } },
        },
      ],
    },
    sections: [{ properties: { page: { margin: { top: 1440, bottom: 1440, left: 1200, right: 1200 } } }, children }],
  });
  return Packer.toBuffer(document);
}
