import type { EntityManager } from '@mikro-orm/postgresql';
import { hasRole, requirePrincipal } from '../../auth/policy';
import type { Lean } from '../../db/row-mapper';
import { sql } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict, forbidden } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { Role } from '../account/account.entity';
import { calendarService } from '../calendar/calendar.service';
import { correctionNoticeDeadline, thirdPartyResponseDeadline } from './request-clock';
import { computeFee, FeeInputError, type FeeResult } from './request-fees';
import { ConsultationKind, FeeMethod, InfoRequest, RequestConsultation, RequestOutcome } from './request.entity';
import type {
  EndConsultationInput,
  ExtendInfoRequestInput,
  RecordCorrectionInput,
  ReplyInfoRequestInput,
  RequestCorrectionInput,
  StartConsultationInput,
} from './request.inputs';
import { checkPastDate, isLiaisonOf, notFoundAt, requestService, RequestEventKind, requireText } from './request.service';

const OUTCOME_LABEL: Record<RequestOutcome, string> = {
  [RequestOutcome.DISCLOSED]: '予以公开',
  [RequestOutcome.PARTIALLY_DISCLOSED]: '部分公开',
  [RequestOutcome.WITHHELD_STATE_SECRET]: '不予公开（属于国家秘密）',
  [RequestOutcome.WITHHELD_PROHIBITED_BY_LAW]: '不予公开（其他法律行政法规禁止公开）',
  [RequestOutcome.WITHHELD_THREE_SECURITIES]: '不予公开（危及“三安全一稳定”）',
  [RequestOutcome.WITHHELD_THIRD_PARTY]: '不予公开（保护第三方合法权益）',
  [RequestOutcome.WITHHELD_INTERNAL_AFFAIRS]: '不予公开（属于三类内部事务信息）',
  [RequestOutcome.WITHHELD_PROCESS_INFORMATION]: '不予公开（属于四类过程性信息）',
  [RequestOutcome.WITHHELD_ENFORCEMENT_FILE]: '不予公开（属于行政执法案卷）',
  [RequestOutcome.WITHHELD_ADMINISTRATIVE_QUERY]: '不予公开（属于行政查询事项）',
  [RequestOutcome.UNAVAILABLE_NOT_HELD]: '无法提供（本机关不掌握相关政府信息）',
  [RequestOutcome.UNAVAILABLE_NEEDS_CREATION]: '无法提供（没有现成信息需要另行制作）',
  [RequestOutcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION]: '无法提供（补正后申请内容仍不明确）',
  [RequestOutcome.NOT_PROCESSED_PETITION]: '不予处理（信访举报投诉类申请）',
  [RequestOutcome.NOT_PROCESSED_REPEATED]: '不予处理（重复申请）',
  [RequestOutcome.NOT_PROCESSED_PUBLICATION]: '不予处理（要求提供公开出版物）',
  [RequestOutcome.NOT_PROCESSED_MASS_REPEATED]: '不予处理（无正当理由大量反复申请）',
  [RequestOutcome.NOT_PROCESSED_CONFIRMATION]: '不予处理（要求行政机关确认或重新出具已获取信息）',
  [RequestOutcome.OTHER_NOT_CORRECTED]: '其他处理（申请人无正当理由逾期不补正，不再处理）',
  [RequestOutcome.OTHER_FEE_UNPAID]: '其他处理（申请人逾期未缴纳费用，不再处理）',
  [RequestOutcome.OTHER]: '其他处理（其他）',
};

const KIND_LABEL: Record<ConsultationKind, string> = {
  [ConsultationKind.THIRD_PARTY]: '第三方',
  [ConsultationKind.OTHER_AGENCY]: '其他机关',
};

/** Outcomes a fee may go with: information provided, or a fee notice left unpaid. */
const FEE_OUTCOMES: ReadonlySet<RequestOutcome> = new Set([
  RequestOutcome.DISCLOSED,
  RequestOutcome.PARTIALLY_DISCLOSED,
  RequestOutcome.OTHER_FEE_UNPAID,
]);

function awaitingCorrection(row: { correctionNoticeOn?: string | null; correctedOn?: string | null }): boolean {
  return Boolean(row.correctionNoticeOn && !row.correctedOn);
}

/** The day the reply period counts from: the corrected request's arrival, or the receipt. */
function clockStart(row: { receivedOn: string; correctedOn?: string | null }): string {
  return row.correctedOn ?? row.receivedOn;
}

/**
 * The request's clock and reply (条例第三十至三十三条, 第四十二条): the one correction notice and the
 * corrected request's arrival, consultations, the one extension, and the reply with its outcome and
 * fee (reconsiderations and lawsuits: request-appeals.ts). Every change recomputes the stored due date where it moves and
 * writes a RequestEvent; the openness office (an administrator of the request's agency or above) does
 * every write, and a liaison of the assigned unit may also start and end consultations.
 */
export class RequestWorkflow {
  async requestCorrection(ctx: RequestContext, input: RequestCorrectionInput): Promise<InfoRequest> {
    const p = requirePrincipal(ctx);
    const request = await requestService.get(ctx, input.id, 'input.id');
    await requestService.assertAdmin(ctx, request, '发出补正通知 (requestCorrection)');
    requestService.assertOpen(request);
    if (request.correctionNoticeOn) {
      throw conflict(`已于 ${request.correctionNoticeOn} 发出补正通知，补正须一次性告知 (one correction notice only)`, 'input.id');
    }
    const text = requireText(input.text, 'input.text', '补正内容');
    checkPastDate(input.noticeOn, 'input.noticeOn', '通知日期');
    if (input.noticeOn < request.receivedOn) {
      throw badInput('input.noticeOn', `通知日期早于收到申请之日 ${request.receivedOn} (the notice cannot precede receipt)`);
    }
    return inTransaction(ctx, async (em) => {
      const row = await requestService.lock(em, request.id);
      requestService.assertOpen(row);
      if (row.correctionNoticeOn) throw conflict(`已于 ${row.correctionNoticeOn} 发出补正通知 (one correction notice only)`, 'input.id');
      const calendar = await calendarService.loadForDeadlines(ctx);
      const limit = correctionNoticeDeadline(row.receivedOn, calendar);
      if (input.noticeOn > limit.due!) {
        throw badInput(
          'input.noticeOn',
          `补正通知应在收到申请之日起7个工作日内发出，最迟${limit.due} (the correction notice is due within 7 working days of receipt: ${limit.due}). ${limit.explanation.summary}`,
          { limit: limit.due },
        );
      }
      row.correctionNoticeOn = input.noticeOn;
      row.correctionText = text;
      requestService.applyClockWith(row, [], calendar);
      requestService.record(em, row, RequestEventKind.CORRECTION_REQUESTED, input.noticeOn, `补正通知：${text}`, p.username);
      await em.flush();
      return row;
    });
  }

  async recordCorrection(ctx: RequestContext, input: RecordCorrectionInput): Promise<InfoRequest> {
    const p = requirePrincipal(ctx);
    const request = await requestService.get(ctx, input.id, 'input.id');
    await requestService.assertAdmin(ctx, request, '登记补正 (recordCorrection)');
    requestService.assertOpen(request);
    if (!request.correctionNoticeOn) throw conflict('该申请没有发出补正通知 (no correction was requested)', 'input.id');
    if (request.correctedOn) throw conflict(`已于 ${request.correctedOn} 收到补正 (the corrected request was already recorded)`, 'input.id');
    checkPastDate(input.correctedOn, 'input.correctedOn', '收到补正日期');
    if (input.correctedOn < request.correctionNoticeOn) {
      throw badInput('input.correctedOn', `收到补正日期早于补正通知日期 ${request.correctionNoticeOn} (the correction cannot precede the notice)`);
    }
    return inTransaction(ctx, async (em) => {
      const row = await requestService.lock(em, request.id);
      requestService.assertOpen(row);
      if (row.correctedOn) throw conflict(`已于 ${row.correctedOn} 收到补正 (already recorded)`, 'input.id');
      const consultations = await em.find(RequestConsultation, { request: row.id });
      row.correctedOn = input.correctedOn;
      const d = await requestService.applyClock(ctx, row, consultations);
      requestService.record(em, row, RequestEventKind.CORRECTED, input.correctedOn, `收到补正后的申请，答复期限重新计算，截止${d.due ?? '待定'}`, p.username);
      await em.flush();
      return row;
    });
  }

  /** Administrators of the request's agency (or above), or a liaison of the unit it is assigned to. */
  private async assertConsultationWriter(ctx: RequestContext, request: Lean<InfoRequest>, action: string): Promise<void> {
    const p = requirePrincipal(ctx);
    if (isLiaisonOf(p, request.unit?.id)) return;
    if (hasRole(p, Role.AGENCY_ADMIN)) {
      await requestService.assertAdmin(ctx, request, action);
      return;
    }
    throw forbidden(`只有承办单位联络员或本机关管理员可以操作 (${action} is limited to the assigned unit’s liaison or an administrator)`);
  }

  async startConsultation(ctx: RequestContext, input: StartConsultationInput): Promise<{ consultation: RequestConsultation; infoRequest: InfoRequest }> {
    const p = requirePrincipal(ctx);
    const request = await requestService.get(ctx, input.id, 'input.id');
    await this.assertConsultationWriter(ctx, request, '征求意见 (startConsultation)');
    requestService.assertOpen(request);
    if (awaitingCorrection(request)) throw conflict('申请待补正，收到补正后再征求意见 (waiting for the corrected request)', 'input.id');
    const party = requireText(input.party, 'input.party', '征求对象');
    checkPastDate(input.startedOn, 'input.startedOn', '发出日期');
    if (input.startedOn < clockStart(request)) {
      throw badInput('input.startedOn', `发出日期早于起算日 ${clockStart(request)} (a consultation cannot start before the clock does)`);
    }
    return inTransaction(ctx, async (em) => {
      const row = await requestService.lock(em, request.id);
      requestService.assertOpen(row);
      const existing = await em.find(RequestConsultation, { request: row.id });
      const consultation = em.create(RequestConsultation, {
        request: row.id,
        agency: row.agency.id,
        kind: input.kind,
        party,
        startedOn: input.startedOn,
      });
      const d = await requestService.applyClock(ctx, row, [...existing, consultation]);
      requestService.record(
        em,
        row,
        RequestEventKind.CONSULTATION_STARTED,
        input.startedOn,
        `征求${KIND_LABEL[input.kind]}意见：${party}；${d.paused ? '计时暂停' : `答复期限${d.due ?? '待定'}`}`,
        p.username,
      );
      await em.flush();
      return { consultation, infoRequest: row };
    });
  }

  async endConsultation(ctx: RequestContext, input: EndConsultationInput): Promise<{ consultation: RequestConsultation; infoRequest: InfoRequest }> {
    const p = requirePrincipal(ctx);
    const found = await ctx.loaders.infoRequest.consultationById.load(requireId(input.consultationId, 'input.consultationId'));
    if (!found) throw notFoundAt('input.consultationId', '征求意见 (consultation)', input.consultationId);
    const request = await requestService.get(ctx, found.request.id);
    await this.assertConsultationWriter(ctx, request, '结束征求意见 (endConsultation)');
    requestService.assertOpen(request, 'input.consultationId');
    if (found.endedOn) throw conflict(`征求意见已于 ${found.endedOn} 结束 (the consultation has already ended)`, 'input.consultationId');
    checkPastDate(input.endedOn, 'input.endedOn', '结束日期');
    if (input.endedOn < found.startedOn) {
      throw badInput('input.endedOn', `结束日期早于发出日期 ${found.startedOn} (a consultation cannot end before it started)`);
    }
    return inTransaction(ctx, async (em) => {
      const row = await requestService.lock(em, request.id, 'input.consultationId');
      requestService.assertOpen(row, 'input.consultationId');
      const consultations = await em.find(RequestConsultation, { request: row.id }, { refresh: true });
      const consultation = consultations.find((c) => c.id === found.id)!;
      if (consultation.endedOn) throw conflict(`征求意见已于 ${consultation.endedOn} 结束 (already ended)`, 'input.consultationId');
      const calendar = await calendarService.loadForDeadlines(ctx);
      if (consultation.kind === ConsultationKind.THIRD_PARTY) {
        const lapse = thirdPartyResponseDeadline(consultation.startedOn, calendar);
        if (input.endedOn > lapse.due!) {
          throw badInput(
            'input.endedOn',
            `第三方应在15个工作日内提出意见，期满日为${lapse.due}，此后的时间计入答复期限 (a third party has 15 working days: the consultation lapsed on ${lapse.due})`,
            { lapse: lapse.due },
          );
        }
      }
      consultation.endedOn = input.endedOn;
      const d = requestService.applyClockWith(row, consultations, calendar);
      requestService.record(
        em,
        row,
        RequestEventKind.CONSULTATION_ENDED,
        input.endedOn,
        `${KIND_LABEL[consultation.kind]}意见征求结束：${consultation.party}；${d.paused ? '仍有征求意见未结束，计时暂停' : `答复期限${d.due}`}`,
        p.username,
      );
      await em.flush();
      return { consultation, infoRequest: row };
    });
  }

  async extend(ctx: RequestContext, input: ExtendInfoRequestInput): Promise<InfoRequest> {
    const p = requirePrincipal(ctx);
    const request = await requestService.get(ctx, input.id, 'input.id');
    await requestService.assertAdmin(ctx, request, '延长答复期限 (extendInfoRequest)');
    requestService.assertOpen(request);
    if (request.extensionDays) {
      throw conflict(`答复期限已于 ${request.extensionNoticeOn} 延长${request.extensionDays}个工作日，只能延长一次 (one extension only)`, 'input.id');
    }
    if (awaitingCorrection(request)) throw conflict('申请待补正，答复期限尚未起算 (waiting for the corrected request: nothing to extend)', 'input.id');
    if (!Number.isInteger(input.days) || input.days < 1 || input.days > 20) {
      throw badInput('input.days', `延长不得超过20个工作日 (1–20 working days): ${input.days}`);
    }
    const reason = requireText(input.reason, 'input.reason', '延长理由');
    const approvedBy = requireText(input.approvedBy, 'input.approvedBy', '批准人');
    checkPastDate(input.noticeOn, 'input.noticeOn', '告知日期');
    if (input.noticeOn < clockStart(request)) {
      throw badInput('input.noticeOn', `告知日期早于起算日 ${clockStart(request)} (the notice cannot precede the clock’s start)`);
    }
    return inTransaction(ctx, async (em) => {
      const row = await requestService.lock(em, request.id);
      requestService.assertOpen(row);
      if (row.extensionDays) throw conflict('答复期限只能延长一次 (one extension only)', 'input.id');
      if (row.dueOn && input.noticeOn > row.dueOn) {
        throw badInput('input.noticeOn', `答复期限已于 ${row.dueOn} 届满，不能再延长 (the extension must be decided and notified by the due date ${row.dueOn})`, {
          due: row.dueOn,
        });
      }
      const consultations = await em.find(RequestConsultation, { request: row.id });
      const before = row.dueOn;
      row.extensionDays = input.days;
      row.extensionReason = reason;
      row.extensionApprovedBy = approvedBy;
      row.extensionNoticeOn = input.noticeOn;
      const d = await requestService.applyClock(ctx, row, consultations);
      requestService.record(
        em,
        row,
        RequestEventKind.EXTENDED,
        input.noticeOn,
        `延长${input.days}个工作日（${approvedBy}批准）：${reason}；截止日${before ?? '待定'} → ${d.due ?? '待定'}`,
        p.username,
      );
      await em.flush();
      return row;
    });
  }

  async reply(ctx: RequestContext, input: ReplyInfoRequestInput): Promise<InfoRequest> {
    const p = requirePrincipal(ctx);
    const request = await requestService.get(ctx, input.id, 'input.id');
    await requestService.assertAdmin(ctx, request, '答复申请 (replyInfoRequest)');
    requestService.assertOpen(request);
    const waiting = awaitingCorrection(request);
    if (input.outcome === RequestOutcome.OTHER_NOT_CORRECTED && !waiting) {
      throw badInput(
        'input.outcome',
        request.correctedOn
          ? '申请人已补正，不能按逾期不补正处理 (the corrected request arrived: it was not abandoned)'
          : '未发出补正通知，不能按逾期不补正处理 (no correction was requested)',
      );
    }
    if (waiting && input.outcome !== RequestOutcome.OTHER_NOT_CORRECTED) {
      throw badInput('input.outcome', '申请待补正：只能按逾期不补正处理，或等待补正 (waiting for the corrected request: only OTHER_NOT_CORRECTED closes it now)');
    }
    if (input.outcome === RequestOutcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION && !request.correctedOn) {
      throw badInput('input.outcome', '没有补正，不能按“补正后申请内容仍不明确”处理 (no corrected request was received)');
    }
    const legalBasis = requireText(input.legalBasis, 'input.legalBasis', '法律依据');
    checkPastDate(input.repliedOn, 'input.repliedOn', '答复日期');
    if (input.repliedOn < request.receivedOn) {
      throw badInput('input.repliedOn', `答复日期早于收到申请之日 ${request.receivedOn} (a reply cannot precede receipt)`);
    }
    if (request.correctedOn && input.repliedOn < request.correctedOn) {
      throw badInput('input.repliedOn', `答复日期早于收到补正之日 ${request.correctedOn} (a reply cannot precede the corrected request)`);
    }
    if (waiting && input.repliedOn < request.correctionNoticeOn!) {
      throw badInput('input.repliedOn', `答复日期早于补正通知日期 ${request.correctionNoticeOn} (the closure cannot precede the notice)`);
    }
    if (input.fee) {
      if (!FEE_OUTCOMES.has(input.outcome)) {
        throw badInput('input.fee', '只有予以公开、部分公开或逾期未缴费的申请涉及收费 (a fee goes with disclosed information or an unpaid fee notice only)');
      }
      try {
        computeFee({ method: input.fee.method, pages: input.fee.pages ?? null }, 1);
      } catch (err) {
        if (err instanceof FeeInputError) throw badInput(`input.fee.${err.field}`, err.message);
        throw err;
      }
    } else if (input.outcome === RequestOutcome.OTHER_FEE_UNPAID) {
      throw badInput('input.fee', '逾期未缴费须有收费 (an unpaid fee needs the fee that was noticed)');
    }
    return inTransaction(ctx, async (em) => {
      const row = await requestService.lock(em, request.id);
      requestService.assertOpen(row);
      const open = await em.count(RequestConsultation, { request: row.id, endedOn: null });
      if (open > 0) throw conflict('征求意见尚未结束，请先登记结束日期 (a consultation is still open: record its end first)', 'input.id');
      let fee: FeeResult | null = null;
      if (input.fee) {
        const position = input.fee.method === FeeMethod.PER_REQUEST ? await this.monthlyPosition(em, row) : null;
        fee = computeFee({ method: input.fee.method, pages: input.fee.pages ?? null }, position);
        if (input.outcome === RequestOutcome.OTHER_FEE_UNPAID && fee.amount === 0) {
          throw badInput('input.fee', `${fee.explanation}不收费，不能按逾期未缴费处理 (no fee is due, so none can be unpaid)`);
        }
      }
      row.outcome = input.outcome;
      row.repliedOn = input.repliedOn;
      row.legalBasis = legalBasis;
      row.feeMethod = fee ? (fee.method as FeeMethod) : null;
      row.feePages = fee && fee.method === 'PER_PAGE' ? input.fee!.pages! : null;
      row.feeAmount = fee ? fee.amount : null;
      const timing = row.dueOn ? (input.repliedOn <= row.dueOn ? `按期（截止${row.dueOn}）` : `逾期（截止${row.dueOn}）`) : '';
      requestService.record(
        em,
        row,
        RequestEventKind.REPLIED,
        input.repliedOn,
        `答复：${OUTCOME_LABEL[input.outcome]}${timing ? `，${timing}` : ''}；依据：${legalBasis}${fee ? `；${fee.explanation}` : ''}`,
        p.username,
      );
      await em.flush();
      return row;
    });
  }

  /**
   * The request's position among its applicant's requests to the agency received in the same
   * calendar month (国办函〔2020〕109号 counts per natural month), by receipt date and then
   * registration number, this one included.
   */
  private async monthlyPosition(em: EntityManager, row: InfoRequest): Promise<number> {
    const [r] = await sql<{ n: string }>(
      em,
      `select count(*) as n from info_request r
        where r.agency_id = ?::uuid and r.applicant_name = ?
          and r.received_on >= date_trunc('month', ?::date)::date
          and r.received_on < (date_trunc('month', ?::date) + interval '1 month')::date
          and (r.received_on, length(r.number), r.number) <= (?::date, length(?), ?)`,
      [row.agency.id, row.applicantName, row.receivedOn, row.receivedOn, row.receivedOn, row.number, row.number],
    );
    return Math.max(1, Number(r?.n ?? 1));
  }

}

export const requestWorkflow = new RequestWorkflow();
