import { Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../calendar/date-scalar';
import { MAX_EXTENSION_WORKING_DAYS } from './request-clock';
import {
  AppealKind,
  AppealResult,
  ApplicantType,
  ConsultationKind,
  FeeMethod,
  RequestChannel,
  RequestOutcome,
} from './request.entity';
import { RequestState } from './request.types';

@InputType({ description: '登记政府信息公开申请 (register an information request)' })
export class RegisterInfoRequestInput {
  @Field(() => ID, { description: '受理机关 (the agency the request is addressed to)' })
  agencyId!: string;

  @Field(() => RequestChannel, { description: '申请渠道 (channel: decides the receipt date)' })
  channel!: RequestChannel;

  @Field(() => ApplicantType, { description: '申请人类型 (applicant type: the annual report’s columns)' })
  applicantType!: ApplicantType;

  @Field(() => String, { description: '申请人姓名或名称 (applicant name)' })
  @MaxLength(200)
  applicantName!: string;

  @Field(() => String, { nullable: true, description: '联系方式 (contact)' })
  @MaxLength(200)
  applicantContact?: string | null;

  @Field(() => String, { description: '申请内容 (what is asked)' })
  @MaxLength(20000)
  content!: string;

  @Field(() => String, { nullable: true, description: '申请事项归类 (topic, for 依申请转主动)' })
  @MaxLength(200)
  topic?: string | null;

  @Field(() => DateScalar, { description: '提交日期 (the day the applicant handed it in or sent it; not in the future)' })
  submittedOn!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      '收到日期：邮寄为签收之日（必填），网上、传真、电子邮件为双方确认之日（默认提交日期），当面提交不填 ' +
      '(receipt date: by post the day it was signed for, required; online, fax or email the day both sides confirmed, default the submission date; in person leave empty)',
  })
  receivedOn?: string | null;

  @Field(() => ID, { nullable: true, description: '承办单位 (unit of the agency that handles it)' })
  unitId?: string | null;
}

@InputType({ description: '指定承办单位 (assign a request to a unit)' })
export class AssignInfoRequestInput {
  @Field(() => ID, { description: '申请 (request)' })
  id!: string;

  @Field(() => ID, { description: '承办单位 (unit of the request’s agency)' })
  unitId!: string;
}

@InputType({ description: '申请事项归类 (set the topic that groups requests for 依申请转主动)' })
export class ClassifyInfoRequestInput {
  @Field(() => ID, { description: '申请 (request)' })
  id!: string;

  @Field(() => String, { description: '申请事项归类，空字符串为清除 (topic; empty clears it)' })
  @MaxLength(200)
  topic!: string;
}

@InputType({ description: '发出补正通知 (send the one correction notice, within 7 working days of receipt)' })
export class RequestCorrectionInput {
  @Field(() => ID, { description: '申请 (request)' })
  id!: string;

  @Field(() => DateScalar, { description: '通知日期 (notice date: at most 7 working days after receipt, not in the future)' })
  noticeOn!: string;

  @Field(() => String, { description: '需补正的全部内容 (everything to be corrected, in one notice)' })
  @MaxLength(10000)
  text!: string;
}

@InputType({ description: '收到补正 (the corrected request arrived: the reply period starts again)' })
export class RecordCorrectionInput {
  @Field(() => ID, { description: '申请 (request)' })
  id!: string;

  @Field(() => DateScalar, { description: '收到补正后申请的日期 (day the corrected request arrived)' })
  correctedOn!: string;
}

@InputType({ description: '开始征求意见 (start a consultation: the clock stops from its first day)' })
export class StartConsultationInput {
  @Field(() => ID, { description: '申请 (request)' })
  id!: string;

  @Field(() => ConsultationKind, { description: '类型 (third party or another agency)' })
  kind!: ConsultationKind;

  @Field(() => String, { description: '征求对象 (who is consulted)' })
  @MaxLength(200)
  party!: string;

  @Field(() => DateScalar, { description: '发出日期 (day the consultation was sent)' })
  startedOn!: string;
}

@InputType({ description: '结束征求意见 (the consulted party answered, or its time lapsed: the clock runs again the next day)' })
export class EndConsultationInput {
  @Field(() => ID, { description: '征求意见 (consultation)' })
  consultationId!: string;

  @Field(() => DateScalar, { description: '答复或期满日期 (answered or lapsed; a third party at the latest on its 15th working day)' })
  endedOn!: string;
}

@InputType({ description: '延长答复期限 (the one extension, approved by the head of the openness office)' })
export class ExtendInfoRequestInput {
  @Field(() => ID, { description: '申请 (request)' })
  id!: string;

  @Field(() => Int, { description: `延长工作日数 (working days, 1–${MAX_EXTENSION_WORKING_DAYS})` })
  @Min(1)
  @Max(MAX_EXTENSION_WORKING_DAYS)
  days!: number;

  @Field(() => String, { description: '延长理由 (reason)' })
  @MaxLength(5000)
  reason!: string;

  @Field(() => String, { description: '批准人：政务公开工作机构负责人 (approved by: the head of the openness office)' })
  @MaxLength(100)
  approvedBy!: string;

  @Field(() => DateScalar, { description: '告知申请人日期 (day the applicant was told; on or before the due date)' })
  noticeOn!: string;
}

@InputType({ description: '信息处理费 (fee: one method per request; the amount is computed, never typed in)' })
export class RequestFeeInput {
  @Field(() => FeeMethod, { description: '收费方式 (method)' })
  method!: FeeMethod;

  @Field(() => Int, { nullable: true, description: '页数，按量计收时必填 (pages; PER_PAGE only)' })
  pages?: number | null;
}

@InputType({ description: '答复申请 (reply: outcome, date, legal basis and fee)' })
export class ReplyInfoRequestInput {
  @Field(() => ID, { description: '申请 (request)' })
  id!: string;

  @Field(() => RequestOutcome, { description: '办理结果 (outcome: a row of the annual report’s Table 3)' })
  outcome!: RequestOutcome;

  @Field(() => DateScalar, { description: '答复日期 (reply date: not before receipt, not in the future)' })
  repliedOn!: string;

  @Field(() => String, { description: '法律依据 (legal basis)' })
  @MaxLength(5000)
  legalBasis!: string;

  @Field(() => RequestFeeInput, { nullable: true, description: '收费 (fee, when one is charged)' })
  fee?: RequestFeeInput | null;
}

@InputType({ description: '登记行政复议或行政诉讼 (record a reconsideration or lawsuit about a request)' })
export class RecordAppealInput {
  @Field(() => ID, { description: '申请 (request)' })
  requestId!: string;

  @Field(() => AppealKind, { description: '类型 (kind)' })
  kind!: AppealKind;

  @Field(() => DateScalar, { description: '提起日期 (filed on)' })
  filedOn!: string;

  @Field(() => AppealResult, { nullable: true, description: '结果，默认尚未审结 (result; default PENDING)' })
  result?: AppealResult | null;

  @Field(() => DateScalar, { nullable: true, description: '审结日期，已审结时必填 (decided on; required with a result other than PENDING)' })
  decidedOn?: string | null;

  @Field(() => String, { nullable: true, description: '说明 (note)' })
  @MaxLength(5000)
  note?: string | null;
}

@InputType({ description: '复议诉讼审结 (record the decision of a reconsideration or lawsuit)' })
export class DecideAppealInput {
  @Field(() => ID, { description: '复议或诉讼 (appeal)' })
  id!: string;

  @Field(() => AppealResult, { description: '结果：维持、纠正或其他 (result: UPHELD, CORRECTED or OTHER)' })
  result!: AppealResult;

  @Field(() => DateScalar, { description: '审结日期 (decided on)' })
  decidedOn!: string;
}

@InputType({ description: '依申请转主动 (link the requests of a topic to the catalogue item under which the information is now proactively disclosed)' })
export class ConvertToProactiveInput {
  @Field(() => String, { description: '申请事项归类 (topic)' })
  @MaxLength(200)
  topic!: string;

  @Field(() => ID, { description: '目录事项，须为申请所属机关的 (catalogue item of the requests’ agency)' })
  catalogueItemId!: string;
}

@InputType({ description: '申请筛选 (request filter)' })
export class InfoRequestFilter {
  @Field(() => ID, { nullable: true, description: '受理机关 (agency)' })
  agencyId?: string | null;

  @Field(() => Int, { nullable: true, description: '登记年度 (year of receipt)' })
  year?: number | null;

  @Field(() => RequestState, { nullable: true, description: '办理状态，截至今天 (state as of today)' })
  state?: RequestState | null;

  @Field(() => RequestOutcome, { nullable: true, description: '办理结果 (outcome)' })
  outcome?: RequestOutcome | null;

  @Field(() => ID, { nullable: true, description: '承办单位 (unit)' })
  unitId?: string | null;

  @Field(() => String, { nullable: true, description: '申请事项归类 (topic, exact)' })
  @MaxLength(200)
  topic?: string | null;
}

@InputType({ description: '依申请转主动候选筛选 (filter of the proactive-disclosure candidates)' })
export class DisclosureCandidateFilter {
  @Field(() => ID, { nullable: true, description: '受理机关 (agency; default every agency of the caller’s subtree)' })
  agencyId?: string | null;

  @Field(() => Int, { nullable: true, description: '登记年度 (year of receipt)' })
  year?: number | null;

  @Field(() => Int, { defaultValue: 3, description: '至少多少名不同申请人 (at least this many distinct applicants), 2–1000' })
  @Min(2)
  @Max(1000)
  minApplicants: number = 3;
}
