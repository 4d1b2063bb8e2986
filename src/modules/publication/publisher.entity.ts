import { Entity, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';

/**
 * 指定发布单位 (002 §21): a unit of an agency designated to put publications online itself, for the
 * given website columns (empty: every column) — as 法制大队 publishes its own columns. Without a
 * designation only the agency's openness office (an administrator of the agency or above) publishes.
 * Exposed through `PublisherDesignationView` (publisher.inputs.ts).
 */
@Entity({ tableName: 'publisher_designation' })
@Unique({ name: 'publisher_designation_agency_unit_unique', properties: ['agency', 'unit'] })
export class PublisherDesignation extends BaseEntity {
  /** Looked up by the unique (agency, unit) index. */
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Index({ name: 'publisher_designation_unit_idx' })
  @ManyToOne(() => Unit, { ref: true, deleteRule: 'cascade' })
  unit!: Ref<Unit>;

  /** Catalogue items' website columns the unit publishes (empty: every column). */
  @Property({ type: 'array', columnType: 'text[]', default: '{}' })
  websiteColumns: string[] & Opt = [];

  @Property({ type: 'string', length: 64 })
  createdBy!: string;
}
