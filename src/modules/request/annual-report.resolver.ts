import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { DateScalar } from '../calendar/date-scalar';
import { ExportedFile } from '../catalogue/catalogue.inputs';
import { AnnualReport } from './annual-report.entity';
import { AnnualReportFilter, AnnualReportIdInput, CreateAnnualReportInput, PublishAnnualReportInput, UpdateAnnualReportInput } from './annual-report.inputs';
import { annualReportService } from './annual-report.service';
import {
  AnnualReportChecks,
  AnnualReportConnection,
  AnnualReportExportFormat,
  AnnualReportLegacyFigure,
  AnnualReportPayload,
  AnnualReportTable,
  AnnualReportTable2,
  ConsolidatedAnnualReport,
} from './annual-report.types';

@Resolver(() => AnnualReport)
export class AnnualReportResolver {
  @Query(() => AnnualReport, { description: '按标识查询年度报告 (an annual report by id)' })
  annualReport(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return annualReportService.get(ctx, id);
  }

  @Query(() => AnnualReportConnection, {
    description: '年度报告列表：本机关及下级，按年度 (annual reports in the caller’s subtree, by year; with dueOn and onTime for published ones)',
  })
  annualReports(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => AnnualReportFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: AnnualReportFilter | null,
  ) {
    return annualReportService.list(ctx, args, filter);
  }

  @Query(() => ConsolidatedAnnualReport, {
    description: '汇总年度报告：下辖范围内各机关表二、表三、表四相同单元格之和，并列出成员机关及其定稿情况 (the consolidated report of a subtree: sums of the members’ same cells, with the members and which are final)',
  })
  consolidatedAnnualReport(
    @Ctx() ctx: RequestContext,
    @Arg('year', () => Int, { description: '报告年度 (year)' }) year: number,
    @Arg('agencyId', () => ID, { nullable: true, description: '汇总范围的根机关 (subtree root; default the caller’s agency)' }) agencyId?: string | null,
  ) {
    return annualReportService.consolidated(ctx, year, agencyId);
  }

  @Query(() => ExportedFile, { description: '导出年度报告：DOCX 按模板章节和表格，XLSX 为各统计表 (export a report: DOCX in the template’s layout, or XLSX of its tables)' })
  exportAnnualReport(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('format', () => AnnualReportExportFormat, { defaultValue: AnnualReportExportFormat.DOCX, description: '格式 (format)' }) format: AnnualReportExportFormat,
  ) {
    return annualReportService.export(ctx, id, format);
  }

  @Query(() => ExportedFile, { description: '导出汇总年度报告 (export the consolidated report of a subtree, DOCX or XLSX)' })
  exportConsolidatedAnnualReport(
    @Ctx() ctx: RequestContext,
    @Arg('year', () => Int, { description: '报告年度 (year)' }) year: number,
    @Arg('agencyId', () => ID, { nullable: true, description: '汇总范围的根机关 (subtree root; default the caller’s agency)' }) agencyId: string | null | undefined,
    @Arg('format', () => AnnualReportExportFormat, { defaultValue: AnnualReportExportFormat.DOCX, description: '格式 (format)' }) format: AnnualReportExportFormat,
  ) {
    return annualReportService.exportConsolidated(ctx, year, agencyId, format);
  }

  @FieldResolver(() => Agency, { description: '所属机关 (agency)' })
  agency(@Root() report: Lean<AnnualReport>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(report.agency.id);
  }

  @FieldResolver(() => String, { description: '模板名称 (template, e.g. 国办公开办函〔2021〕30号)' })
  templateName(@Root() report: Lean<AnnualReport>) {
    return annualReportService.templateName(report.template);
  }

  @FieldResolver(() => AnnualReportTable2, { description: '二、主动公开政府信息情况：填报数及来源 (Table 2: entered figures with their sources)' })
  table2(@Root() report: Lean<AnnualReport>) {
    return annualReportService.table2(report);
  }

  @FieldResolver(() => AnnualReportTable, {
    description: '三、收到和处理政府信息公开申请情况 (Table 3: computed from the records while a 2021 draft; frozen once final; entered by hand for older templates)',
  })
  table3(@Root() report: Lean<AnnualReport>, @Ctx() ctx: RequestContext) {
    return annualReportService.table3(ctx, report);
  }

  @FieldResolver(() => AnnualReportTable, { description: '四、政府信息公开行政复议、行政诉讼情况 (Table 4: as of 31 December)' })
  table4(@Root() report: Lean<AnnualReport>, @Ctx() ctx: RequestContext) {
    return annualReportService.table4(ctx, report);
  }

  @FieldResolver(() => Boolean, { description: '表三、表四由申请记录实时计算 (Tables 3 and 4 are computed from the records now: a draft of the 2021 template)' })
  async computed(@Root() report: Lean<AnnualReport>, @Ctx() ctx: RequestContext) {
    return (await annualReportService.tables(ctx, report)).computed;
  }

  @FieldResolver(() => AnnualReportChecks, { description: '校验：各行列之和与 一 + 二 = 三（七）+ 四 (checks: every row and column sum and the cross-check; problems block finalisation)' })
  checks(@Root() report: Lean<AnnualReport>, @Ctx() ctx: RequestContext) {
    return annualReportService.checks(ctx, report);
  }

  @FieldResolver(() => [AnnualReportLegacyFigure], { description: '旧模板报告按原文的统计项 (figures of an older template, as written)' })
  legacyFigures(@Root() report: Lean<AnnualReport>) {
    return annualReportService.legacyFigures(report);
  }

  @FieldResolver(() => DateScalar, { description: '公开期限：次年1月31日 (due: 31 January of the next year, 条例第四十九条)' })
  dueOn(@Root() report: Lean<AnnualReport>) {
    return annualReportService.dueOn(report);
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: '是否按时公开 (published by the due date; false when published late or not published once due; null while not yet due)',
  })
  onTime(@Root() report: Lean<AnnualReport>) {
    return annualReportService.onTime(report);
  }

  @Mutation(() => AnnualReportPayload, { description: '新建年度报告：每个机关每年一份 (create an annual report: one per agency and year)' })
  async createAnnualReport(@Ctx() ctx: RequestContext, @Arg('input', () => CreateAnnualReportInput) input: CreateAnnualReportInput) {
    return { report: await annualReportService.create(ctx, input) };
  }

  @Mutation(() => AnnualReportPayload, { description: '修改年度报告：文字、表二，旧模板的表三、表四和原文统计项；定稿后不能修改 (update a draft report)' })
  async updateAnnualReport(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateAnnualReportInput) input: UpdateAnnualReportInput) {
    return { report: await annualReportService.update(ctx, input) };
  }

  @Mutation(() => AnnualReportPayload, {
    description: '定稿：所有校验通过后冻结表三、表四；未通过时指出单元格，重复定稿为冲突 (finalise: every check must pass; freezes the tables; twice is a CONFLICT)',
  })
  async finaliseAnnualReport(@Ctx() ctx: RequestContext, @Arg('input', () => AnnualReportIdInput) input: AnnualReportIdInput) {
    return { report: await annualReportService.finalise(ctx, input.id) };
  }

  @Mutation(() => AnnualReportPayload, { description: '登记发布：定稿的报告，发布日期和地址 (record the publication of a final report: date and URL)' })
  async publishAnnualReport(@Ctx() ctx: RequestContext, @Arg('input', () => PublishAnnualReportInput) input: PublishAnnualReportInput) {
    return { report: await annualReportService.publish(ctx, input) };
  }
}

