import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { DateScalar } from '../calendar/date-scalar';

/** 模板版本 — which template a report's tables follow; stored with every report. */
export enum ReportTemplate {
  /** 国办公开办函〔2021〕30号, in force from the 2021 reports. */
  GOV_2021 = 'GOV_2021',
  /** 国办公开办函〔2019〕60号 (trial format, 2019–2020 reports). */
  GOV_2019 = 'GOV_2019',
  /** Reports before 2019 (e.g. document 004, 2017), entered by hand with their own rows. */
  PRE_2019 = 'PRE_2019',
}

export enum ReportStatus {
  DRAFT = 'DRAFT',
  FINAL = 'FINAL',
}

registerEnumType(ReportTemplate, {
  name: 'ReportTemplate',
  description: '年度报告模板版本 (template version of an annual report)',
  valuesConfig: {
    GOV_2021: { description: '国办公开办函〔2021〕30号 (from the 2021 reports; tables computed from the records)' },
    GOV_2019: { description: '国办公开办函〔2019〕60号 (trial format; entered by hand)' },
    PRE_2019: { description: '2019年以前的报告 (earlier reports, e.g. 常熟 2017; entered by hand)' },
  },
});
registerEnumType(ReportStatus, {
  name: 'ReportStatus',
  description: '年度报告状态 (report status)',
  valuesConfig: {
    DRAFT: { description: '草稿 (draft: tables are recomputed from the records on every read)' },
    FINAL: { description: '定稿 (final: frozen, every check passed)' },
  },
});

/**
 * 政府信息公开工作年度报告 — one per agency and year. A draft of the 2021 template computes Table 3 and
 * Table 4 from the request records on every read; finalising stores them (frozen) after every check
 * passes. Table 2 is entered figures with their sources; older templates are entered whole.
 */
@ObjectType('AnnualReport', { description: '政府信息公开工作年度报告 (an agency’s annual report on government information disclosure)' })
@Entity({ tableName: 'annual_report' })
@Unique({ name: 'annual_report_agency_year_unique', properties: ['agency', 'year'] })
@Check({ name: 'annual_report_year_range', expression: 'year >= 2008 and year <= 2100' })
@Check({ name: 'annual_report_final_state', expression: `(status = 'FINAL') = (finalised_at is not null)` })
export class AnnualReport extends BaseEntity {
  @Index({ name: 'annual_report_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => Int, { description: '报告年度 (the year reported on)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => ReportTemplate, { description: '模板版本 (template version)' })
  @Enum({ items: () => ReportTemplate, nativeEnumName: 'report_template' })
  template!: ReportTemplate;

  @Field(() => ReportStatus, { description: '状态 (status)' })
  @Enum({ items: () => ReportStatus, nativeEnumName: 'report_status', default: ReportStatus.DRAFT })
  status: ReportStatus & Opt = ReportStatus.DRAFT;

  @Field(() => String, { description: '标题 (title)' })
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => String, { description: '一、总体情况 (overview)' })
  @Property({ type: 'text', default: '' })
  overview: string & Opt = '';

  @Field(() => String, { description: '五、存在的主要问题及改进情况 (problems and improvements)' })
  @Property({ type: 'text', default: '' })
  problems: string & Opt = '';

  @Field(() => String, { description: '六、其他需要报告的事项 (other matters)' })
  @Property({ type: 'text', default: '' })
  otherMatters: string & Opt = '';

  /** Table 2: the agency's entered figures, each with its source. */
  @Property({ type: 'json' })
  table2!: unknown;

  /** Table 3 and Table 4 as frozen at finalisation, or entered by hand (older templates); null while a computed draft. */
  @Property({ type: 'json', nullable: true })
  table3?: unknown;

  @Property({ type: 'json', nullable: true })
  table4?: unknown;

  /** Older templates: their own rows as entered (label → value), kept as written. */
  @Property({ type: 'json', nullable: true })
  legacyFigures?: unknown;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '定稿时间 (finalised at)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finalisedAt?: Date | null;

  @Field(() => String, { nullable: true, description: '定稿人 (username)' })
  @Property({ type: 'string', length: 64, nullable: true })
  finalisedBy?: string | null;

  @Field(() => DateScalar, { nullable: true, description: '公开发布日期 (date published; due by 31 January of the next year)' })
  @Property({ type: 'date', nullable: true })
  publishedOn?: string | null;

  @Field(() => String, { nullable: true, description: '发布地址 (URL)' })
  @Property({ type: 'string', length: 2000, nullable: true })
  publishedUrl?: string | null;
}
