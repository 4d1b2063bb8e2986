import { Check, DecimalType, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { DateScalar } from '../calendar/date-scalar';
import { CatalogueItem } from '../catalogue/catalogue-item.entity';

/** 申请渠道 — decides how the receipt date is determined (条例 Art 31). */
export enum RequestChannel {
  IN_PERSON = 'IN_PERSON',
  LETTER = 'LETTER',
  ONLINE = 'ONLINE',
  FAX = 'FAX',
  EMAIL = 'EMAIL',
}

/** 申请人类型 — the annual report's Table 3 columns. */
export enum ApplicantType {
  NATURAL_PERSON = 'NATURAL_PERSON',
  COMMERCIAL_ENTERPRISE = 'COMMERCIAL_ENTERPRISE',
  RESEARCH_INSTITUTION = 'RESEARCH_INSTITUTION',
  PUBLIC_INTEREST_ORGANISATION = 'PUBLIC_INTEREST_ORGANISATION',
  LEGAL_SERVICE_INSTITUTION = 'LEGAL_SERVICE_INSTITUTION',
  OTHER_ORGANISATION = 'OTHER_ORGANISATION',
}

/** 办理结果 — exactly the rows of Table 3 三（一）–（六） (国办公开办函〔2021〕30号). */
export enum RequestOutcome {
  DISCLOSED = 'DISCLOSED',
  PARTIALLY_DISCLOSED = 'PARTIALLY_DISCLOSED',
  WITHHELD_STATE_SECRET = 'WITHHELD_STATE_SECRET',
  WITHHELD_PROHIBITED_BY_LAW = 'WITHHELD_PROHIBITED_BY_LAW',
  WITHHELD_THREE_SECURITIES = 'WITHHELD_THREE_SECURITIES',
  WITHHELD_THIRD_PARTY = 'WITHHELD_THIRD_PARTY',
  WITHHELD_INTERNAL_AFFAIRS = 'WITHHELD_INTERNAL_AFFAIRS',
  WITHHELD_PROCESS_INFORMATION = 'WITHHELD_PROCESS_INFORMATION',
  WITHHELD_ENFORCEMENT_FILE = 'WITHHELD_ENFORCEMENT_FILE',
  WITHHELD_ADMINISTRATIVE_QUERY = 'WITHHELD_ADMINISTRATIVE_QUERY',
  UNAVAILABLE_NOT_HELD = 'UNAVAILABLE_NOT_HELD',
  UNAVAILABLE_NEEDS_CREATION = 'UNAVAILABLE_NEEDS_CREATION',
  UNAVAILABLE_UNCLEAR_AFTER_CORRECTION = 'UNAVAILABLE_UNCLEAR_AFTER_CORRECTION',
  NOT_PROCESSED_PETITION = 'NOT_PROCESSED_PETITION',
  NOT_PROCESSED_REPEATED = 'NOT_PROCESSED_REPEATED',
  NOT_PROCESSED_PUBLICATION = 'NOT_PROCESSED_PUBLICATION',
  NOT_PROCESSED_MASS_REPEATED = 'NOT_PROCESSED_MASS_REPEATED',
  NOT_PROCESSED_CONFIRMATION = 'NOT_PROCESSED_CONFIRMATION',
  OTHER_NOT_CORRECTED = 'OTHER_NOT_CORRECTED',
  OTHER_FEE_UNPAID = 'OTHER_FEE_UNPAID',
  OTHER = 'OTHER',
}

/** 收费方式 — one method per request (国办函〔2020〕109号). */
export enum FeeMethod {
  PER_REQUEST = 'PER_REQUEST',
  PER_PAGE = 'PER_PAGE',
}

/** 征求意见 — time not counted toward the reply limit (条例 Art 32, 33). */
export enum ConsultationKind {
  THIRD_PARTY = 'THIRD_PARTY',
  OTHER_AGENCY = 'OTHER_AGENCY',
}

/** 复议、诉讼 (Table 4). */
export enum AppealKind {
  RECONSIDERATION = 'RECONSIDERATION',
  LAWSUIT_DIRECT = 'LAWSUIT_DIRECT',
  LAWSUIT_AFTER_RECONSIDERATION = 'LAWSUIT_AFTER_RECONSIDERATION',
}

export enum AppealResult {
  UPHELD = 'UPHELD',
  CORRECTED = 'CORRECTED',
  OTHER = 'OTHER',
  PENDING = 'PENDING',
}

registerEnumType(RequestChannel, {
  name: 'RequestChannel',
  description: '申请渠道 (channel; decides the receipt date, 条例第三十一条)',
  valuesConfig: {
    IN_PERSON: { description: '当面提交：提交之日为收到之日 (in person: the day it is handed in)' },
    LETTER: { description: '邮寄：签收之日为收到之日 (by post: the day the agency signs for it)' },
    ONLINE: { description: '网上申请：双方确认之日 (online: the day both sides confirm receipt)' },
    FAX: { description: '传真：双方确认之日 (fax: the day both sides confirm receipt)' },
    EMAIL: { description: '电子邮件：双方确认之日 (email: the day both sides confirm receipt)' },
  },
});
registerEnumType(ApplicantType, {
  name: 'ApplicantType',
  description: '申请人类型 (applicant type: the annual report’s columns)',
  valuesConfig: {
    NATURAL_PERSON: { description: '自然人 (natural person)' },
    COMMERCIAL_ENTERPRISE: { description: '法人或其他组织：商业企业 (commercial enterprise)' },
    RESEARCH_INSTITUTION: { description: '法人或其他组织：科研机构 (research institution)' },
    PUBLIC_INTEREST_ORGANISATION: { description: '法人或其他组织：社会公益组织 (public-interest organisation)' },
    LEGAL_SERVICE_INSTITUTION: { description: '法人或其他组织：法律服务机构 (legal-service institution)' },
    OTHER_ORGANISATION: { description: '法人或其他组织：其他 (other organisation)' },
  },
});
registerEnumType(RequestOutcome, {
  name: 'RequestOutcome',
  description: '办理结果 (outcome: the rows of the annual report’s Table 3)',
  valuesConfig: {
    DISCLOSED: { description: '（一）予以公开' },
    PARTIALLY_DISCLOSED: { description: '（二）部分公开（区分处理的，只计这一情形）' },
    WITHHELD_STATE_SECRET: { description: '（三）不予公开 1.属于国家秘密' },
    WITHHELD_PROHIBITED_BY_LAW: { description: '（三）不予公开 2.其他法律行政法规禁止公开' },
    WITHHELD_THREE_SECURITIES: { description: '（三）不予公开 3.危及“三安全一稳定”' },
    WITHHELD_THIRD_PARTY: { description: '（三）不予公开 4.保护第三方合法权益' },
    WITHHELD_INTERNAL_AFFAIRS: { description: '（三）不予公开 5.属于三类内部事务信息' },
    WITHHELD_PROCESS_INFORMATION: { description: '（三）不予公开 6.属于四类过程性信息' },
    WITHHELD_ENFORCEMENT_FILE: { description: '（三）不予公开 7.属于行政执法案卷' },
    WITHHELD_ADMINISTRATIVE_QUERY: { description: '（三）不予公开 8.属于行政查询事项' },
    UNAVAILABLE_NOT_HELD: { description: '（四）无法提供 1.本机关不掌握相关政府信息' },
    UNAVAILABLE_NEEDS_CREATION: { description: '（四）无法提供 2.没有现成信息需要另行制作' },
    UNAVAILABLE_UNCLEAR_AFTER_CORRECTION: { description: '（四）无法提供 3.补正后申请内容仍不明确' },
    NOT_PROCESSED_PETITION: { description: '（五）不予处理 1.信访举报投诉类申请' },
    NOT_PROCESSED_REPEATED: { description: '（五）不予处理 2.重复申请' },
    NOT_PROCESSED_PUBLICATION: { description: '（五）不予处理 3.要求提供公开出版物' },
    NOT_PROCESSED_MASS_REPEATED: { description: '（五）不予处理 4.无正当理由大量反复申请' },
    NOT_PROCESSED_CONFIRMATION: { description: '（五）不予处理 5.要求行政机关确认或重新出具已获取信息' },
    OTHER_NOT_CORRECTED: { description: '（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请' },
    OTHER_FEE_UNPAID: { description: '（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请' },
    OTHER: { description: '（六）其他处理 3.其他' },
  },
});
registerEnumType(FeeMethod, {
  name: 'FeeMethod',
  description: '收费方式 (fee method, 国办函〔2020〕109号; one per request)',
  valuesConfig: {
    PER_REQUEST: { description: '按件计收 (per request: 10 a month free, then 100 元 each, rising by 100 元 per further 10 above 30)' },
    PER_PAGE: { description: '按量计收 (per page: 30 free, 31–100 at 10 元, 101–200 at 20 元, above 200 at 40 元)' },
  },
});
registerEnumType(ConsultationKind, {
  name: 'ConsultationKind',
  description: '征求意见 (consultation; its time is not counted)',
  valuesConfig: {
    THIRD_PARTY: { description: '征求第三方意见（15个工作日）(a third party, 15 working days)' },
    OTHER_AGENCY: { description: '征求其他机关意见 (another agency)' },
  },
});
registerEnumType(AppealKind, {
  name: 'AppealKind',
  description: '复议诉讼类型 (reconsideration or lawsuit)',
  valuesConfig: {
    RECONSIDERATION: { description: '行政复议 (administrative reconsideration)' },
    LAWSUIT_DIRECT: { description: '行政诉讼：未经复议直接起诉 (lawsuit without reconsideration)' },
    LAWSUIT_AFTER_RECONSIDERATION: { description: '行政诉讼：复议后起诉 (lawsuit after reconsideration)' },
  },
});
registerEnumType(AppealResult, {
  name: 'AppealResult',
  description: '复议诉讼结果 (result)',
  valuesConfig: {
    UPHELD: { description: '结果维持 (upheld)' },
    CORRECTED: { description: '结果纠正 (corrected)' },
    OTHER: { description: '其他结果 (other)' },
    PENDING: { description: '尚未审结 (not yet decided)' },
  },
});

const money = () => ({ type: new DecimalType('number'), precision: 10, scale: 2 });

/**
 * 政府信息公开申请 — one request, its clock and its reply. The clock's inputs (receipt, correction,
 * consultations, extension) are stored; the due date is computed from them by the deadline engine
 * and stored with its explanation, and recomputed whenever an input or the calendar changes.
 */
@ObjectType('InfoRequest', { description: '政府信息公开申请 (an information request and its statutory clock)' })
@Entity({ tableName: 'info_request' })
@Unique({ name: 'info_request_number_unique', properties: ['agency', 'number'] })
@Check({ name: 'info_request_replied_after_receipt', expression: 'replied_on is null or replied_on >= received_on' })
@Check({ name: 'info_request_outcome_replied', expression: '(outcome is null) = (replied_on is null)' })
@Check({ name: 'info_request_extension_days', expression: 'extension_days is null or (extension_days >= 1 and extension_days <= 20)' })
@Check({ name: 'info_request_fee', expression: 'fee_amount is null or fee_amount >= 0' })
export class InfoRequest extends BaseEntity {
  @Index({ name: 'info_request_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => Int, { description: '登记年度 (year of receipt)' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => String, { description: '登记编号 (registration number, e.g. YSQ-2024-0001)' })
  @Property({ type: 'string', length: 30 })
  number!: string;

  @Field(() => RequestChannel, { description: '申请渠道 (channel)' })
  @Enum({ items: () => RequestChannel, nativeEnumName: 'request_channel' })
  channel!: RequestChannel;

  @Field(() => ApplicantType, { description: '申请人类型 (applicant type)' })
  @Enum({ items: () => ApplicantType, nativeEnumName: 'applicant_type' })
  applicantType!: ApplicantType;

  @Field(() => String, { description: '申请人 (applicant name)' })
  @Property({ type: 'string', length: 200 })
  applicantName!: string;

  @Field(() => String, { description: '联系方式 (contact)' })
  @Property({ type: 'string', length: 200, default: '' })
  applicantContact: string & Opt = '';

  @Field(() => String, { description: '申请内容 (what is asked)' })
  @Property({ type: 'text' })
  content!: string;

  /**
   * What the request is about, in the office's own words (e.g. 户籍迁移政策): requests of several
   * applicants on one topic are candidates for proactive disclosure (依申请转主动).
   */
  @Field(() => String, { description: '申请事项归类 (topic, set by the office; groups requests for 依申请转主动)' })
  @Property({ type: 'string', length: 200, default: '' })
  topic: string & Opt = '';

  /** The catalogue item the requested information was turned into (依申请转主动), once it was. */
  @Index({ name: 'info_request_catalogue_item_idx' })
  @ManyToOne(() => CatalogueItem, { ref: true, nullable: true, deleteRule: 'set null' })
  catalogueItem?: Ref<CatalogueItem> | null;

  @Field(() => DateScalar, { description: '提交日期 (date the applicant sent or handed it in)' })
  @Property({ type: 'date' })
  submittedOn!: string;

  @Field(() => DateScalar, { description: '收到日期 (receipt date, by the channel’s rule; the clock starts the next working day)' })
  @Property({ type: 'date' })
  receivedOn!: string;

  @Index({ name: 'info_request_unit_idx' })
  @ManyToOne(() => Unit, { ref: true, nullable: true, deleteRule: 'set null' })
  unit?: Ref<Unit> | null;

  @Field(() => DateScalar, { nullable: true, description: '补正通知日期 (correction notice sent; within 7 working days of receipt)' })
  @Property({ type: 'date', nullable: true })
  correctionNoticeOn?: string | null;

  @Field(() => String, { nullable: true, description: '补正内容 (what must be corrected, all in one notice)' })
  @Property({ type: 'text', nullable: true })
  correctionText?: string | null;

  @Field(() => DateScalar, { nullable: true, description: '补正后收到日期 (corrected request received: the clock restarts from it)' })
  @Property({ type: 'date', nullable: true })
  correctedOn?: string | null;

  @Field(() => Int, { nullable: true, description: '延长工作日数 (extension in working days, at most 20, once)' })
  @Property({ type: 'integer', nullable: true })
  extensionDays?: number | null;

  @Field(() => String, { nullable: true, description: '延长理由 (reason for the extension)' })
  @Property({ type: 'text', nullable: true })
  extensionReason?: string | null;

  @Field(() => String, { nullable: true, description: '延长批准人（政务公开办负责人）(approved by the head of the openness office)' })
  @Property({ type: 'string', length: 100, nullable: true })
  extensionApprovedBy?: string | null;

  @Field(() => DateScalar, { nullable: true, description: '延长告知日期 (date the applicant was told)' })
  @Property({ type: 'date', nullable: true })
  extensionNoticeOn?: string | null;

  @Field(() => DateScalar, { nullable: true, description: '答复期限 (reply due; null while the clock is stopped)' })
  @Property({ type: 'date', nullable: true })
  dueOn?: string | null;

  @Field(() => Boolean, { description: '期限为暂定 (provisional: depends on a year whose holidays are not yet published)' })
  @Property({ type: 'boolean', default: false })
  dueProvisional: boolean & Opt = false;

  /** The deadline engine's explanation of the due date, as computed. */
  @Property({ type: 'json', nullable: true })
  dueExplanation?: unknown;

  @Field(() => RequestOutcome, { nullable: true, description: '办理结果 (outcome)' })
  @Enum({ items: () => RequestOutcome, nativeEnumName: 'request_outcome', nullable: true })
  outcome?: RequestOutcome | null;

  @Field(() => DateScalar, { nullable: true, description: '答复日期 (reply date)' })
  @Property({ type: 'date', nullable: true })
  repliedOn?: string | null;

  @Field(() => String, { nullable: true, description: '法律依据 (legal basis of the reply)' })
  @Property({ type: 'text', nullable: true })
  legalBasis?: string | null;

  @Field(() => FeeMethod, { nullable: true, description: '收费方式 (fee method)' })
  @Enum({ items: () => FeeMethod, nativeEnumName: 'fee_method', nullable: true })
  feeMethod?: FeeMethod | null;

  @Field(() => Int, { nullable: true, description: '页数 (pages, PER_PAGE)' })
  @Property({ type: 'integer', nullable: true })
  feePages?: number | null;

  @Field(() => Float, { nullable: true, description: '收费金额，元 (fee in yuan, computed by the rules)' })
  @Property({ ...money(), nullable: true })
  feeAmount?: number | null;

  @Field(() => String, { description: '登记人 (username)' })
  @Property({ type: 'string', length: 64 })
  registeredBy!: string;
}

/** 征求意见 — a consultation; the days from start to end are not counted toward the reply limit. */
@ObjectType('RequestConsultation', { description: '征求意见 (a consultation of a third party or another agency)' })
@Entity({ tableName: 'request_consultation' })
@Check({ name: 'request_consultation_period', expression: 'ended_on is null or ended_on >= started_on' })
export class RequestConsultation extends BaseEntity {
  @Index({ name: 'request_consultation_request_idx' })
  @ManyToOne(() => InfoRequest, { ref: true, deleteRule: 'cascade' })
  request!: Ref<InfoRequest>;

  @Index({ name: 'request_consultation_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => ConsultationKind, { description: '类型 (kind)' })
  @Enum({ items: () => ConsultationKind, nativeEnumName: 'consultation_kind' })
  kind!: ConsultationKind;

  @Field(() => String, { description: '征求对象 (who is consulted)' })
  @Property({ type: 'string', length: 200 })
  party!: string;

  @Field(() => DateScalar, { description: '发出日期 (sent; the clock stops from this day)' })
  @Property({ type: 'date' })
  startedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: '答复或期满日期 (answered or lapsed; the clock runs again the next day)' })
  @Property({ type: 'date', nullable: true })
  endedOn?: string | null;
}

/** 办理记录 — everything that happens to a request, kept as history. */
@ObjectType('RequestEvent', { description: '办理记录 (what happened to a request)' })
@Entity({ tableName: 'request_event' })
export class RequestEvent extends BaseEntity {
  @Index({ name: 'request_event_request_idx' })
  @ManyToOne(() => InfoRequest, { ref: true, deleteRule: 'cascade' })
  request!: Ref<InfoRequest>;

  @Index({ name: 'request_event_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => String, { description: '事项 (what: REGISTERED, ASSIGNED, CLASSIFIED, CORRECTION_REQUESTED, CORRECTED, CONSULTATION_STARTED, CONSULTATION_ENDED, EXTENDED, REPLIED, APPEAL_RECORDED, APPEAL_DECIDED, CONVERTED_TO_PROACTIVE, DEADLINE_RECOMPUTED)' })
  @Property({ type: 'string', length: 40 })
  kind!: string;

  @Field(() => DateScalar, { description: '日期 (date it happened)' })
  @Property({ type: 'date' })
  happenedOn!: string;

  @Field(() => String, { description: '说明 (detail)' })
  @Property({ type: 'text', default: '' })
  detail: string & Opt = '';

  @Field(() => String, { description: '操作人 (username)' })
  @Property({ type: 'string', length: 64 })
  actor!: string;

  @Field(() => GraphQLISODateTime, { description: '记录时间 (recorded at)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  recordedAt: Date & Opt = new Date();
}

/** 行政复议、行政诉讼 about a disclosure (Table 4). */
@ObjectType('RequestAppeal', { description: '行政复议或行政诉讼 (a reconsideration or lawsuit about a request)' })
@Entity({ tableName: 'request_appeal' })
export class RequestAppeal extends BaseEntity {
  @Index({ name: 'request_appeal_request_idx' })
  @ManyToOne(() => InfoRequest, { ref: true, deleteRule: 'cascade' })
  request!: Ref<InfoRequest>;

  @Index({ name: 'request_appeal_agency_idx' })
  @ManyToOne(() => Agency, { ref: true, deleteRule: 'cascade' })
  agency!: Ref<Agency>;

  @Field(() => AppealKind, { description: '类型 (kind)' })
  @Enum({ items: () => AppealKind, nativeEnumName: 'appeal_kind' })
  kind!: AppealKind;

  @Field(() => DateScalar, { description: '提起日期 (filed on)' })
  @Property({ type: 'date' })
  filedOn!: string;

  @Field(() => AppealResult, { description: '结果 (result; PENDING until decided)' })
  @Enum({ items: () => AppealResult, nativeEnumName: 'appeal_result', default: AppealResult.PENDING })
  result: AppealResult & Opt = AppealResult.PENDING;

  @Field(() => DateScalar, { nullable: true, description: '审结日期 (decided on)' })
  @Property({ type: 'date', nullable: true })
  decidedOn?: string | null;

  @Field(() => String, { description: '说明 (note)' })
  @Property({ type: 'text', default: '' })
  note: string & Opt = '';
}
