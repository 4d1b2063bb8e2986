import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertAdminOf, hasRole, requirePrincipal } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import type { Lean } from '../../db/row-mapper';
import { sql } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { AppError, badInput, conflict, registerConstraintField } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import { Role } from '../account/account.entity';
import type { Agency } from '../agency/agency.entity';
import type { Unit } from '../agency/unit.entity';
import { calendarService } from '../calendar/calendar.service';
import { today } from '../calendar/clock';
import { isIsoDate, yearOf } from '../calendar/date-utils';
import type { WorkingCalendar } from '../calendar/working-calendar';
import {
  ClockInputError,
  dueSoonUntil,
  receiptDate,
  replyDeadline,
  requestState,
  RequestState,
  storedDeadline,
  type RequestDeadline,
  type StoredRequestDeadline,
} from './request-clock';
import { InfoRequest, RequestConsultation, RequestEvent } from './request.entity';
import type {
  AssignInfoRequestInput,
  ClassifyInfoRequestInput,
  InfoRequestFilter,
  RegisterInfoRequestInput,
} from './request.inputs';
import type { InfoRequestDeadline } from './request.types';

registerConstraintField('info_request_number_unique', 'input.agencyId');

/** Key class of the per-agency-and-year registration-number lock (two-int advisory keys). */
const NUMBER_LOCK_CLASS = 7310;

/** What happened to a request (`request_event.kind`). */
export const RequestEventKind = {
  REGISTERED: 'REGISTERED',
  ASSIGNED: 'ASSIGNED',
  CLASSIFIED: 'CLASSIFIED',
  CORRECTION_REQUESTED: 'CORRECTION_REQUESTED',
  CORRECTED: 'CORRECTED',
  CONSULTATION_STARTED: 'CONSULTATION_STARTED',
  CONSULTATION_ENDED: 'CONSULTATION_ENDED',
  EXTENDED: 'EXTENDED',
  REPLIED: 'REPLIED',
  APPEAL_RECORDED: 'APPEAL_RECORDED',
  APPEAL_DECIDED: 'APPEAL_DECIDED',
  CONVERTED_TO_PROACTIVE: 'CONVERTED_TO_PROACTIVE',
  /** Written by the calendar recomputer (migration 20261122103000_RequestDeadlines). */
  DEADLINE_RECOMPUTED: 'DEADLINE_RECOMPUTED',
} as const;
export type RequestEventKindValue = (typeof RequestEventKind)[keyof typeof RequestEventKind];

/** NOT_FOUND naming the input field (objects of other tenants answer exactly like missing ones). */
export function notFoundAt(field: string, what: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${field}: ${what} ${id} not found`, { field, id });
}

/** A date not in the future, or bad input naming the field. */
export function checkPastDate(value: string, field: string, what: string): string {
  if (!isIsoDate(value)) throw badInput(field, `日期格式应为 YYYY-MM-DD (date expected): ${value}`);
  if (value > today()) throw badInput(field, `${what}不能晚于今天 (${value} lies in the future)`);
  return value;
}

/** Non-empty trimmed text, or bad input naming the field. */
export function requireText(value: string | null | undefined, field: string, what: string): string {
  const text = value?.trim() ?? '';
  if (!text) throw badInput(field, `${what}不能为空 (must not be empty)`);
  return text;
}

/** The clock's bad input, named as a field of the mutation's input. */
export function rethrowClock(err: unknown, prefix = 'input'): never {
  if (err instanceof ClockInputError) throw badInput(`${prefix}.${err.field}`, err.message);
  throw err;
}

/**
 * 依申请公开: registration, assignment, classification and reads. The clock's own mutations
 * (correction, consultations, extension, reply) are in request-workflow.ts, reconsiderations and
 * lawsuits in request-appeals.ts, 依申请转主动 in request-disclosure.ts.
 */
export class RequestService {
  async get(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<InfoRequest>> {
    requirePrincipal(ctx);
    const row = await ctx.loaders.infoRequest.byId.load(requireId(id, field));
    if (!row) throw notFoundAt(field, '政府信息公开申请 (information request)', id);
    return row;
  }

  /** The request's agency after checking that the caller administers it (or an agency above it). */
  async assertAdmin(ctx: RequestContext, request: { agency: { id: string } }, action: string): Promise<Lean<Agency>> {
    const agency = await ctx.loaders.agency.byId.load(request.agency.id);
    if (!agency) throw new AppError('FORBIDDEN', `需要本机关或上级机关的管理员权限 (${action})`);
    assertAdminOf(ctx, agency, action);
    return agency;
  }

  /** A unit of `agency`, or bad input / NOT_FOUND naming the field. */
  async unitOf(ctx: RequestContext, agencyId: string, unitId: string, field: string): Promise<Lean<Unit>> {
    const unit = await ctx.loaders.agency.unitById.load(requireId(unitId, field));
    if (!unit) throw notFoundAt(field, '内设机构 (unit)', unitId);
    if (unit.agency.id !== agencyId) throw badInput(field, `单位 ${unit.name} 不是受理机关的单位 (the unit belongs to another agency)`, { id: unit.id });
    return unit;
  }

  /**
   * The row, locked for the rest of the request transaction so concurrent changes serialise; the
   * calendar's shared lock comes first (see CalendarService.lockShared).
   */
  async lock(em: EntityManager, id: string, field = 'input.id'): Promise<InfoRequest> {
    await calendarService.lockShared(em);
    const row = await em.findOne(InfoRequest, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!row) throw notFoundAt(field, '政府信息公开申请 (information request)', id);
    return row;
  }

  /** Refuses changes to the clock of a request already answered. */
  assertOpen(row: { outcome?: unknown; repliedOn?: string | null }, field = 'input.id'): void {
    if (row.repliedOn) throw conflict(`申请已于 ${row.repliedOn} 答复，不能再修改 (the request has been answered)`, field);
  }

  /**
   * Recomputes and stores the request's due date from its clock inputs and `consultations` (as they
   * now stand, including changes not yet flushed), against the calendar as committed.
   */
  async applyClock(ctx: RequestContext, row: InfoRequest, consultations: readonly RequestConsultation[]): Promise<RequestDeadline> {
    const calendar = await calendarService.loadForDeadlines(ctx);
    return this.applyClockWith(row, consultations, calendar);
  }

  applyClockWith(row: InfoRequest, consultations: readonly { startedOn: string; endedOn?: string | null }[], calendar: WorkingCalendar): RequestDeadline {
    const d = replyDeadline(
      {
        receivedOn: row.receivedOn,
        correctionNoticeOn: row.correctionNoticeOn ?? null,
        correctedOn: row.correctedOn ?? null,
        consultations,
        extensionDays: row.extensionDays ?? null,
      },
      calendar,
    );
    row.dueOn = d.due;
    row.dueProvisional = d.provisional;
    row.dueExplanation = storedDeadline(d);
    return d;
  }

  record(em: EntityManager, row: { id: string; agency: { id: string } }, kind: RequestEventKindValue, happenedOn: string, detail: string, actor: string): void {
    em.create(RequestEvent, { request: row.id, agency: row.agency.id, kind, happenedOn, detail, actor });
  }

  // ---- reads -----------------------------------------------------------------------------------

  deadline(row: Lean<InfoRequest>): InfoRequestDeadline {
    const stored = (row.dueExplanation ?? null) as StoredRequestDeadline | null;
    return {
      due: row.dueOn ?? null,
      provisional: row.dueProvisional,
      reasons: stored?.reasons ?? [],
      yearsConsulted: stored?.years ?? [],
      paused: stored?.paused ?? false,
      awaitingCorrection: stored?.awaitingCorrection ?? Boolean(row.correctionNoticeOn && !row.correctedOn),
      clockStart: stored?.clockStart ?? null,
      explanation: {
        summary: stored?.summary ?? '',
        start: stored?.start ?? row.receivedOn,
        steps: (stored?.steps ?? []).map((s) => ({ date: s.date, kind: s.kind as never, ordinal: s.ordinal ?? null, name: s.name ?? null })),
      },
    };
  }

  async state(ctx: RequestContext, row: Lean<InfoRequest>): Promise<RequestState> {
    const calendar = await ctx.loaders.calendar.working();
    return requestState(row, today(), calendar);
  }

  async list(ctx: RequestContext, args: ConnectionArgs, filter?: InfoRequestFilter | null): Promise<Connection<Lean<InfoRequest>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(InfoRequest, 'r');
    if (filter?.agencyId) {
      const agency = await ctx.loaders.agency.byId.load(requireId(filter.agencyId, 'filter.agencyId'));
      if (!agency) throw notFoundAt('filter.agencyId', '机关 (agency)', filter.agencyId);
      qb.andWhere({ agency: agency.id });
    }
    if (filter?.year != null) qb.andWhere({ year: filter.year });
    if (filter?.outcome) qb.andWhere({ outcome: filter.outcome });
    if (filter?.unitId) qb.andWhere({ unit: requireId(filter.unitId, 'filter.unitId') });
    if (filter?.topic != null) qb.andWhere({ topic: filter.topic.trim() });
    if (filter?.state) {
      const c = await this.stateCondition(ctx, 'r', filter.state);
      qb.andWhere(c.sql, c.params);
    }
    return paginateQb(ctx.em, qb, args, { column: 'received_on', value: (r) => r.receivedOn });
  }

  /** The SQL condition of a derived state (see requestState), with its parameters. */
  private async stateCondition(ctx: RequestContext, a: string, state: RequestState): Promise<{ sql: string; params: unknown[] }> {
    const awaiting = `(${a}.correction_notice_on is not null and ${a}.corrected_on is null)`;
    const open = `${a}.replied_on is null and not ${awaiting}`;
    const now = today();
    switch (state) {
      case RequestState.ANSWERED:
        return { sql: `${a}.replied_on is not null and (${a}.due_on is null or ${a}.replied_on <= ${a}.due_on)`, params: [] };
      case RequestState.ANSWERED_LATE:
        return { sql: `${a}.replied_on > ${a}.due_on`, params: [] };
      case RequestState.AWAITING_CORRECTION:
        return { sql: `${a}.replied_on is null and ${awaiting}`, params: [] };
      case RequestState.IN_CONSULTATION:
        return { sql: `${open} and ${a}.due_on is null`, params: [] };
      case RequestState.OVERDUE:
        return { sql: `${open} and ${a}.due_on < ?::date`, params: [now] };
      case RequestState.DUE_SOON:
      case RequestState.OPEN: {
        const limit = dueSoonUntil(now, await ctx.loaders.calendar.working());
        return state === RequestState.DUE_SOON
          ? { sql: `${open} and ${a}.due_on >= ?::date and ${a}.due_on < ?::date`, params: [now, limit] }
          : { sql: `${open} and ${a}.due_on >= ?::date`, params: [limit] };
      }
    }
  }

  // ---- writes ----------------------------------------------------------------------------------

  async register(ctx: RequestContext, input: RegisterInfoRequestInput): Promise<InfoRequest> {
    const p = requirePrincipal(ctx);
    const agency = await ctx.loaders.agency.byId.load(requireId(input.agencyId, 'input.agencyId'));
    if (!agency) throw notFoundAt('input.agencyId', '机关 (agency)', input.agencyId);
    assertAdminOf(ctx, agency, '登记申请 (registerInfoRequest)');
    const applicantName = requireText(input.applicantName, 'input.applicantName', '申请人');
    const content = requireText(input.content, 'input.content', '申请内容');
    checkPastDate(input.submittedOn, 'input.submittedOn', '提交日期');
    let receivedOn: string;
    try {
      receivedOn = receiptDate(input.channel, input.submittedOn, input.receivedOn ?? null);
    } catch (err) {
      rethrowClock(err);
    }
    checkPastDate(receivedOn, 'input.receivedOn', '收到日期');
    const unit = input.unitId ? await this.unitOf(ctx, agency.id, input.unitId, 'input.unitId') : null;
    const year = yearOf(receivedOn);
    return inTransaction(ctx, async (em) => {
      await calendarService.lockShared(em);
      // Numbers are per agency and year: concurrent registrations take turns here (the unique constraint backs it).
      await sql(em, 'select pg_advisory_xact_lock(?::int, hashtext(?::text))', [NUMBER_LOCK_CLASS, `${agency.id}|${year}`]);
      const [max] = await sql<{ n: number | string | null }>(
        em,
        `select max(substring(number from '([0-9]+)$')::int) as n from info_request where agency_id = ?::uuid and year = ?::int`,
        [agency.id, year],
      );
      const number = `YSQ-${year}-${String(Number(max?.n ?? 0) + 1).padStart(4, '0')}`;
      const row = em.create(InfoRequest, {
        agency: agency.id,
        year,
        number,
        channel: input.channel,
        applicantType: input.applicantType,
        applicantName,
        applicantContact: input.applicantContact?.trim() ?? '',
        content,
        topic: input.topic?.trim() ?? '',
        submittedOn: input.submittedOn,
        receivedOn,
        unit: unit?.id ?? null,
        registeredBy: p.username,
      });
      const d = await this.applyClock(ctx, row, []);
      this.record(
        em,
        row,
        RequestEventKind.REGISTERED,
        receivedOn,
        `登记${number}，${CHANNEL_LABEL[input.channel]}，提交${input.submittedOn}，收到${receivedOn}；答复期限${d.due ?? '待定'}${unit ? `；承办单位${unit.name}` : ''}`,
        p.username,
      );
      await em.flush();
      return row;
    });
  }

  async assign(ctx: RequestContext, input: AssignInfoRequestInput): Promise<InfoRequest> {
    const p = requirePrincipal(ctx);
    const request = await this.get(ctx, input.id, 'input.id');
    await this.assertAdmin(ctx, request, '指定承办单位 (assignInfoRequest)');
    const unit = await this.unitOf(ctx, request.agency.id, input.unitId, 'input.unitId');
    this.assertOpen(request);
    return inTransaction(ctx, async (em) => {
      const row = await this.lock(em, request.id);
      this.assertOpen(row);
      row.unit = unit.id as never;
      this.record(em, row, RequestEventKind.ASSIGNED, today(), `承办单位：${unit.name}`, p.username);
      await em.flush();
      return row;
    });
  }

  async classify(ctx: RequestContext, input: ClassifyInfoRequestInput): Promise<InfoRequest> {
    const p = requirePrincipal(ctx);
    const request = await this.get(ctx, input.id, 'input.id');
    await this.assertAdmin(ctx, request, '申请事项归类 (classifyInfoRequest)');
    const topic = input.topic.trim();
    return inTransaction(ctx, async (em) => {
      const row = await this.lock(em, request.id);
      const before = row.topic;
      row.topic = topic;
      this.record(em, row, RequestEventKind.CLASSIFIED, today(), `事项归类：${before || '（无）'} → ${topic || '（无）'}`, p.username);
      await em.flush();
      return row;
    });
  }

}

export const CHANNEL_LABEL: Record<string, string> = {
  IN_PERSON: '当面提交',
  LETTER: '邮寄',
  ONLINE: '网上申请',
  FAX: '传真',
  EMAIL: '电子邮件',
};

/** Whether the principal is a liaison of `unitId`. */
export function isLiaisonOf(p: Principal, unitId: string | null | undefined): boolean {
  return Boolean(unitId) && p.unitId === unitId && hasRole(p, Role.UNIT_LIAISON);
}

export const requestService = new RequestService();
