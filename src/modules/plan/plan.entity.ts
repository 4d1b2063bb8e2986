import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';

/** 方案类型 — the documents' own names for a yearly plan. */
export enum PlanKind {
  KEY_POINTS = 'KEY_POINTS',
  IMPLEMENTATION = 'IMPLEMENTATION',
  DIVISION = 'DIVISION',
}

/** 方案状态 */
export enum PlanStatus {
  DRAFT = 'DRAFT',
  IN_FORCE = 'IN_FORCE',
  ARCHIVED = 'ARCHIVED',
}

registerEnumType(PlanKind, {
  name: 'PlanKind',
  description: '工作方案类型 (kind of work plan)',
  valuesConfig: {
    KEY_POINTS: { description: '工作要点 (key points of the year’s work)' },
    IMPLEMENTATION: { description: '实施方案 (implementation plan, e.g. document 002)' },
    DIVISION: { description: '分工方案 (division of work, e.g. document 003)' },
  },
});
registerEnumType(PlanStatus, {
  name: 'PlanStatus',
  description: '工作方案状态 (plan status)',
  valuesConfig: {
    DRAFT: { description: '草稿 (draft: tasks may still be added, changed and removed)' },
    IN_FORCE: { description: '施行 (in force: progress is reported and tasks are accepted)' },
    ARCHIVED: { description: '归档 (archived, read-only)' },
  },
});

/** 工作方案 — one per agency and year (工作要点 / 实施方案 / 分工方案). */
@ObjectType('WorkPlan', { description: '年度政务公开工作方案 (an agency’s yearly work plan with its responsibility matrix)' })
@Entity({ tableName: 'work_plan' })
@Unique({ name: 'work_plan_agency_year_unique', properties: ['agency', 'year'] })
@Check({ name: 'work_plan_year_range', expression: 'year >= 2000 and year <= 2100' })
export class WorkPlan extends BaseEntity {
  @Index({ name: 'work_plan_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => Int, { description: '年度 (year)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => PlanKind, { description: '类型 (kind)' })
  @Enum({ items: () => PlanKind, nativeEnumName: 'plan_kind' })
  kind!: PlanKind;

  @Field(() => String, { description: '标题 (title), e.g. 汕尾市公安局2022年政务公开工作要点分工方案' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => PlanStatus, { description: '状态 (status)' })
  @Enum({ items: () => PlanStatus, nativeEnumName: 'plan_status', default: PlanStatus.DRAFT })
  status: PlanStatus & Opt = PlanStatus.DRAFT;
}

/** 工作要求 / 具体任务 headings: "一、…" (level 1) holding "（一）…" (level 2) holding tasks. */
@ObjectType('PlanHeading', { description: '方案标题 (a heading of a plan: 一、… or （一）…)' })
@Entity({ tableName: 'plan_heading' })
@Check({ name: 'plan_heading_level', expression: 'level >= 1 and level <= 2' })
export class PlanHeading extends BaseEntity {
  @Index({ name: 'plan_heading_plan_idx' })
  @ManyToOne(() => WorkPlan, { ref: true, deleteRule: 'cascade' })
  plan!: Ref<WorkPlan>;

  @Index({ name: 'plan_heading_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Index({ name: 'plan_heading_parent_idx' })
  @ManyToOne(() => PlanHeading, { ref: true, nullable: true, deleteRule: 'cascade' })
  parent?: Ref<PlanHeading> | null;

  @Field(() => Int, { description: '层级 (level: 1 for 一、…, 2 for （一）…)' })
  @Property({ type: 'smallint' })
  level!: number;

  @Field(() => String, { description: '编号 (number as written: 一 or （一）; empty when unnumbered)' })
  @Property({ type: 'string', length: 20, default: '' })
  number: string & Opt = '';

  @Field(() => String, { description: '标题文字 (title without its number)' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => Int, { description: '序号 (position among the plan’s headings)' })
  @Property({ type: 'integer' })
  position!: number;
}
