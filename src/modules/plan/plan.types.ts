import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { DateScalar } from '../calendar/date-scalar';
import { ImportProblem } from '../catalogue/catalogue.inputs';
import { WorkPlan } from './plan.entity';
import { PlanTask, TaskProgress, TaskReview } from './task.entity';

export enum TaskStatus {
  NOT_STARTED = 'NOT_STARTED',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  OVERDUE = 'OVERDUE',
  WITHDRAWN = 'WITHDRAWN',
}

export enum TaskPeriodState {
  FUTURE = 'FUTURE',
  CURRENT = 'CURRENT',
  MET = 'MET',
  MISSED = 'MISSED',
}

registerEnumType(TaskStatus, {
  name: 'TaskStatus',
  description: '任务状态，由时限、进展和验收推导，不可填写 (task status, derived — never typed in)',
  valuesConfig: {
    NOT_STARTED: { description: '未开始 (not started)' },
    IN_PROGRESS: { description: '推进中 (in progress: progress reported, or returned)' },
    DONE: { description: '已完成 (accepted as done by the openness office)' },
    OVERDUE: { description: '逾期 (a deadline passed: due date, a missed period, or a late occurrence)' },
    WITHDRAWN: { description: '已撤回 (withdrawn here or by the superior it came from)' },
  },
});
registerEnumType(TaskPeriodState, {
  name: 'TaskPeriodState',
  description: '周期状态 (state of one period of a counted task)',
  valuesConfig: {
    FUTURE: { description: '未到 (not begun)' },
    CURRENT: { description: '本期 (the period today falls in)' },
    MET: { description: '已达标 (ended, minimum reached)' },
    MISSED: { description: '未达标 (ended below the minimum)' },
  },
});

@ObjectType({ description: '周期完成情况 (one period of a counted task: 本半年 1/1)' })
export class TaskPeriod {
  @Field(() => String, { description: '周期 (period key, e.g. 2024-H1)' })
  key!: string;

  @Field(() => DateScalar, { description: '开始 (first day)' })
  start!: string;

  @Field(() => DateScalar, { description: '结束 (last day)' })
  end!: string;

  @Field(() => Int, { description: '已完成次数 (occurrences counted)' })
  count!: number;

  @Field(() => Int, { description: '最少次数 (minimum)' })
  minimum!: number;

  @Field(() => Boolean, { description: '是否达标 (minimum reached)' })
  met!: boolean;

  @Field(() => TaskPeriodState, { description: '状态 (state)' })
  state!: TaskPeriodState;
}

@ObjectType({ description: '任务状态及依据 (a task’s derived status and what it rests on)' })
export class TaskStatusInfo {
  @Field(() => TaskStatus, { description: '状态 (status)' })
  status!: TaskStatus;

  @Field(() => Boolean, { nullable: true, description: '按时完成 (accepted by its due date; null without a due date or before acceptance)' })
  doneOnTime!: boolean | null;

  @Field(() => [TaskPeriod], { description: '各周期 (periods of a counted task)' })
  periods!: TaskPeriod[];

  @Field(() => TaskPeriod, { nullable: true, description: '本期 (the current period)' })
  currentPeriod!: TaskPeriod | null;

  @Field(() => Int, { description: '事件次数 (event occurrences reported)' })
  occurrences!: number;

  @Field(() => Int, { description: '超时次数 (occurrences answered after their deadline)' })
  lateOccurrences!: number;

  @Field(() => String, { description: '时限说明 (the timing explained)' })
  timingExplained!: string;
}

@ObjectType({ description: '按状态计数 (tasks per status)' })
export class TaskStatusCount {
  @Field(() => TaskStatus, { description: '状态 (status)' })
  status!: TaskStatus;

  @Field(() => Int, { description: '任务数 (tasks)' })
  count!: number;
}

@ObjectType({ description: '责任矩阵一行：某单位牵头和配合的任务 (one row of the responsibility matrix: a unit’s tasks)' })
export class MatrixRow {
  @Field(() => Unit, { description: '单位 (unit)' })
  unit!: Unit;

  @Field(() => [PlanTask], { description: '牵头任务 (tasks it leads)' })
  leads!: PlanTask[];

  @Field(() => [PlanTask], { description: '配合任务 (tasks it supports)' })
  supports!: PlanTask[];

  @Field(() => [TaskStatusCount], { description: '牵头任务按状态计数 (its lead tasks per status)' })
  leadCounts!: TaskStatusCount[];
}

@ObjectType({ description: '完成情况指标，比率由合计数计算 (completion figures; rates from summed counts, never averages of rates)' })
export class CompletionFigures {
  @Field(() => Int, { description: '任务数 (live tasks of the year’s plans)' })
  tasks!: number;

  @Field(() => Int, { description: '已完成 (accepted as done)' })
  done!: number;

  @Field(() => Int, { description: '已到期 (dated tasks due on or before the as-of date)' })
  due!: number;

  @Field(() => Int, { description: '按时完成 (dated tasks accepted by their due date)' })
  doneOnTime!: number;

  @Field(() => Int, { description: '逾期完成 (dated tasks accepted after their due date)' })
  doneLate!: number;

  @Field(() => Int, { description: '逾期未完成 (dated tasks open after their due date, as of today)' })
  overdue!: number;

  @Field(() => Int, { description: '已结束的计次周期 (ended periods of counted tasks)' })
  periodsEnded!: number;

  @Field(() => Int, { description: '达标周期 (ended periods that reached their minimum)' })
  periodsMet!: number;

  @Field(() => Int, { description: '事件次数 (event occurrences)' })
  occurrences!: number;

  @Field(() => Int, { description: '超时次数 (late occurrences)' })
  lateOccurrences!: number;

  @Field(() => Float, { nullable: true, description: '完成率 done / tasks (null without tasks)' })
  doneRate!: number | null;

  @Field(() => Float, { nullable: true, description: '按时率 doneOnTime / (doneOnTime + doneLate + overdue)' })
  onTimeRate!: number | null;

  @Field(() => Float, { nullable: true, description: '周期达标率 periodsMet / periodsEnded' })
  periodMetRate!: number | null;
}

@ObjectType({ description: '一个机关的完成情况：本级与整个下辖 (one agency: its own tasks and its whole subtree)' })
export class CompletionRow {
  @Field(() => ID, { description: '机关 (agency id)' })
  agencyId!: string;

  @Field(() => Agency, { description: '机关 (agency)' })
  agency?: Agency;

  @Field(() => CompletionFigures, { description: '本级 (own tasks)' })
  own!: CompletionFigures;

  @Field(() => CompletionFigures, { description: '含下级合计 (the agency and everything below it)' })
  subtree!: CompletionFigures;
}

@ObjectType({ description: '任务完成情况汇总 (completion roll-up of a subtree)' })
export class CompletionRollup {
  @Field(() => Int, { description: '方案年度 (plan year)' })
  year!: number;

  @Field(() => DateScalar, { description: '统计日 (as-of date: today)' })
  asOf!: string;

  @Field(() => [CompletionRow], { description: '各机关，自上而下 (every agency of the subtree, top down)' })
  rows!: CompletionRow[];
}

@ObjectType({ description: '回头看：某机关上年度未完成的任务 (look back: one agency’s unfinished tasks of the previous year)' })
export class LookBackGroup {
  @Field(() => Agency, { description: '机关 (agency)' })
  agency!: Agency;

  @Field(() => [PlanTask], { description: '有责任主体和时限要求、未完成的任务 (tasks with an owner and a deadline, not done)' })
  tasks!: PlanTask[];
}

@ObjectType({ description: '工作方案导入报告 (plan import report)' })
export class PlanImportReport {
  @Field(() => Boolean, { description: '是否已写入 (written: no ERROR problems)' })
  ok!: boolean;

  @Field(() => Int, { description: '读取行数 (data rows read)' })
  rowsRead!: number;

  @Field(() => Int, { description: '标题数 (headings)' })
  headings!: number;

  @Field(() => Int, { description: '任务数 (tasks)' })
  tasks!: number;

  @Field(() => [String], { description: '新建的单位 (units created)' })
  unitsCreated!: string[];

  @Field(() => [ImportProblem], { description: '问题，逐行 (problems, row by row)' })
  problems!: ImportProblem[];
}

@ObjectType({ description: '导入工作方案结果 (result of a plan import)' })
export class ImportWorkPlanPayload {
  @Field(() => WorkPlan, { nullable: true, description: '工作方案 (the plan; null when nothing was written)' })
  plan!: WorkPlan | null;

  @Field(() => PlanImportReport, { description: '报告 (report)' })
  report!: PlanImportReport;
}

@ObjectType({ description: '工作方案结果 (work-plan payload)' })
export class WorkPlanPayload {
  @Field(() => WorkPlan, { description: '工作方案 (plan)' })
  plan!: WorkPlan;
}

@ObjectType({ description: '标题结果 (heading payload)' })
export class PlanHeadingPayload {
  @Field(() => ID, { description: '标题 (heading id)' })
  headingId!: string;

  @Field(() => WorkPlan, { description: '工作方案 (plan)' })
  plan!: WorkPlan;
}

@ObjectType({ description: '任务结果 (task payload)' })
export class PlanTaskPayload {
  @Field(() => PlanTask, { description: '任务 (task)' })
  task!: PlanTask;
}

@ObjectType({ description: '任务进展结果 (progress payload)' })
export class TaskProgressPayload {
  @Field(() => TaskProgress, { description: '进展 (the progress report)' })
  progress!: TaskProgress;

  @Field(() => PlanTask, { description: '任务 (task, with its status after the report)' })
  task!: PlanTask;
}

@ObjectType({ description: '验收结果 (review payload)' })
export class TaskReviewPayload {
  @Field(() => TaskReview, { description: '验收记录 (the decision)' })
  review!: TaskReview;

  @Field(() => PlanTask, { description: '任务 (task)' })
  task!: PlanTask;
}

@ObjectType({ description: '下发结果 (cascade payload)' })
export class CascadePlanTaskPayload {
  @Field(() => PlanTask, { description: '上级任务 (the cascaded task)' })
  task!: PlanTask;

  @Field(() => [PlanTask], { description: '新建的下级任务 (copies created; agencies that already had one are skipped)' })
  copies!: PlanTask[];
}

@ObjectType({ description: '结转结果 (carry-over payload)' })
export class CarryOverTasksPayload {
  @Field(() => [PlanTask], { description: '新任务 (this year’s tasks, linked to the originals)' })
  tasks!: PlanTask[];
}

export const WorkPlanConnection = ConnectionType(WorkPlan, 'WorkPlan', '工作方案');
export const PlanTaskConnection = ConnectionType(PlanTask, 'PlanTask', '工作任务');
