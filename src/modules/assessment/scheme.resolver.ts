import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { AssessmentIndicator, AssessmentScheme } from './scheme.entity';
import { AssessmentSchemeFilter, CreateAssessmentSchemeInput, ReviseAssessmentSchemeInput } from './scheme.inputs';
import { schemeService } from './scheme.service';
import { AssessmentSchemeConnection, AssessmentSchemePayload } from './scheme.types';
import { formulaText } from './scoring';

@Resolver(() => AssessmentScheme)
export class AssessmentSchemeResolver {
  @Query(() => AssessmentScheme, { description: '按标识查询考核方案版本 (a scheme version by id; schemes of the agencies above the caller that assess it are readable too)' })
  assessmentScheme(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return schemeService.get(ctx, id);
  }

  @Query(() => AssessmentSchemeConnection, { description: '考核方案列表：本机关及下级的，以及考核本机关的上级方案 (schemes of the caller’s subtree and of the agencies above it)' })
  assessmentSchemes(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => AssessmentSchemeFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: AssessmentSchemeFilter | null,
  ) {
    return schemeService.list(ctx, args, filter);
  }

  @Mutation(() => AssessmentSchemePayload, { description: '制定考核方案（第1版）(create a scheme, version 1)' })
  async createAssessmentScheme(@Ctx() ctx: RequestContext, @Arg('input', () => CreateAssessmentSchemeInput) input: CreateAssessmentSchemeInput) {
    return { scheme: await schemeService.create(ctx, input) };
  }

  @Mutation(() => AssessmentSchemePayload, { description: '修订考核方案：生成新版本 (revise a scheme: a new version)' })
  async reviseAssessmentScheme(@Ctx() ctx: RequestContext, @Arg('input', () => ReviseAssessmentSchemeInput) input: ReviseAssessmentSchemeInput) {
    return { scheme: await schemeService.revise(ctx, input) };
  }

  @FieldResolver(() => Agency, { nullable: true, description: '考核机关 (assessing agency; null when it lies above the caller’s scope)' })
  agency(@Root() scheme: Lean<AssessmentScheme>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(scheme.agency.id);
  }

  @FieldResolver(() => [AssessmentIndicator], { description: '指标，按顺序 (indicators in order; parents name their children by parentCode)' })
  indicators(@Root() scheme: Lean<AssessmentScheme>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.scheme.indicatorsByScheme.load(scheme.id);
  }

  @FieldResolver(() => [Agency], { description: '指定的适用机关 (the chosen agencies, when the scheme does not apply to all; those visible to the caller)' })
  async chosenAgencies(@Root() scheme: Lean<AssessmentScheme>, @Ctx() ctx: RequestContext) {
    const ids = await ctx.loaders.scheme.chosenByScheme.load(scheme.id);
    const agencies = await Promise.all(ids.map((id) => ctx.loaders.agency.byId.load(id)));
    return agencies.filter((a) => a != null);
  }
}

@Resolver(() => AssessmentIndicator)
export class AssessmentIndicatorResolver {
  @FieldResolver(() => String, { nullable: true, description: '计分公式 (the formula from figure to points, in words; computed indicators)' })
  formulaText(@Root() ind: Lean<AssessmentIndicator>) {
    return formulaText({ ...ind, parentCode: ind.parentCode ?? null });
  }
}
