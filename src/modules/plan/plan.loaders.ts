import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rowMapper, selectLean, type Lean } from '../../db/row-mapper';
import { sql, uuidArrayLiteral } from '../../db/sql';
import { byIdLoader } from '../../graphql/by-id-loader';
import { createGroupedPageLoader } from '../../graphql/paged-loader';
import { Unit } from '../agency/unit.entity';
import { PlanHeading, WorkPlan } from './plan.entity';
import { PlanTask, TaskProgress, TaskReview, TaskUnitRole } from './task.entity';
import { groupBy, groupedLoader } from '../../graphql/grouped-loader';

export interface TaskUnits {
  lead: Lean<Unit>[];
  cooperating: Lean<Unit>[];
}

/** Every loader is one statement per batch, whatever the number of plans or tasks asked for. */
export function createPlanLoaders(em: EntityManager) {
  const byGroup = <T extends { id: string }>(entity: new () => T, column: string, order: string, keyOf: (r: Lean<T>) => string) =>
    groupedLoader(em, entity, column, order, keyOf);

  return {
    planById: byIdLoader(em, WorkPlan),
    taskById: byIdLoader(em, PlanTask),
    headingById: byIdLoader(em, PlanHeading),
    headingsByPlan: byGroup(PlanHeading, 'plan_id', 't.position, t.id', (h) => h.plan.id),
    /** All tasks of a plan, in plan order (matrix and counts; a plan holds tens to hundreds). */
    tasksByPlan: byGroup(PlanTask, 'plan_id', 't.position, t.id', (t) => t.plan.id),
    tasksPage: createGroupedPageLoader<PlanTask>(em, {
      entity: PlanTask,
      groupColumn: 'plan_id',
      sortColumn: 'position',
      sortValue: (t) => t.position,
    }),
    progressByTask: byGroup(TaskProgress, 'task_id', 't.happened_on, t.created_at, t.id', (p) => p.task.id),
    reviewsByTask: byGroup(TaskReview, 'task_id', 't.created_at, t.id', (r) => r.task.id),
    /** A plan of an agency and year, keyed `agencyId|year`. */
    planOfAgency: new DataLoader<string, Lean<WorkPlan> | null>(async (keys) => {
      const parsed = keys.map((k) => k.split('|') as [string, string]);
      const years = [...new Set(parsed.map((p) => Number(p[1])))];
      if (years.some((y) => !Number.isInteger(y))) throw new Error('plan.planOfAgency: year is not an integer');
      const rows = await selectLean(em, WorkPlan, 'where t.agency_id = any(?::uuid[]) and t.year = any(?::int[])', [
        uuidArrayLiteral([...new Set(parsed.map((p) => p[0]))]),
        `{${years.join(',')}}`,
      ]);
      const map = new Map(rows.map((p) => [`${p.agency.id}|${p.year}`, p]));
      return keys.map((k) => map.get(k) ?? null);
    }),
    /** Lead and cooperating units of many tasks. */
    unitsByTask: new DataLoader<string, TaskUnits>(async (taskIds) => {
      const units = rowMapper(em, Unit);
      const rows = await sql<Record<string, unknown> & { __task: string; __role: TaskUnitRole }>(
        em,
        `select p.task_id as "__task", p.role as "__role", ${units.columns('u')} from plan_task_unit p join unit u on u.id = p.unit_id
          where p.task_id = any(?::uuid[]) order by p.task_id, p.position`,
        [uuidArrayLiteral(taskIds)],
      );
      const grouped = groupBy(rows, (r) => r.__task);
      return taskIds.map((id) => {
        const list = grouped.get(id) ?? [];
        return {
          lead: list.filter((r) => r.__role === TaskUnitRole.LEAD).map(units.map),
          cooperating: list.filter((r) => r.__role === TaskUnitRole.COOPERATING).map(units.map),
        };
      });
    }),
    /** Publications cited as evidence, per progress report (ids only; the publication loader fetches them). */
    evidenceByProgress: new DataLoader<string, string[]>(async (ids) => {
      const rows = await sql<{ progress_id: string; publication_id: string }>(
        em,
        `select progress_id, publication_id from task_progress_evidence where progress_id = any(?::uuid[]) order by progress_id, publication_id`,
        [uuidArrayLiteral(ids)],
      );
      const grouped = groupBy(rows, (r) => r.progress_id);
      return ids.map((id) => (grouped.get(id) ?? []).map((r) => r.publication_id));
    }),
    /**
     * Every cascaded copy below a task, at every level (copies of copies), that the caller can see:
     * one recursive statement for a batch of tasks.
     */
    copiesByTask: new DataLoader<string, Lean<PlanTask>[]>(async (ids) => {
      const tasks = rowMapper(em, PlanTask);
      const rows = await sql<Record<string, unknown> & { __root: string }>(
        em,
        `with recursive d as (
           select t.id, t.id as root, 0 as depth from plan_task t where t.id = any(?::uuid[])
           union all
           select c.id, d.root, d.depth + 1 from plan_task c join d on c.source_task_id = d.id where d.depth < 20
         )
         select d.root as "__root", ${tasks.columns('t')}
           from d join plan_task t on t.id = d.id join agency a on a.id = t.agency_id
          where d.depth > 0
          order by d.root, d.depth, a.code, t.id`,
        [uuidArrayLiteral(ids)],
      );
      const grouped = groupBy(rows, (r) => r.__root);
      return ids.map((id) => (grouped.get(id) ?? []).map(tasks.map));
    }),
  };
}
