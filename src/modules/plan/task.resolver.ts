import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { Publication } from '../publication/publication.entity';
import { PlanHeading, WorkPlan } from './plan.entity';
import {
  AcceptPlanTaskInput,
  AddPlanTaskInput,
  CascadePlanTaskInput,
  ReportTaskProgressInput,
  ReturnPlanTaskInput,
  UpdatePlanTaskInput,
  WithdrawPlanTaskInput,
} from './plan.inputs';
import { planService } from './plan.service';
import {
  CascadePlanTaskPayload,
  PlanTaskPayload,
  TaskProgressPayload,
  TaskReviewPayload,
  TaskStatusInfo,
} from './plan.types';
import { taskCascadeService } from './task-cascade';
import { PlanTask, TaskProgress, TaskReview } from './task.entity';
import { taskProgressService } from './task-progress';
import { occurrenceLate } from './task-status';

@Resolver(() => PlanTask)
export class PlanTaskResolver {
  @Query(() => PlanTask, { description: '按标识查询任务 (a task by id)' })
  planTask(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return planService.getTask(ctx, id);
  }

  @FieldResolver(() => WorkPlan, { description: '所属工作方案 (plan)' })
  plan(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.plan.planById.load(t.plan.id);
  }

  @FieldResolver(() => Agency, { description: '所属机关 (agency)' })
  agency(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(t.agency.id);
  }

  @FieldResolver(() => PlanHeading, { nullable: true, description: '所属标题 (heading)' })
  heading(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return t.heading ? ctx.loaders.plan.headingById.load(t.heading.id) : null;
  }

  @FieldResolver(() => [Unit], { description: '牵头单位 (lead units)' })
  async leadUnits(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.plan.unitsByTask.load(t.id)).lead;
  }

  @FieldResolver(() => [Unit], { description: '配合单位 (cooperating units)' })
  async cooperatingUnits(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.plan.unitsByTask.load(t.id)).cooperating;
  }

  @FieldResolver(() => TaskStatusInfo, { description: '状态及依据，推导所得 (derived status and what it rests on)' })
  status(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return planService.status(ctx, t);
  }

  @FieldResolver(() => [TaskProgress], { description: '进展，按日期 (progress reports by date)' })
  progress(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.plan.progressByTask.load(t.id);
  }

  @FieldResolver(() => [TaskReview], { description: '验收记录 (decisions of the openness office)' })
  reviews(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.plan.reviewsByTask.load(t.id);
  }

  @FieldResolver(() => Boolean, { description: '上级任务在采用后已修改 (the superior changed its task since this copy was adopted)' })
  changedSinceAdopted(@Root() t: Lean<PlanTask>) {
    return t.adoptedRevision != null && t.sourceRevision != null && t.sourceRevision > t.adoptedRevision;
  }

  @FieldResolver(() => Boolean, { description: '来自上级下发 (cascaded from a superior’s task)' })
  cascaded(@Root() t: Lean<PlanTask>) {
    return t.sourceTask != null;
  }

  @FieldResolver(() => PlanTask, {
    nullable: true,
    description: '上级原任务 (the superior’s task; null when it lies outside the caller’s scope, as it does for the subordinate)',
  })
  sourceTask(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return t.sourceTask ? ctx.loaders.plan.taskById.load(t.sourceTask.id) : null;
  }

  @FieldResolver(() => [PlanTask], { description: '下发到各级下级的全部副本 (every cascaded copy at every level below, in the caller’s scope)' })
  copies(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.plan.copiesByTask.load(t.id);
  }

  @FieldResolver(() => PlanTask, { nullable: true, description: '回头看：结转自上年度任务 (last year’s task this one carries on)' })
  carriedFrom(@Root() t: Lean<PlanTask>, @Ctx() ctx: RequestContext) {
    return t.carriedFrom ? ctx.loaders.plan.taskById.load(t.carriedFrom.id) : null;
  }

  @Mutation(() => PlanTaskPayload, { description: '新增任务 (add a task)' })
  async addPlanTask(@Ctx() ctx: RequestContext, @Arg('input', () => AddPlanTaskInput) input: AddPlanTaskInput) {
    return { task: await planService.addTask(ctx, input) };
  }

  @Mutation(() => PlanTaskPayload, { description: '修改任务；下发的副本会显示“上级已修改” (update a task; copies below see the change)' })
  async updatePlanTask(@Ctx() ctx: RequestContext, @Arg('input', () => UpdatePlanTaskInput) input: UpdatePlanTaskInput) {
    return { task: await planService.updateTask(ctx, input) };
  }

  @Mutation(() => PlanTaskPayload, { description: '撤回任务；各级副本显示已撤回 (withdraw a task; every copy below shows it)' })
  async withdrawPlanTask(@Ctx() ctx: RequestContext, @Arg('input', () => WithdrawPlanTaskInput) input: WithdrawPlanTaskInput) {
    return { task: await planService.withdrawTask(ctx, input) };
  }

  @Mutation(() => TaskProgressPayload, { description: '填报进展 (report progress; liaisons only on tasks their unit leads or supports)' })
  reportTaskProgress(@Ctx() ctx: RequestContext, @Arg('input', () => ReportTaskProgressInput) input: ReportTaskProgressInput) {
    return taskProgressService.report(ctx, input);
  }

  @Mutation(() => TaskReviewPayload, { description: '验收任务完成 (accept a task as done)' })
  acceptPlanTask(@Ctx() ctx: RequestContext, @Arg('input', () => AcceptPlanTaskInput) input: AcceptPlanTaskInput) {
    return taskProgressService.accept(ctx, input);
  }

  @Mutation(() => TaskReviewPayload, { description: '退回任务并说明理由 (return a task with a reason)' })
  returnPlanTask(@Ctx() ctx: RequestContext, @Arg('input', () => ReturnPlanTaskInput) input: ReturnPlanTaskInput) {
    return taskProgressService.return(ctx, input);
  }

  @Mutation(() => CascadePlanTaskPayload, { description: '下发任务到下级机关 (cascade a task to subordinate agencies)' })
  cascadePlanTask(@Ctx() ctx: RequestContext, @Arg('input', () => CascadePlanTaskInput) input: CascadePlanTaskInput) {
    return taskCascadeService.cascade(ctx, input);
  }
}

@Resolver(() => TaskProgress)
export class TaskProgressResolver {
  @FieldResolver(() => Unit, { nullable: true, description: '填报单位 (reporting unit)' })
  unit(@Root() p: Lean<TaskProgress>, @Ctx() ctx: RequestContext) {
    return p.unit ? ctx.loaders.agency.unitById.load(p.unit.id) : null;
  }

  @FieldResolver(() => Boolean, { description: '本次是否超时 (this occurrence was answered after its deadline)' })
  late(@Root() p: Lean<TaskProgress>) {
    return occurrenceLate(p);
  }

  @FieldResolver(() => [Publication], { description: '佐证信息发布 (publications cited as evidence)' })
  async evidence(@Root() p: Lean<TaskProgress>, @Ctx() ctx: RequestContext) {
    const ids = await ctx.loaders.plan.evidenceByProgress.load(p.id);
    const pubs = await ctx.loaders.publication.byId.loadMany(ids);
    return pubs.filter((x): x is NonNullable<typeof x> & Lean<Publication> => !!x && !(x instanceof Error));
  }
}
