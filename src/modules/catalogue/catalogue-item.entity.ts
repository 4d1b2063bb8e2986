import { Entity, Enum, Index, ManyToOne, PrimaryKeyProp, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import type { DeadlineRule } from '../calendar/deadline-rule';
import { Catalogue } from './catalogue.entity';
import { LIST_ROW } from '../../graphql/row-types';

/** 政务五公开 — the "five disclosures", plus 政策公开 which the real tables also use. */
export enum DisclosureType {
  DECISION = 'DECISION',
  EXECUTION = 'EXECUTION',
  MANAGEMENT = 'MANAGEMENT',
  SERVICE = 'SERVICE',
  RESULT = 'RESULT',
  POLICY = 'POLICY',
}

/** 起算事件 — what a relative time limit counts from. */
export enum DeadlineEvent {
  FORMATION_OR_CHANGE = 'FORMATION_OR_CHANGE',
  DOCUMENT_PUBLISHED = 'DOCUMENT_PUBLISHED',
  APPROVAL_COMPLETED = 'APPROVAL_COMPLETED',
  OTHER = 'OTHER',
}

registerEnumType(DisclosureType, {
  name: 'DisclosureType',
  description: '政务五公开类型 (five-disclosure type)',
  valuesConfig: {
    DECISION: { description: '决策公开 (decision)' },
    EXECUTION: { description: '执行公开 (execution)' },
    MANAGEMENT: { description: '管理公开 (management)' },
    SERVICE: { description: '服务公开 (service)' },
    RESULT: { description: '结果公开 (result)' },
    POLICY: { description: '政策公开 (policy; used by real tables besides the five)' },
  },
});
registerEnumType(DeadlineEvent, {
  name: 'DeadlineEvent',
  description: '时限起算事件 (event a relative time limit counts from)',
  valuesConfig: {
    FORMATION_OR_CHANGE: { description: '信息形成或变更之日 (formation or change of the information)' },
    DOCUMENT_PUBLISHED: { description: '文件公布 (publication of the document)' },
    APPROVAL_COMPLETED: { description: '完成审批程序 (completion of approval)' },
    OTHER: { description: '其他 (other / unnamed event)' },
  },
});

/** 目录事项 — one row of a catalogue. */
@ObjectType('CatalogueItem', { description: '目录事项 (catalogue item): one row of the catalogue table', ...LIST_ROW })
@Entity({ tableName: 'catalogue_item' })
@Unique({ name: 'catalogue_item_category_name_unique', properties: ['catalogue', 'category', 'name'] })
export class CatalogueItem extends BaseEntity {
  @Index({ name: 'catalogue_item_catalogue_idx' })
  @ManyToOne(() => Catalogue, { ref: true, deleteRule: 'cascade' })
  catalogue!: Ref<Catalogue>;

  /** Denormalised from the catalogue so row-level security needs no join. */
  @Index({ name: 'catalogue_item_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => Int, { description: '序号 (position in the table)' })
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => String, { description: '目录类别 (category)' })
  @Property({ type: 'string', length: 100 })
  category!: string;

  @Field(() => String, { description: '目录名称 (item name, usually the website column)' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { description: '公开内容 (what must be published)' })
  @Property({ type: 'text', default: '' })
  content: string & Opt = '';

  @Field(() => DisclosureType, { nullable: true, description: '政务五公开 (five-disclosure type; may be blank as in real tables)' })
  @Enum({ items: () => DisclosureType, nativeEnumName: 'disclosure_type', nullable: true })
  disclosureType?: DisclosureType | null;

  @Field(() => String, { description: '公开主体原文 (responsible units as written, incl. collective phrases such as 各派出所)' })
  @Property({ type: 'string', length: 500, default: '' })
  unitsText: string & Opt = '';

  @Field(() => String, { description: '公开时限原文 (time limit as written)' })
  @Property({ type: 'string', length: 200, default: '' })
  timeLimitText: string & Opt = '';

  @Property({ type: 'json', nullable: true })
  deadlineRule?: DeadlineRule | null;

  @Field(() => DeadlineEvent, { nullable: true, description: '时限起算事件 (event the time limit counts from)' })
  @Enum({ items: () => DeadlineEvent, nativeEnumName: 'deadline_event', nullable: true })
  deadlineEvent?: DeadlineEvent | null;

  @Field(() => String, {
    nullable: true,
    description: '时限待核实 (why the time-limit wording could not be read; set instead of guessing)',
  })
  @Property({ type: 'string', length: 300, nullable: true })
  timeLimitWarning?: string | null;

  @Field(() => [String], { description: '公开方式 (channels: 政府网站, 政务微信, 政务微博, 报刊, 办公场所 …)' })
  @Property({ type: 'array', columnType: 'text[]', default: '{}' })
  channels: string[] & Opt = [];

  @Field(() => String, { description: '公开对象 (audience: 全社会 or a named group)' })
  @Property({ type: 'string', length: 100, default: '全社会' })
  audience: string & Opt = '全社会';

  @Field(() => String, { description: '公开依据 (legal basis)' })
  @Property({ type: 'text', default: '' })
  legalBasis: string & Opt = '';

  @Field(() => String, { nullable: true, description: '网站栏目路径 (website column path)' })
  @Property({ type: 'string', length: 300, nullable: true })
  websiteColumn?: string | null;

  /** Set on items adopted from a standard catalogue; the link survives local edits so drift is measurable. */
  @Index({ name: 'catalogue_item_standard_item_idx' })
  @ManyToOne(() => CatalogueItem, { ref: true, nullable: true, deleteRule: 'set null' })
  standardItem?: Ref<CatalogueItem> | null;
}

/** 公开主体 — the internal units responsible for an item. */
@Entity({ tableName: 'catalogue_item_unit' })
export class CatalogueItemUnit {
  @ManyToOne(() => CatalogueItem, { primary: true, ref: true, deleteRule: 'cascade' })
  item!: Ref<CatalogueItem>;

  @Index({ name: 'catalogue_item_unit_unit_idx' })
  @ManyToOne(() => Unit, { primary: true, ref: true, deleteRule: 'cascade' })
  unit!: Ref<Unit>;

  @Index({ name: 'catalogue_item_unit_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  [PrimaryKeyProp]?: ['item', 'unit'];
}

/** A standard item an adopter left out, with the reason it recorded (只有记录理由才可删减). */
@ObjectType('CatalogueOmission', { description: '标准事项删减记录 (a standard item left out by an adopting agency, with its reason)' })
@Entity({ tableName: 'catalogue_omission' })
@Unique({ name: 'catalogue_omission_unique', properties: ['catalogue', 'standardItem'] })
export class CatalogueOmission extends BaseEntity {
  @Index({ name: 'catalogue_omission_catalogue_idx' })
  @ManyToOne(() => Catalogue, { ref: true, deleteRule: 'cascade' })
  catalogue!: Ref<Catalogue>;

  @Index({ name: 'catalogue_omission_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Index({ name: 'catalogue_omission_standard_item_idx' })
  @ManyToOne(() => CatalogueItem, { ref: true, deleteRule: 'cascade' })
  standardItem!: Ref<CatalogueItem>;

  @Field(() => String, { description: '删减理由 (reason for leaving the standard item out)' })
  @Property({ type: 'string', length: 500 })
  reason!: string;

  @Field(() => String, { description: '记录人 (who recorded it)' })
  @Property({ type: 'string', length: 64 })
  recordedBy!: string;
}
