import { LockMode } from '@mikro-orm/core';
import { assertAdminOf, hasRole, requirePrincipal } from '../../auth/policy';
import { pathWithin } from '../../auth/principal';
import type { Lean } from '../../db/row-mapper';
import { inTransaction } from '../../db/transaction';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict, forbidden } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { Role } from '../account/account.entity';
import { agencyService } from '../agency/agency.service';
import { calendarService } from '../calendar/calendar.service';
import { today } from '../calendar/clock';
import { isIsoDate } from '../calendar/date-utils';
import { computeDeadline } from '../calendar/deadline-engine';
import { PlanStatus, type WorkPlan } from './plan.entity';
import type { AcceptPlanTaskInput, ReportTaskProgressInput, ReturnPlanTaskInput } from './plan.inputs';
import { planService } from './plan.service';
import { PlanTask, TaskDecision, TaskProgress, TaskProgressEvidence, TaskReview, TaskTimingKind } from './task.entity';

const HOUR_MS = 3_600_000;

function checkDate(value: string, field: string): string {
  if (!isIsoDate(value)) throw badInput(field, `日期格式应为 YYYY-MM-DD (date expected): ${value}`);
  if (value > today()) throw badInput(field, `日期不能晚于今天 (date lies in the future): ${value}`);
  return value;
}

function checkUrl(url: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw badInput(field, `不是有效的链接 (not a URL): ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badInput(field, `只接受 http/https 链接 (http or https only): ${url}`);
  return parsed.toString();
}

/**
 * Progress reports and the openness office's decisions (the capability split of plan.service.ts).
 * A liaison reports only on tasks its unit leads or supports; the office reports on any task of its
 * agency and alone accepts or returns tasks.
 */
export class TaskProgressService {
  private async openTask(ctx: RequestContext, id: string, field: string): Promise<{ task: Lean<PlanTask>; plan: Lean<WorkPlan> }> {
    const task = await planService.getTask(ctx, id, field);
    const plan = await planService.get(ctx, task.plan.id);
    if (plan.status === PlanStatus.ARCHIVED) throw conflict('已归档的工作方案不能修改 (archived plans are read-only)', field);
    if (task.withdrawnAt || task.sourceWithdrawnAt) throw conflict('任务已撤回 (the task has been withdrawn)', field);
    return { task, plan };
  }

  async report(ctx: RequestContext, input: ReportTaskProgressInput): Promise<{ progress: TaskProgress; task: Lean<PlanTask> }> {
    const p = requirePrincipal(ctx);
    const { task } = await this.openTask(ctx, input.taskId, 'input.taskId');
    if (task.acceptedOn) throw conflict('任务已验收完成 (the task has already been accepted as done)', 'input.taskId');
    const agency = await agencyService.get(ctx, task.agency.id);
    const units = await ctx.loaders.plan.unitsByTask.load(task.id);
    const assigned = new Set([...units.lead, ...units.cooperating].map((u) => u.id));
    const isAdmin = hasRole(p, Role.AGENCY_ADMIN) && pathWithin(agency.path, p.agencyPath);
    let unitId: string | null = input.unitId ? requireId(input.unitId, 'input.unitId') : null;
    if (!isAdmin) {
      if (!hasRole(p, Role.UNIT_LIAISON) || !p.unitId || !assigned.has(p.unitId)) {
        throw forbidden('只能填报本单位牵头或配合的任务 (a liaison reports only on tasks its unit leads or supports)');
      }
      if (unitId && unitId !== p.unitId) throw forbidden('只能以本单位名义填报 (a liaison reports for its own unit only)');
      unitId = p.unitId;
    } else if (unitId && !assigned.has(unitId)) {
      throw badInput('input.unitId', '该单位未承担此任务 (the unit neither leads nor supports this task)');
    }

    const happenedOn = checkDate(input.happenedOn, 'input.happenedOn');
    const text = input.text.trim();
    if (!text) throw badInput('input.text', '进展说明不能为空 (text must not be empty)');
    if (input.counts && task.timingKind !== TaskTimingKind.RECURRING) {
      throw badInput('input.counts', '只有计次任务的进展可以计为一次 (only counted tasks count occurrences)');
    }
    const urls = (input.urls ?? []).map((u) => checkUrl(u, 'input.urls'));
    const publicationIds = [...new Set((input.publicationIds ?? []).map((id) => requireId(id, 'input.publicationIds')))];
    const publications = await ctx.loaders.publication.byId.loadMany(publicationIds);
    publicationIds.forEach((id, i) => {
      const pub = publications[i];
      if (!pub || pub instanceof Error || pub.agency.id !== task.agency.id) {
        throw badInput('input.publicationIds', `信息发布 ${id} 不是本机关的发布 (not a publication of the task’s agency)`, { id });
      }
    });

    const occurrence: Partial<TaskProgress> = {};
    if (task.timingKind === TaskTimingKind.WORKING_DAYS_AFTER_EVENT) {
      if (!input.eventOn) throw badInput('input.eventOn', '需填写事件日期 (the event date is required for a working-day limit)');
      const eventOn = checkDate(input.eventOn, 'input.eventOn');
      if (eventOn > happenedOn) throw badInput('input.eventOn', '事件日期晚于工作日期 (event after the work)');
      occurrence.eventOn = eventOn;
    } else if (task.timingKind === TaskTimingKind.HOURS_AFTER_EVENT) {
      if (!input.eventAt) throw badInput('input.eventAt', '需填写事件时间 (the event time is required for an hour limit)');
      if (!input.doneAt) throw badInput('input.doneAt', '需填写完成时间 (the time it was done is required for an hour limit)');
      if (input.doneAt.getTime() < input.eventAt.getTime()) throw badInput('input.doneAt', '完成时间早于事件时间 (done before the event)');
      if (input.doneAt.getTime() > Date.now()) throw badInput('input.doneAt', '完成时间不能晚于现在 (lies in the future)');
      occurrence.eventAt = input.eventAt;
      occurrence.doneAt = input.doneAt;
      // The longest limit is the final one ("5 小时内发布…24 小时内…48 小时内予以回应").
      occurrence.dueAt = new Date(input.eventAt.getTime() + Math.max(...task.hours) * HOUR_MS);
    } else if (input.eventOn || input.eventAt || input.doneAt) {
      throw badInput(input.eventOn ? 'input.eventOn' : input.eventAt ? 'input.eventAt' : 'input.doneAt', '该任务的时限不以事件起算 (this task’s timing does not count from an event)');
    }

    return inTransaction(ctx, async (em) => {
      if (occurrence.eventOn) {
        // Due dates are computed under the calendar's shared lock, like publication deadlines.
        await calendarService.lockShared(em);
        const calendar = await calendarService.loadForDeadlines(ctx);
        occurrence.dueOn = computeDeadline({ rule: { kind: 'WORKING_DAYS', days: task.workingDays! }, start: occurrence.eventOn }, calendar).due;
      }
      const progress = em.create(TaskProgress, {
        task: task.id,
        agency: task.agency.id,
        unit: unitId,
        happenedOn,
        counts: input.counts,
        text,
        evidenceUrls: urls,
        reportedBy: p.username,
        ...occurrence,
      });
      for (const id of publicationIds) em.create(TaskProgressEvidence, { progress: progress.id, publication: id, agency: task.agency.id });
      await em.flush();
      return { progress, task };
    });
  }

  async accept(ctx: RequestContext, input: AcceptPlanTaskInput): Promise<{ review: TaskReview; task: PlanTask }> {
    const p = requirePrincipal(ctx);
    const { task } = await this.openTask(ctx, input.taskId, 'input.taskId');
    assertAdminOf(ctx, await agencyService.get(ctx, task.agency.id), '验收任务 (acceptPlanTask)');
    if (task.acceptedOn) throw conflict(`任务已于 ${task.acceptedOn} 验收 (the task was already accepted)`, 'input.taskId');
    const acceptedOn = checkDate(input.acceptedOn ?? today(), 'input.acceptedOn');
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(PlanTask, task.id, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
      // Re-checked under the row lock: two offices accepting at once give one acceptance.
      if (row.acceptedOn) throw conflict(`任务已于 ${row.acceptedOn} 验收 (the task was already accepted)`, 'input.taskId');
      row.acceptedOn = acceptedOn;
      row.acceptedBy = p.username;
      const review = em.create(TaskReview, {
        task: row.id,
        agency: row.agency.id,
        decision: TaskDecision.ACCEPTED,
        reason: input.note.trim(),
        decidedOn: acceptedOn,
        decidedBy: p.username,
      });
      await em.flush();
      return { review, task: row };
    });
  }

  /** Returns a task with a reason; an accepted task is reopened. */
  async return(ctx: RequestContext, input: ReturnPlanTaskInput): Promise<{ review: TaskReview; task: PlanTask }> {
    const p = requirePrincipal(ctx);
    const { task } = await this.openTask(ctx, input.taskId, 'input.taskId');
    assertAdminOf(ctx, await agencyService.get(ctx, task.agency.id), '退回任务 (returnPlanTask)');
    const reason = input.reason.trim();
    if (!reason) throw badInput('input.reason', '需要退回理由 (a reason is required)');
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(PlanTask, task.id, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
      row.acceptedOn = null;
      row.acceptedBy = null;
      const review = em.create(TaskReview, {
        task: row.id,
        agency: row.agency.id,
        decision: TaskDecision.RETURNED,
        reason,
        decidedOn: today(),
        decidedBy: p.username,
      });
      await em.flush();
      return { review, task: row };
    });
  }
}

export const taskProgressService = new TaskProgressService();
