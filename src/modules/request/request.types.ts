import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../graphql/connection';
import { Agency } from '../agency/agency.entity';
import { DateScalar } from '../calendar/date-scalar';
import { CatalogueItem } from '../catalogue/catalogue-item.entity';
import { DeadlineExplanation } from '../publication/publication.inputs';
import { RequestState } from './request-clock';
import { InfoRequest, RequestAppeal, RequestConsultation } from './request.entity';

export { RequestState };

registerEnumType(RequestState, {
  name: 'InfoRequestState',
  description: '申请办理状态，由答复期限、答复日期和今天推导 (state of an information request, derived — never typed in)',
  valuesConfig: {
    OPEN: { description: '办理中，未临近期限 (open, more than 3 working days left)' },
    AWAITING_CORRECTION: { description: '待补正：已发补正通知，尚未收到补正后的申请 (waiting for the corrected request; nothing is due)' },
    IN_CONSULTATION: { description: '征求意见中：计时暂停 (a consultation is open: the clock is stopped)' },
    DUE_SOON: { description: '即将到期：今天或3个工作日内到期 (due today or within 3 working days)' },
    OVERDUE: { description: '已超期未答复 (not answered, past the due date)' },
    ANSWERED: { description: '已按期答复 (answered on or before the due date)' },
    ANSWERED_LATE: { description: '逾期答复 (answered after the due date)' },
  },
});

@ObjectType('InfoRequestDeadline', { description: '答复期限 (the reply due date of a request, as stored, with its explanation)' })
export class InfoRequestDeadline {
  @Field(() => DateScalar, { nullable: true, description: '答复截止日 (due date; null while waiting for a correction or during a consultation)' })
  due!: string | null;

  @Field(() => Boolean, { description: '是否暂定 (provisional: depends on a year whose holidays are not confirmed)' })
  provisional!: boolean;

  @Field(() => [String], { description: '暂定原因 (why provisional)' })
  reasons!: string[];

  @Field(() => [Int], { description: '依据的日历年度 (calendar years the due date depends on)' })
  yearsConsulted!: number[];

  @Field(() => Boolean, { description: '计时暂停：征求意见尚未结束 (the clock is stopped by an open consultation)' })
  paused!: boolean;

  @Field(() => Boolean, { description: '待补正：答复期限自收到补正后的申请之日起重新计算 (waiting for the corrected request)' })
  awaitingCorrection!: boolean;

  @Field(() => DateScalar, { nullable: true, description: '起算日：收到申请或补正之日 (the day the period counts from: receipt, or the corrected request’s arrival)' })
  clockStart!: string | null;

  @Field(() => DeadlineExplanation, { description: '计算说明 (the deadline engine’s explanation, step by step)' })
  explanation!: DeadlineExplanation;
}

@ObjectType('DisclosureCandidate', {
  description: '依申请转主动候选：多名申请人申请同一事项 (a topic several applicants asked about: candidate for proactive disclosure)',
})
export class DisclosureCandidate {
  @Field(() => ID, { description: '机关标识 (agency id)' })
  agencyId!: string;

  @Field(() => Agency, { nullable: true, description: '机关 (agency)' })
  agency?: Agency;

  @Field(() => String, { description: '申请事项归类 (topic)' })
  topic!: string;

  @Field(() => Int, { description: '不同申请人数 (distinct applicants)' })
  applicants!: number;

  @Field(() => Int, { description: '申请件数 (requests)' })
  requests!: number;

  @Field(() => DateScalar, { description: '最早收到日期 (first received)' })
  firstReceivedOn!: string;

  @Field(() => DateScalar, { description: '最近收到日期 (last received)' })
  lastReceivedOn!: string;
}

@ObjectType({ description: '政府信息公开申请变更结果 (information-request payload)' })
export class InfoRequestPayload {
  @Field(() => InfoRequest, { description: '申请 (the request as it now stands)' })
  infoRequest!: InfoRequest;
}

@ObjectType({ description: '征求意见变更结果 (consultation payload)' })
export class RequestConsultationPayload {
  @Field(() => RequestConsultation, { description: '征求意见 (the consultation)' })
  consultation!: RequestConsultation;

  @Field(() => InfoRequest, { description: '申请 (the request, with its recomputed due date)' })
  infoRequest!: InfoRequest;
}

@ObjectType({ description: '复议诉讼变更结果 (reconsideration or lawsuit payload)' })
export class RequestAppealPayload {
  @Field(() => RequestAppeal, { description: '复议或诉讼 (the reconsideration or lawsuit)' })
  appeal!: RequestAppeal;

  @Field(() => InfoRequest, { description: '申请 (the request)' })
  infoRequest!: InfoRequest;
}

@ObjectType({ description: '依申请转主动结果 (proactive-disclosure conversion payload)' })
export class ConvertToProactivePayload {
  @Field(() => CatalogueItem, { description: '主动公开的目录事项 (the catalogue item the information is now disclosed under)' })
  catalogueItem!: CatalogueItem;

  @Field(() => Int, { description: '关联的申请件数 (requests linked to the item)' })
  converted!: number;

  @Field(() => [InfoRequest], { description: '关联的申请 (the requests linked)' })
  infoRequests!: InfoRequest[];
}

export const InfoRequestConnection = ConnectionType(InfoRequest, 'InfoRequest', '政府信息公开申请');
