import { Arg, Args, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { Inspection, InspectionFinding } from './inspection.entity';
import { AgenciesWithoutInspectionInput, InspectionFilter, RecordInspectionInput } from './inspection.inputs';
import { inspectionService } from './inspection.service';
import { InspectionConnection, InspectionPayload } from './inspection.types';

@Resolver(() => Inspection)
export class InspectionResolver {
  @Query(() => Inspection, { description: '按标识查询察访核验 (an inspection by id)' })
  inspection(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return inspectionService.get(ctx, id);
  }

  @Query(() => InspectionConnection, { description: '察访核验：本机关及下级被核验的，按核验日期 (inspections of agencies in the caller’s subtree, by date)' })
  inspections(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => InspectionFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: InspectionFilter | null,
  ) {
    return inspectionService.list(ctx, args, filter);
  }

  @Query(() => [Agency], {
    description:
      '半年内未被察访核验的机关：考核方案适用的机关中，该方案年度该半年没有本级或上级核验记录的 (agencies a scheme applies to with no inspection in that half of its year by the scheme’s agency or above)',
  })
  agenciesWithoutInspection(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => AgenciesWithoutInspectionInput, { description: '方案与半年 (scheme and half)' }) input: AgenciesWithoutInspectionInput,
  ) {
    return inspectionService.agenciesWithout(ctx, input);
  }

  @FieldResolver(() => Agency, { description: '被核验机关 (inspected agency)' })
  agency(@Root() i: Lean<Inspection>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(i.agency.id);
  }

  @FieldResolver(() => ID, { description: '核验机关标识 (inspecting agency id)' })
  inspectorId(@Root() i: Lean<Inspection>) {
    return i.inspector.id;
  }

  @FieldResolver(() => Agency, { nullable: true, description: '核验机关 (inspecting agency; null when it lies above the caller)' })
  inspector(@Root() i: Lean<Inspection>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(i.inspector.id);
  }

  @FieldResolver(() => [InspectionFinding], { description: '发现的问题，按指标编号 (findings, by indicator code)' })
  findings(@Root() i: Lean<Inspection>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.assessment.findingsByInspection.load(i.id);
  }

  @FieldResolver(() => Float, { description: '扣分合计 (total points deducted by the findings)' })
  async totalDeduction(@Root() i: Lean<Inspection>, @Ctx() ctx: RequestContext) {
    const findings = await ctx.loaders.assessment.findingsByInspection.load(i.id);
    // Hundredths as integers, so 0.1 + 0.2 adds up to 0.3.
    return findings.reduce((sum, f) => sum + Math.round(f.points * 100), 0) / 100;
  }

  @Mutation(() => InspectionPayload, { description: '录入察访核验及发现的问题，全部成功才写入 (record an inspection with its findings: all or nothing)' })
  async recordInspection(@Ctx() ctx: RequestContext, @Arg('input', () => RecordInspectionInput) input: RecordInspectionInput) {
    return { inspection: await inspectionService.record(ctx, input) };
  }
}

@Resolver(() => InspectionFinding)
export class InspectionFindingResolver {
  @FieldResolver(() => Unit, { nullable: true, description: '责任单位 (responsible unit)' })
  unit(@Root() f: Lean<InspectionFinding>, @Ctx() ctx: RequestContext) {
    return f.unit ? ctx.loaders.agency.unitById.load(f.unit.id) : null;
  }
}
