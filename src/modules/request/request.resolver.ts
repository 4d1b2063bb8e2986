import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { DateScalar } from '../calendar/date-scalar';
import { CatalogueItem } from '../catalogue/catalogue-item.entity';
import { correctionNoticeDeadline, thirdPartyResponseDeadline } from './request-clock';
import { requestAppeals } from './request-appeals';
import { requestDisclosure } from './request-disclosure';
import { requestWorkflow } from './request-workflow';
import { ConsultationKind, InfoRequest, RequestAppeal, RequestConsultation, RequestEvent } from './request.entity';
import {
  AssignInfoRequestInput,
  ClassifyInfoRequestInput,
  ConvertToProactiveInput,
  DecideAppealInput,
  DisclosureCandidateFilter,
  EndConsultationInput,
  ExtendInfoRequestInput,
  InfoRequestFilter,
  RecordAppealInput,
  RecordCorrectionInput,
  RegisterInfoRequestInput,
  ReplyInfoRequestInput,
  RequestCorrectionInput,
  StartConsultationInput,
} from './request.inputs';
import { requestService } from './request.service';
import {
  ConvertToProactivePayload,
  DisclosureCandidate,
  InfoRequestConnection,
  InfoRequestDeadline,
  InfoRequestPayload,
  RequestAppealPayload,
  RequestConsultationPayload,
  RequestState,
} from './request.types';

@Resolver(() => InfoRequest)
export class InfoRequestResolver {
  @Query(() => InfoRequest, { description: '按标识查询政府信息公开申请 (an information request by id)' })
  infoRequest(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return requestService.get(ctx, id);
  }

  @Query(() => InfoRequestConnection, { description: '政府信息公开申请：本机关及下级的，按收到日期 (information requests in the caller’s subtree, by receipt date)' })
  infoRequests(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => InfoRequestFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: InfoRequestFilter | null,
  ) {
    return requestService.list(ctx, args, filter);
  }

  @Query(() => [DisclosureCandidate], {
    description:
      '依申请转主动候选：多名不同申请人申请、尚未转为主动公开的事项 (topics at least minApplicants distinct applicants asked about, not yet proactively disclosed)',
  })
  disclosureCandidates(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => DisclosureCandidateFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: DisclosureCandidateFilter | null,
  ) {
    return requestDisclosure.disclosureCandidates(ctx, filter);
  }

  @FieldResolver(() => Agency, { description: '受理机关 (agency)' })
  agency(@Root() r: Lean<InfoRequest>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(r.agency.id);
  }

  @FieldResolver(() => Unit, { nullable: true, description: '承办单位 (assigned unit; null until assigned)' })
  unit(@Root() r: Lean<InfoRequest>, @Ctx() ctx: RequestContext) {
    return r.unit ? ctx.loaders.agency.unitById.load(r.unit.id) : null;
  }

  @FieldResolver(() => CatalogueItem, { nullable: true, description: '转为主动公开的目录事项 (the catalogue item the information was turned into, once it was)' })
  catalogueItem(@Root() r: Lean<InfoRequest>, @Ctx() ctx: RequestContext) {
    return r.catalogueItem ? ctx.loaders.catalogue.itemById.load(r.catalogueItem.id) : null;
  }

  @FieldResolver(() => RequestState, { description: '办理状态，截至今天，推导所得 (state as of today, derived)' })
  state(@Root() r: Lean<InfoRequest>, @Ctx() ctx: RequestContext) {
    return requestService.state(ctx, r);
  }

  @FieldResolver(() => InfoRequestDeadline, { description: '答复期限及计算说明 (the reply due date with the engine’s explanation)' })
  deadline(@Root() r: Lean<InfoRequest>) {
    return requestService.deadline(r);
  }

  @FieldResolver(() => DateScalar, { description: '补正通知最迟日期：收到申请后第7个工作日 (last day for the correction notice: the 7th working day after receipt)' })
  async correctionDue(@Root() r: Lean<InfoRequest>, @Ctx() ctx: RequestContext) {
    return correctionNoticeDeadline(r.receivedOn, await ctx.loaders.calendar.working()).due;
  }

  @FieldResolver(() => [RequestEvent], { description: '办理记录 (history: everything that happened, in order)' })
  history(@Root() r: Lean<InfoRequest>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.infoRequest.eventsByRequest.load(r.id);
  }

  @FieldResolver(() => [RequestConsultation], { description: '征求意见 (consultations, by start date)' })
  consultations(@Root() r: Lean<InfoRequest>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.infoRequest.consultationsByRequest.load(r.id);
  }

  @FieldResolver(() => [RequestAppeal], { description: '行政复议、行政诉讼 (reconsiderations and lawsuits, by filing date)' })
  appeals(@Root() r: Lean<InfoRequest>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.infoRequest.appealsByRequest.load(r.id);
  }

  @Mutation(() => InfoRequestPayload, { description: '登记申请：编号 YSQ-年度-序号，收到日期按渠道确定 (register a request: numbered per agency and year; receipt date by channel)' })
  async registerInfoRequest(@Ctx() ctx: RequestContext, @Arg('input', () => RegisterInfoRequestInput) input: RegisterInfoRequestInput) {
    return { infoRequest: await requestService.register(ctx, input) };
  }

  @Mutation(() => InfoRequestPayload, { description: '指定承办单位 (assign a request to a unit)' })
  async assignInfoRequest(@Ctx() ctx: RequestContext, @Arg('input', () => AssignInfoRequestInput) input: AssignInfoRequestInput) {
    return { infoRequest: await requestService.assign(ctx, input) };
  }

  @Mutation(() => InfoRequestPayload, { description: '申请事项归类 (set a request’s topic)' })
  async classifyInfoRequest(@Ctx() ctx: RequestContext, @Arg('input', () => ClassifyInfoRequestInput) input: ClassifyInfoRequestInput) {
    return { infoRequest: await requestService.classify(ctx, input) };
  }

  @Mutation(() => InfoRequestPayload, { description: '发出补正通知：收到申请后7个工作日内，一次性告知 (the one correction notice, within 7 working days)' })
  async requestCorrection(@Ctx() ctx: RequestContext, @Arg('input', () => RequestCorrectionInput) input: RequestCorrectionInput) {
    return { infoRequest: await requestWorkflow.requestCorrection(ctx, input) };
  }

  @Mutation(() => InfoRequestPayload, { description: '收到补正：答复期限自该日起重新计算 (the corrected request arrived: the clock restarts)' })
  async recordCorrection(@Ctx() ctx: RequestContext, @Arg('input', () => RecordCorrectionInput) input: RecordCorrectionInput) {
    return { infoRequest: await requestWorkflow.recordCorrection(ctx, input) };
  }

  @Mutation(() => RequestConsultationPayload, { description: '征求第三方或其他机关意见：期间不计入答复期限 (start a consultation: its time is not counted)' })
  startConsultation(@Ctx() ctx: RequestContext, @Arg('input', () => StartConsultationInput) input: StartConsultationInput) {
    return requestWorkflow.startConsultation(ctx, input);
  }

  @Mutation(() => RequestConsultationPayload, { description: '征求意见结束：次日恢复计算 (end a consultation: the clock runs again the next day)' })
  endConsultation(@Ctx() ctx: RequestContext, @Arg('input', () => EndConsultationInput) input: EndConsultationInput) {
    return requestWorkflow.endConsultation(ctx, input);
  }

  @Mutation(() => InfoRequestPayload, { description: '延长答复期限：一次，不超过20个工作日 (the one extension, at most 20 working days)' })
  async extendInfoRequest(@Ctx() ctx: RequestContext, @Arg('input', () => ExtendInfoRequestInput) input: ExtendInfoRequestInput) {
    return { infoRequest: await requestWorkflow.extend(ctx, input) };
  }

  @Mutation(() => InfoRequestPayload, { description: '答复申请：办理结果、答复日期、法律依据，收费按规则计算 (reply: outcome, date, legal basis; any fee computed by the rules)' })
  async replyInfoRequest(@Ctx() ctx: RequestContext, @Arg('input', () => ReplyInfoRequestInput) input: ReplyInfoRequestInput) {
    return { infoRequest: await requestWorkflow.reply(ctx, input) };
  }

  @Mutation(() => RequestAppealPayload, { description: '登记行政复议或行政诉讼 (record a reconsideration or lawsuit)' })
  recordAppeal(@Ctx() ctx: RequestContext, @Arg('input', () => RecordAppealInput) input: RecordAppealInput) {
    return requestAppeals.recordAppeal(ctx, input);
  }

  @Mutation(() => RequestAppealPayload, { description: '登记复议诉讼审结结果 (record the decision of a reconsideration or lawsuit)' })
  decideAppeal(@Ctx() ctx: RequestContext, @Arg('input', () => DecideAppealInput) input: DecideAppealInput) {
    return requestAppeals.decideAppeal(ctx, input);
  }

  @Mutation(() => ConvertToProactivePayload, { description: '依申请转主动：把某事项的申请关联到主动公开目录事项 (link a topic’s requests to the catalogue item that now discloses the information)' })
  convertToProactive(@Ctx() ctx: RequestContext, @Arg('input', () => ConvertToProactiveInput) input: ConvertToProactiveInput) {
    return requestDisclosure.convertToProactive(ctx, input);
  }
}

@Resolver(() => RequestConsultation)
export class RequestConsultationResolver {
  @FieldResolver(() => InfoRequest, { description: '申请 (the request)' })
  request(@Root() c: Lean<RequestConsultation>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.infoRequest.byId.load(c.request.id);
  }

  @FieldResolver(() => DateScalar, {
    nullable: true,
    description: '第三方提出意见的期满日：发出后第15个工作日；其他机关为空 (a third party’s 15th working day; null for other agencies)',
  })
  async responseDue(@Root() c: Lean<RequestConsultation>, @Ctx() ctx: RequestContext) {
    if (c.kind !== ConsultationKind.THIRD_PARTY) return null;
    return thirdPartyResponseDeadline(c.startedOn, await ctx.loaders.calendar.working()).due;
  }
}

@Resolver(() => RequestAppeal)
export class RequestAppealResolver {
  @FieldResolver(() => InfoRequest, { description: '申请 (the request)' })
  request(@Root() a: Lean<RequestAppeal>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.infoRequest.byId.load(a.request.id);
  }
}

@Resolver(() => DisclosureCandidate)
export class DisclosureCandidateResolver {
  @FieldResolver(() => Agency, { nullable: true, description: '机关 (agency)' })
  agency(@Root() c: DisclosureCandidate, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(c.agencyId);
  }
}
