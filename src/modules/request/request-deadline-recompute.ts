import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../db/sql';
import { today } from '../calendar/clock';
import type { WorkingCalendar } from '../calendar/working-calendar';
import type { RecomputeResult } from '../publication/deadline-recompute';
import { replyDeadline, requestDeadlineMoved, storedDeadline, type ConsultationPeriod } from './request-clock';

/**
 * Recomputes the stored reply due date of every unanswered information request, of every tenant,
 * whose due date depended on one of `years`, against the calendar as it is now (inside the calendar
 * change's transaction; registered in the calendar service's RECOMPUTERS). Three statements whatever
 * the number of requests: read (calendar_open_request_deadlines), compute here, store
 * (calendar_store_request_deadlines, which also records DEADLINE_RECOMPUTED where the date moved).
 * Answered requests keep the due date they were judged by.
 */
export async function recomputeRequestDeadlines(
  em: EntityManager,
  years: readonly number[],
  calendar: WorkingCalendar,
  actor: string,
  why: string,
): Promise<RecomputeResult> {
  if (years.length === 0) return { recomputed: 0, changed: 0 };
  const open = await sql<{
    request_id: string;
    received_on: string;
    correction_notice_on: string | null;
    corrected_on: string | null;
    extension_days: number | null;
    due_on: string | null;
    due_provisional: boolean;
    consultations: ConsultationPeriod[];
  }>(em, `select * from calendar_open_request_deadlines(?::int[])`, [`{${years.map((y) => Math.trunc(y)).join(',')}}`]);
  if (open.length === 0) return { recomputed: 0, changed: 0 };
  const happenedOn = today();
  let changed = 0;
  const describe = (due: string | null, provisional: boolean) => `${due ?? '待定'}${provisional ? '（暂定）' : ''}`;
  const rows = open.map((row) => {
    const next = replyDeadline(
      {
        receivedOn: row.received_on,
        correctionNoticeOn: row.correction_notice_on,
        correctedOn: row.corrected_on,
        consultations: row.consultations,
        extensionDays: row.extension_days,
      },
      calendar,
    );
    const moved = requestDeadlineMoved({ dueOn: row.due_on, provisional: row.due_provisional }, next);
    if (moved) changed += 1;
    return {
      id: row.request_id,
      due_on: next.due,
      provisional: next.provisional,
      explanation: storedDeadline(next),
      event_reason: moved
        ? `${why}：答复期限由${describe(row.due_on, row.due_provisional)}改为${describe(next.due, next.provisional)}`
        : null,
      happened_on: happenedOn,
    };
  });
  await sql(em, `select calendar_store_request_deadlines(?::jsonb, ?) as stored`, [JSON.stringify(rows), actor]);
  return { recomputed: open.length, changed };
}
