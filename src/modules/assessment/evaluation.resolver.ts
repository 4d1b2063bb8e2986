import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { today } from '../calendar/clock';
import { DeductionPoint, EvaluationRound, EvaluationScore } from './evaluation.entity';
import {
  AssignDeductionPointInput,
  CloseEvaluationRoundInput,
  CreateEvaluationRoundInput,
  DeductionPointFilter,
  DeleteDeductionPointInput,
  EvaluationRoundFilter,
  ExplainDeductionPointInput,
  ExplanationCountsFilter,
  RecordDeductionPointInput,
  RecordEvaluationScoreInput,
} from './evaluation.inputs';
import { evaluationService } from './evaluation.service';
import {
  DeductionPointConnection,
  DeductionPointPayload,
  DeductionState,
  DeleteDeductionPointPayload,
  EvaluationRoundConnection,
  EvaluationRoundPayload,
  EvaluationScorePayload,
  ExplanationCountRow,
  deductionState,
} from './evaluation.types';

@Resolver(() => EvaluationRound)
export class EvaluationRoundResolver {
  @Query(() => EvaluationRound, { description: '按标识查询第三方评估轮次 (an evaluation round by id)' })
  evaluationRound(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return evaluationService.getRound(ctx, id);
  }

  @Query(() => EvaluationRoundConnection, {
    description: '第三方评估轮次：本机关及下级组织的，和上级组织的 (rounds organised in the caller’s subtree and by the agencies above it)',
  })
  evaluationRounds(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => EvaluationRoundFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: EvaluationRoundFilter | null,
  ) {
    return evaluationService.listRounds(ctx, args, filter);
  }

  @Query(() => [ExplanationCountRow], {
    description:
      '扣分点说明情况：各机关本级及含下级合计，来自维护的统计表 (deduction points explained on time, late, open and overdue per agency of the subtree; from maintained figures)',
  })
  explanationCounts(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ExplanationCountsFilter, { description: '年度与范围 (year and subtree)' }) filter: ExplanationCountsFilter,
  ) {
    return evaluationService.explanationCounts(ctx, filter.year, filter.agencyId);
  }

  @FieldResolver(() => ID, { description: '组织机关标识 (organising agency id)' })
  agencyId(@Root() round: Lean<EvaluationRound>) {
    return round.agency.id;
  }

  @FieldResolver(() => Agency, { nullable: true, description: '组织机关 (organising agency; null when it lies above the caller)' })
  agency(@Root() round: Lean<EvaluationRound>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(round.agency.id);
  }

  @FieldResolver(() => [EvaluationScore], { description: '得分，按机关 (scores the caller may see, by agency)' })
  scores(@Root() round: Lean<EvaluationRound>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.assessment.scoresByRound.load(round.id);
  }

  @FieldResolver(() => DeductionPointConnection, { description: '扣分点，按说明期限 (deduction points the caller may see, by due date)' })
  deductionPoints(@Root() round: Lean<EvaluationRound>, @Ctx() ctx: RequestContext, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return ctx.loaders.assessment.deductionPointsPage.load({ groupId: round.id, first: args.first, after: args.after });
  }

  @Mutation(() => EvaluationRoundPayload, { description: '新建第三方评估轮次 (create an evaluation round)' })
  async createEvaluationRound(@Ctx() ctx: RequestContext, @Arg('input', () => CreateEvaluationRoundInput) input: CreateEvaluationRoundInput) {
    return { round: await evaluationService.createRound(ctx, input) };
  }

  @Mutation(() => EvaluationRoundPayload, { description: '结束评估轮次 (close an evaluation round)' })
  async closeEvaluationRound(@Ctx() ctx: RequestContext, @Arg('input', () => CloseEvaluationRoundInput) input: CloseEvaluationRoundInput) {
    return { round: await evaluationService.closeRound(ctx, input) };
  }

  @Mutation(() => EvaluationScorePayload, { description: '录入或更新评估得分 (record or replace an agency’s score in a round)' })
  async recordEvaluationScore(@Ctx() ctx: RequestContext, @Arg('input', () => RecordEvaluationScoreInput) input: RecordEvaluationScoreInput) {
    return { score: await evaluationService.recordScore(ctx, input) };
  }

  @Mutation(() => DeductionPointPayload, { description: '录入扣分点 (record a deduction point; its explanation is due after the round’s working days)' })
  async recordDeductionPoint(@Ctx() ctx: RequestContext, @Arg('input', () => RecordDeductionPointInput) input: RecordDeductionPointInput) {
    return { deductionPoint: await evaluationService.recordDeductionPoint(ctx, input) };
  }

  @Mutation(() => DeleteDeductionPointPayload, { description: '删除扣分点 (remove a deduction point recorded in error)' })
  deleteDeductionPoint(@Ctx() ctx: RequestContext, @Arg('input', () => DeleteDeductionPointInput) input: DeleteDeductionPointInput) {
    return evaluationService.deleteDeductionPoint(ctx, input);
  }

  @Mutation(() => DeductionPointPayload, { description: '指定扣分点责任单位 (assign the responsible unit)' })
  async assignDeductionPoint(@Ctx() ctx: RequestContext, @Arg('input', () => AssignDeductionPointInput) input: AssignDeductionPointInput) {
    return { deductionPoint: await evaluationService.assign(ctx, input) };
  }

  @Mutation(() => DeductionPointPayload, { description: '书面说明扣分点 (give the written explanation)' })
  async explainDeductionPoint(@Ctx() ctx: RequestContext, @Arg('input', () => ExplainDeductionPointInput) input: ExplainDeductionPointInput) {
    return { deductionPoint: await evaluationService.explain(ctx, input) };
  }
}

@Resolver(() => EvaluationScore)
export class EvaluationScoreResolver {
  @FieldResolver(() => EvaluationRound, { description: '评估轮次 (round)' })
  round(@Root() s: Lean<EvaluationScore>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.assessment.roundById.load(s.round.id);
  }

  @FieldResolver(() => Agency, { description: '被评估机关 (evaluated agency)' })
  agency(@Root() s: Lean<EvaluationScore>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(s.agency.id);
  }
}

@Resolver(() => DeductionPoint)
export class DeductionPointResolver {
  @Query(() => DeductionPointConnection, { description: '扣分点：本机关及下级的，按说明期限 (deduction points in the caller’s subtree, by due date)' })
  deductionPoints(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => DeductionPointFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: DeductionPointFilter | null,
  ) {
    return evaluationService.listPoints(ctx, args, filter);
  }

  @Query(() => DeductionPoint, { description: '按标识查询扣分点 (a deduction point by id)' })
  deductionPoint(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return evaluationService.getPoint(ctx, id);
  }

  @FieldResolver(() => EvaluationRound, { description: '评估轮次 (round)' })
  round(@Root() d: Lean<DeductionPoint>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.assessment.roundById.load(d.round.id);
  }

  @FieldResolver(() => Agency, { description: '被评估机关 (evaluated agency)' })
  agency(@Root() d: Lean<DeductionPoint>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(d.agency.id);
  }

  @FieldResolver(() => Unit, { nullable: true, description: '责任单位 (responsible unit; null until assigned)' })
  unit(@Root() d: Lean<DeductionPoint>, @Ctx() ctx: RequestContext) {
    return d.unit ? ctx.loaders.agency.unitById.load(d.unit.id) : null;
  }

  @FieldResolver(() => DeductionState, { description: '说明状态，推导所得 (explanation state as of today, derived)' })
  state(@Root() d: Lean<DeductionPoint>) {
    return deductionState(d, today());
  }
}

@Resolver(() => ExplanationCountRow)
export class ExplanationCountRowResolver {
  @FieldResolver(() => Agency, { description: '机关 (agency)' })
  agency(@Root() row: ExplanationCountRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(row.agencyId);
  }
}
