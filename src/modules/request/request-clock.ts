/**
 * The statutory clock of an information request (条例 2019, 国务院令第711号), pure: no clock, no I/O.
 * Dates are China-local ISO dates; working days come from the calendar passed in, and every due date
 * is the deadline engine's (src/modules/calendar/deadline-engine.ts), with its explanation.
 *
 * - receipt date by channel (Art 31): in person the day it is handed in; by post the day the agency
 *   signs for it; online, fax or email the day both sides confirm receipt;
 * - correction (补正, Art 30): one notice within 7 working days of receipt; the reply period then
 *   starts again from the day the corrected request arrives, and nothing is due while the agency waits;
 * - consultation of a third party (15 working days for it) or of other agencies (Art 32, 33): the days
 *   from the consultation's start to its end are not counted; an open consultation stops the clock;
 * - reply (Art 33): 20 working days (day 1 = the first working day after the start), plus one
 *   extension of at most 20 working days counted after the original due date.
 */
import {
  computeDeadline,
  deadlineStatus,
  type DeadlinePause,
  type DeadlineResult,
  type ExplanationStep,
} from '../calendar/deadline-engine';
import { addDays, isIsoDate } from '../calendar/date-utils';
import type { WorkingCalendar } from '../calendar/working-calendar';

/** Working days to reply (Art 33). */
export const REPLY_WORKING_DAYS = 20;
/** The one extension, at most (Art 33). */
export const MAX_EXTENSION_WORKING_DAYS = 20;
/** Working days within which the one correction notice must go out (Art 30). */
export const CORRECTION_NOTICE_WORKING_DAYS = 7;
/** Working days a consulted third party has to comment (Art 32). */
export const THIRD_PARTY_WORKING_DAYS = 15;
/** "Due soon": the due date is today or within this many working days after today. */
export const DUE_SOON_WORKING_DAYS = 3;

/** Mirrors RequestChannel of the entity (kept here as strings so this module stays free of the ORM). */
export type Channel = 'IN_PERSON' | 'LETTER' | 'ONLINE' | 'FAX' | 'EMAIL';

/** 办理状态 — derived from the stored clock and today, never typed in. */
export enum RequestState {
  OPEN = 'OPEN',
  AWAITING_CORRECTION = 'AWAITING_CORRECTION',
  IN_CONSULTATION = 'IN_CONSULTATION',
  DUE_SOON = 'DUE_SOON',
  OVERDUE = 'OVERDUE',
  ANSWERED = 'ANSWERED',
  ANSWERED_LATE = 'ANSWERED_LATE',
}

/** Bad clock input; `field` is relative to the mutation's input (`receivedOn`, `noticeOn` …). */
export class ClockInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ClockInputError';
  }
}

function requireDate(value: unknown, field: string): string {
  if (!isIsoDate(value)) throw new ClockInputError(field, `日期格式应为 YYYY-MM-DD (date expected): ${String(value)}`);
  return value;
}

/**
 * The receipt date (收到申请之日) by the channel's rule (Art 31):
 * - IN_PERSON: the day it is handed in (`submittedOn`); a different `receivedOn` is refused;
 * - LETTER: the day the agency signs for it — `receivedOn` is required, on or after `submittedOn`;
 * - ONLINE, FAX, EMAIL: the day both sides confirm receipt — `receivedOn`, by default `submittedOn`,
 *   on or after it.
 */
export function receiptDate(channel: Channel, submittedOn: string, receivedOn?: string | null): string {
  requireDate(submittedOn, 'submittedOn');
  if (receivedOn != null) requireDate(receivedOn, 'receivedOn');
  switch (channel) {
    case 'IN_PERSON':
      if (receivedOn != null && receivedOn !== submittedOn) {
        throw new ClockInputError('receivedOn', `当面提交的申请以提交之日为收到之日 (in person: received the day it is handed in, ${submittedOn})`);
      }
      return submittedOn;
    case 'LETTER':
      if (receivedOn == null) {
        throw new ClockInputError('receivedOn', '邮寄的申请须填写签收之日 (by post: the day the agency signed for it is required)');
      }
      break;
    case 'ONLINE':
    case 'FAX':
    case 'EMAIL':
      break;
    default:
      throw new ClockInputError('channel', `未知的申请渠道 (unknown channel): ${String(channel)}`);
  }
  const received = receivedOn ?? submittedOn;
  if (received < submittedOn) {
    throw new ClockInputError('receivedOn', `收到日期早于提交日期 (received ${received} before it was sent ${submittedOn})`);
  }
  return received;
}

/** The last day the one correction notice may go out: 7 working days after receipt (Art 30). */
export function correctionNoticeDeadline(receivedOn: string, calendar: WorkingCalendar): DeadlineResult {
  return computeDeadline({ rule: { kind: 'WORKING_DAYS', days: CORRECTION_NOTICE_WORKING_DAYS }, start: receivedOn }, calendar);
}

/** The day a consulted third party's 15 working days end (Art 32); its silence then does not block the reply. */
export function thirdPartyResponseDeadline(startedOn: string, calendar: WorkingCalendar): DeadlineResult {
  return computeDeadline({ rule: { kind: 'WORKING_DAYS', days: THIRD_PARTY_WORKING_DAYS }, start: startedOn }, calendar);
}

export interface ConsultationPeriod {
  startedOn: string;
  /** Null while the consultation is still open. */
  endedOn?: string | null;
}

/**
 * Consultations as the engine's pauses from `start` on: each stops the clock from its first day to
 * its last (inclusive). Several consultations at once (a third party and another agency) overlap;
 * their union is one pause, and an open one absorbs everything after it. Consultations that ended
 * before `start` (before a corrected request restarted the clock) do not count.
 */
export function consultationPauses(consultations: readonly ConsultationPeriod[], start: string): DeadlinePause[] {
  const periods = consultations
    .filter((c) => c.endedOn == null || c.endedOn >= start)
    .map((c) => ({ from: c.startedOn < start ? start : c.startedOn, to: c.endedOn ?? null }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: Array<{ from: string; to: string | null }> = [];
  for (const p of periods) {
    const last = merged[merged.length - 1];
    if (last && (last.to === null || p.from <= addDays(last.to, 1))) {
      if (last.to !== null) last.to = p.to === null || p.to > last.to ? p.to : last.to;
      continue;
    }
    merged.push({ ...p });
  }
  return merged;
}

/** The facts the clock depends on, as stored on the request and its consultations. */
export interface ClockFacts {
  receivedOn: string;
  correctionNoticeOn?: string | null;
  correctedOn?: string | null;
  consultations?: readonly ConsultationPeriod[];
  extensionDays?: number | null;
}

/** The reply deadline of a request, as stored (`due_on`, `due_provisional`, `due_explanation`). */
export interface RequestDeadline {
  /** Null while the agency waits for the corrected request or an open consultation stops the clock. */
  due: string | null;
  provisional: boolean;
  reasons: string[];
  /** Calendar years the due date depends on: a calendar change to any of them recomputes it. */
  years: number[];
  /** An open consultation stops the clock. */
  paused: boolean;
  /** The correction notice went out and the corrected request has not arrived. */
  awaitingCorrection: boolean;
  /** The day the reply period counts from: the receipt, or the corrected request's arrival; null while awaiting it. */
  start: string | null;
  explanation: { summary: string; start: string; steps: ExplanationStep[] };
}

/**
 * The reply due date (Art 30, 32, 33): 20 working days from receipt — from the corrected request's
 * arrival once a correction was asked for —, consultation periods not counted, plus the extension.
 */
export function replyDeadline(facts: ClockFacts, calendar: WorkingCalendar): RequestDeadline {
  const receivedOn = requireDate(facts.receivedOn, 'receivedOn');
  if (facts.correctionNoticeOn && !facts.correctedOn) {
    return {
      due: null,
      provisional: false,
      reasons: [],
      years: [],
      paused: false,
      awaitingCorrection: true,
      start: null,
      explanation: {
        summary:
          `${receivedOn}收到申请，${facts.correctionNoticeOn}发出补正通知；答复期限自收到补正后的申请之日起重新计算` +
          `（条例第三十条），截止日待收到补正后确定。`,
        start: receivedOn,
        steps: [],
      },
    };
  }
  const start = facts.correctedOn ? requireDate(facts.correctedOn, 'correctedOn') : receivedOn;
  const pauses = consultationPauses(facts.consultations ?? [], start);
  const extension = facts.extensionDays ?? 0;
  const result = computeDeadline(
    {
      rule: { kind: 'WORKING_DAYS', days: REPLY_WORKING_DAYS },
      start,
      pauses,
      extensionWorkingDays: extension > 0 ? extension : null,
    },
    calendar,
  );
  const prefix: string[] = [];
  if (facts.correctedOn) {
    prefix.push(`${receivedOn}收到申请，${facts.correctionNoticeOn ?? ''}发出补正通知，${start}收到补正后的申请，答复期限自该日起重新计算（条例第三十条）`);
  }
  const counted = (facts.consultations ?? []).filter((c) => c.endedOn == null || c.endedOn >= start);
  if (counted.length > 0) {
    const periods = counted.map((c) => (c.endedOn ? `${c.startedOn}至${c.endedOn}` : `${c.startedOn}起，尚未结束`));
    prefix.push(`征求意见期间不计入答复期限（条例第三十三条）：${periods.join('、')}`);
  }
  if (extension > 0) prefix.push(`经政务公开工作机构负责人同意延长${extension}个工作日（条例第三十三条）`);
  const summary = prefix.length > 0 ? `${prefix.join('；')}。${result.explanation.summary}` : result.explanation.summary;
  return {
    due: result.due,
    provisional: result.provisional,
    reasons: result.provisionalReasons,
    years: result.yearsConsulted,
    paused: result.paused,
    awaitingCorrection: false,
    start,
    explanation: { summary, start, steps: result.explanation.steps },
  };
}

/** The stored form of a request's deadline (`info_request.due_explanation`), recomputed on every change. */
export interface StoredRequestDeadline {
  summary: string;
  start: string;
  steps: Array<{ date: string; kind: string; ordinal: number | null; name: string | null }>;
  reasons: string[];
  /** Calendar years the due date depends on (the calendar recomputer selects requests by them). */
  years: number[];
  paused: boolean;
  awaitingCorrection: boolean;
  clockStart: string | null;
}

export function storedDeadline(d: RequestDeadline): StoredRequestDeadline {
  return {
    summary: d.explanation.summary,
    start: d.explanation.start,
    steps: d.explanation.steps.map((s) => ({ date: s.date, kind: s.kind, ordinal: s.ordinal ?? null, name: s.name ?? null })),
    reasons: d.reasons,
    years: d.years,
    paused: d.paused,
    awaitingCorrection: d.awaitingCorrection,
    clockStart: d.start,
  };
}

/** Whether a recomputation changed what users see (the due date or whether it is provisional). */
export function requestDeadlineMoved(before: { dueOn: string | null; provisional: boolean }, after: RequestDeadline): boolean {
  return before.dueOn !== after.due || before.provisional !== after.provisional;
}

/**
 * The first date that is no longer "due soon" as of `today`: a due date d with today ≤ d < this date
 * is DUE_SOON (d is today or at most 3 working days after it, as `deadlineStatus` counts), a later
 * one OPEN. For filtering lists by state in SQL.
 */
export function dueSoonUntil(today: string, calendar: WorkingCalendar): string {
  let workingDays = 0;
  let d = today;
  while (workingDays <= DUE_SOON_WORKING_DAYS) {
    d = addDays(d, 1);
    if (calendar.isWorkingDay(d)) workingDays += 1;
  }
  return d;
}

export interface StateFacts {
  /** The stored due date: as recomputed while open, as it stood at the reply once answered. */
  dueOn?: string | null;
  repliedOn?: string | null;
  correctionNoticeOn?: string | null;
  correctedOn?: string | null;
}

/**
 * The request's state on `today`: ANSWERED / ANSWERED_LATE once replied (late when the reply came
 * after the due date in force at the time); otherwise AWAITING_CORRECTION, IN_CONSULTATION (the
 * clock is stopped), OVERDUE after the due date, DUE_SOON when it is today or within 3 working days,
 * else OPEN.
 */
export function requestState(facts: StateFacts, today: string, calendar: WorkingCalendar): RequestState {
  if (facts.repliedOn) {
    return facts.dueOn && facts.repliedOn > facts.dueOn ? RequestState.ANSWERED_LATE : RequestState.ANSWERED;
  }
  if (facts.correctionNoticeOn && !facts.correctedOn) return RequestState.AWAITING_CORRECTION;
  if (!facts.dueOn) return RequestState.IN_CONSULTATION;
  const status = deadlineStatus({ due: facts.dueOn, today, dueSoonWorkingDays: DUE_SOON_WORKING_DAYS, calendar });
  if (status === 'OVERDUE') return RequestState.OVERDUE;
  if (status === 'DUE_SOON') return RequestState.DUE_SOON;
  return RequestState.OPEN;
}
