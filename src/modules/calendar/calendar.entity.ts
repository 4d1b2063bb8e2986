import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { DateScalar } from './date-scalar';

/** 日历登记类型 — a day off on a weekday, or a make-up working day on a weekend. */
export enum CalendarDayKind {
  HOLIDAY = 'HOLIDAY',
  WORKDAY = 'WORKDAY',
}

/** What a recorded calendar change did. */
export enum CalendarChangeAction {
  SET_ENTRIES = 'SET_ENTRIES',
  REMOVE_ENTRY = 'REMOVE_ENTRY',
}

registerEnumType(CalendarDayKind, {
  name: 'CalendarDayKind',
  description: '日历登记类型 (kind of calendar entry)',
  valuesConfig: {
    HOLIDAY: { description: '放假 (day off, even on a weekday)' },
    WORKDAY: { description: '上班 (make-up working day, even on a weekend)' },
  },
});
registerEnumType(CalendarChangeAction, {
  name: 'CalendarChangeAction',
  description: '日历变更操作 (calendar change action)',
  valuesConfig: {
    SET_ENTRIES: { description: '设置某年度的放假安排 (set a year’s entries and confirmation)' },
    REMOVE_ENTRY: { description: '删除一条登记 (remove one entry)' },
  },
});

/**
 * 日历登记 — an administrator's statement about one date (national data, not per tenant). `year` is
 * the annual arrangement it belongs to: the arrangement of year Y may move days in the last week of
 * December of Y−1 (元旦调休).
 */
@ObjectType('CalendarEntry', { description: '日历登记 (an administrator’s calendar entry: a holiday or a make-up working day)' })
@Entity({ tableName: 'calendar_entry' })
@Index({ name: 'calendar_entry_year_idx', properties: ['year'] })
export class CalendarEntry extends BaseEntity {
  @Field(() => DateScalar, { description: '日期 (date)' })
  @Unique({ name: 'calendar_entry_date_unique' })
  @Property({ type: 'date' })
  date!: string;

  @Field(() => Int, { description: '所属年度安排 (the annual arrangement the entry belongs to)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => CalendarDayKind, { description: '类型 (kind)' })
  @Enum({ items: () => CalendarDayKind, nativeEnumName: 'calendar_day_kind' })
  kind!: CalendarDayKind;

  @Field(() => String, { description: '名称 (name, e.g. 元旦, 春节, 国庆节)' })
  @Property({ type: 'string', length: 100 })
  name!: string;

  @Field(() => String, { description: '登记人 (username of the administrator who entered it)' })
  @Property({ type: 'string', length: 64 })
  createdBy!: string;
}

/** 年度安排 — whether an administrator has entered a year's complete arrangement. */
@Entity({ tableName: 'calendar_year' })
export class CalendarYear {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  year!: number;

  @Property({ type: 'boolean', default: false })
  confirmed: boolean & Opt = false;

  @Property({ type: 'text', default: '' })
  note: string & Opt = '';

  @Property({ type: 'string', length: 64 })
  updatedBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}

/**
 * 日历变更记录 — who changed the national calendar, when and what. How many open deadlines moved is
 * not stored here (it would tell every tenant about the others): it is kept per agency in
 * `CalendarChangeEffect`, and the `recomputed` / `changed` fields add up what the caller may read.
 */
@ObjectType('CalendarChange', { description: '日历变更记录 (a recorded change of the working calendar)' })
@Entity({ tableName: 'calendar_change' })
export class CalendarChange extends BaseEntity {
  @Field(() => String, { description: '操作人 (username of the calendar operator)' })
  @Property({ type: 'string', length: 64 })
  actor!: string;

  @Field(() => CalendarChangeAction, { description: '操作 (action)' })
  @Enum({ items: () => CalendarChangeAction, nativeEnumName: 'calendar_change_action' })
  action!: CalendarChangeAction;

  @Field(() => Int, { description: '年度 (arrangement year)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => String, { description: '变更内容 (what changed, in words)' })
  @Property({ type: 'text' })
  summary!: string;

  /** Added / removed / changed entries and the confirmation before and after. */
  @Property({ type: 'json' })
  details!: Record<string, unknown>;

  @Field(() => [Int], { description: '受影响的年度 (years whose deadlines were recomputed)' })
  @Property({ type: 'array', columnType: 'int[]' })
  affectedYears!: number[];

  /**
   * When the system finished recomputing the open deadlines after the change (its own transaction,
   * after the operator's); null while that is still to do (start-up finishes it).
   */
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: '系统重算未完成时限的时间；为空表示尚待重算 (when the system recomputed open deadlines; null while pending)',
  })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  recomputedAt: (Date & Opt) | null = null;
}

/**
 * 日历变更的影响 — one agency's part of a calendar change: how many of its open deadlines (publications
 * and information requests) the system recomputed and how many moved. Tenant-owned: an agency reads
 * the rows of its subtree, the calendar operator all of them; only the system writes them.
 */
@Entity({ tableName: 'calendar_change_effect' })
@Unique({ name: 'calendar_change_effect_change_agency_unique', properties: ['change', 'agency'] })
export class CalendarChangeEffect extends BaseEntity {
  /** Looked up by the unique (change, agency) index. */
  @ManyToOne(() => CalendarChange, { ref: true, deleteRule: 'cascade' })
  change!: Ref<CalendarChange>;

  @Index({ name: 'calendar_change_effect_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  /** Open deadlines of the agency that depended on a changed year and were computed again. */
  @Property({ type: 'integer' })
  recomputed!: number;

  /** Of those, how many changed their due date or provisional flag. */
  @Property({ type: 'integer' })
  changed!: number;
}
