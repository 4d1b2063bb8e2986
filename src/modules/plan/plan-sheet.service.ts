import { assertAdminOf } from '../../auth/policy';
import { selectLean, type Lean } from '../../db/row-mapper';
import { sql } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { RequestContext } from '../../graphql/context';
import { conflict } from '../../graphql/errors';
import type { SheetProblem } from '../../spreadsheets/sheet-reader';
import { withSheetSlot } from '../../spreadsheets/sheet-slots';
import { readSheetInWorker, writeSheetInWorker } from '../../spreadsheets/sheet-worker';
import { decodeSheetUpload, SHEET_CONTENT_TYPES, toImportProblem } from '../../spreadsheets/upload';
import { agencyService } from '../agency/agency.service';
import { createImportedUnits, unitsToCreate } from '../agency/imported-units';
import { Unit } from '../agency/unit.entity';
import { SheetFormatEnum } from '../catalogue/catalogue.inputs';
import { PlanHeading, PlanStatus, WorkPlan } from './plan.entity';
import type { ImportWorkPlanInput } from './plan.inputs';
import { planHeadingText, planToSheetRows, rowsToPlanDraft, type ExportableTask } from './plan-rows';
import { PLAN_SHEET_HEADERS, readPlanSheet, writePlanSheet } from './plan-sheet';
import { defaultPlanTitle, planService, timingColumns } from './plan.service';
import type { PlanImportReport } from './plan.types';
import { PlanTask } from './task.entity';
import { findTaskTiming, parseTaskTiming } from './task-timing';

function problem(row: number, column: keyof typeof PLAN_SHEET_HEADERS, code: string, message: string, value?: string): SheetProblem {
  return { row, column: PLAN_SHEET_HEADERS[column], field: column, severity: 'ERROR', code, message, ...(value !== undefined ? { value } : {}) };
}

/**
 * Plans in the agencies' own table shape (document 003): all or nothing, with a row-by-row report.
 * The sheet layer (plan-sheet.ts, plan-rows.ts over src/spreadsheets/) reads cells; this file
 * decides what is written.
 */
export class PlanSheetService {
  /**
   * Creates the agency's plan for the year from the sheet, or refills a draft plan that nothing
   * depends on yet (no progress, decisions or copies); anything else is refused, so an import never
   * loses reported work.
   */
  async import(ctx: RequestContext, input: ImportWorkPlanInput): Promise<{ plan: WorkPlan | null; report: PlanImportReport }> {
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    assertAdminOf(ctx, agency, '导入工作方案 (importWorkPlan)');
    const buffer = decodeSheetUpload(input.fileBase64);
    const sheet = await withSheetSlot(() => readPlanSheet(buffer, input.format, readSheetInWorker));
    const units = await selectLean(ctx.em, Unit, 'where t.agency_id = ?', [agency.id]);
    const draft = rowsToPlanDraft(sheet.rows, units.map((u) => ({ id: u.id, name: u.name, aliases: u.aliases })));

    const missing = unitsToCreate(draft.problems, input.createMissingUnits);
    const problems: SheetProblem[] = [...sheet.problems, ...missing.problems];
    // What the columns hold at most: said per row, instead of a database error for the whole file.
    for (const t of draft.tasks) {
      const limits: Array<[keyof typeof PLAN_SHEET_HEADERS, string, number]> = [
        ['requirements', t.number, 20],
        ['leadUnits', t.leadUnitsText, 500],
        ['cooperatingUnits', t.cooperatingUnitsText, 500],
        ['timing', t.timingText, 500],
      ];
      for (const [column, text, max] of limits) {
        if (text.length > max) problems.push(problem(t.rowNumber, column, 'TOO_LONG', `超过 ${max} 个字符 (longer than ${max} characters)`, text.slice(0, 200)));
      }
    }
    // Timing: the 完成时限 cell when the sheet has one, else the requirement's own wording.
    const timings = draft.tasks.map((t) => {
      const timing = t.timingText ? parseTaskTiming(t.timingText, input.year) : findTaskTiming(t.requirement, input.year);
      if (timing.dueOn && Number(timing.dueOn.slice(0, 4)) !== input.year) {
        problems.push(
          problem(t.rowNumber, t.timingText ? 'timing' : 'requirements', 'DUE_OUTSIDE_YEAR',
            `任务${t.number}的截止日期 ${timing.dueOn} 不在方案年度 ${input.year} 内 (due date outside the plan’s year; set it with a reason after import)`, timing.text),
        );
      }
      return timing;
    });
    if (sheet.rows.length > 0 && draft.tasks.length === 0 && !problems.some((p) => p.severity === 'ERROR')) {
      problems.push({ row: null, column: null, field: null, severity: 'ERROR', code: 'NO_TASKS', message: '表格中没有任务 (no tasks found)' });
    }
    const report: PlanImportReport = {
      ok: false,
      rowsRead: sheet.rows.length,
      headings: draft.headings.length,
      tasks: draft.tasks.length,
      unitsCreated: [],
      problems: problems.map(toImportProblem),
    };
    if (problems.some((p) => p.severity === 'ERROR') || sheet.rows.length === 0) {
      if (sheet.rows.length === 0 && !problems.some((p) => p.severity === 'ERROR')) {
        report.problems.push({ row: null, column: null, field: null, severity: 'ERROR', code: 'NO_ROWS', message: '表格中没有任务行 (no task rows found)', value: null });
      }
      return { plan: null, report };
    }

    return inTransaction(ctx, async (em) => {
      let plan = await em.findOne(WorkPlan, { agency: agency.id, year: input.year });
      if (plan) {
        if (plan.status !== PlanStatus.DRAFT) throw conflict(`${input.year}年工作方案已施行，不能整体导入替换 (only a draft plan can be replaced by an import)`, 'input.year');
        const [used] = await sql<{ n: number }>(
          em,
          `select count(*)::int as n from plan_task t
            where t.plan_id = ? and (t.source_task_id is not null or t.accepted_on is not null
               or exists (select 1 from task_progress p where p.task_id = t.id)
               or exists (select 1 from task_review r where r.task_id = t.id)
               or exists (select 1 from plan_task c where c.source_task_id = t.id or c.carried_from_id = t.id))`,
          [plan.id],
        );
        if (Number(used?.n ?? 0) > 0) {
          throw conflict('方案中已有进展、验收、下发或上级任务，不能整体替换 (the plan has tasks with progress, decisions, copies or from a superior)', 'input.year');
        }
        await em.nativeDelete(PlanTask, { plan: plan.id });
        await em.nativeDelete(PlanHeading, { plan: plan.id });
        plan.kind = input.kind;
        if (input.title?.trim()) plan.title = input.title.trim();
      } else {
        plan = em.create(WorkPlan, {
          agency: agency.id,
          year: input.year,
          kind: input.kind,
          title: input.title?.trim() || sheet.title?.trim().slice(0, 200) || defaultPlanTitle(input.year, agency.name, input.kind),
        });
      }
      const created = createImportedUnits(em, agency.id, missing.names);
      const headingIds = new Map<string, string>();
      draft.headings.forEach((h, i) => {
        const row = em.create(PlanHeading, {
          plan: plan!.id,
          agency: agency.id,
          parent: h.parentKey ? headingIds.get(h.parentKey)! : null,
          level: h.level,
          number: h.number,
          title: h.title,
          position: i + 1,
        });
        headingIds.set(h.key, row.id);
      });
      let next = Math.max(0, ...draft.tasks.map((t) => (/^\d{1,6}$/.test(t.number) ? Number(t.number) : 0)));
      const links: Array<{ taskId: string; lead: string[]; coop: string[] }> = [];
      draft.tasks.forEach((t, i) => {
        const task = em.create(PlanTask, {
          plan: plan!.id,
          agency: agency.id,
          heading: t.headingKey ? headingIds.get(t.headingKey)! : null,
          position: i + 1,
          number: t.number || String(++next),
          title: t.title,
          requirement: t.requirement,
          leadUnitsText: t.leadUnitsText,
          cooperatingUnitsText: t.cooperatingUnitsText,
          ...timingColumns(timings[i]!),
        });
        const extra = (names: string[]) => names.map((n) => created.get(n)?.id).filter((x): x is string => !!x);
        const lead = [...new Set([...t.leadUnitIds, ...extra(t.leadUnknown)])];
        const coop = [...new Set([...t.cooperatingUnitIds, ...extra(t.cooperatingUnknown)])].filter((id) => !lead.includes(id));
        links.push({ taskId: task.id, lead, coop });
      });
      await em.flush();
      for (const l of links) planService.linkUnits(em, l.taskId, agency.id, l.lead, l.coop);
      await em.flush();
      report.ok = true;
      report.unitsCreated = [...created.keys()];
      return { plan, report };
    });
  }

  async export(ctx: RequestContext, id: string, format: SheetFormatEnum) {
    const plan = await planService.get(ctx, id);
    const [headings, tasks] = await Promise.all([ctx.loaders.plan.headingsByPlan.load(plan.id), ctx.loaders.plan.tasksByPlan.load(plan.id)]);
    const byId = new Map(headings.map((h) => [h.id, h]));
    const text = (h: Lean<PlanHeading> | undefined) => (h ? planHeadingText(h.level as 1 | 2, h.number, h.title) : null);
    const rows: ExportableTask[] = tasks
      .filter((t) => !t.withdrawnAt)
      .map((t) => {
        const h = t.heading ? byId.get(t.heading.id) : undefined;
        const parent = h?.parent ? byId.get(h.parent.id) : undefined;
        return {
          headingPath: h?.level === 2 ? [text(parent), text(h)] : [text(h), null],
          number: t.number,
          requirement: t.requirement,
          leadUnitsText: t.leadUnitsText,
          cooperatingUnitsText: t.cooperatingUnitsText,
          // Timing read from the requirement's own words stays there: an import finds it again.
          timingText: t.timingText && !t.requirement.includes(t.timingText) ? t.timingText : '',
        };
      });
    const buffer = await withSheetSlot(() => writePlanSheet(plan.title, planToSheetRows(rows), format, writeSheetInWorker));
    return {
      filename: `${plan.title}.${format === SheetFormatEnum.XLSX ? 'xlsx' : 'csv'}`,
      contentType: SHEET_CONTENT_TYPES[format],
      base64: buffer.toString('base64'),
      itemCount: rows.length,
    };
  }
}

export const planSheetService = new PlanSheetService();
