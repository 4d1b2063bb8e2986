import { Entity, Enum, Index, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
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

/** 日历变更记录 — who changed the national calendar, when, what, and how many open deadlines moved. */
@ObjectType('CalendarChange', { description: '日历变更记录 (a recorded change of the working calendar)' })
@Entity({ tableName: 'calendar_change' })
export class CalendarChange extends BaseEntity {
  @Field(() => String, { description: '操作人 (username)' })
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

  @Field(() => Int, { description: '重新计算的未完成时限数 (open deadlines recomputed)' })
  @Property({ type: 'integer', default: 0 })
  recomputed: number & Opt = 0;

  @Field(() => Int, { description: '截止日或暂定状态发生变化的时限数 (of which the due date or provisional flag changed)' })
  @Property({ type: 'integer', default: 0 })
  changed: number & Opt = 0;
}
