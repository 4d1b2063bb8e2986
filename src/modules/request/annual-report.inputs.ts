import { ArrayMaxSize, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../calendar/date-scalar';
import { ReportStatus, ReportTemplate } from './annual-report.entity';

/** Longest narrative section accepted (一、总体情况 of a city bureau runs to a few thousand characters). */
const MAX_NARRATIVE = 50_000;

@InputType({ description: '表三或表四的一格（仅旧模板手工录入）(a cell of Table 3 or Table 4, entered by hand for an older template)' })
export class AnnualReportCellInput {
  @Field(() => String, { description: '行键 (row: Table 3 RECEIVED, CARRIED_IN, an outcome such as DISCLOSED, RESULT_TOTAL, CARRIED_OUT; Table 4 RECONSIDERATION, LAWSUIT_DIRECT, LAWSUIT_AFTER_RECONSIDERATION)' })
  @MaxLength(60)
  row!: string;

  @Field(() => String, { description: '列键 (column: Table 3 an applicant type or TOTAL; Table 4 UPHELD, CORRECTED, OTHER, PENDING, TOTAL)' })
  @MaxLength(60)
  column!: string;

  @Field(() => Int, { nullable: true, description: '数值 (value; null clears the cell: not stated)' })
  value?: number | null;
}

@InputType({ description: '主动公开情况的一格及其来源 (a Table 2 cell with its source)' })
export class AnnualReportTable2CellInput {
  @Field(() => String, { description: '行键 (row: RULES, NORMATIVE_DOCUMENTS, ADMINISTRATIVE_LICENSING, ADMINISTRATIVE_PENALTY, ADMINISTRATIVE_COERCION, ADMINISTRATIVE_FEES)' })
  @MaxLength(60)
  row!: string;

  @Field(() => String, { description: '列键 (column: ISSUED, REPEALED, IN_FORCE for 规章 and 行政规范性文件; DECISIONS for 许可, 处罚, 强制; FEE_AMOUNT in 万元 for 收费)' })
  @MaxLength(60)
  column!: string;

  @Field(() => Float, { nullable: true, description: '数值 (value; null clears the cell)' })
  value?: number | null;

  @Field(() => String, { defaultValue: '', description: '数据来源 (source of the figure, e.g. 法制大队行政执法统计台账; required for every value)' })
  @MaxLength(500)
  source: string = '';
}

@InputType({ description: '旧模板报告的统计项 (a figure of an older template, as written)' })
export class AnnualReportLegacyFigureInput {
  @Field(() => String, { description: '项目 (label as written in the report)' })
  @MaxLength(200)
  label!: string;

  @Field(() => Float, { description: '数值 (value)' })
  value!: number;

  @Field(() => String, { defaultValue: '', description: '说明或出处 (note, e.g. the section it stands in)' })
  @MaxLength(1000)
  note: string = '';
}

/** Fields shared by create and update; on update, omitted fields stay as they are. */
@InputType({ description: '年度报告内容 (report fields)' })
export class AnnualReportFields {
  @Field(() => String, { nullable: true, description: '标题 (title; default 「<agency><year>年政府信息公开工作年度报告」)' })
  @MaxLength(200)
  title?: string | null;

  @Field(() => String, { nullable: true, description: '一、总体情况 (overview)' })
  @MaxLength(MAX_NARRATIVE)
  overview?: string | null;

  @Field(() => String, { nullable: true, description: '五、存在的主要问题及改进情况 (problems and improvements)' })
  @MaxLength(MAX_NARRATIVE)
  problems?: string | null;

  @Field(() => String, { nullable: true, description: '六、其他需要报告的事项 (other matters)' })
  @MaxLength(MAX_NARRATIVE)
  otherMatters?: string | null;

  @Field(() => [AnnualReportTable2CellInput], { nullable: true, description: '表二：填报的格，每格附来源；给出的格替换原值，value 为 null 清空 (Table 2 cells; those given replace the stored ones, a null value clears one)' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  table2?: AnnualReportTable2CellInput[] | null;

  @Field(() => [AnnualReportCellInput], { nullable: true, description: '表三，仅旧模板（PRE_2019、GOV_2019）手工录入；2021年模板由申请记录计算 (Table 3 cells, older templates only: GOV_2021 computes it from the records)' })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  table3?: AnnualReportCellInput[] | null;

  @Field(() => [AnnualReportCellInput], { nullable: true, description: '表四，仅旧模板手工录入 (Table 4 cells, older templates only)' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  table4?: AnnualReportCellInput[] | null;

  @Field(() => [AnnualReportLegacyFigureInput], { nullable: true, description: '旧模板报告按原文的统计项，整体替换 (figures of an older template as written; replaces the list)' })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  legacyFigures?: AnnualReportLegacyFigureInput[] | null;
}

@InputType({ description: '新建年度报告 (create an annual report: one per agency and year)' })
export class CreateAnnualReportInput extends AnnualReportFields {
  @Field(() => ID, { description: '机关 (agency; its own openness office writes the report)' })
  agencyId!: string;

  @Field(() => Int, { description: '报告年度 (year reported on)' })
  year!: number;

  @Field(() => ReportTemplate, {
    defaultValue: ReportTemplate.GOV_2021,
    description: '模板版本 (template: GOV_2021 from the 2021 reports, computed from the records; GOV_2019 for 2019–2020 and PRE_2019 before, entered by hand)',
  })
  template: ReportTemplate = ReportTemplate.GOV_2021;
}

@InputType({ description: '修改年度报告（定稿后不能修改）(update a report; refused once final)' })
export class UpdateAnnualReportInput extends AnnualReportFields {
  @Field(() => ID, { description: '年度报告 (report)' })
  id!: string;
}

@InputType({ description: '按标识操作年度报告 (a report by id)' })
export class AnnualReportIdInput {
  @Field(() => ID, { description: '年度报告 (report)' })
  id!: string;
}

@InputType({ description: '发布年度报告 (record the publication of a final report)' })
export class PublishAnnualReportInput {
  @Field(() => ID, { description: '年度报告 (report; must be final)' })
  id!: string;

  @Field(() => DateScalar, { description: '发布日期 (date published; due by 31 January of the next year)' })
  publishedOn!: string;

  @Field(() => String, { description: '发布地址 (URL, http or https)' })
  @MaxLength(2000)
  url!: string;
}

@InputType({ description: '年度报告筛选 (report filter)' })
export class AnnualReportFilter {
  @Field(() => Int, { nullable: true, description: '报告年度 (year)' })
  year?: number | null;

  @Field(() => ID, { nullable: true, description: '机关 (only this agency’s reports)' })
  agencyId?: string | null;

  @Field(() => ReportStatus, { nullable: true, description: '状态 (status)' })
  status?: ReportStatus | null;

  @Field(() => Boolean, { nullable: true, description: '是否已发布 (true: published reports only, with their due date and whether on time; false: not yet published)' })
  published?: boolean | null;
}
