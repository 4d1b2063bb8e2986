import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import type { Lean } from '../../db/row-mapper';
import { ConnectionType } from '../../graphql/connection';
import { CatalogueItem } from '../catalogue/catalogue-item.entity';
import { DateScalar } from '../calendar/date-scalar';
import { DeadlineRuleType } from '../catalogue/catalogue.inputs';
import {
  DisclosureAttribute,
  NegativeListEntry,
  Publication,
  PublicationStatus,
  ReviewConclusion,
  SignOffLevel,
} from './publication.entity';
import { LIST_ROW } from '../../graphql/row-types';

export const PublicationConnection = ConnectionType(Publication, 'Publication', '信息发布');
export const NegativeListEntryConnection = ConnectionType(NegativeListEntry, 'NegativeListEntry', '负面清单事项');

const URL_PATTERN = /^https?:\/\/\S+$/i;
const URL_MESSAGE = '网址应以 http:// 或 https:// 开头 (url must start with http:// or https://)';

export enum Timeliness {
  ON_TIME = 'ON_TIME',
  LATE = 'LATE',
  DUE_SOON = 'DUE_SOON',
  OVERDUE = 'OVERDUE',
  PENDING = 'PENDING',
}
registerEnumType(Timeliness, {
  name: 'Timeliness',
  description: '时效状态 (timeliness against the due date, as of today in China)',
  valuesConfig: {
    ON_TIME: { description: '按时发布 (published on or before the due date, or nothing was due)' },
    LATE: { description: '逾期发布 (published after the due date)' },
    DUE_SOON: { description: '即将到期 (unpublished, due today or within 3 working days)' },
    OVERDUE: { description: '已超期未发布 (unpublished and past the due date)' },
    PENDING: { description: '未到期 (unpublished, not yet due soon, or nothing due)' },
  },
});

export enum ExplanationStepKindEnum {
  COUNTED = 'COUNTED',
  COUNTED_MAKEUP_WORKDAY = 'COUNTED_MAKEUP_WORKDAY',
  SKIPPED_WEEKEND = 'SKIPPED_WEEKEND',
  SKIPPED_HOLIDAY = 'SKIPPED_HOLIDAY',
  PAUSED = 'PAUSED',
  EXTENSION = 'EXTENSION',
}
registerEnumType(ExplanationStepKindEnum, {
  name: 'ExplanationStepKind',
  description: '计算步骤类型 (kind of a step in a deadline explanation)',
  valuesConfig: {
    COUNTED: { description: '计入的工作日或自然日 (a counted day)' },
    COUNTED_MAKEUP_WORKDAY: { description: '计入的调休工作日 (a counted make-up working day)' },
    SKIPPED_WEEKEND: { description: '跳过的周末 (a skipped weekend day)' },
    SKIPPED_HOLIDAY: { description: '跳过的节假日 (a skipped holiday)' },
    PAUSED: { description: '暂停计算 (a day the clock was stopped)' },
    EXTENSION: { description: '延长期限中计入的工作日 (a counted day of an extension)' },
  },
});

@ObjectType('DeadlineExplanationStep', { description: '截止日计算步骤 (one day examined while computing a due date)' })
export class DeadlineExplanationStep {
  @Field(() => DateScalar, { description: '日期 (date)' })
  date!: string;

  @Field(() => ExplanationStepKindEnum, { description: '类型 (kind)' })
  kind!: ExplanationStepKindEnum;

  @Field(() => Int, { nullable: true, description: '第几日 (ordinal of a counted day)' })
  ordinal?: number | null;

  @Field(() => String, { nullable: true, description: '节假日名称 (holiday name)' })
  name?: string | null;
}

@ObjectType('DeadlineExplanation', { description: '截止日计算说明 (how a due date was computed)' })
export class DeadlineExplanation {
  @Field(() => String, { description: '说明 (summary in words)' })
  summary!: string;

  @Field(() => String, { description: '起算日 (start date or instant)' })
  start!: string;

  @Field(() => [DeadlineExplanationStep], { description: '逐日步骤 (day-by-day steps)' })
  steps!: DeadlineExplanationStep[];
}

@ObjectType('PublicationDeadline', { description: '公开时限 (the due date of a publication, as stored)' })
export class PublicationDeadline {
  @Field(() => DateScalar, { nullable: true, description: '截止日 (due date; null when nothing is due)' })
  due!: string | null;

  @Field(() => Boolean, { description: '是否暂定 (provisional: depends on a year whose holidays are not confirmed)' })
  provisional!: boolean;

  @Field(() => [String], { description: '暂定原因 (why provisional)' })
  reasons!: string[];

  @Field(() => [Int], { description: '依据的日历年度 (calendar years the due date depends on)' })
  yearsConsulted!: number[];

  @Field(() => DeadlineRuleType, { nullable: true, description: '计算时采用的时限规则 (the item’s rule when computed)' })
  rule!: DeadlineRuleType | null;

  @Field(() => DeadlineExplanation, { description: '计算说明 (explanation)' })
  explanation!: DeadlineExplanation;
}

@ObjectType('ApprovalOpinion', { description: '审核意见 (an opinion on the approval form)' })
export class ApprovalOpinion {
  @Field(() => Boolean, { description: '是否同意 (approved)' })
  approved!: boolean;

  @Field(() => String, { description: '意见 (opinion)' })
  opinion!: string;

  @Field(() => String, { description: '签字人 (name)' })
  name!: string;

  @Field(() => DateScalar, { description: '日期 (date)' })
  date!: string;
}

@ObjectType('ApprovalFormReview', { description: '保密审查栏 (the confidentiality review on the approval form)' })
export class ApprovalFormReview {
  @Field(() => ReviewConclusion, { description: '结论 (conclusion)' })
  conclusion!: ReviewConclusion;

  @Field(() => String, { description: '审查人 (reviewer)' })
  reviewer!: string;

  @Field(() => DateScalar, { description: '日期 (date)' })
  date!: string;

  @Field(() => String, { description: '审查意见 (notes)' })
  notes!: string;
}

@ObjectType('ApprovalForm', { description: '互联网上网信息发布审批表 (002 Attachment 2: the publication approval form)' })
export class ApprovalForm {
  @Field(() => DateScalar, { nullable: true, description: '填表日期 (date of the form: when this round was submitted)' })
  date!: string | null;

  @Field(() => String, { description: '稿件题目 (title)' })
  title!: string;

  @Field(() => String, { description: '拟上网位置或载体 (target website column or channel)' })
  targetColumn!: string;

  @Field(() => String, { description: '撰稿单位 (drafting unit)' })
  draftingUnit!: string;

  @Field(() => String, { description: '撰稿人 (drafter)' })
  drafter!: string;

  @Field(() => ApprovalOpinion, { nullable: true, description: '单位负责人意见 (unit head’s opinion, name and date)' })
  unitHeadOpinion!: ApprovalOpinion | null;

  @Field(() => ApprovalOpinion, { nullable: true, description: '局领导审核意见 (bureau leader’s opinion, name and date)' })
  leaderOpinion!: ApprovalOpinion | null;

  @Field(() => ApprovalFormReview, { nullable: true, description: '保密审查 (confidentiality review: conclusion, reviewer, date)' })
  confidentialityReview!: ApprovalFormReview | null;
}

// ---- inputs ------------------------------------------------------------------------------------

@InputType({ description: '信息发布筛选 (publication filter)' })
export class PublicationFilter {
  @Field(() => ID, { nullable: true, description: '机关 (only this agency)' })
  agencyId?: string | null;

  @Field(() => ID, { nullable: true, description: '此机关及其下级 (this agency and its subtree)' })
  underAgencyId?: string | null;

  @Field(() => ID, { nullable: true, description: '目录事项 (catalogue item)' })
  catalogueItemId?: string | null;

  @Field(() => ID, { nullable: true, description: '撰稿单位 (drafting unit)' })
  draftingUnitId?: string | null;

  @Field(() => PublicationStatus, { nullable: true, description: '流程状态 (state)' })
  status?: PublicationStatus | null;

  @Field(() => DisclosureAttribute, { nullable: true, description: '公开属性 (disclosure attribute)' })
  disclosureAttribute?: DisclosureAttribute | null;

  @Field(() => Boolean, { nullable: true, description: '只看已超期未发布的 (only unpublished ones past their due date)' })
  overdueOnly?: boolean | null;

  @Field(() => String, { nullable: true, description: '题目包含 (title contains)' })
  @IsOptional()
  @MaxLength(100)
  text?: string | null;
}

@InputType({ description: '起草信息发布 (draft a publication)' })
export class CreatePublicationInput {
  @Field(() => ID, { description: '目录事项 (catalogue item of the agency’s own catalogue)' })
  catalogueItemId!: string;

  @Field(() => String, { description: '稿件题目 (title)' })
  @MinLength(2)
  @MaxLength(300)
  title!: string;

  @Field(() => DateScalar, { description: '信息形成或变更之日 (date formed or changed; not in the future)' })
  formedOn!: string;

  @Field(() => DisclosureAttribute, { description: '公开属性 (disclosure attribute, required: a draft without one is sent back)' })
  disclosureAttribute!: DisclosureAttribute;

  @Field(() => String, { nullable: true, description: '不予公开的法律依据 (legal reason; required for NOT_DISCLOSED)' })
  @IsOptional()
  @MaxLength(1000)
  nonDisclosureReason?: string | null;

  @Field(() => ID, { nullable: true, description: '撰稿单位 (drafting unit; defaults to the caller’s unit)' })
  draftingUnitId?: string | null;

  @Field(() => String, { nullable: true, description: '公开方式 (channel; default 政府网站)' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(50)
  channel?: string | null;

  @Field(() => String, { nullable: true, description: '拟上网位置 (website column; default the item’s column)' })
  @IsOptional()
  @MaxLength(300)
  websiteColumn?: string | null;

  @Field(() => String, { nullable: true, description: '网址 (URL, if already known)' })
  @IsOptional()
  @MaxLength(1000)
  @Matches(URL_PATTERN, { message: URL_MESSAGE })
  url?: string | null;

  @Field(() => Boolean, { defaultValue: false, description: '含个人信息 (contains personal information)' })
  containsPersonalInfo: boolean = false;
}

@InputType({
  description:
    '补录历史发布记录：本机关启用系统之前已上网的信息，按原日期录入，不计为经系统审核 (enter a publication made before the agency used the system, with its original dates; it never counts as reviewed)',
})
export class RecordHistoricalPublicationInput {
  @Field(() => ID, { description: '目录事项 (catalogue item of the agency’s own catalogue)' })
  catalogueItemId!: string;

  @Field(() => String, { description: '稿件题目 (title as published)' })
  @MinLength(2)
  @MaxLength(300)
  title!: string;

  @Field(() => DateScalar, { description: '信息形成或变更之日 (date formed or changed)' })
  formedOn!: string;

  @Field(() => DateScalar, { description: '原发布日期 (original publication date: not before formedOn, before the agency began using the system)' })
  publishedOn!: string;

  @Field(() => String, { description: '网址 (URL where it was published)' })
  @MaxLength(1000)
  @Matches(URL_PATTERN, { message: URL_MESSAGE })
  url!: string;

  @Field(() => ID, { description: '撰稿单位 (drafting unit of the agency)' })
  draftingUnitId!: string;

  @Field(() => String, { nullable: true, description: '原撰稿人 (original drafter’s name, if known)' })
  @IsOptional()
  @MaxLength(100)
  drafterName?: string | null;

  @Field(() => String, { nullable: true, description: '公开方式 (channel; default 政府网站)' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(50)
  channel?: string | null;

  @Field(() => String, { nullable: true, description: '上网位置 (website column; default the item’s column)' })
  @IsOptional()
  @MaxLength(300)
  websiteColumn?: string | null;

  @Field(() => String, { description: '补录依据 (source of the record, e.g. the website archive or the paper approval form)' })
  @MinLength(2)
  @MaxLength(1000)
  source!: string;
}

@InputType({ description: '修改起草中的信息发布 (edit a publication in draft)' })
export class UpdatePublicationInput {
  @Field(() => ID, { description: '信息发布 (publication)' })
  id!: string;

  @Field(() => ID, { nullable: true, description: '目录事项 (catalogue item)' })
  catalogueItemId?: string | null;

  @Field(() => String, { nullable: true, description: '稿件题目 (title)' })
  @IsOptional()
  @MinLength(2)
  @MaxLength(300)
  title?: string | null;

  @Field(() => DateScalar, { nullable: true, description: '信息形成或变更之日 (date formed or changed)' })
  formedOn?: string | null;

  @Field(() => DisclosureAttribute, { nullable: true, description: '公开属性 (disclosure attribute)' })
  disclosureAttribute?: DisclosureAttribute | null;

  @Field(() => String, { nullable: true, description: '不予公开的法律依据 (legal reason for NOT_DISCLOSED)' })
  @IsOptional()
  @MaxLength(1000)
  nonDisclosureReason?: string | null;

  @Field(() => ID, { nullable: true, description: '撰稿单位 (drafting unit)' })
  draftingUnitId?: string | null;

  @Field(() => String, { nullable: true, description: '公开方式 (channel)' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(50)
  channel?: string | null;

  @Field(() => String, { nullable: true, description: '拟上网位置 (website column; empty to use the item’s)' })
  @IsOptional()
  @MaxLength(300)
  websiteColumn?: string | null;

  @Field(() => String, { nullable: true, description: '网址 (URL)' })
  @IsOptional()
  @MaxLength(1000)
  @Matches(URL_PATTERN, { message: URL_MESSAGE })
  url?: string | null;

  @Field(() => Boolean, { nullable: true, description: '含个人信息 (contains personal information)' })
  containsPersonalInfo?: boolean | null;
}

@InputType({ description: '提交审核 (submit for review)' })
export class SubmitPublicationInput {
  @Field(() => ID, { description: '信息发布 (publication)' })
  publicationId!: string;

  @Field(() => String, { nullable: true, description: '说明 (note)' })
  @IsOptional()
  @MaxLength(1000)
  note?: string | null;
}

@InputType({ description: '保密审查 (record the confidentiality review)' })
export class RecordConfidentialityReviewInput {
  @Field(() => ID, { description: '信息发布 (publication)' })
  publicationId!: string;

  @Field(() => ReviewConclusion, { description: '结论 (conclusion)' })
  conclusion!: ReviewConclusion;

  @Field(() => String, { nullable: true, description: '审查意见 (notes; required when FAILED)' })
  @IsOptional()
  @MaxLength(2000)
  notes?: string | null;
}

@InputType({ description: '审核签字 (sign off as unit head or leader)' })
export class SignOffPublicationInput {
  @Field(() => ID, { description: '信息发布 (publication)' })
  publicationId!: string;

  @Field(() => SignOffLevel, { description: '层级 (level)' })
  level!: SignOffLevel;

  @Field(() => Boolean, { description: '是否同意 (approve; false returns it to the drafter)' })
  approve!: boolean;

  @Field(() => String, { nullable: true, description: '意见或退回理由 (opinion; required to reject)' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string | null;
}

@InputType({ description: '上网发布 (publish)' })
export class PublishPublicationInput {
  @Field(() => ID, { description: '信息发布 (publication)' })
  publicationId!: string;

  @Field(() => DateScalar, { description: '发布日期 (date published; not before formation, not in the future)' })
  publishedOn!: string;

  @Field(() => String, { nullable: true, description: '网址 (URL online)' })
  @IsOptional()
  @MaxLength(1000)
  @Matches(URL_PATTERN, { message: URL_MESSAGE })
  url?: string | null;
}

@InputType({ description: '撰稿人确认已去标识化 (the drafter confirms personal information was de-identified)' })
export class ConfirmDeidentificationInput {
  @Field(() => ID, { description: '信息发布 (publication)' })
  publicationId!: string;

  @Field(() => String, { nullable: true, description: '说明 (how it was de-identified)' })
  @IsOptional()
  @MaxLength(1000)
  note?: string | null;
}

@InputType({ description: '列入负面清单 (add a matter to the negative list)' })
export class AddNegativeListEntryInput {
  @Field(() => ID, { description: '机关 (agency)' })
  agencyId!: string;

  @Field(() => String, { description: '事项 (matter)' })
  @MinLength(2)
  @MaxLength(500)
  matter!: string;

  @Field(() => String, { description: '不予公开的法律依据 (legal reason)' })
  @MinLength(2)
  @MaxLength(1000)
  legalReason!: string;

  @Field(() => ID, { nullable: true, description: '对应的目录事项 (catalogue item, if the matter is one)' })
  catalogueItemId?: string | null;
}

@InputType({ description: '移出负面清单 (remove a negative-list entry)' })
export class RemoveNegativeListEntryInput {
  @Field(() => ID, { description: '负面清单事项 (entry)' })
  id!: string;
}

// ---- payloads ----------------------------------------------------------------------------------

@ObjectType({ description: '信息发布变更结果 (publication payload)' })
export class PublicationPayload {
  @Field(() => Publication, { description: '信息发布 (publication)' })
  publication!: Publication;
}

@ObjectType({ description: '负面清单变更结果 (negative-list entry payload)' })
export class NegativeListEntryPayload {
  @Field(() => NegativeListEntry, { description: '负面清单事项 (entry)' })
  entry!: NegativeListEntry;
}

@ObjectType({ description: '移出负面清单结果 (removal payload)' })
export class RemoveNegativeListEntryPayload {
  @Field(() => ID, { description: '已移除的事项 (removed entry id)' })
  removedId!: string;
}

// ---- compliance --------------------------------------------------------------------------------

@InputType({ description: '考核统计区间 (compliance period)' })
export class ComplianceFilter {
  @Field(() => DateScalar, { description: '开始日期 (first day)' })
  from!: string;

  @Field(() => DateScalar, { description: '结束日期 (last day)' })
  to!: string;

  @Field(() => ID, {
    nullable: true,
    description: '机关 (publicationCompliance: only this agency; complianceRollup: this agency’s subtree; default the caller’s)',
  })
  agencyId?: string | null;
}

@ObjectType('ComplianceFigures', { description: '考核指标 (compliance figures of one agency or subtree)', ...LIST_ROW })
export class ComplianceFigures {
  @Field(() => Int, { description: '目录事项数 (catalogue items)' })
  itemCount!: number;

  @Field(() => Int, { description: '期内到期的发布数 (publications due in the period)' })
  dueInPeriod!: number;

  @Field(() => Int, { description: '按时发布 (published on time)' })
  onTime!: number;

  @Field(() => Int, { description: '逾期发布 (published late)' })
  late!: number;

  @Field(() => Int, { description: '超期未发布，截至今日 (unpublished past due, as of today)' })
  overdue!: number;

  @Field(() => Int, { description: '未到期未发布 (unpublished, not yet due)' })
  pending!: number;

  @Field(() => Float, { nullable: true, description: '按时率 = 按时 ÷ (按时 + 逾期 + 超期) (on-time rate from summed counts; null when nothing was judged)' })
  onTimeRate!: number | null;

  @Field(() => Int, { description: '期内发布数 (publications published in the period)' })
  publishedInPeriod!: number;

  @Field(() => Int, { description: '长期未更新的事项 (stale items)' })
  staleItems!: number;

  @Field(() => Int, { description: '从未发布的空栏目 (empty items: nothing ever published)' })
  emptyItems!: number;

  @Field(() => Int, { description: '期内有发布的事项 (items with at least one publication in the period: catalogue coverage)' })
  coveredItems!: number;

  @Field(() => Int, { description: '其中补录的按时发布 (of onTime: historical records, entered with their original dates and never reviewed in the system)' })
  historicalOnTime!: number;

  @Field(() => Int, { description: '其中补录的逾期发布 (of late: historical records)' })
  historicalLate!: number;

  @Field(() => Int, { description: '其中补录的期内发布 (of publishedInPeriod: historical records)' })
  historicalPublished!: number;
}

@ObjectType('ItemCompliance', { description: '目录事项考核指标 (compliance of one catalogue item)', ...LIST_ROW })
export class ItemCompliance {
  itemId!: string;
  agencyId!: string;
  /**
   * The item as the query selected it (see ComplianceService.compliance), always brought by the
   * compliance statement: a plain field, so thousands of rows resolve it without a resolver call each.
   */
  @Field(() => CatalogueItem, { description: '目录事项 (item)' })
  item!: Lean<CatalogueItem>;

  @Field(() => Int, { description: '期内到期的发布数 (publications due in the period)' })
  dueInPeriod!: number;

  @Field(() => Int, { description: '按时发布 (on time)' })
  onTime!: number;

  @Field(() => Int, { description: '逾期发布 (late)' })
  late!: number;

  @Field(() => Int, { description: '超期未发布 (overdue as of today)' })
  overdue!: number;

  @Field(() => Int, { description: '未到期未发布 (pending)' })
  pending!: number;

  @Field(() => Float, { nullable: true, description: '按时率 (on-time rate; null when nothing was judged)' })
  onTimeRate!: number | null;

  @Field(() => Int, { description: '期内发布数 (published in the period)' })
  publishedInPeriod!: number;

  @Field(() => DateScalar, { nullable: true, description: '截至期末最近一次发布 (newest publication up to the period end)' })
  lastPublishedOn!: string | null;

  @Field(() => Boolean, {
    description:
      '长期未更新 (stale: a keep-current item older than its maximum age at the period end, or with nothing in the period when it has none; a yearly item with nothing in the period)',
  })
  stale!: boolean;

  @Field(() => Boolean, { description: '空栏目 (empty: nothing published up to the period end)' })
  empty!: boolean;
}

@ObjectType('AgencyCompliance', { description: '机关考核指标 (compliance of one agency’s own items)' })
export class AgencyCompliance {
  agencyId!: string;

  @Field(() => ComplianceFigures, { description: '指标 (figures)' })
  figures!: ComplianceFigures;
}

@ObjectType('PublicationCompliance', { description: '信息发布考核 (compliance per catalogue item and per agency)' })
export class PublicationCompliance {
  @Field(() => DateScalar, { description: '开始日期 (first day)' })
  from!: string;

  @Field(() => DateScalar, { description: '结束日期 (last day)' })
  to!: string;

  @Field(() => DateScalar, { description: '超期判断基准日 (today in China: the reference for overdue)' })
  asOf!: string;

  @Field(() => [ItemCompliance], { description: '各目录事项 (per item)' })
  items!: ItemCompliance[];

  @Field(() => [AgencyCompliance], { description: '各机关 (per agency)' })
  agencies!: AgencyCompliance[];
}

@ObjectType('ComplianceRollupRow', { description: '汇总行 (one agency: its own items and its whole subtree)' })
export class ComplianceRollupRow {
  agencyId!: string;

  @Field(() => ComplianceFigures, { description: '本机关 (the agency’s own items)' })
  own!: ComplianceFigures;

  @Field(() => ComplianceFigures, { description: '含全部下级 (the agency and everything below it)' })
  subtree!: ComplianceFigures;
}

@ObjectType('ComplianceRollup', { description: '下级考核汇总 (compliance of every agency in a subtree)' })
export class ComplianceRollup {
  @Field(() => DateScalar, { description: '开始日期 (first day)' })
  from!: string;

  @Field(() => DateScalar, { description: '结束日期 (last day)' })
  to!: string;

  @Field(() => DateScalar, { description: '超期判断基准日 (today in China)' })
  asOf!: string;

  @Field(() => [ComplianceRollupRow], { description: '各机关，按层级排列 (one row per agency, top down)' })
  rows!: ComplianceRollupRow[];
}
