import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection';
import { Agency } from '../agency/agency.entity';
import { DateScalar } from '../calendar/date-scalar';
import { AnnualReport } from './annual-report.entity';

export enum AnnualReportExportFormat {
  DOCX = 'DOCX',
  XLSX = 'XLSX',
}
registerEnumType(AnnualReportExportFormat, {
  name: 'AnnualReportExportFormat',
  description: '年度报告导出格式 (export format of an annual report)',
  valuesConfig: {
    DOCX: { description: 'Word 文档，按模板的章节和表格 (.docx: the template’s sections and tables)' },
    XLSX: { description: 'Excel 工作簿，各统计表一个工作表 (.xlsx: one sheet per table)' },
  },
});

/** Where a member's figures in a consolidated report come from. */
export enum ConsolidationSource {
  FINAL_REPORT = 'FINAL_REPORT',
  ENTERED_DRAFT = 'ENTERED_DRAFT',
  RECORDS = 'RECORDS',
  UNAVAILABLE = 'UNAVAILABLE',
}
registerEnumType(ConsolidationSource, {
  name: 'ConsolidationSource',
  description: '汇总数据来源 (where a member’s figures in a consolidated report come from)',
  valuesConfig: {
    FINAL_REPORT: { description: '已定稿报告的冻结数据 (its finalised report, frozen)' },
    ENTERED_DRAFT: { description: '手工录入的草稿报告（旧模板）(its hand-entered draft of an older template)' },
    RECORDS: { description: '由申请记录计算（草稿或尚无报告）(computed from its request records: a draft or no report yet)' },
    UNAVAILABLE: { description: '第三方评估看不到申请记录，未定稿机关的数据未知 (evaluators see no request records: a member without a final report is unknown)' },
  },
});

@ObjectType('AnnualReportColumn', { description: '统计表的列 (a column of a report table)' })
export class AnnualReportColumn {
  @Field(() => String, { description: '列键 (column key, e.g. NATURAL_PERSON, TOTAL, UPHELD, ISSUED)' })
  key!: string;

  @Field(() => String, { description: '列名，与模板一致 (label as the template prints it)' })
  label!: string;

  @Field(() => String, { nullable: true, description: '合并表头 (merged header above it, e.g. 法人或其他组织)' })
  group!: string | null;
}

@ObjectType('AnnualReportCell', { description: '统计表的一格 (a cell of Table 3 or Table 4)' })
export class AnnualReportCell {
  @Field(() => String, { description: '列键 (column key)' })
  column!: string;

  @Field(() => Int, { nullable: true, description: '数值 (value; null: not stated in a hand-entered report of an older template)' })
  value!: number | null;
}

@ObjectType('AnnualReportRow', { description: '统计表的一行 (a row of Table 3 or Table 4)' })
export class AnnualReportRow {
  @Field(() => String, { description: '行键 (row key: RECEIVED, CARRIED_IN, an outcome, RESULT_TOTAL, CARRIED_OUT; or an appeal kind)' })
  key!: string;

  @Field(() => String, { description: '行名，与模板一致 (label as the template prints it)' })
  label!: string;

  @Field(() => String, { nullable: true, description: '合并的行标题 (merged heading to the left, e.g. 三、本年度办理结果; 行政诉讼)' })
  section!: string | null;

  @Field(() => String, { nullable: true, description: '合并的分组标题 (merged sub-heading, e.g. （三）不予公开)' })
  group!: string | null;

  @Field(() => [AnnualReportCell], { description: '各列数值 (cells, one per column in order)' })
  cells!: AnnualReportCell[];
}

@ObjectType('AnnualReportTable', { description: '统计表（表三或表四）(Table 3 or Table 4)' })
export class AnnualReportTable {
  @Field(() => String, { description: '标题 (title, the template’s section heading)' })
  title!: string;

  @Field(() => [AnnualReportColumn], { description: '列 (columns in order)' })
  columns!: AnnualReportColumn[];

  @Field(() => [AnnualReportRow], { description: '行 (rows in template order)' })
  rows!: AnnualReportRow[];
}

@ObjectType('AnnualReportTable2Cell', { description: '主动公开情况的一格及其数据来源 (a Table 2 cell with its source)' })
export class AnnualReportTable2Cell {
  @Field(() => String, { description: '列键 (column key: ISSUED, REPEALED, IN_FORCE, DECISIONS, FEE_AMOUNT)' })
  column!: string;

  @Field(() => Float, { nullable: true, description: '数值 (value; null: not entered; FEE_AMOUNT in 万元)' })
  value!: number | null;

  @Field(() => String, { nullable: true, description: '数据来源 (source of the figure)' })
  source!: string | null;
}

@ObjectType('AnnualReportTable2Row', { description: '主动公开情况的一行 (a Table 2 row)' })
export class AnnualReportTable2Row {
  @Field(() => String, { description: '行键 (row key: RULES, NORMATIVE_DOCUMENTS, ADMINISTRATIVE_LICENSING, ADMINISTRATIVE_PENALTY, ADMINISTRATIVE_COERCION, ADMINISTRATIVE_FEES)' })
  key!: string;

  @Field(() => String, { description: '信息内容 (label as the template prints it)' })
  label!: string;

  @Field(() => [AnnualReportTable2Cell], { description: '各列 (cells, one per column of its block)' })
  cells!: AnnualReportTable2Cell[];
}

@ObjectType('AnnualReportTable2Block', { description: '主动公开情况的一个分表：第二十条的一项 (a block of Table 2: one paragraph of 条例 Art 20)' })
export class AnnualReportTable2Block {
  @Field(() => String, { description: '分表键 (block key, e.g. ARTICLE_20_1)' })
  key!: string;

  @Field(() => String, { description: '标题 (label, e.g. 第二十条第（一）项)' })
  label!: string;

  @Field(() => [AnnualReportColumn], { description: '列 (columns)' })
  columns!: AnnualReportColumn[];

  @Field(() => [AnnualReportTable2Row], { description: '行 (rows)' })
  rows!: AnnualReportTable2Row[];
}

@ObjectType('AnnualReportTable2', { description: '二、主动公开政府信息情况 (Table 2: entered figures with their sources)' })
export class AnnualReportTable2 {
  @Field(() => String, { description: '标题 (title)' })
  title!: string;

  @Field(() => [AnnualReportTable2Block], { description: '分表 (blocks, one per paragraph of Art 20)' })
  blocks!: AnnualReportTable2Block[];
}

@ObjectType('AnnualReportProblem', { description: '校验发现的问题 (a problem found by a check)' })
export class AnnualReportProblem {
  @Field(() => String, { description: '单元格坐标 (the cell: e.g. table3.columns.NATURAL_PERSON, table3.rows.RECEIVED.TOTAL, table2.RULES.ISSUED)' })
  field!: string;

  @Field(() => String, { description: '说明，含等式和数值 (what is wrong, with the equation and figures)' })
  message!: string;
}

@ObjectType('AnnualReportChecks', { description: '年度报告校验 (the checks of a report: every row and column sum and 一 + 二 = 三（七）+ 四)' })
export class AnnualReportChecks {
  @Field(() => Boolean, { description: '全部通过 (no problem: the report can be finalised)' })
  ok!: boolean;

  @Field(() => [AnnualReportProblem], { description: '问题：定稿前必须解决 (problems; each blocks finalisation)' })
  problems!: AnnualReportProblem[];

  @Field(() => [AnnualReportProblem], { description: '提示：不影响定稿 (warnings, e.g. a carry-over that differs from last year’s report; do not block)' })
  warnings!: AnnualReportProblem[];
}

@ObjectType('AnnualReportLegacyFigure', { description: '旧模板报告的统计项，按原文 (a figure of an older template, as written)' })
export class AnnualReportLegacyFigure {
  @Field(() => String, { description: '项目 (label as written)' })
  label!: string;

  @Field(() => Float, { description: '数值 (value)' })
  value!: number;

  @Field(() => String, { description: '说明或出处 (note, e.g. where in the report it stands)' })
  note!: string;
}

@ObjectType('ConsolidatedAnnualReportMember', { description: '汇总报告的成员机关 (a member agency of a consolidated report)' })
export class ConsolidatedAnnualReportMember {
  @Field(() => Agency, { description: '机关 (agency)' })
  agency!: Agency;

  @Field(() => AnnualReport, { nullable: true, description: '该机关本年度报告 (its report for the year, if any)' })
  report!: AnnualReport | null;

  @Field(() => Boolean, { description: '已定稿 (its report is final)' })
  final!: boolean;

  @Field(() => ConsolidationSource, { description: '数据来源 (where its figures come from)' })
  source!: ConsolidationSource;
}

@ObjectType('ConsolidatedAnnualReport', {
  description: '汇总年度报告：下辖范围内各机关相同单元格之和 (the consolidated report of a subtree: sums of the members’ same cells)',
})
export class ConsolidatedAnnualReport {
  @Field(() => Int, { description: '报告年度 (year)' })
  year!: number;

  @Field(() => Agency, { description: '汇总范围的根机关 (the subtree’s root agency)' })
  agency!: Agency;

  @Field(() => DateScalar, { description: '公开期限 (due: 31 January of the next year)' })
  dueOn!: string;

  @Field(() => Int, { description: '成员机关数 (members: every agency of the subtree)' })
  memberCount!: number;

  @Field(() => Int, { description: '已定稿机关数 (members with a final report)' })
  finalCount!: number;

  @Field(() => [ConsolidatedAnnualReportMember], { description: '成员机关，按层级和代码 (members by depth and code)' })
  members!: ConsolidatedAnnualReportMember[];

  @Field(() => AnnualReportTable2, { description: '二、主动公开：各机关填报数之和 (Table 2: sums of the entered figures)' })
  table2!: AnnualReportTable2;

  @Field(() => AnnualReportTable, { description: '三、收到和处理申请：各机关之和 (Table 3: sums)' })
  table3!: AnnualReportTable;

  @Field(() => AnnualReportTable, { description: '四、复议诉讼：各机关之和 (Table 4: sums)' })
  table4!: AnnualReportTable;

  @Field(() => AnnualReportChecks, { description: '汇总表校验 (the checks over the sums)' })
  checks!: AnnualReportChecks;
}

@ObjectType({ description: '年度报告变更结果 (annual report payload)' })
export class AnnualReportPayload {
  @Field(() => AnnualReport, { description: '年度报告 (report)' })
  report!: AnnualReport;
}

export const AnnualReportConnection = ConnectionType(AnnualReport, 'AnnualReport', '年度报告');
