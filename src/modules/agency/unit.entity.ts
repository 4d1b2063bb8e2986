import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from './agency.entity';
import { LIST_ROW } from '../../graphql/row-types';

/** 内设机构类别 — the kind of an internal unit. */
export enum UnitKind {
  SECTION = 'SECTION',
  OFFICE = 'OFFICE',
  BRIGADE = 'BRIGADE',
  DETACHMENT = 'DETACHMENT',
  POLICE_STATION = 'POLICE_STATION',
  CENTER = 'CENTER',
  OTHER = 'OTHER',
}

registerEnumType(UnitKind, {
  name: 'UnitKind',
  description: '内设机构类别 (internal unit kind)',
  valuesConfig: {
    SECTION: { description: '科 (section)' },
    OFFICE: { description: '室 / 办 (office)' },
    BRIGADE: { description: '大队 (brigade)' },
    DETACHMENT: { description: '支队 (detachment)' },
    POLICE_STATION: { description: '派出所 (police station)' },
    CENTER: { description: '中心 (centre)' },
    OTHER: { description: '其他 (other)' },
  },
});

/** 内设机构 / 局属单位 — an internal unit (科室, 大队, 派出所 …) of exactly one agency. */
@ObjectType('Unit', { description: '内设机构 (internal unit) of one agency', ...LIST_ROW })
@Entity({ tableName: 'unit' })
@Unique({ name: 'unit_agency_code_unique', properties: ['agency', 'code'] })
@Unique({ name: 'unit_agency_name_unique', properties: ['agency', 'name'] })
export class Unit extends BaseEntity {
  @Index({ name: 'unit_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => String, { description: '单位代码 (unit code, unique within the agency)' })
  @Property({ type: 'string', length: 64 })
  code!: string;

  @Field(() => String, { description: '单位名称 (unit name)' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Other names the unit goes by in documents (宣传科 for 指挥中心宣传科), used to match imported tables. */
  @Field(() => [String], { description: '别名 (other names used in documents, e.g. 宣传科 for 指挥中心宣传科)' })
  @Property({ type: 'array', columnType: 'text[]', default: '{}' })
  aliases: string[] & Opt = [];

  @Field(() => UnitKind, { description: '单位类别 (unit kind)' })
  @Enum({ items: () => UnitKind, nativeEnumName: 'unit_kind' })
  kind!: UnitKind;
}
