import type { EntityManager } from '@mikro-orm/postgresql';
import { assertAdminOf, requirePrincipal } from '../../auth/policy';
import { rowMapper, selectLean, type Lean } from '../../db/row-mapper';
import { sql, uuidArrayLiteral } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { Agency } from '../agency/agency.entity';
import { agencyService } from '../agency/agency.service';
import { PlanStatus, WorkPlan } from './plan.entity';
import type { CarryOverTasksInput, CascadePlanTaskInput } from './plan.inputs';
import { defaultPlanTitle, planService } from './plan.service';
import { PlanTask, PlanTaskUnit } from './task.entity';

/** Timing kinds that set a deadline: what 回头看 checks ("有明确责任主体和时限要求的工作任务"). */
const DEADLINE_KINDS = ['DUE_DATE', 'RECURRING', 'WORKING_DAYS_AFTER_EVENT', 'HOURS_AFTER_EVENT'];

/** The columns a copy takes over from its original (wording and timing; never progress or decisions). */
function copiedFields(t: Lean<PlanTask> | PlanTask) {
  return {
    title: t.title,
    requirement: t.requirement,
    timingKind: t.timingKind,
    timingText: t.timingText,
    dueOn: t.dueOn ?? null,
    recurrence: t.recurrence ?? null,
    minimumCount: t.minimumCount ?? null,
    workingDays: t.workingDays ?? null,
    hours: [...t.hours],
    timingEvent: t.timingEvent ?? null,
    dueReason: t.dueReason ?? null,
  };
}

/**
 * Plans of `agencyIds` for `year`, created as drafts where missing (one statement to read, one flush
 * to create), with the next free task number and position of each.
 */
async function plansFor(
  em: EntityManager,
  agencies: ReadonlyArray<Lean<Agency>>,
  year: number,
  kind: WorkPlan['kind'],
): Promise<Map<string, { planId: string; position: number; number: number }>> {
  const ids = agencies.map((a) => a.id);
  // Writers adding tasks to these plans queue behind this one (in id order), so numbers stay unique.
  await sql(em, 'select id from work_plan where agency_id = any(?::uuid[]) and year = ? order by id for no key update', [uuidArrayLiteral(ids), year]);
  const existing = await sql<{ id: string; agency_id: string; status: PlanStatus; p: number | null; n: number | null }>(
    em,
    `select w.id, w.agency_id, w.status, max(t.position) as p, max(case when t.number ~ '^[0-9]{1,6}$' then t.number::int end) as n
       from work_plan w left join plan_task t on t.plan_id = w.id
      where w.agency_id = any(?::uuid[]) and w.year = ? group by w.id`,
    [uuidArrayLiteral(ids), year],
  );
  const out = new Map<string, { planId: string; position: number; number: number }>();
  for (const r of existing) {
    if (r.status === PlanStatus.ARCHIVED) {
      throw conflict(`机关 ${r.agency_id} 的${year}年工作方案已归档 (the agency’s plan for ${year} is archived)`, 'input');
    }
    out.set(r.agency_id, { planId: r.id, position: Number(r.p ?? 0), number: Number(r.n ?? 0) });
  }
  for (const a of agencies) {
    if (out.has(a.id)) continue;
    const plan = em.create(WorkPlan, { agency: a.id, year, kind, title: defaultPlanTitle(year, a.name, kind) });
    out.set(a.id, { planId: plan.id, position: 0, number: 0 });
  }
  await em.flush();
  return out;
}

export class TaskCascadeService {
  /**
   * Gives each chosen subordinate (default: every direct subordinate) a linked copy of the task in
   * its own plan for the year — a draft plan if it has none — where it assigns its own units and may
   * cascade further. Agencies that already hold a copy are skipped. Statements do not grow with the
   * number of agencies.
   */
  async cascade(ctx: RequestContext, input: CascadePlanTaskInput): Promise<{ task: Lean<PlanTask>; copies: PlanTask[] }> {
    const task = await planService.getTask(ctx, input.taskId, 'input.taskId');
    const plan = await planService.get(ctx, task.plan.id);
    const agency = await agencyService.get(ctx, task.agency.id);
    assertAdminOf(ctx, agency, '下发任务 (cascadePlanTask)');
    if (task.withdrawnAt || task.sourceWithdrawnAt) throw conflict('已撤回的任务不能下发 (a withdrawn task cannot be cascaded)', 'input.taskId');

    let targets: Lean<Agency>[];
    if (input.agencyIds) {
      if (input.agencyIds.length === 0) throw badInput('input.agencyIds', '至少选择一个下级机关 (choose at least one agency)');
      const ids = [...new Set(input.agencyIds.map((id) => requireId(id, 'input.agencyIds')))];
      const found = await ctx.loaders.agency.byId.loadMany(ids);
      targets = ids.map((id, i) => {
        const a = found[i];
        // Invisible and not-below read the same: no hint whether an agency outside the subtree exists.
        if (!a || a instanceof Error || !a.path.startsWith(`${agency.path}.`)) {
          throw badInput('input.agencyIds', `机关 ${id} 不是该任务所属机关的下级 (not an agency below the task’s agency)`, { id });
        }
        return a;
      });
    } else {
      targets = await selectLean(ctx.em, Agency, 'where t.parent_id = ? order by t.code', [agency.id]);
      if (targets.length === 0) throw badInput('input.agencyIds', '该机关没有下级机关 (the agency has no subordinates)');
    }

    return inTransaction(ctx, async (em) => {
      const had = await sql<{ agency_id: string }>(em, 'select agency_id from plan_task where source_task_id = ?', [task.id]);
      const skip = new Set(had.map((r) => r.agency_id));
      const fresh = targets.filter((a) => !skip.has(a.id));
      const plans = await plansFor(em, fresh, plan.year, plan.kind);
      const copies = fresh.map((a) => {
        const slot = plans.get(a.id)!;
        slot.position += 1;
        slot.number += 1;
        return em.create(PlanTask, {
          plan: slot.planId,
          agency: a.id,
          position: slot.position,
          number: String(slot.number),
          ...copiedFields(task),
          sourceTask: task.id,
          originTask: task.originTask?.id ?? task.id,
          adoptedRevision: task.revision,
          sourceRevision: task.revision,
        });
      });
      await em.flush();
      return { task, copies };
    });
  }

  /**
   * 回头看 (document 003 item 40): per agency of the caller's subtree (or `agencyId`'s), last year's
   * tasks with an owner and a deadline that were not done and have not been carried over yet.
   */
  async lookBack(ctx: RequestContext, year: number, agencyId?: string | null): Promise<Array<{ agency: Lean<Agency>; tasks: Lean<PlanTask>[] }>> {
    const p = requirePrincipal(ctx);
    const root = agencyId ? (await agencyService.get(ctx, agencyId, 'agencyId')).path : p.agencyPath;
    const tasks = rowMapper(ctx.em, PlanTask);
    const agencies = rowMapper(ctx.em, Agency);
    const rows = await sql<Record<string, unknown>>(
      ctx.em,
      `select ${tasks.columns('t')}, ${agencies.columnsAs('a', 'agency__')}
         from plan_task t join work_plan w on w.id = t.plan_id join agency a on a.id = t.agency_id
        where w.year = ? and a.path <@ ?::ltree
          and t.accepted_on is null and t.withdrawn_at is null and t.source_withdrawn_at is null
          and t.timing_kind::text = any(?::text[])
          and (t.lead_units_text <> '' or exists (select 1 from plan_task_unit u where u.task_id = t.id and u.role = 'LEAD'))
          and not exists (select 1 from plan_task c where c.carried_from_id = t.id)
        order by a.path, t.position, t.id`,
      [year - 1, root, `{${DEADLINE_KINDS.join(',')}}`],
    );
    const groups = new Map<string, { agency: Lean<Agency>; tasks: Lean<PlanTask>[] }>();
    for (const r of rows) {
      const a = agencies.mapFrom(r, 'agency__');
      const g = groups.get(a.id) ?? { agency: a, tasks: [] };
      g.tasks.push(tasks.map(r));
      groups.set(a.id, g);
    }
    return [...groups.values()];
  }

  /** Carries chosen unfinished tasks into the next year's plan of their own agency, linked to the original. */
  async carryOver(ctx: RequestContext, input: CarryOverTasksInput): Promise<PlanTask[]> {
    if (input.taskIds.length === 0) throw badInput('input.taskIds', '至少选择一个任务 (choose at least one task)');
    const ids = [...new Set(input.taskIds.map((id) => requireId(id, 'input.taskIds')))];
    const found = await ctx.loaders.plan.taskById.loadMany(ids);
    const originals = ids.map((id, i) => {
      const t = found[i];
      if (!t || t instanceof Error) throw badInput('input.taskIds', `任务 ${id} 不存在 (task not found)`, { id });
      if (t.acceptedOn) throw badInput('input.taskIds', `任务 ${t.number} 已完成，无需结转 (already done)`, { id });
      if (t.withdrawnAt || t.sourceWithdrawnAt) throw badInput('input.taskIds', `任务 ${t.number} 已撤回 (withdrawn)`, { id });
      return t;
    });
    const plans = await ctx.loaders.plan.planById.loadMany(originals.map((t) => t.plan.id));
    const agencies = await ctx.loaders.agency.byId.loadMany(originals.map((t) => t.agency.id));
    originals.forEach((_, i) => assertAdminOf(ctx, agencies[i] as Lean<Agency>, '回头看结转 (carryOverTasks)'));
    const years = new Set(plans.map((pl) => (pl as Lean<WorkPlan>).year));
    if (years.size !== 1) throw badInput('input.taskIds', '一次只能结转同一年度的任务 (tasks of one year at a time)');
    const year = [...years][0]! + 1;

    return inTransaction(ctx, async (em) => {
      const done = await sql<{ carried_from_id: string }>(em, 'select carried_from_id from plan_task where carried_from_id = any(?::uuid[])', [
        uuidArrayLiteral(ids),
      ]);
      if (done.length) throw conflict(`任务 ${done[0]!.carried_from_id} 已结转 (already carried over)`, 'input.taskIds');
      const targetAgencies = [...new Map(originals.map((t, i) => [t.agency.id, agencies[i] as Lean<Agency>])).values()];
      const slots = await plansFor(em, targetAgencies, year, (plans[0] as Lean<WorkPlan>).kind);
      const units = await em.find(PlanTaskUnit, { task: { $in: ids } }, { orderBy: { position: 'asc' } });
      const created = originals.map((t, i) => {
        const slot = slots.get(t.agency.id)!;
        slot.position += 1;
        slot.number += 1;
        const plan = plans[i] as Lean<WorkPlan>;
        const copy = em.create(PlanTask, {
          plan: slot.planId,
          agency: t.agency.id,
          position: slot.position,
          number: String(slot.number),
          ...copiedFields(t),
          leadUnitsText: t.leadUnitsText,
          cooperatingUnitsText: t.cooperatingUnitsText,
          carriedFrom: t.id,
          // The due date stays last year's: the reason says why it lies outside this plan's year.
          dueReason: t.dueOn ? `回头看：结转自${plan.year}年任务${t.number} (carried over from ${plan.year}, task ${t.number})` : (t.dueReason ?? null),
        });
        for (const u of units.filter((x) => x.task.id === t.id)) {
          em.create(PlanTaskUnit, { task: copy.id, unit: u.unit.id, agency: t.agency.id, role: u.role, position: u.position });
        }
        return copy;
      });
      await em.flush();
      return created;
    });
  }
}

export const taskCascadeService = new TaskCascadeService();
