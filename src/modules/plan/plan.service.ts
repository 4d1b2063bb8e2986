import type { EntityManager } from '@mikro-orm/postgresql';
import { assertAdminOf, requirePrincipal } from '../../auth/policy';
import { selectLean, type Lean } from '../../db/row-mapper';
import { sql, uuidArrayLiteral } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict, forbidden, notFound, registerConstraintField } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import type { Agency } from '../agency/agency.entity';
import { agencyService } from '../agency/agency.service';
import { Unit } from '../agency/unit.entity';
import { today } from '../calendar/clock';
import { isIsoDate, yearOf } from '../calendar/date-utils';
import { PlanHeading, PlanKind, PlanStatus, WorkPlan } from './plan.entity';
import type {
  AddPlanHeadingInput,
  AddPlanTaskInput,
  CreateWorkPlanInput,
  PlanTaskFields,
  UpdatePlanTaskInput,
  UpdateWorkPlanInput,
  WithdrawPlanTaskInput,
  WorkPlanFilter,
} from './plan.inputs';
import { taskTitle } from './plan-rows';
import { PlanTask, PlanTaskUnit, TaskDecision, TaskTimingKind, TaskUnitRole, type TaskRecurrence } from './task.entity';
import { deriveTaskStatus, type DerivedStatus } from './task-status';
import { explainTaskTiming, parseTaskTiming, timingProblems, type TaskTiming } from './task-timing';

registerConstraintField('work_plan_agency_year_unique', 'input.year');
registerConstraintField('plan_task_plan_number_unique', 'input.number');

const KIND_NAMES: Record<PlanKind, string> = {
  [PlanKind.KEY_POINTS]: '政务公开工作要点',
  [PlanKind.IMPLEMENTATION]: '政务公开工作实施方案',
  [PlanKind.DIVISION]: '政务公开工作要点分工方案',
};

/** Allowed status changes: a plan is drafted, put in force, archived; never back. */
const NEXT_STATUS: Record<PlanStatus, PlanStatus[]> = {
  [PlanStatus.DRAFT]: [PlanStatus.IN_FORCE],
  [PlanStatus.IN_FORCE]: [PlanStatus.ARCHIVED],
  [PlanStatus.ARCHIVED]: [],
};

export function defaultPlanTitle(year: number, agencyName: string, kind: PlanKind): string {
  return `${agencyName}${year}年${KIND_NAMES[kind]}`;
}

/** The stored form of a task's timing (the entity's columns). */
export interface TimingColumns {
  timingKind: TaskTimingKind;
  timingText: string;
  dueOn: string | null;
  recurrence: TaskRecurrence | null;
  minimumCount: number | null;
  workingDays: number | null;
  hours: number[];
  timingEvent: string | null;
}

export function timingColumns(t: TaskTiming): TimingColumns {
  return {
    timingKind: t.kind as TaskTimingKind,
    timingText: t.text,
    dueOn: t.dueOn,
    recurrence: (t.recurrence as TaskRecurrence | null) ?? null,
    minimumCount: t.minimumCount,
    workingDays: t.workingDays,
    hours: [...t.hours],
    timingEvent: t.event,
  };
}

export function timingOf(task: Lean<PlanTask> | TimingColumns & { timingKind: string }): TaskTiming {
  return {
    kind: task.timingKind as TaskTiming['kind'],
    dueOn: task.dueOn ?? null,
    recurrence: (task.recurrence as TaskTiming['recurrence']) ?? null,
    minimumCount: task.minimumCount ?? null,
    workingDays: task.workingDays ?? null,
    hours: [...(task.hours ?? [])],
    event: ('timingEvent' in task ? task.timingEvent : null) ?? null,
    text: task.timingText ?? '',
  };
}

/** The resolved values of a task's fields, checked; `undefined` means "leave as is". */
interface ResolvedTask {
  headingId?: string | null;
  number?: string;
  title?: string;
  requirement?: string;
  leadUnitIds?: string[];
  cooperatingUnitIds?: string[];
  leadUnitsText?: string;
  cooperatingUnitsText?: string;
  timing?: TimingColumns;
  dueReason?: string | null;
}

/** Task columns whose change is a new revision for adopters below. */
const CONTENT_KEYS = ['title', 'requirement', 'timing', 'dueReason'] as const;

export class PlanService {
  async get(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<WorkPlan>> {
    requirePrincipal(ctx);
    const plan = await ctx.loaders.plan.planById.load(requireId(id, field));
    if (!plan) throw notFound('工作方案 (work plan)', id);
    return plan;
  }

  async getTask(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<PlanTask>> {
    requirePrincipal(ctx);
    const task = await ctx.loaders.plan.taskById.load(requireId(id, field));
    if (!task) throw notFound('任务 (task)', id);
    return task;
  }

  async list(ctx: RequestContext, args: ConnectionArgs, filter?: WorkPlanFilter | null): Promise<Connection<Lean<WorkPlan>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(WorkPlan, 'p');
    if (filter?.agencyId) qb.andWhere({ agency: (await agencyService.get(ctx, filter.agencyId, 'filter.agencyId')).id });
    if (filter?.year != null) qb.andWhere({ year: filter.year });
    if (filter?.status) qb.andWhere({ status: filter.status });
    return paginateQb(ctx.em, qb, args, { column: 'title', value: (p) => p.title });
  }

  /** The plan's agency, after checking that the caller administers it and the plan is not archived. */
  async assertEditable(ctx: RequestContext, plan: Lean<WorkPlan>, action: string, field = 'input.planId'): Promise<Lean<Agency>> {
    const agency = await agencyService.get(ctx, plan.agency.id);
    assertAdminOf(ctx, agency, action);
    if (plan.status === PlanStatus.ARCHIVED) throw conflict(`已归档的工作方案不能修改 (${action}: archived plans are read-only)`, field);
    return agency;
  }

  async create(ctx: RequestContext, input: CreateWorkPlanInput): Promise<WorkPlan> {
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    assertAdminOf(ctx, agency, '新建工作方案 (createWorkPlan)');
    return inTransaction(ctx, async (em) => {
      await this.assertYearFree(em, agency.id, input.year);
      const plan = em.create(WorkPlan, {
        agency: agency.id,
        year: input.year,
        kind: input.kind,
        title: input.title?.trim() || defaultPlanTitle(input.year, agency.name, input.kind),
      });
      await em.flush();
      return plan;
    });
  }

  async assertYearFree(em: EntityManager, agencyId: string, year: number): Promise<void> {
    const existing = await em.count(WorkPlan, { agency: agencyId, year });
    if (existing > 0) throw conflict(`该机关${year}年已有工作方案 (the agency already has a plan for ${year})`, 'input.year');
  }

  async update(ctx: RequestContext, input: UpdateWorkPlanInput): Promise<WorkPlan> {
    const plan = await this.get(ctx, input.id, 'input.id');
    await this.assertEditable(ctx, plan, '修改工作方案 (updateWorkPlan)', 'input.id');
    if (input.title != null && !input.title.trim()) throw badInput('input.title', '标题不能为空 (title must not be empty)');
    if (input.status && input.status !== plan.status && !NEXT_STATUS[plan.status as PlanStatus].includes(input.status)) {
      throw badInput('input.status', `不能从 ${plan.status} 改为 ${input.status} (plans go DRAFT → IN_FORCE → ARCHIVED)`);
    }
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(WorkPlan, plan.id);
      if (input.title != null) row.title = input.title.trim();
      if (input.kind) row.kind = input.kind;
      if (input.status) row.status = input.status;
      await em.flush();
      return row;
    });
  }

  async addHeading(ctx: RequestContext, input: AddPlanHeadingInput): Promise<{ headingId: string; plan: Lean<WorkPlan> }> {
    const plan = await this.get(ctx, input.planId, 'input.planId');
    const agency = await this.assertEditable(ctx, plan, '新增标题 (addPlanHeading)');
    if (!input.title.trim()) throw badInput('input.title', '标题不能为空 (title must not be empty)');
    let parent: Lean<PlanHeading> | null = null;
    if (input.parentId) {
      parent = await ctx.loaders.plan.headingById.load(requireId(input.parentId, 'input.parentId'));
      if (!parent || parent.plan.id !== plan.id) throw badInput('input.parentId', '上级标题不属于该方案 (parent heading is not in this plan)');
      if (parent.level !== 1) throw badInput('input.parentId', '标题最多两级 (headings have two levels: 一、 and （一）)');
    }
    return inTransaction(ctx, async (em) => {
      const [max] = await sql<{ m: number | null }>(em, 'select max(position) as m from plan_heading where plan_id = ?', [plan.id]);
      const h = em.create(PlanHeading, {
        plan: plan.id,
        agency: agency.id,
        parent: parent?.id ?? null,
        level: parent ? 2 : 1,
        number: input.number.trim(),
        title: input.title.trim(),
        position: Number(max?.m ?? 0) + 1,
      });
      await em.flush();
      return { headingId: h.id, plan };
    });
  }

  /**
   * Checks a task's fields against its plan: units of the plan's agency only, a readable structure
   * or a wording (kept and flagged when unreadable), a due date inside the plan's year unless a
   * reason is given. Errors name the input field.
   */
  async resolveFields(
    ctx: RequestContext,
    plan: Lean<WorkPlan>,
    fields: PlanTaskFields,
    existing: Lean<PlanTask> | null,
  ): Promise<ResolvedTask> {
    const out: ResolvedTask = {};
    if (fields.headingId !== undefined) {
      if (fields.headingId === null) out.headingId = null;
      else {
        const h = await ctx.loaders.plan.headingById.load(requireId(fields.headingId, 'input.headingId'));
        if (!h || h.plan.id !== plan.id) throw badInput('input.headingId', '标题不属于该方案 (heading is not in this plan)');
        out.headingId = h.id;
      }
    }
    if (fields.requirement != null) {
      const r = fields.requirement.trim();
      if (!r) throw badInput('input.requirement', '具体要求不能为空 (requirement must not be empty)');
      out.requirement = r;
    } else if (!existing) throw badInput('input.requirement', '具体要求不能为空 (requirement is required)');
    if (fields.title != null) {
      if (!fields.title.trim()) throw badInput('input.title', '任务名称不能为空 (title must not be empty)');
      out.title = fields.title.trim();
    } else if (out.requirement && (!existing || existing.title === taskTitle(existing.requirement))) {
      out.title = taskTitle(out.requirement);
    }
    if (fields.number != null) {
      if (!fields.number.trim()) throw badInput('input.number', '任务编号不能为空 (number must not be empty)');
      out.number = fields.number.trim();
    }

    const leadIds = fields.leadUnitIds?.map((id) => requireId(id, 'input.leadUnitIds'));
    const coopIds = fields.cooperatingUnitIds?.map((id) => requireId(id, 'input.cooperatingUnitIds'));
    const wanted = [...(leadIds ?? []), ...(coopIds ?? [])];
    const units = wanted.length ? await selectLean(ctx.em, Unit, 'where t.id = any(?::uuid[])', [uuidArrayLiteral(wanted)]) : [];
    const byId = new Map(units.map((u) => [u.id, u]));
    const check = (ids: string[] | null | undefined, field: string): string[] | undefined => {
      if (ids == null) return undefined;
      const seen = new Set<string>();
      for (const id of ids) {
        const u = byId.get(id);
        // A unit of another agency in scope is as wrong as one out of scope: same message, no hint.
        if (!u || u.agency.id !== plan.agency.id) {
          throw badInput(field, `单位 ${id} 不是本方案所属机关的单位 (unit is not a unit of the plan’s agency)`, { id });
        }
        if (seen.has(id)) throw badInput(field, `单位 ${u.name} 重复 (unit listed twice)`, { id });
        seen.add(id);
      }
      return [...ids];
    };
    out.leadUnitIds = check(leadIds, 'input.leadUnitIds');
    out.cooperatingUnitIds = check(coopIds, 'input.cooperatingUnitIds');
    const lead = out.leadUnitIds ?? null;
    const coop = out.cooperatingUnitIds ?? null;
    if (lead && coop) {
      const both = lead.find((id) => coop.includes(id));
      if (both) throw badInput('input.cooperatingUnitIds', `单位 ${byId.get(both)!.name} 不能既牵头又配合 (a unit cannot both lead and cooperate)`);
    }
    if (fields.leadUnitsText != null) out.leadUnitsText = fields.leadUnitsText.trim();
    else if (lead) out.leadUnitsText = lead.map((id) => byId.get(id)!.name).join('、');
    if (fields.cooperatingUnitsText != null) out.cooperatingUnitsText = fields.cooperatingUnitsText.trim();
    else if (coop) out.cooperatingUnitsText = coop.map((id) => byId.get(id)!.name).join('、');
    const leadText = out.leadUnitsText ?? existing?.leadUnitsText ?? '';
    if (!existing && !(lead?.length) && !leadText) {
      throw badInput('input.leadUnitIds', '至少需要一个牵头单位 (at least one lead unit is required)');
    }

    if (fields.timing && fields.timingText != null) {
      throw badInput('input.timing', '结构化时限与时限原文只能给一个 (give either timing or timingText)');
    }
    if (fields.timing) {
      const t: TaskTiming = {
        kind: fields.timing.kind as TaskTiming['kind'],
        dueOn: fields.timing.dueOn ?? null,
        recurrence: (fields.timing.recurrence as TaskTiming['recurrence']) ?? null,
        minimumCount: fields.timing.minimumCount ?? null,
        workingDays: fields.timing.workingDays ?? null,
        hours: [...(fields.timing.hours ?? [])].sort((a, b) => a - b),
        event: fields.timing.event?.trim() || null,
        text: '',
      };
      const problems = timingProblems(t);
      if (problems.length) throw badInput(`input.timing.${problems[0]!.field}`, problems[0]!.message);
      t.text = fields.timing.text?.trim() || explainTaskTiming(t);
      out.timing = timingColumns(t);
    } else if (fields.timingText != null) {
      out.timing = timingColumns(parseTaskTiming(fields.timingText.trim(), plan.year));
    } else if (!existing) {
      out.timing = timingColumns(parseTaskTiming('', plan.year));
    }
    if (fields.dueReason !== undefined) out.dueReason = fields.dueReason?.trim() || null;
    const dueOn = out.timing ? out.timing.dueOn : existing?.dueOn ?? null;
    const reason = out.dueReason !== undefined ? out.dueReason : existing?.dueReason ?? null;
    if (dueOn && (!isIsoDate(dueOn) || yearOf(dueOn) !== plan.year) && !reason) {
      throw badInput(
        fields.timing ? 'input.timing.dueOn' : 'input.timingText',
        `截止日期 ${dueOn} 不在方案年度 ${plan.year} 内，需说明理由 (a due date outside the plan’s year needs input.dueReason)`,
      );
    }
    return out;
  }

  async addTask(ctx: RequestContext, input: AddPlanTaskInput): Promise<PlanTask> {
    const plan = await this.get(ctx, input.planId, 'input.planId');
    const agency = await this.assertEditable(ctx, plan, '新增任务 (addPlanTask)');
    const r = await this.resolveFields(ctx, plan, input, null);
    return inTransaction(ctx, async (em) => {
      // Concurrent additions to one plan queue here, so each computes the next number after the other.
      await sql(em, 'select id from work_plan where id = ? for no key update', [plan.id]);
      const [max] = await sql<{ p: number | null; n: number | null }>(
        em,
        `select max(position) as p, max(case when number ~ '^[0-9]{1,6}$' then number::int end) as n from plan_task where plan_id = ?`,
        [plan.id],
      );
      const number = r.number ?? String(Number(max?.n ?? 0) + 1);
      await this.assertNumberFree(em, plan.id, number, null);
      const task = em.create(PlanTask, {
        plan: plan.id,
        agency: agency.id,
        heading: r.headingId ?? null,
        position: Number(max?.p ?? 0) + 1,
        number,
        title: r.title!,
        requirement: r.requirement!,
        leadUnitsText: r.leadUnitsText ?? '',
        cooperatingUnitsText: r.cooperatingUnitsText ?? '',
        dueReason: r.dueReason ?? null,
        ...r.timing!,
      });
      this.linkUnits(em, task.id, agency.id, r.leadUnitIds ?? [], r.cooperatingUnitIds ?? []);
      await em.flush();
      return task;
    });
  }

  async updateTask(ctx: RequestContext, input: UpdatePlanTaskInput): Promise<PlanTask> {
    const existing = await this.getTask(ctx, input.id, 'input.id');
    const plan = await this.get(ctx, existing.plan.id);
    const agency = await this.assertEditable(ctx, plan, '修改任务 (updatePlanTask)', 'input.id');
    if (existing.withdrawnAt) throw conflict('已撤回的任务不能修改 (withdrawn tasks cannot be changed)', 'input.id');
    const r = await this.resolveFields(ctx, plan, input, existing);
    return inTransaction(ctx, async (em) => {
      const task = await em.findOneOrFail(PlanTask, existing.id, { refresh: true });
      if (r.number !== undefined && r.number !== task.number) {
        await this.assertNumberFree(em, plan.id, r.number, task.id);
        task.number = r.number;
      }
      const before = JSON.stringify(CONTENT_KEYS.map((k) => (k === 'timing' ? timingOf(task) : task[k])));
      if (r.headingId !== undefined) task.heading = r.headingId as never;
      if (r.title !== undefined) task.title = r.title;
      if (r.requirement !== undefined) task.requirement = r.requirement;
      if (r.leadUnitsText !== undefined) task.leadUnitsText = r.leadUnitsText;
      if (r.cooperatingUnitsText !== undefined) task.cooperatingUnitsText = r.cooperatingUnitsText;
      if (r.timing) Object.assign(task, r.timing);
      if (r.dueReason !== undefined) task.dueReason = r.dueReason;
      const after = JSON.stringify(CONTENT_KEYS.map((k) => (k === 'timing' ? timingOf(task) : task[k])));
      const unitsChanged = r.leadUnitIds !== undefined || r.cooperatingUnitIds !== undefined;
      if (unitsChanged) {
        const current = await em.find(PlanTaskUnit, { task: task.id });
        const lead = r.leadUnitIds ?? current.filter((u) => u.role === TaskUnitRole.LEAD).map((u) => u.unit.id);
        const coop = r.cooperatingUnitIds ?? current.filter((u) => u.role === TaskUnitRole.COOPERATING).map((u) => u.unit.id);
        const both = lead.find((id) => coop.includes(id));
        if (both) throw badInput('input.cooperatingUnitIds', '同一单位不能既牵头又配合 (a unit cannot both lead and cooperate)', { id: both });
        await em.nativeDelete(PlanTaskUnit, { task: task.id });
        this.linkUnits(em, task.id, agency.id, lead, coop);
      }
      if (before !== after) {
        task.revision += 1;
        await em.flush();
        // Adopters below cannot read this row: tell their copies that a new revision exists.
        await sql(em, 'update plan_task set source_revision = ? where source_task_id = ?', [task.revision, task.id]);
      }
      await em.flush();
      return task;
    });
  }

  /** Withdraws a task; every copy cascaded from it, at every level below, shows the withdrawal. */
  async withdrawTask(ctx: RequestContext, input: WithdrawPlanTaskInput): Promise<PlanTask> {
    const existing = await this.getTask(ctx, input.id, 'input.id');
    const plan = await this.get(ctx, existing.plan.id);
    const agency = await this.assertEditable(ctx, plan, '撤回任务 (withdrawPlanTask)', 'input.id');
    // A task a superior cascaded is the superior's to withdraw (it shows on every copy); the agency
    // that received it can only report, assign its units and be accepted.
    if (existing.sourceTask && requirePrincipal(ctx).agencyPath === agency.path) {
      throw forbidden('上级下发的任务只能由上级撤回 (a task cascaded from a superior is withdrawn by the superior)');
    }
    if (!input.reason.trim()) throw badInput('input.reason', '需要撤回理由 (a reason is required)');
    if (existing.withdrawnAt) throw conflict('任务已撤回 (the task is already withdrawn)', 'input.id');
    return inTransaction(ctx, async (em) => {
      const task = await em.findOneOrFail(PlanTask, existing.id, { refresh: true });
      task.withdrawnAt = new Date();
      task.withdrawnReason = input.reason.trim();
      await em.flush();
      await sql(
        em,
        `with recursive d as (
           select id from plan_task where source_task_id = ?
           union all
           select c.id from plan_task c join d on c.source_task_id = d.id
         )
         update plan_task set source_withdrawn_at = now() where id in (select id from d) and source_withdrawn_at is null`,
        [task.id],
      );
      return task;
    });
  }

  async assertNumberFree(em: EntityManager, planId: string, number: string, exceptId: string | null): Promise<void> {
    const rows = await sql<{ id: string }>(em, 'select id from plan_task where plan_id = ? and number = ?', [planId, number]);
    if (rows.some((r) => r.id !== exceptId)) throw conflict(`任务编号 ${number} 已存在 (task number already used in this plan)`, 'input.number');
  }

  linkUnits(em: EntityManager, taskId: string, agencyId: string, lead: readonly string[], coop: readonly string[]): void {
    let position = 0;
    for (const id of lead) em.create(PlanTaskUnit, { task: taskId, unit: id, agency: agencyId, role: TaskUnitRole.LEAD, position: ++position });
    for (const id of coop) em.create(PlanTaskUnit, { task: taskId, unit: id, agency: agencyId, role: TaskUnitRole.COOPERATING, position: ++position });
  }

  /** A task's derived status (three batched statements for any number of tasks: plan, progress, reviews). */
  async status(ctx: RequestContext, task: Lean<PlanTask>): Promise<DerivedStatus & { timingExplained: string }> {
    const [plan, progress, reviews] = await Promise.all([
      ctx.loaders.plan.planById.load(task.plan.id),
      ctx.loaders.plan.progressByTask.load(task.id),
      ctx.loaders.plan.reviewsByTask.load(task.id),
    ]);
    if (!plan) throw forbidden('任务所属方案不可见 (the task’s plan is not visible)');
    const last = reviews[reviews.length - 1];
    const derived = deriveTaskStatus(task, plan.year, progress, last?.decision === TaskDecision.RETURNED, today());
    return { ...derived, timingExplained: explainTaskTiming(timingOf(task)) };
  }
}

export const planService = new PlanService();
