import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { withSheetSlot } from '../../spreadsheets/sheet-slots';
import type { ExportedFile } from '../catalogue/catalogue.inputs';
import { ReviewConclusion } from './publication.entity';
import type { ApprovalForm, ApprovalOpinion } from './publication.inputs';

/**
 * 互联网上网信息发布审批表 (002 Attachment 2) as a Word document: the title centred, the date line
 * (年 月 日, the day this round was submitted), and a bordered two-column table with the rows of the
 * attachment — 稿件题目, 拟上网位置或载体, 撰稿单位及撰稿人, 单位负责人意见, 局领导审核意见. One row is added
 * between the drafter and the unit head: 保密审查意见, the confidentiality review record 002 §21 requires
 * before publishing (一事一审, 建立审查记录), which the attachment itself has no row for. What the system
 * recorded is filled in; every place a person signs on paper keeps a blank line (签字：＿＿＿＿ 日期：＿＿＿＿).
 * Written with the maintained `docx` library, from the `approvalForm` data only.
 */

const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const APPROVAL_FORM_TITLE = '互联网上网信息发布审批表';

/** Row labels, in the order of 002 Attachment 2 (plus the confidentiality-review row). */
export const APPROVAL_FORM_ROWS = {
  title: '稿件题目',
  targetColumn: '拟上网位置或载体',
  drafting: '撰稿单位及撰稿人',
  review: '保密审查意见',
  unitHead: '单位负责人意见',
  leader: '局领导审核意见',
} as const;

export const SIGNATURE_LINE = '签字：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日';
const BLANK_DATE = '年　　月　　日';

const FONT = '仿宋_GB2312';
const LABEL_FONT = '黑体';
const TITLE_FONT = '方正小标宋简体';
/** Half-points: 二号 22 pt title, 四号 14 pt in the table. */
const TITLE_SIZE = 44;
const SIZE = 28;
/** Twips: label column about 3.2 cm, content about 12.6 cm (A4 with 2.6 cm margins). */
const LABEL_WIDTH = 1800;
const CONTENT_WIDTH = 7140;

/** 2026-11-20 → 2026年11月20日. */
export function chineseDate(iso: string | null | undefined): string {
  if (!iso) return BLANK_DATE;
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const BORDER = { style: BorderStyle.SINGLE, size: 8, color: '000000' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER };

function para(text: string, align: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT, font = FONT): Paragraph {
  return new Paragraph({ alignment: align, spacing: { before: 60, after: 60 }, children: [new TextRun({ text, font, size: SIZE })] });
}

function row(label: string, lines: string[], minHeight: number, signature = false): TableRow {
  const body = lines.length ? lines.map((l) => para(l)) : [para('')];
  if (signature) body.push(para(SIGNATURE_LINE, AlignmentType.RIGHT));
  return new TableRow({
    height: { value: minHeight, rule: 'atLeast' },
    cantSplit: true,
    children: [
      new TableCell({
        width: { size: LABEL_WIDTH, type: WidthType.DXA },
        verticalAlign: VerticalAlign.CENTER,
        children: [para(label, AlignmentType.CENTER, LABEL_FONT)],
      }),
      new TableCell({ width: { size: CONTENT_WIDTH, type: WidthType.DXA }, verticalAlign: VerticalAlign.CENTER, children: body }),
    ],
  });
}

function opinionLines(o: ApprovalOpinion | null): string[] {
  if (!o) return [];
  return [`${o.approved ? '同意' : '不同意'}。${o.opinion}`, `审核人：${o.name}　　审核日期：${chineseDate(o.date)}`];
}

function reviewLines(form: ApprovalForm): string[] {
  const r = form.confidentialityReview;
  if (!r) return [];
  const conclusion = r.conclusion === ReviewConclusion.PASSED ? '经保密审查，同意公开' : '经保密审查，不同意公开';
  return [`${conclusion}。${r.notes ? r.notes : ''}`, `审查人：${r.reviewer}　　审查日期：${chineseDate(r.date)}`];
}

export async function buildApprovalFormDocx(form: ApprovalForm): Promise<Buffer> {
  const R = APPROVAL_FORM_ROWS;
  const drafting = [form.draftingUnit, form.drafter].filter((s) => s && s.trim() !== '').join('　');
  const table = new Table({
    width: { size: LABEL_WIDTH + CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: [LABEL_WIDTH, CONTENT_WIDTH],
    borders: BORDERS,
    rows: [
      row(R.title, [form.title], 900),
      row(R.targetColumn, [form.targetColumn], 900),
      row(R.drafting, drafting ? [drafting] : [], 1100, true),
      row(R.review, reviewLines(form), 1600, true),
      row(R.unitHead, opinionLines(form.unitHeadOpinion), 2000, true),
      row(R.leader, opinionLines(form.leaderOpinion), 2000, true),
    ],
  });
  const document = new Document({
    creator: 'openness-backend',
    lastModifiedBy: 'openness-backend',
    title: `${APPROVAL_FORM_TITLE}-${form.title}`,
    styles: { default: { document: { run: { font: FONT, size: SIZE } } } },
    sections: [
      {
        properties: { page: { margin: { top: 1440, bottom: 1440, left: 1474, right: 1474 } } },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [new TextRun({ text: APPROVAL_FORM_TITLE, font: TITLE_FONT, size: TITLE_SIZE })],
          }),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: 120 }, children: [new TextRun({ text: chineseDate(form.date), font: FONT, size: SIZE })] }),
          table,
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

const UNSAFE_FILENAME = /[\\/:*?"<>|\r\n\t]/g;

/** The form as an ExportedFile: 互联网上网信息发布审批表-<title>.docx. */
export async function approvalFormFile(form: ApprovalForm): Promise<ExportedFile> {
  const buffer = await withSheetSlot(() => buildApprovalFormDocx(form));
  const title = form.title.replace(UNSAFE_FILENAME, '_').trim();
  return { filename: `${APPROVAL_FORM_TITLE}-${title}.docx`, contentType: DOCX_CONTENT_TYPE, base64: buffer.toString('base64'), itemCount: 1 };
}
