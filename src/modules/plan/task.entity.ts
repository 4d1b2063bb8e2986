import { ArrayType, Check, Entity, Enum, Index, ManyToOne, PrimaryKeyProp, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { DateScalar } from '../calendar/date-scalar';
import { Publication } from '../publication/publication.entity';
import { PlanHeading, WorkPlan } from './plan.entity';

/** 时限类型 — how a task's timing is structured (src/modules/plan/task-timing.ts reads the wording). */
export enum TaskTimingKind {
  DUE_DATE = 'DUE_DATE',
  RECURRING = 'RECURRING',
  WORKING_DAYS_AFTER_EVENT = 'WORKING_DAYS_AFTER_EVENT',
  HOURS_AFTER_EVENT = 'HOURS_AFTER_EVENT',
  NONE = 'NONE',
  UNREADABLE = 'UNREADABLE',
}

/** 周期 */
export enum TaskRecurrence {
  YEARLY = 'YEARLY',
  HALF_YEARLY = 'HALF_YEARLY',
  QUARTERLY = 'QUARTERLY',
  MONTHLY = 'MONTHLY',
}

/** 牵头 / 配合 */
export enum TaskUnitRole {
  LEAD = 'LEAD',
  COOPERATING = 'COOPERATING',
}

/** 验收结论 */
export enum TaskDecision {
  ACCEPTED = 'ACCEPTED',
  RETURNED = 'RETURNED',
}

registerEnumType(TaskTimingKind, {
  name: 'TaskTimingKind',
  description: '任务时限类型 (kind of task timing)',
  valuesConfig: {
    DUE_DATE: { description: '截止日期 (a due date, e.g. 2018年底前)' },
    RECURRING: { description: '周期性，每期不少于若干次 (recurring with a minimum count per period, e.g. 每半年开展一次)' },
    WORKING_DAYS_AFTER_EVENT: { description: '事件后若干工作日内 (within N working days after an event, e.g. 文件公布后3个工作日内)' },
    HOURS_AFTER_EVENT: { description: '事件后若干小时内 (within N hours after an event, e.g. 5 小时内发布权威消息)' },
    NONE: { description: '无时限 (no deadline, e.g. 长期坚持)' },
    UNREADABLE: { description: '时限无法识别，原文保留待核实 (wording could not be read; kept as written and flagged)' },
  },
});
registerEnumType(TaskRecurrence, {
  name: 'TaskRecurrence',
  description: '任务周期 (recurrence period)',
  valuesConfig: {
    YEARLY: { description: '每年 (yearly)' },
    HALF_YEARLY: { description: '每半年 (half-yearly)' },
    QUARTERLY: { description: '每季度 (quarterly)' },
    MONTHLY: { description: '每月 (monthly)' },
  },
});
registerEnumType(TaskUnitRole, {
  name: 'TaskUnitRole',
  description: '单位分工 (role of a unit in a task)',
  valuesConfig: {
    LEAD: { description: '牵头单位 / 责任单位 (lead unit)' },
    COOPERATING: { description: '配合单位 (cooperating unit)' },
  },
});
registerEnumType(TaskDecision, {
  name: 'TaskDecision',
  description: '验收结论 (decision of the openness office)',
  valuesConfig: {
    ACCEPTED: { description: '验收完成 (accepted as done)' },
    RETURNED: { description: '退回 (returned with a reason)' },
  },
});

/** 具体任务 — one numbered task of a plan, with its units and timing. */
@ObjectType('PlanTask', { description: '工作任务 (a numbered task of a work plan)' })
@Entity({ tableName: 'plan_task' })
@Index({ name: 'plan_task_plan_position_idx', properties: ['plan', 'position'] })
@Unique({ name: 'plan_task_plan_number_unique', properties: ['plan', 'number'] })
// What the service checks, the database refuses too: a bulk SQL load cannot store a task that the
// status derivation would misread.
@Check({
  name: 'plan_task_timing_shape',
  expression:
    "(timing_kind <> 'DUE_DATE' or due_on is not null) and (timing_kind <> 'RECURRING' or (recurrence is not null and minimum_count >= 1)) and (timing_kind <> 'WORKING_DAYS_AFTER_EVENT' or working_days >= 1) and (timing_kind <> 'HOURS_AFTER_EVENT' or cardinality(hours) >= 1) and (minimum_count is null or minimum_count >= 1)",
})
export class PlanTask extends BaseEntity {
  @Index({ name: 'plan_task_plan_idx' })
  @ManyToOne(() => WorkPlan, { ref: true, deleteRule: 'cascade' })
  plan!: Ref<WorkPlan>;

  /** Denormalised from the plan so row-level security needs no join. */
  @Index({ name: 'plan_task_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Index({ name: 'plan_task_heading_idx' })
  @ManyToOne(() => PlanHeading, { ref: true, nullable: true, deleteRule: 'set null' })
  heading?: Ref<PlanHeading> | null;

  @Field(() => Int, { description: '序号 (position in the plan)' })
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => String, { description: '任务编号 (number as in the plan, e.g. 37)' })
  @Property({ type: 'string', length: 20 })
  number!: string;

  @Field(() => String, { description: '任务名称 (title: the requirement’s first sentence unless given)' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => String, { description: '具体要求 (the requirement text as written)' })
  @Property({ type: 'text' })
  requirement!: string;

  @Field(() => String, { description: '牵头单位原文 (lead units as written, incl. collective phrases such as 局直各单位)' })
  @Property({ type: 'string', length: 500, default: '' })
  leadUnitsText: string & Opt = '';

  @Field(() => String, { description: '配合单位原文 (cooperating units as written)' })
  @Property({ type: 'string', length: 500, default: '' })
  cooperatingUnitsText: string & Opt = '';

  @Field(() => TaskTimingKind, { description: '时限类型 (kind of timing)' })
  @Enum({ items: () => TaskTimingKind, nativeEnumName: 'task_timing_kind', default: TaskTimingKind.NONE })
  timingKind: TaskTimingKind & Opt = TaskTimingKind.NONE;

  @Field(() => String, { description: '时限原文 (timing as written; kept even when it could not be read)' })
  @Property({ type: 'text', default: '' })
  timingText: string & Opt = '';

  @Field(() => DateScalar, { nullable: true, description: '截止日期 (due date, for DUE_DATE)' })
  @Property({ type: 'date', nullable: true })
  dueOn?: string | null;

  @Field(() => TaskRecurrence, { nullable: true, description: '周期 (recurrence, for RECURRING)' })
  @Enum({ items: () => TaskRecurrence, nativeEnumName: 'task_recurrence', nullable: true })
  recurrence?: TaskRecurrence | null;

  @Field(() => Int, { nullable: true, description: '每期最少次数 (minimum count per period, for RECURRING)' })
  @Property({ type: 'integer', nullable: true })
  minimumCount?: number | null;

  @Field(() => Int, { nullable: true, description: '工作日时限 (working days after the event)' })
  @Property({ type: 'integer', nullable: true })
  workingDays?: number | null;

  @Field(() => [Int], { description: '小时时限 (hour limits after the event, ascending; the longest is the final one)' })
  @Property({ type: new ArrayType((i) => Number(i)), columnType: 'int[]', default: '{}' })
  hours: number[] & Opt = [];

  @Field(() => String, { nullable: true, description: '起算事件 (event the clock starts at, as written: 文件公布 …)' })
  @Property({ type: 'string', length: 200, nullable: true })
  timingEvent?: string | null;

  @Field(() => String, { nullable: true, description: '截止日期不在方案年度内的理由 (why the due date lies outside the plan’s year)' })
  @Property({ type: 'text', nullable: true })
  dueReason?: string | null;

  /** Bumped by every change of wording, units or timing, so adopters see "changed since adopted". */
  @Field(() => Int, { description: '修订号 (revision of the task’s content)' })
  @Property({ type: 'integer', default: 1 })
  revision: number & Opt = 1;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '撤回时间 (withdrawn by its agency)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  withdrawnAt?: Date | null;

  @Field(() => String, { nullable: true, description: '撤回理由 (reason for withdrawal)' })
  @Property({ type: 'text', nullable: true })
  withdrawnReason?: string | null;

  /** The superior's task this one was cascaded from (it lies outside this agency's scope). */
  @Index({ name: 'plan_task_source_idx' })
  @ManyToOne(() => PlanTask, { ref: true, nullable: true, deleteRule: 'set null' })
  sourceTask?: Ref<PlanTask> | null;

  /** The first task of the cascade (the top of the chain), so the top reads every copy in one statement. */
  @Index({ name: 'plan_task_origin_idx' })
  @ManyToOne(() => PlanTask, { ref: true, nullable: true, deleteRule: 'set null' })
  originTask?: Ref<PlanTask> | null;

  @Field(() => Int, { nullable: true, description: '采用时上级任务的修订号 (revision of the superior’s task when adopted)' })
  @Property({ type: 'integer', nullable: true })
  adoptedRevision?: number | null;

  /** Pushed by the superior when it changes its task: this agency cannot read the superior's row. */
  @Field(() => Int, { nullable: true, description: '上级任务的当前修订号 (current revision of the superior’s task)' })
  @Property({ type: 'integer', nullable: true })
  sourceRevision?: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '上级撤回时间 (when the superior withdrew its task)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sourceWithdrawnAt?: Date | null;

  /** 回头看: last year's unfinished task this one carries on. */
  @Index({ name: 'plan_task_carried_from_idx' })
  @ManyToOne(() => PlanTask, { ref: true, nullable: true, deleteRule: 'set null' })
  carriedFrom?: Ref<PlanTask> | null;

  @Field(() => DateScalar, { nullable: true, description: '验收完成日期 (date accepted as done)' })
  @Property({ type: 'date', nullable: true })
  acceptedOn?: string | null;

  @Field(() => String, { nullable: true, description: '验收人 (username of who accepted it)' })
  @Property({ type: 'string', length: 64, nullable: true })
  acceptedBy?: string | null;
}

/** 牵头 / 配合单位 — the internal units a task is assigned to. */
@Entity({ tableName: 'plan_task_unit' })
export class PlanTaskUnit {
  @ManyToOne(() => PlanTask, { primary: true, ref: true, deleteRule: 'cascade' })
  task!: Ref<PlanTask>;

  @Index({ name: 'plan_task_unit_unit_idx' })
  @ManyToOne(() => Unit, { primary: true, ref: true, deleteRule: 'cascade' })
  unit!: Ref<Unit>;

  @Index({ name: 'plan_task_unit_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Enum({ items: () => TaskUnitRole, nativeEnumName: 'task_unit_role' })
  role!: TaskUnitRole;

  @Property({ type: 'integer' })
  position!: number;

  [PrimaryKeyProp]?: ['task', 'unit'];
}

/** 进展 — progress reported on a task; an occurrence of a counted or event-driven task. */
@ObjectType('TaskProgress', { description: '任务进展 (progress reported on a task)' })
@Entity({ tableName: 'task_progress' })
@Index({ name: 'task_progress_task_happened_idx', properties: ['task', 'happenedOn'] })
export class TaskProgress extends BaseEntity {
  @Index({ name: 'task_progress_task_idx' })
  @ManyToOne(() => PlanTask, { ref: true, deleteRule: 'cascade' })
  task!: Ref<PlanTask>;

  @Index({ name: 'task_progress_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  /** The reporting unit; null when the openness office reports itself. */
  @Index({ name: 'task_progress_unit_idx' })
  @ManyToOne(() => Unit, { ref: true, nullable: true, deleteRule: 'set null' })
  unit?: Ref<Unit> | null;

  @Field(() => DateScalar, { description: '工作日期 (date the work was done)' })
  @Property({ type: 'date' })
  happenedOn!: string;

  @Field(() => Boolean, { description: '计为一次 (counts as one occurrence of a counted task)' })
  @Property({ type: 'boolean', default: false })
  counts: boolean & Opt = false;

  @Field(() => DateScalar, { nullable: true, description: '事件日期 (date of the event, for working-day limits)' })
  @Property({ type: 'date', nullable: true })
  eventOn?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '事件时间 (time of the event, for hour limits)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  eventAt?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '完成时间 (time the response was done, for hour limits)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  doneAt?: Date | null;

  /** Computed when reported (working days by the deadline engine), never typed in. */
  @Field(() => DateScalar, { nullable: true, description: '本次时限 (deadline of this occurrence: event + working days)' })
  @Property({ type: 'date', nullable: true })
  dueOn?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '本次时限 (deadline of this occurrence: event + hours)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  dueAt?: Date | null;

  @Field(() => String, { description: '进展说明 (what was done)' })
  @Property({ type: 'text' })
  text!: string;

  @Field(() => [String], { description: '佐证链接 (evidence URLs)' })
  @Property({ type: 'array', columnType: 'text[]', default: '{}' })
  evidenceUrls: string[] & Opt = [];

  @Field(() => String, { description: '填报人 (username of the reporter)' })
  @Property({ type: 'string', length: 64 })
  reportedBy!: string;
}

/** Evidence of progress that is a publication of the catalogue module. */
@Entity({ tableName: 'task_progress_evidence' })
export class TaskProgressEvidence {
  @ManyToOne(() => TaskProgress, { primary: true, ref: true, deleteRule: 'cascade' })
  progress!: Ref<TaskProgress>;

  @Index({ name: 'task_progress_evidence_publication_idx' })
  @ManyToOne(() => Publication, { primary: true, ref: true, deleteRule: 'cascade' })
  publication!: Ref<Publication>;

  @Index({ name: 'task_progress_evidence_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  [PrimaryKeyProp]?: ['progress', 'publication'];
}

/** 验收 — the openness office's decisions on a task, kept as history. */
@ObjectType('TaskReview', { description: '任务验收记录 (a decision of the openness office on a task)' })
@Entity({ tableName: 'task_review' })
export class TaskReview extends BaseEntity {
  @Index({ name: 'task_review_task_idx' })
  @ManyToOne(() => PlanTask, { ref: true, deleteRule: 'cascade' })
  task!: Ref<PlanTask>;

  @Index({ name: 'task_review_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => TaskDecision, { description: '结论 (decision)' })
  @Enum({ items: () => TaskDecision, nativeEnumName: 'task_decision' })
  decision!: TaskDecision;

  @Field(() => String, { description: '理由 (reason; required when returned)' })
  @Property({ type: 'text', default: '' })
  reason: string & Opt = '';

  @Field(() => DateScalar, { description: '日期 (date of the decision)' })
  @Property({ type: 'date' })
  decidedOn!: string;

  @Field(() => String, { description: '验收人 (username)' })
  @Property({ type: 'string', length: 64 })
  decidedBy!: string;
}
