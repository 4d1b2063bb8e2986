import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';

/** 目录类型 — an agency's own catalogue, or a standard one published for its subordinates. */
export enum CatalogueKind {
  AGENCY = 'AGENCY',
  STANDARD = 'STANDARD',
}

/** 目录状态 */
export enum CatalogueStatus {
  DRAFT = 'DRAFT',
  IN_FORCE = 'IN_FORCE',
  ARCHIVED = 'ARCHIVED',
}

registerEnumType(CatalogueKind, {
  name: 'CatalogueKind',
  description: '目录类型 (catalogue kind)',
  valuesConfig: {
    AGENCY: { description: '本机关主动公开基本目录 (the agency’s own catalogue)' },
    STANDARD: { description: '标准目录 (a standard catalogue published for subordinate agencies)' },
  },
});
registerEnumType(CatalogueStatus, {
  name: 'CatalogueStatus',
  description: '目录状态 (catalogue status)',
  valuesConfig: {
    DRAFT: { description: '草稿 (draft: visible only inside the owning agency’s subtree)' },
    IN_FORCE: { description: '施行 (in force; a standard in force is visible to subordinates)' },
    ARCHIVED: { description: '归档 (archived, read-only)' },
  },
});

/** 主动公开基本目录 — one per agency, year and kind. */
@ObjectType('Catalogue', { description: '主动公开基本目录 (proactive-disclosure catalogue) of one agency and year' })
@Entity({ tableName: 'catalogue' })
@Unique({ name: 'catalogue_agency_year_kind_unique', properties: ['agency', 'year', 'kind'] })
export class Catalogue extends BaseEntity {
  @Index({ name: 'catalogue_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => Int, { description: '年度 (year)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => CatalogueKind, { description: '目录类型 (kind)' })
  @Enum({ items: () => CatalogueKind, nativeEnumName: 'catalogue_kind' })
  kind!: CatalogueKind;

  @Field(() => CatalogueStatus, { description: '状态 (status)' })
  @Enum({ items: () => CatalogueStatus, nativeEnumName: 'catalogue_status', default: CatalogueStatus.DRAFT })
  status: CatalogueStatus & Opt = CatalogueStatus.DRAFT;

  @Field(() => String, { description: '标题 (title), e.g. 2024年济宁市公安局兖州分局主动公开基本目录' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  /** Bumped by every change to an in-force standard, so adopters can be told they are behind. */
  @Field(() => Int, { description: '修订号 (revision; standards count their changes after publication)' })
  @Property({ type: 'integer', default: 1 })
  revision: number & Opt = 1;

  @Index({ name: 'catalogue_adopted_standard_idx' })
  @ManyToOne(() => Catalogue, { ref: true, nullable: true, deleteRule: 'set null' })
  adoptedStandard?: Ref<Catalogue> | null;

  @Field(() => Int, { nullable: true, description: '已采用的标准目录修订号 (revision of the standard last adopted)' })
  @Property({ type: 'integer', nullable: true })
  adoptedRevision?: number | null;
}
