import type { EntityManager } from '@mikro-orm/postgresql';
import { intArrayLiteral, sql } from '../../db/sql';
import { today } from '../calendar/clock';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { CALENDAR_SYSTEM_ACTOR, type RecomputedDeadline } from '../publication/deadline-recompute';
import { replyDeadline, requestDeadlineMoved, storedDeadline, type ConsultationPeriod } from './request-clock';

/**
 * Recomputes the stored reply due date of every unanswered information request, of every tenant,
 * whose due date depended on one of `years` (`due_explanation.years`, written with every computation;
 * a request without it counts as depending on every year), against the calendar as it is now. Runs
 * only as the system, like the publications' recomputation (registered in calendar-system.ts's
 * RECOMPUTERS): the owner's connection, the system's own transaction after the calendar change. Three
 * statements whatever the number of requests: read, compute here, store — the due-date columns only,
 * plus DEADLINE_RECOMPUTED in the request's own history (tenant-owned) as the system where the date
 * moved. Answered requests keep the due date they were judged by.
 */
export async function recomputeRequestDeadlines(
  em: EntityManager,
  years: readonly number[],
  calendar: WorkingCalendar,
  why: string,
): Promise<RecomputedDeadline[]> {
  if (years.length === 0) return [];
  const open = await sql<{
    id: string;
    agency_id: string;
    received_on: string;
    correction_notice_on: string | null;
    corrected_on: string | null;
    extension_days: number | null;
    due_on: string | null;
    due_provisional: boolean;
    consultations: ConsultationPeriod[];
  }>(
    em,
    `select r.id, r.agency_id, r.received_on::text as received_on, r.correction_notice_on::text as correction_notice_on,
            r.corrected_on::text as corrected_on, r.extension_days, r.due_on::text as due_on, r.due_provisional,
            coalesce((select jsonb_agg(jsonb_build_object('startedOn', c.started_on, 'endedOn', c.ended_on) order by c.started_on, c.id)
                        from request_consultation c where c.request_id = r.id), '[]'::jsonb) as consultations
       from info_request r
      where r.replied_on is null
        and case when jsonb_typeof(r.due_explanation -> 'years') = 'array'
                 then exists (select 1 from jsonb_array_elements_text(r.due_explanation -> 'years') y(v)
                               where y.v::int = any(?::int[]))
                 else true end
      order by r.id`,
    [intArrayLiteral(years)],
  );
  if (open.length === 0) return [];
  const happenedOn = today();
  const describe = (due: string | null, provisional: boolean) => `${due ?? '待定'}${provisional ? '（暂定）' : ''}`;
  const out: RecomputedDeadline[] = [];
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
    out.push({ agencyId: row.agency_id, moved });
    return {
      id: row.id,
      due_on: next.due,
      provisional: next.provisional,
      explanation: storedDeadline(next),
      event_reason: moved
        ? `${why}：答复期限由${describe(row.due_on, row.due_provisional)}改为${describe(next.due, next.provisional)}（系统按工作日历重新计算）`
        : null,
    };
  });
  // Only requests still unanswered now are stored (a reply that won the race keeps its date).
  await sql(
    em,
    `with c as (
       select * from jsonb_to_recordset(?::jsonb) as x(id uuid, due_on date, provisional boolean, explanation jsonb, event_reason text)
     ), updated as (
       update info_request r
          set due_on = c.due_on, due_provisional = c.provisional, due_explanation = c.explanation, updated_at = now()
         from c
        where r.id = c.id and r.replied_on is null
       returning r.id, r.agency_id, c.event_reason
     )
     insert into request_event (id, request_id, agency_id, kind, happened_on, detail, actor, recorded_at)
     select gen_random_uuid(), u.id, u.agency_id, 'DEADLINE_RECOMPUTED', ?::date, u.event_reason, ?, clock_timestamp()
       from updated u where u.event_reason is not null`,
    [JSON.stringify(rows), happenedOn, CALENDAR_SYSTEM_ACTOR],
  );
  return out;
}
