import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { Field, GraphQLISODateTime, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../calendar/date-scalar';
import { SheetFormatEnum } from '../catalogue/catalogue.inputs';
import { PlanKind, PlanStatus } from './plan.entity';
import { TaskRecurrence, TaskTimingKind } from './task.entity';

@InputType({ description: '工作方案筛选 (work-plan filter)' })
export class WorkPlanFilter {
  @Field(() => ID, { nullable: true, description: '机关 (only this agency’s plans)' })
  agencyId?: string | null;

  @Field(() => Int, { nullable: true, description: '年度 (year)' })
  year?: number | null;

  @Field(() => PlanStatus, { nullable: true, description: '状态 (status)' })
  status?: PlanStatus | null;
}

@InputType({ description: '新建工作方案 (create a work plan)' })
export class CreateWorkPlanInput {
  @Field(() => ID, { description: '机关 (agency the plan belongs to)' })
  agencyId!: string;

  @Field(() => Int, { description: '年度 (year)' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => PlanKind, { defaultValue: PlanKind.KEY_POINTS, description: '类型 (kind)' })
  kind: PlanKind = PlanKind.KEY_POINTS;

  @Field(() => String, { nullable: true, description: '标题 (title; default 「<year>年<agency>政务公开工作要点」)' })
  @MaxLength(200)
  title?: string | null;
}

@InputType({ description: '修改工作方案 (update a work plan)' })
export class UpdateWorkPlanInput {
  @Field(() => ID, { description: '工作方案 (plan)' })
  id!: string;

  @Field(() => String, { nullable: true, description: '标题 (title)' })
  @MaxLength(200)
  title?: string | null;

  @Field(() => PlanKind, { nullable: true, description: '类型 (kind)' })
  kind?: PlanKind | null;

  @Field(() => PlanStatus, { nullable: true, description: '状态 (status: DRAFT → IN_FORCE → ARCHIVED)' })
  status?: PlanStatus | null;
}

@InputType({ description: '新增标题 (add a heading)' })
export class AddPlanHeadingInput {
  @Field(() => ID, { description: '工作方案 (plan)' })
  planId!: string;

  @Field(() => ID, { nullable: true, description: '上级标题 (parent heading; omit for a level-1 heading 一、…)' })
  parentId?: string | null;

  @Field(() => String, { defaultValue: '', description: '编号 (number as written: 一 or （一）)' })
  @MaxLength(20)
  number: string = '';

  @Field(() => String, { description: '标题文字 (title)' })
  @MaxLength(500)
  title!: string;
}

@InputType({ description: '结构化任务时限 (structured task timing)' })
export class TaskTimingInput {
  @Field(() => TaskTimingKind, { description: '时限类型 (kind)' })
  kind!: TaskTimingKind;

  @Field(() => DateScalar, { nullable: true, description: '截止日期 (due date, DUE_DATE)' })
  dueOn?: string | null;

  @Field(() => TaskRecurrence, { nullable: true, description: '周期 (recurrence, RECURRING)' })
  recurrence?: TaskRecurrence | null;

  @Field(() => Int, { nullable: true, description: '每期最少次数 (minimum count per period, RECURRING; ≥ 1)' })
  minimumCount?: number | null;

  @Field(() => Int, { nullable: true, description: '工作日数 (working days after the event)' })
  workingDays?: number | null;

  @Field(() => [Int], { nullable: true, description: '小时时限 (hour limits after the event)' })
  @IsOptional()
  @ArrayMaxSize(5)
  hours?: number[] | null;

  @Field(() => String, { nullable: true, description: '起算事件 (event, as written)' })
  @MaxLength(200)
  event?: string | null;

  @Field(() => String, { nullable: true, description: '时限原文 (wording; default: generated from the structure)' })
  @MaxLength(500)
  text?: string | null;
}

@InputType({ description: '任务内容 (task fields; on update, omitted fields stay as they are)' })
export class PlanTaskFields {
  @Field(() => ID, { nullable: true, description: '所属标题 (heading)' })
  headingId?: string | null;

  @Field(() => String, { nullable: true, description: '任务编号 (number; default: next free number)' })
  @MaxLength(20)
  number?: string | null;

  @Field(() => String, { nullable: true, description: '任务名称 (title; default: the requirement’s first sentence)' })
  @MaxLength(200)
  title?: string | null;

  @Field(() => String, { nullable: true, description: '具体要求 (requirement text)' })
  @MaxLength(5000)
  requirement?: string | null;

  @Field(() => [ID], { nullable: true, description: '牵头单位 (lead units: units of the plan’s agency; at least one unless the wording names a collective)' })
  @IsOptional()
  @ArrayMaxSize(50)
  leadUnitIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: '配合单位 (cooperating units)' })
  @IsOptional()
  @ArrayMaxSize(50)
  cooperatingUnitIds?: string[] | null;

  @Field(() => String, { nullable: true, description: '牵头单位原文 (lead units as written; default: the units’ names joined by 、)' })
  @MaxLength(500)
  leadUnitsText?: string | null;

  @Field(() => String, { nullable: true, description: '配合单位原文 (cooperating units as written)' })
  @MaxLength(500)
  cooperatingUnitsText?: string | null;

  @Field(() => TaskTimingInput, { nullable: true, description: '结构化时限 (structured timing)' })
  timing?: TaskTimingInput | null;

  @Field(() => String, { nullable: true, description: '时限原文 (timing wording to read, e.g. 每半年开展一次; kept and flagged when unreadable)' })
  @MaxLength(500)
  timingText?: string | null;

  @Field(() => String, { nullable: true, description: '截止日期不在方案年度内的理由 (required when the due date lies outside the plan’s year)' })
  @MaxLength(500)
  dueReason?: string | null;
}

@InputType({ description: '新增任务 (add a task to a plan)' })
export class AddPlanTaskInput extends PlanTaskFields {
  @Field(() => ID, { description: '工作方案 (plan)' })
  planId!: string;
}

@InputType({ description: '修改任务 (update a task)' })
export class UpdatePlanTaskInput extends PlanTaskFields {
  @Field(() => ID, { description: '任务 (task)' })
  id!: string;
}

@InputType({ description: '撤回任务 (withdraw a task; its cascaded copies show the withdrawal)' })
export class WithdrawPlanTaskInput {
  @Field(() => ID, { description: '任务 (task)' })
  id!: string;

  @Field(() => String, { description: '撤回理由 (reason)' })
  @MaxLength(500)
  reason!: string;
}

@InputType({ description: '填报进展 (report progress on a task)' })
export class ReportTaskProgressInput {
  @Field(() => ID, { description: '任务 (task)' })
  taskId!: string;

  @Field(() => ID, { nullable: true, description: '填报单位 (reporting unit; a liaison’s own unit by default)' })
  unitId?: string | null;

  @Field(() => DateScalar, { description: '工作日期 (date the work was done)' })
  happenedOn!: string;

  @Field(() => String, { description: '进展说明 (what was done)' })
  @MaxLength(5000)
  text!: string;

  @Field(() => Boolean, { defaultValue: false, description: '计为一次 (counts as one occurrence of a counted task)' })
  counts: boolean = false;

  @Field(() => DateScalar, { nullable: true, description: '事件日期 (event date, for working-day limits, e.g. the day the document was published)' })
  eventOn?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '事件时间 (event time, for hour limits)' })
  eventAt?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '完成时间 (time the response was done, for hour limits)' })
  doneAt?: Date | null;

  @Field(() => [ID], { nullable: true, description: '佐证：本机关的信息发布 (evidence: publications of this agency)' })
  @IsOptional()
  @ArrayMaxSize(20)
  publicationIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: '佐证链接 (evidence URLs, http or https)' })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(1000, { each: true })
  urls?: string[] | null;
}

@InputType({ description: '验收任务 (accept a task as done)' })
export class AcceptPlanTaskInput {
  @Field(() => ID, { description: '任务 (task)' })
  taskId!: string;

  @Field(() => DateScalar, { nullable: true, description: '完成日期 (date it was done; default today)' })
  acceptedOn?: string | null;

  @Field(() => String, { defaultValue: '', description: '验收意见 (note)' })
  @MaxLength(1000)
  note: string = '';
}

@InputType({ description: '退回任务 (return a task with a reason)' })
export class ReturnPlanTaskInput {
  @Field(() => ID, { description: '任务 (task)' })
  taskId!: string;

  @Field(() => String, { description: '退回理由 (reason)' })
  @MaxLength(1000)
  reason!: string;
}

@InputType({ description: '任务下发 (cascade a task to subordinate agencies)' })
export class CascadePlanTaskInput {
  @Field(() => ID, { description: '任务 (the task to cascade)' })
  taskId!: string;

  @Field(() => [ID], { nullable: true, description: '下级机关 (chosen agencies below the task’s agency; omit for all direct subordinates)' })
  @IsOptional()
  @ArrayMaxSize(1000)
  agencyIds?: string[] | null;
}

@InputType({ description: '回头看：结转上年度未完成任务 (carry last year’s unfinished tasks into this year’s plans)' })
export class CarryOverTasksInput {
  @Field(() => [ID], { description: '上年度任务 (last year’s tasks)' })
  @ArrayMaxSize(500)
  taskIds!: string[];
}

@InputType({ description: '导入工作方案表格 (import a plan in the agencies’ table shape)' })
export class ImportWorkPlanInput {
  @Field(() => ID, { description: '机关 (agency)' })
  agencyId!: string;

  @Field(() => Int, { description: '年度 (year)' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => PlanKind, { defaultValue: PlanKind.DIVISION, description: '类型 (kind)' })
  kind: PlanKind = PlanKind.DIVISION;

  @Field(() => String, { nullable: true, description: '标题 (title; default: the sheet’s title row, else generated)' })
  @MaxLength(200)
  title?: string | null;

  @Field(() => SheetFormatEnum, { description: '文件格式 (file format)' })
  format!: SheetFormatEnum;

  @Field(() => String, { description: '文件内容，Base64 编码 (file content, base64; at most 1 MB decoded)' })
  @MaxLength(1_500_000)
  fileBase64!: string;

  @Field(() => Boolean, { defaultValue: false, description: '自动新建表格中未知的单位 (create units the table names but the agency lacks)' })
  createMissingUnits: boolean = false;
}

@InputType({ description: '完成情况汇总筛选 (completion roll-up filter)' })
export class CompletionFilter {
  @Field(() => Int, { description: '方案年度 (plan year)' })
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => ID, { nullable: true, description: '机关 (subtree root; default the caller’s agency)' })
  agencyId?: string | null;
}
