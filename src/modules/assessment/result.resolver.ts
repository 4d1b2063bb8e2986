import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { ExportedFile } from '../catalogue/catalogue.inputs';
import { assessmentRollupService } from './assessment-rollup.service';
import type { AgencyFigures } from './result-figures';
import { AssessmentResult } from './result.entity';
import {
  AssessmentResultFilter,
  AssessmentResultIdInput,
  AssessmentRollupFilter,
  ComputeAssessmentResultsInput,
  ScoreAssessmentIndicatorInput,
} from './result.inputs';
import { resultService } from './result.service';
import {
  AssessmentEntryPayload,
  AssessmentResultConnection,
  AssessmentResultPayload,
  AssessmentRollup,
  AssessmentRollupRow,
  ComputeAssessmentResultsPayload,
  IndicatorOutcomeType,
  ResultFigures,
  ResultVerification,
} from './result.types';
import { AssessmentScheme } from './scheme.entity';
import type { ScoreResult } from './scoring';

@Resolver(() => AssessmentResult)
export class AssessmentResultResolver {
  @Query(() => AssessmentResult, { description: '按标识查询考核结果 (a result by id)' })
  assessmentResult(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return resultService.get(ctx, id);
  }

  @Query(() => AssessmentResultConnection, { description: '考核结果列表 (results of agencies in the caller’s subtree)' })
  assessmentResults(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => AssessmentResultFilter, { description: '筛选条件 (filter)' }) filter: AssessmentResultFilter,
  ) {
    return resultService.list(ctx, args, filter);
  }

  @Query(() => ResultVerification, { description: '复算核对：用结果自己的方案版本和截止日期重新计算并比较，不保存 (recompute with the result’s own version and cut-off and compare; nothing is stored)' })
  verifyAssessmentResult(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return resultService.verify(ctx, id);
  }

  @Query(() => AssessmentRollup, {
    description: '考核汇总：根机关及每个直属下级的整个下辖范围，含任务完成、按时发布、扣分点说明和得分 (assessment roll-up of a subtree, from maintained figures and current results)',
  })
  assessmentRollup(@Ctx() ctx: RequestContext, @Arg('filter', () => AssessmentRollupFilter, { description: '年度、考核期与范围 (year, period, subtree)' }) filter: AssessmentRollupFilter) {
    return assessmentRollupService.rollup(ctx, filter);
  }

  @Query(() => ExportedFile, { description: '导出考核排名表 (export the ranking table: rank, agency, score, breakdown; XLSX)' })
  exportAssessmentRanking(@Ctx() ctx: RequestContext, @Arg('filter', () => AssessmentRollupFilter, { description: '年度、考核期与范围 (year, period, subtree)' }) filter: AssessmentRollupFilter) {
    return assessmentRollupService.exportRanking(ctx, filter);
  }

  @Mutation(() => AssessmentEntryPayload, { description: '人工评分、加分或否决 (score an indicator by hand, give a bonus, or veto)' })
  async scoreAssessmentIndicator(@Ctx() ctx: RequestContext, @Arg('input', () => ScoreAssessmentIndicatorInput) input: ScoreAssessmentIndicatorInput) {
    const e = await resultService.scoreIndicator(ctx, input);
    return { entryId: e.id, indicatorCode: e.indicatorCode, points: e.points ?? null, vetoed: e.vetoed };
  }

  @Mutation(() => ComputeAssessmentResultsPayload, { description: '计算考核结果：每个被考核机关一条新结果 (compute results: a new result per assessed agency)' })
  async computeAssessmentResults(@Ctx() ctx: RequestContext, @Arg('input', () => ComputeAssessmentResultsInput) input: ComputeAssessmentResultsInput) {
    return { results: await resultService.compute(ctx, input) };
  }

  @Mutation(() => AssessmentResultPayload, { description: '重新计算：生成新结果，原结果保留 (recompute: a new result; the old one is kept; refused for a finalised result)' })
  async recomputeAssessmentResult(@Ctx() ctx: RequestContext, @Arg('input', () => AssessmentResultIdInput) input: AssessmentResultIdInput) {
    return { result: await resultService.recompute(ctx, input.id) };
  }

  @Mutation(() => AssessmentResultPayload, { description: '定稿：结果被冻结 (finalise: the result is frozen)' })
  async finaliseAssessmentResult(@Ctx() ctx: RequestContext, @Arg('input', () => AssessmentResultIdInput) input: AssessmentResultIdInput) {
    return { result: await resultService.finalise(ctx, input.id) };
  }

  @FieldResolver(() => Agency, { nullable: true, description: '被考核机关 (assessed agency)' })
  agency(@Root() r: Lean<AssessmentResult>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(r.agency.id);
  }

  @FieldResolver(() => AssessmentScheme, { nullable: true, description: '所用方案版本 (the scheme version used)' })
  scheme(@Root() r: Lean<AssessmentResult>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.scheme.byId.load(r.scheme.id);
  }

  @FieldResolver(() => [IndicatorOutcomeType], { description: '分项得分 (breakdown per indicator, in scheme order)' })
  breakdown(@Root() r: Lean<AssessmentResult>): IndicatorOutcomeType[] {
    return (r.breakdown as ScoreResult['indicators']).map((o) => ({
      code: o.code,
      name: o.name,
      kind: o.kind as IndicatorOutcomeType['kind'],
      weight: o.weight,
      metric: (o.metric as IndicatorOutcomeType['metric']) ?? null,
      formula: o.formula,
      rate: o.rate,
      numerator: o.value == null ? null : 'count' in o.value ? o.value.count : o.value.numerator,
      denominator: o.value == null || 'count' in o.value ? null : o.value.denominator,
      earned: o.earned,
      deducted: o.deducted,
      deductionsRecorded: o.deductionsRecorded,
      points: o.points,
      vetoed: o.vetoed,
      note: o.note,
    }));
  }

  @FieldResolver(() => ResultFigures, { description: '所依据的数据 (the figures the computation read)' })
  figures(@Root() r: Lean<AssessmentResult>): ResultFigures {
    const { deductions: _deductions, ...figures } = (r.inputs as { figures: AgencyFigures }).figures;
    return figures;
  }
}

@Resolver(() => AssessmentRollupRow)
export class AssessmentRollupRowResolver {
  @FieldResolver(() => Agency, { nullable: true, description: '机关 (agency)' })
  agency(@Root() row: AssessmentRollupRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(row.agencyId);
  }
}
