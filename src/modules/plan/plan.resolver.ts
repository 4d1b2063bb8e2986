import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { ExportedFile, SheetFormatEnum } from '../catalogue/catalogue.inputs';
import { completionService } from './completion.service';
import { PlanHeading, WorkPlan } from './plan.entity';
import {
  AddPlanHeadingInput,
  CarryOverTasksInput,
  CompletionFilter,
  CreateWorkPlanInput,
  ImportWorkPlanInput,
  UpdateWorkPlanInput,
  WorkPlanFilter,
} from './plan.inputs';
import { planService } from './plan.service';
import { planSheetService } from './plan-sheet.service';
import {
  CarryOverTasksPayload,
  CompletionRollup,
  CompletionRow,
  ImportWorkPlanPayload,
  LookBackGroup,
  MatrixRow,
  PlanHeadingPayload,
  PlanTaskConnection,
  TaskStatus,
  TaskStatusCount,
  WorkPlanConnection,
  WorkPlanPayload,
} from './plan.types';
import { taskCascadeService } from './task-cascade';
import type { PlanTask } from './task.entity';

const STATUS_ORDER = Object.values(TaskStatus);

function countByStatus(statuses: readonly TaskStatus[]): TaskStatusCount[] {
  return STATUS_ORDER.map((status) => ({ status, count: statuses.filter((s) => s === status).length })).filter((c) => c.count > 0);
}

@Resolver(() => WorkPlan)
export class WorkPlanResolver {
  @Query(() => WorkPlan, { description: '按标识查询工作方案 (a work plan by id)' })
  workPlan(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return planService.get(ctx, id);
  }

  @Query(() => WorkPlanConnection, { description: '工作方案列表：本机关及下级 (work plans in the caller’s subtree)' })
  workPlans(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => WorkPlanFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: WorkPlanFilter | null,
  ) {
    return planService.list(ctx, args, filter);
  }

  @Query(() => ExportedFile, { description: '导出工作方案表格 (export a plan in the agencies’ table shape: 工作要求 | 具体任务 | 具体要求 | 牵头落实单位 …)' })
  exportWorkPlan(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('format', () => SheetFormatEnum, { defaultValue: SheetFormatEnum.XLSX, description: '格式 (format)' }) format: SheetFormatEnum,
  ) {
    return planSheetService.export(ctx, id, format);
  }

  @Query(() => CompletionRollup, {
    description: '任务完成情况汇总：各机关本级及含下级合计 (completion roll-up: per agency, own tasks and its whole subtree; from maintained figures)',
  })
  completionRollup(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => CompletionFilter, { description: '年度与范围 (year and subtree)' }) filter: CompletionFilter,
  ) {
    return completionService.rollup(ctx, filter.year, filter.agencyId);
  }

  @Query(() => [LookBackGroup], {
    description: '回头看：上年度有责任主体和时限要求但未完成的任务，按机关 (look back: last year’s unfinished tasks with an owner and a deadline, per agency)',
  })
  lookBack(
    @Ctx() ctx: RequestContext,
    @Arg('year', () => Int, { description: '本年度 (this year; tasks of the year before are listed)' }) year: number,
    @Arg('agencyId', () => ID, { nullable: true, description: '机关 (subtree root; default the caller’s agency)' }) agencyId?: string | null,
  ) {
    return taskCascadeService.lookBack(ctx, year, agencyId);
  }

  @FieldResolver(() => Agency, { description: '所属机关 (agency)' })
  agency(@Root() plan: Lean<WorkPlan>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(plan.agency.id);
  }

  @FieldResolver(() => [PlanHeading], { description: '标题，按顺序 (headings in order)' })
  headings(@Root() plan: Lean<WorkPlan>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.plan.headingsByPlan.load(plan.id);
  }

  @FieldResolver(() => PlanTaskConnection, { description: '任务，按顺序 (tasks in plan order)' })
  tasks(@Root() plan: Lean<WorkPlan>, @Ctx() ctx: RequestContext, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return ctx.loaders.plan.tasksPage.load({ groupId: plan.id, first: args.first, after: args.after });
  }

  @FieldResolver(() => [TaskStatusCount], { description: '按状态计数 (tasks per derived status)' })
  async statusCounts(@Root() plan: Lean<WorkPlan>, @Ctx() ctx: RequestContext) {
    const tasks = await ctx.loaders.plan.tasksByPlan.load(plan.id);
    const statuses = await Promise.all(tasks.map((t) => planService.status(ctx, t)));
    return countByStatus(statuses.map((s) => s.status as TaskStatus));
  }

  @FieldResolver(() => [MatrixRow], {
    description: '责任矩阵：每个单位牵头和配合的任务及状态 (responsibility matrix: per unit, the tasks it leads and supports)',
  })
  async matrix(@Root() plan: Lean<WorkPlan>, @Ctx() ctx: RequestContext) {
    const tasks = await ctx.loaders.plan.tasksByPlan.load(plan.id);
    const [units, statuses] = await Promise.all([
      Promise.all(tasks.map((t) => ctx.loaders.plan.unitsByTask.load(t.id))),
      Promise.all(tasks.map((t) => planService.status(ctx, t))),
    ]);
    const rows = new Map<string, { unit: Lean<Unit>; leads: Lean<PlanTask>[]; supports: Lean<PlanTask>[]; leadStatuses: TaskStatus[] }>();
    tasks.forEach((t, i) => {
      const row = (u: Lean<Unit>) => {
        const r = rows.get(u.id) ?? { unit: u, leads: [], supports: [], leadStatuses: [] };
        rows.set(u.id, r);
        return r;
      };
      for (const u of units[i]!.lead) {
        const r = row(u);
        r.leads.push(t);
        r.leadStatuses.push(statuses[i]!.status as TaskStatus);
      }
      for (const u of units[i]!.cooperating) row(u).supports.push(t);
    });
    return [...rows.values()]
      .sort((a, b) => b.leads.length - a.leads.length || a.unit.code.localeCompare(b.unit.code))
      .map((r) => ({ unit: r.unit, leads: r.leads, supports: r.supports, leadCounts: countByStatus(r.leadStatuses) }));
  }

  @Mutation(() => WorkPlanPayload, { description: '新建工作方案 (create a work plan)' })
  async createWorkPlan(@Ctx() ctx: RequestContext, @Arg('input', () => CreateWorkPlanInput) input: CreateWorkPlanInput) {
    return { plan: await planService.create(ctx, input) };
  }

  @Mutation(() => WorkPlanPayload, { description: '修改工作方案标题、类型或状态 (update title, kind or status)' })
  async updateWorkPlan(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateWorkPlanInput) input: UpdateWorkPlanInput) {
    return { plan: await planService.update(ctx, input) };
  }

  @Mutation(() => PlanHeadingPayload, { description: '新增标题 (add a heading)' })
  addPlanHeading(@Ctx() ctx: RequestContext, @Arg('input', () => AddPlanHeadingInput) input: AddPlanHeadingInput) {
    return planService.addHeading(ctx, input);
  }

  @Mutation(() => ImportWorkPlanPayload, {
    description: '导入工作方案表格：全部成功才写入，并逐行报告问题 (import a plan spreadsheet: all or nothing, with a row-by-row report)',
  })
  importWorkPlan(@Ctx() ctx: RequestContext, @Arg('input', () => ImportWorkPlanInput) input: ImportWorkPlanInput) {
    return planSheetService.import(ctx, input);
  }

  @Mutation(() => CarryOverTasksPayload, { description: '回头看：结转上年度未完成任务到本年度方案 (carry unfinished tasks into next year’s plans)' })
  async carryOverTasks(@Ctx() ctx: RequestContext, @Arg('input', () => CarryOverTasksInput) input: CarryOverTasksInput) {
    return { tasks: await taskCascadeService.carryOver(ctx, input) };
  }
}

@Resolver(() => PlanHeading)
export class PlanHeadingResolver {
  @FieldResolver(() => ID, { nullable: true, description: '上级标题 (parent heading id)' })
  parentId(@Root() h: Lean<PlanHeading>) {
    return h.parent?.id ?? null;
  }
}

@Resolver(() => CompletionRow)
export class CompletionRowResolver {
  @FieldResolver(() => Agency, { description: '机关 (agency)' })
  agency(@Root() row: CompletionRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(row.agencyId);
  }
}
