import { Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { LIST_ROW } from '../../graphql/row-types';

/** 机关类别 — the level of an agency in the public-security hierarchy. */
export enum AgencyKind {
  PROVINCIAL_DEPARTMENT = 'PROVINCIAL_DEPARTMENT',
  CITY_BUREAU = 'CITY_BUREAU',
  DISTRICT_BRANCH = 'DISTRICT_BRANCH',
  COUNTY_BUREAU = 'COUNTY_BUREAU',
}

registerEnumType(AgencyKind, {
  name: 'AgencyKind',
  description: '机关类别 (agency level)',
  valuesConfig: {
    PROVINCIAL_DEPARTMENT: { description: '省公安厅 (provincial department)' },
    CITY_BUREAU: { description: '市公安局 (city bureau)' },
    DISTRICT_BRANCH: { description: '分局 / 区公安局 (district branch)' },
    COUNTY_BUREAU: { description: '县公安局 / 县级市公安局 (county bureau)' },
  },
});

/**
 * 机关 — a tenant. `path` is an ltree materialised path of ancestor ids (root first), so "the whole
 * subtree of X" is the single GiST-indexed predicate `path <@ X.path`; the row-level-security
 * policies and every roll-up use exactly that predicate.
 */
@ObjectType('Agency', { description: '机关 (agency): a tenant in the public-security hierarchy', ...LIST_ROW })
@Entity({ tableName: 'agency' })
@Index({ name: 'agency_path_gist', expression: 'create index "agency_path_gist" on "agency" using gist ("path")' })
export class Agency extends BaseEntity {
  @Field(() => String, { description: '机关代码 (stable agency code)' })
  @Unique({ name: 'agency_code_unique' })
  @Property({ type: 'string', length: 64 })
  code!: string;

  @Field(() => String, { description: '机关名称 (agency name)' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => AgencyKind, { description: '机关类别 (agency level)' })
  @Enum({ items: () => AgencyKind, nativeEnumName: 'agency_kind' })
  kind!: AgencyKind;

  @Index({ name: 'agency_parent_idx' })
  @ManyToOne(() => Agency, { nullable: true, ref: true, deleteRule: 'restrict' })
  parent?: Ref<Agency> | null;

  @Property({ type: 'string', columnType: 'ltree' })
  path!: string;
}

/** The ltree label of an agency: its UUID without hyphens (labels allow only [A-Za-z0-9_]). */
export function pathLabel(id: string): string {
  return id.replace(/-/g, '');
}
