import { Check, Entity, Index, ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { DateScalar } from '../calendar/date-scalar';
import { pointsColumn } from './scheme.entity';

/** 察访核验 — at least one per assessed agency per half year (001 §二十二); its deductions count in the result. */
@ObjectType('Inspection', { description: '察访核验 (an inspection of an agency, with findings and deductions)' })
@Entity({ tableName: 'inspection' })
@Check({ name: 'inspection_half', expression: 'half >= 1 and half <= 2' })
export class Inspection extends BaseEntity {
  /** The inspected agency (tenancy). */
  @Index({ name: 'inspection_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  /** The inspecting (assessing) agency, whose scheme's indicators the findings name. */
  @Index({ name: 'inspection_inspector_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  inspector!: Ref<Agency>;

  @Field(() => Int, { description: '年度 (year)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => Int, { description: '半年 (half: 1 = January–June, 2 = July–December)' })
  @Property({ type: 'smallint' })
  half!: number;

  @Field(() => DateScalar, { description: '核验日期 (date of the inspection)' })
  @Property({ type: 'date' })
  inspectedOn!: string;

  @Field(() => String, { description: '核验人员 (inspectors)' })
  @Property({ type: 'string', length: 200, default: '' })
  inspectors: string & Opt = '';

  @Field(() => String, { description: '核验情况 (summary)' })
  @Property({ type: 'text', default: '' })
  summary: string & Opt = '';

  @Field(() => String, { description: '录入人 (username)' })
  @Property({ type: 'string', length: 64 })
  recordedBy!: string;
}

/** 核验发现 — a finding with its deduction against an indicator of the inspecting agency's scheme. */
@ObjectType('InspectionFinding', { description: '核验发现的问题及扣分 (a finding and its deduction)' })
@Entity({ tableName: 'inspection_finding' })
@Check({ name: 'inspection_finding_points', expression: 'points >= 0 and points <= 100' })
export class InspectionFinding extends BaseEntity {
  @Index({ name: 'inspection_finding_inspection_idx' })
  @ManyToOne(() => Inspection, { ref: true, deleteRule: 'cascade' })
  inspection!: Ref<Inspection>;

  @Index({ name: 'inspection_finding_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => String, { description: '指标编号 (indicator code)' })
  @Property({ type: 'string', length: 20 })
  indicatorCode!: string;

  @Field(() => Float, { description: '扣分 (points deducted; 0 for a finding without deduction)' })
  @Property(pointsColumn())
  points!: number;

  @Field(() => String, { description: '发现的问题 (what was found)' })
  @Property({ type: 'text' })
  finding!: string;

  @Index({ name: 'inspection_finding_unit_idx' })
  @ManyToOne(() => Unit, { ref: true, nullable: true, deleteRule: 'set null' })
  unit?: Ref<Unit> | null;

  @Field(() => String, { nullable: true, description: '佐证链接 (evidence URL)' })
  @Property({ type: 'string', length: 2000, nullable: true })
  evidenceUrl?: string | null;
}
