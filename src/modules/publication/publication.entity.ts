import { ArrayType, Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { Account } from '../account/account.entity';
import { CatalogueItem } from '../catalogue/catalogue-item.entity';
import type { DeadlineRule } from '../calendar/deadline-rule';
import { DateScalar } from '../calendar/date-scalar';
import type { StoredDeadline } from './publication-deadline';

/** 发布流程状态 (002 §21: 起草 → 保密审查 → 承办单位负责人 → 局分管领导 → 上网发布). */
export enum PublicationStatus {
  DRAFT = 'DRAFT',
  PENDING_CONFIDENTIALITY_REVIEW = 'PENDING_CONFIDENTIALITY_REVIEW',
  PENDING_UNIT_HEAD = 'PENDING_UNIT_HEAD',
  PENDING_LEADER = 'PENDING_LEADER',
  APPROVED = 'APPROVED',
  PUBLISHED = 'PUBLISHED',
}

/** 公开属性 (000 §六(二), 002 §7). */
export enum DisclosureAttribute {
  PROACTIVE = 'PROACTIVE',
  ON_APPLICATION = 'ON_APPLICATION',
  NOT_DISCLOSED = 'NOT_DISCLOSED',
}

export enum ReviewConclusion {
  PASSED = 'PASSED',
  FAILED = 'FAILED',
}

export enum SignOffLevel {
  UNIT_HEAD = 'UNIT_HEAD',
  LEADER = 'LEADER',
}

export enum PublicationAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  SUBMIT = 'SUBMIT',
  REVIEW_PASSED = 'REVIEW_PASSED',
  REVIEW_FAILED = 'REVIEW_FAILED',
  UNIT_HEAD_APPROVED = 'UNIT_HEAD_APPROVED',
  UNIT_HEAD_REJECTED = 'UNIT_HEAD_REJECTED',
  LEADER_APPROVED = 'LEADER_APPROVED',
  LEADER_REJECTED = 'LEADER_REJECTED',
  DEIDENTIFICATION_CONFIRMED = 'DEIDENTIFICATION_CONFIRMED',
  PUBLISH = 'PUBLISH',
  DEADLINE_RECOMPUTED = 'DEADLINE_RECOMPUTED',
  HISTORICAL_RECORDED = 'HISTORICAL_RECORDED',
}

registerEnumType(PublicationStatus, {
  name: 'PublicationStatus',
  description: '发布流程状态 (publication workflow state)',
  valuesConfig: {
    DRAFT: { description: '起草中 (draft, editable by the drafting unit)' },
    PENDING_CONFIDENTIALITY_REVIEW: { description: '待保密审查 (submitted, waiting for the confidentiality review)' },
    PENDING_UNIT_HEAD: { description: '待承办单位负责人审核 (waiting for the unit head’s sign-off)' },
    PENDING_LEADER: { description: '待局分管领导审核 (waiting for the bureau leader’s sign-off)' },
    APPROVED: { description: '已审批待发布 (approved, ready to go online)' },
    PUBLISHED: { description: '已发布 (published)' },
  },
});
registerEnumType(DisclosureAttribute, {
  name: 'DisclosureAttribute',
  description: '公开属性 (disclosure attribute, fixed when drafted)',
  valuesConfig: {
    PROACTIVE: { description: '主动公开 (proactive disclosure)' },
    ON_APPLICATION: { description: '依申请公开 (disclosure on application)' },
    NOT_DISCLOSED: { description: '不予公开 (not to be disclosed; needs a legal reason and is never published)' },
  },
});
registerEnumType(ReviewConclusion, {
  name: 'ReviewConclusion',
  description: '保密审查结论 (confidentiality review conclusion)',
  valuesConfig: {
    PASSED: { description: '通过 (passed: may go on to sign-off)' },
    FAILED: { description: '未通过 (failed: returned to the drafter)' },
  },
});
registerEnumType(SignOffLevel, {
  name: 'SignOffLevel',
  description: '审核层级 (sign-off level on the approval form)',
  valuesConfig: {
    UNIT_HEAD: { description: '承办单位负责人 (head of the drafting unit)' },
    LEADER: { description: '局分管领导 (bureau leader in charge)' },
  },
});
registerEnumType(PublicationAction, {
  name: 'PublicationAction',
  description: '发布流程操作 (workflow action recorded in the history)',
  valuesConfig: {
    CREATE: { description: '起草 (created)' },
    UPDATE: { description: '修改 (edited while in draft)' },
    SUBMIT: { description: '提交审核 (submitted)' },
    REVIEW_PASSED: { description: '保密审查通过 (confidentiality review passed)' },
    REVIEW_FAILED: { description: '保密审查未通过，退回 (confidentiality review failed, returned)' },
    UNIT_HEAD_APPROVED: { description: '单位负责人同意 (unit head approved)' },
    UNIT_HEAD_REJECTED: { description: '单位负责人退回 (unit head rejected)' },
    LEADER_APPROVED: { description: '局领导同意 (leader approved)' },
    LEADER_REJECTED: { description: '局领导退回 (leader rejected)' },
    DEIDENTIFICATION_CONFIRMED: { description: '确认已去标识化 (de-identification confirmed by the drafter)' },
    PUBLISH: { description: '上网发布 (published)' },
    DEADLINE_RECOMPUTED: { description: '日历调整后重新计算截止日 (due date recomputed after a calendar change)' },
    HISTORICAL_RECORDED: { description: '补录历史发布记录 (a publication made before the agency used the system, entered with its original dates)' },
  },
});

/** 信息发布 — one publication (article, file, data table) that satisfies a catalogue item. */
@ObjectType('Publication', { description: '信息发布 (publication): one article, file or table placed in a website column for a catalogue item' })
@Entity({ tableName: 'publication' })
// Defence in depth for rules the service enforces with clear messages.
@Check({ name: 'publication_published_state', expression: `(status = 'PUBLISHED') = (published_on is not null)` })
@Check({ name: 'publication_published_after_formed', expression: 'published_on is null or published_on >= formed_on' })
// A historical record (补录) is published from the start and never went through a review round.
@Check({ name: 'publication_historical_unreviewed', expression: `not historical or (status = 'PUBLISHED' and round = 0)` })
@Check({ name: 'publication_not_disclosed_unpublished', expression: `disclosure_attribute <> 'NOT_DISCLOSED' or published_on is null` })
@Check({
  name: 'publication_not_disclosed_reason',
  expression: `disclosure_attribute <> 'NOT_DISCLOSED' or coalesce(btrim(non_disclosure_reason), '') <> ''`,
})
@Index({
  name: 'publication_open_due_years_idx',
  expression: 'create index "publication_open_due_years_idx" on "publication" using gin ("due_years") where "published_on" is null',
})
export class Publication extends BaseEntity {
  @Index({ name: 'publication_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Index({ name: 'publication_item_idx' })
  @ManyToOne(() => CatalogueItem, { ref: true, deleteRule: 'no action' })
  item!: Ref<CatalogueItem>;

  @Field(() => String, { description: '稿件题目 (title)' })
  @Property({ type: 'string', length: 300 })
  title!: string;

  @Field(() => String, { nullable: true, description: '网址 (URL once online)' })
  @Property({ type: 'string', length: 1000, nullable: true })
  url?: string | null;

  @Field(() => String, { nullable: true, description: '拟上网位置 (website column; the item’s column when empty)' })
  @Property({ type: 'string', length: 300, nullable: true })
  websiteColumn?: string | null;

  @Field(() => String, { description: '公开方式 (channel: 政府网站, 政务微信 …)' })
  @Property({ type: 'string', length: 50, default: '政府网站' })
  channel: string & Opt = '政府网站';

  @Field(() => DateScalar, { description: '信息形成或变更之日 (date the information was formed or changed)' })
  @Property({ type: 'date' })
  formedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: '发布日期 (date published; null until published)' })
  @Property({ type: 'date', nullable: true })
  publishedOn?: string | null;

  @Index({ name: 'publication_drafting_unit_idx' })
  @ManyToOne(() => Unit, { ref: true, deleteRule: 'no action' })
  draftingUnit!: Ref<Unit>;

  @Index({ name: 'publication_drafter_idx' })
  @ManyToOne(() => Account, { ref: true, nullable: true, deleteRule: 'set null' })
  drafter?: Ref<Account> | null;

  /** Snapshot for the approval form, which must stay readable if the account goes away. */
  @Field(() => String, { description: '撰稿人姓名 (drafter’s name as on the approval form)' })
  @Property({ type: 'string', length: 100 })
  drafterName!: string;

  @Field(() => PublicationStatus, { description: '流程状态 (workflow state)' })
  @Enum({ items: () => PublicationStatus, nativeEnumName: 'publication_status', default: PublicationStatus.DRAFT })
  status: PublicationStatus & Opt = PublicationStatus.DRAFT;

  @Field(() => DisclosureAttribute, { description: '公开属性 (disclosure attribute)' })
  @Enum({ items: () => DisclosureAttribute, nativeEnumName: 'disclosure_attribute' })
  disclosureAttribute!: DisclosureAttribute;

  @Field(() => String, { nullable: true, description: '不予公开的法律依据 (legal reason for NOT_DISCLOSED)' })
  @Property({ type: 'text', nullable: true })
  nonDisclosureReason?: string | null;

  @Field(() => Boolean, { description: '含个人信息 (contains personal information)' })
  @Property({ type: 'boolean', default: false })
  containsPersonalInfo: boolean & Opt = false;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  deidentifiedAt?: Date | null;

  @Field(() => String, { nullable: true, description: '确认去标识化的撰稿人 (username of the drafter who confirmed de-identification)' })
  @Property({ type: 'string', length: 64, nullable: true })
  deidentifiedBy?: string | null;

  /** Incremented by every submission: reviews and sign-offs belong to one round. */
  @Field(() => Int, { description: '提交轮次 (submission round; each resubmission needs a new review and sign-offs)' })
  @Property({ type: 'integer', default: 0 })
  round: number & Opt = 0;

  /** The item's rule when the due date was computed (a later catalogue edit does not move it). */
  @Property({ type: 'json', nullable: true })
  deadlineRule?: DeadlineRule | null;

  @Property({ type: 'date', nullable: true })
  dueOn?: string | null;

  @Property({ type: 'boolean', default: false })
  dueProvisional: boolean & Opt = false;

  @Property({ type: 'array', columnType: 'text[]', default: '{}' })
  dueReasons: string[] & Opt = [];

  @Property({ type: new ArrayType((i) => Number(i)), columnType: 'int[]', default: '{}' })
  dueYears: number[] & Opt = [];

  @Property({ type: 'json', nullable: true })
  dueExplanation?: StoredDeadline['explanation'] | null;

  /**
   * 补录: published before the agency used the system and entered afterwards with its original
   * dates. It counts for the catalogue (the item is not empty, its timeliness is judged) but is
   * shown apart in the compliance figures and never counts as reviewed: it has no review round.
   */
  @Field(() => Boolean, { description: '补录的历史发布记录 (historical record: published before the agency used the system; no review in the system)' })
  @Property({ type: 'boolean', default: false })
  historical: boolean & Opt = false;
}

/** 保密审查记录 — "一事一审": one review of this publication per submission round. */
@ObjectType('ConfidentialityReview', { description: '保密审查记录 (confidentiality review record of one publication and round)' })
@Entity({ tableName: 'confidentiality_review' })
@Unique({ name: 'confidentiality_review_round_unique', properties: ['publication', 'round'] })
export class ConfidentialityReview extends BaseEntity {
  @Index({ name: 'confidentiality_review_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @ManyToOne(() => Publication, { ref: true, deleteRule: 'cascade' })
  publication!: Ref<Publication>;

  @Field(() => Int, { description: '轮次 (submission round)' })
  @Property({ type: 'integer' })
  round!: number;

  @Field(() => ReviewConclusion, { description: '结论 (conclusion)' })
  @Enum({ items: () => ReviewConclusion, nativeEnumName: 'review_conclusion' })
  conclusion!: ReviewConclusion;

  @Field(() => String, { description: '审查意见 (notes)' })
  @Property({ type: 'text', default: '' })
  notes: string & Opt = '';

  /** Today (China) when recorded: the sign-offs and the publication may not be dated before it. */
  @Field(() => DateScalar, { description: '审查日期 (date of the review)' })
  @Property({ type: 'date' })
  reviewedOn!: string;

  @ManyToOne(() => Account, { ref: true, nullable: true, deleteRule: 'set null' })
  reviewer?: Ref<Account> | null;

  @Field(() => String, { description: '审查人用户名 (reviewer’s username)' })
  @Property({ type: 'string', length: 64 })
  reviewerUsername!: string;

  @Field(() => String, { description: '审查人 (reviewer’s name)' })
  @Property({ type: 'string', length: 100 })
  reviewerName!: string;
}

/** 审核签字 — the unit head's or the leader's opinion on the approval form, per round. */
@ObjectType('PublicationSignOff', { description: '审核签字 (a sign-off on the approval form)' })
@Entity({ tableName: 'publication_sign_off' })
@Unique({ name: 'publication_sign_off_round_level_unique', properties: ['publication', 'round', 'level'] })
export class PublicationSignOff extends BaseEntity {
  @Index({ name: 'publication_sign_off_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @ManyToOne(() => Publication, { ref: true, deleteRule: 'cascade' })
  publication!: Ref<Publication>;

  @Field(() => Int, { description: '轮次 (submission round)' })
  @Property({ type: 'integer' })
  round!: number;

  @Field(() => SignOffLevel, { description: '层级 (level)' })
  @Enum({ items: () => SignOffLevel, nativeEnumName: 'sign_off_level' })
  level!: SignOffLevel;

  @Field(() => Boolean, { description: '是否同意 (approved)' })
  @Property({ type: 'boolean' })
  approve!: boolean;

  @Field(() => String, { description: '意见 (opinion or reason for rejecting)' })
  @Property({ type: 'text', default: '' })
  reason: string & Opt = '';

  /** Today (China) when signed: a leader's sign-off is not dated before the unit head's, nor that before the review. */
  @Field(() => DateScalar, { description: '签字日期 (date of the sign-off)' })
  @Property({ type: 'date' })
  signedOn!: string;

  @ManyToOne(() => Account, { ref: true, nullable: true, deleteRule: 'set null' })
  signer?: Ref<Account> | null;

  @Field(() => String, { description: '签字人用户名 (signer’s username)' })
  @Property({ type: 'string', length: 64 })
  signerUsername!: string;

  @Field(() => String, { description: '签字人 (signer’s name)' })
  @Property({ type: 'string', length: 100 })
  signerName!: string;
}

/** 流程记录 — every transition of a publication. */
@ObjectType('PublicationEvent', { description: '流程记录 (one recorded transition of a publication)' })
@Entity({ tableName: 'publication_event' })
export class PublicationEvent extends BaseEntity {
  @Index({ name: 'publication_event_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Index({ name: 'publication_event_publication_idx' })
  @ManyToOne(() => Publication, { ref: true, deleteRule: 'cascade' })
  publication!: Ref<Publication>;

  @Field(() => PublicationStatus, { nullable: true, description: '原状态 (state before; null on creation)' })
  @Enum({ items: () => PublicationStatus, nativeEnumName: 'publication_status', nullable: true })
  fromStatus?: PublicationStatus | null;

  @Field(() => PublicationStatus, { description: '新状态 (state after)' })
  @Enum({ items: () => PublicationStatus, nativeEnumName: 'publication_status' })
  toStatus!: PublicationStatus;

  @Field(() => PublicationAction, { description: '操作 (action)' })
  @Enum({ items: () => PublicationAction, nativeEnumName: 'publication_action' })
  action!: PublicationAction;

  @Field(() => String, { description: '操作人用户名 (actor’s username)' })
  @Property({ type: 'string', length: 64 })
  actor!: string;

  @Field(() => String, { nullable: true, description: '理由或说明 (reason or note)' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;
}

/** 负面清单 — matters an agency does not disclose (001 §二十一), optionally tied to a catalogue item. */
@ObjectType('NegativeListEntry', { description: '负面清单事项 (a matter on the agency’s negative list, not to be disclosed)' })
@Entity({ tableName: 'negative_list_entry' })
export class NegativeListEntry extends BaseEntity {
  @Index({ name: 'negative_list_entry_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => String, { description: '事项 (matter)' })
  @Property({ type: 'text' })
  matter!: string;

  @Field(() => String, { description: '不予公开的法律依据 (legal reason)' })
  @Property({ type: 'text' })
  legalReason!: string;

  @Index({ name: 'negative_list_entry_item_idx' })
  @ManyToOne(() => CatalogueItem, { ref: true, nullable: true, deleteRule: 'set null' })
  catalogueItem?: Ref<CatalogueItem> | null;

  /** Category and name of the item when listed: later years' copies of the item match too. */
  @Field(() => String, { nullable: true, description: '目录类别 (category of the listed item)' })
  @Property({ type: 'string', length: 100, nullable: true })
  category?: string | null;

  @Field(() => String, { nullable: true, description: '目录名称 (name of the listed item)' })
  @Property({ type: 'string', length: 200, nullable: true })
  itemName?: string | null;

  @Field(() => String, { description: '登记人 (username)' })
  @Property({ type: 'string', length: 64 })
  createdBy!: string;
}
