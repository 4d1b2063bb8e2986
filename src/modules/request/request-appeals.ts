import { LockMode } from '@mikro-orm/core';
import { requirePrincipal } from '../../auth/policy';
import type { Lean } from '../../db/row-mapper';
import { inTransaction } from '../../db/transaction';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { AppealKind, AppealResult, InfoRequest, RequestAppeal } from './request.entity';
import type { DecideAppealInput, RecordAppealInput } from './request.inputs';
import { checkPastDate, notFoundAt, requestService, RequestEventKind } from './request.service';

const APPEAL_KIND_LABEL: Record<AppealKind, string> = {
  [AppealKind.RECONSIDERATION]: '行政复议',
  [AppealKind.LAWSUIT_DIRECT]: '行政诉讼（未经复议直接起诉）',
  [AppealKind.LAWSUIT_AFTER_RECONSIDERATION]: '行政诉讼（复议后起诉）',
};

const APPEAL_RESULT_LABEL: Record<AppealResult, string> = {
  [AppealResult.UPHELD]: '结果维持',
  [AppealResult.CORRECTED]: '结果纠正',
  [AppealResult.OTHER]: '其他结果',
  [AppealResult.PENDING]: '尚未审结',
};

/**
 * 行政复议、行政诉讼 about a request (the annual report's Table 4): recorded against the request
 * with their kind and result (PENDING until decided), by the openness office of its agency or above.
 * Every change writes a RequestEvent.
 */
export class RequestAppeals {
  async recordAppeal(ctx: RequestContext, input: RecordAppealInput): Promise<{ appeal: RequestAppeal; infoRequest: Lean<InfoRequest> }> {
    const p = requirePrincipal(ctx);
    const request = await requestService.get(ctx, input.requestId, 'input.requestId');
    await requestService.assertAdmin(ctx, request, '登记复议诉讼 (recordAppeal)');
    checkPastDate(input.filedOn, 'input.filedOn', '提起日期');
    if (input.filedOn < request.receivedOn) {
      throw badInput('input.filedOn', `提起日期早于收到申请之日 ${request.receivedOn} (cannot precede the request)`);
    }
    const result = input.result ?? AppealResult.PENDING;
    if (result === AppealResult.PENDING) {
      if (input.decidedOn) throw badInput('input.decidedOn', '尚未审结的不填审结日期 (a pending case has no decision date)');
    } else {
      if (!input.decidedOn) throw badInput('input.decidedOn', '已审结的须填审结日期 (a decided case needs its decision date)');
      this.checkDecision(input.decidedOn, input.filedOn, 'input.decidedOn');
    }
    const note = input.note?.trim() ?? '';
    return inTransaction(ctx, async (em) => {
      const row = await requestService.lock(em, request.id, 'input.requestId');
      const appeal = em.create(RequestAppeal, {
        request: row.id,
        agency: row.agency.id,
        kind: input.kind,
        filedOn: input.filedOn,
        result,
        decidedOn: result === AppealResult.PENDING ? null : input.decidedOn!,
        note,
      });
      requestService.record(
        em,
        row,
        RequestEventKind.APPEAL_RECORDED,
        input.filedOn,
        `${APPEAL_KIND_LABEL[input.kind]}：${APPEAL_RESULT_LABEL[result]}${appeal.decidedOn ? `（${appeal.decidedOn}审结）` : ''}${note ? `；${note}` : ''}`,
        p.username,
      );
      await em.flush();
      return { appeal, infoRequest: row };
    });
  }

  private checkDecision(decidedOn: string, filedOn: string, field: string): void {
    checkPastDate(decidedOn, field, '审结日期');
    if (decidedOn < filedOn) throw badInput(field, `审结日期早于提起日期 ${filedOn} (a decision cannot precede the filing)`);
  }

  async decideAppeal(ctx: RequestContext, input: DecideAppealInput): Promise<{ appeal: RequestAppeal; infoRequest: Lean<InfoRequest> }> {
    const p = requirePrincipal(ctx);
    const found = await ctx.loaders.infoRequest.appealById.load(requireId(input.id, 'input.id'));
    if (!found) throw notFoundAt('input.id', '复议诉讼 (appeal)', input.id);
    const request = await requestService.get(ctx, found.request.id);
    await requestService.assertAdmin(ctx, request, '登记审结 (decideAppeal)');
    if (input.result === AppealResult.PENDING) throw badInput('input.result', '审结结果应为维持、纠正或其他 (a decision is UPHELD, CORRECTED or OTHER)');
    if (found.result !== AppealResult.PENDING) {
      throw conflict(`已于 ${found.decidedOn} 审结：${APPEAL_RESULT_LABEL[found.result as AppealResult]} (already decided)`, 'input.id');
    }
    this.checkDecision(input.decidedOn, found.filedOn, 'input.decidedOn');
    return inTransaction(ctx, async (em) => {
      const row = await requestService.lock(em, request.id, 'input.id');
      const appeal = await em.findOneOrFail(RequestAppeal, found.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (appeal.result !== AppealResult.PENDING) throw conflict('已审结 (already decided)', 'input.id');
      appeal.result = input.result;
      appeal.decidedOn = input.decidedOn;
      requestService.record(
        em,
        row,
        RequestEventKind.APPEAL_DECIDED,
        input.decidedOn,
        `${APPEAL_KIND_LABEL[appeal.kind]}审结：${APPEAL_RESULT_LABEL[input.result]}`,
        p.username,
      );
      await em.flush();
      return { appeal, infoRequest: row };
    });
  }
}

export const requestAppeals = new RequestAppeals();
