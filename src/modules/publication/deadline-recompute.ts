import type { EntityManager } from '@mikro-orm/postgresql';
import { intArrayLiteral, sql } from '../../db/sql';
import type { DeadlineRule } from '../calendar/deadline-rule';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { deadlineMoved, publicationDeadline, type DisclosureAttributeValue } from './publication-deadline';

/** One open deadline the system computed again after a calendar change: whose it is, and whether it moved. */
export interface RecomputedDeadline {
  agencyId: string;
  /** The due date or the provisional flag changed. */
  moved: boolean;
}

/**
 * The actor of what the system records after a calendar change: no username can look like it
 * (usernames are lowercase letters, digits and . _ -), so no tenant reads another's name in its history.
 */
export const CALENDAR_SYSTEM_ACTOR = 'system:calendar';

/**
 * Recomputes the stored due date of every unpublished publication, of every tenant, whose due date
 * depended on one of `years`, against the calendar as it is now. Runs only as the system: `em` is the
 * owner's connection in the system's own transaction after a calendar change (calendar-system.ts),
 * never a tenant's request. Three statements whatever the number of publications: read, compute here,
 * store. It changes the due-date columns only (the figure triggers follow) and, where the date moved,
 * records DEADLINE_RECOMPUTED in that publication's own history (tenant-owned, so only its tenant
 * reads it) as the system. Publications already published keep the due date they were judged by.
 */
export async function recomputePublicationDeadlines(
  em: EntityManager,
  years: readonly number[],
  calendar: WorkingCalendar,
  why: string,
): Promise<RecomputedDeadline[]> {
  if (years.length === 0) return [];
  const open = await sql<{
    id: string;
    agency_id: string;
    formed_on: string;
    deadline_rule: DeadlineRule | null;
    disclosure_attribute: DisclosureAttributeValue;
    due_on: string | null;
    due_provisional: boolean;
  }>(
    em,
    `select p.id, p.agency_id, p.formed_on::text as formed_on, p.deadline_rule, p.disclosure_attribute::text as disclosure_attribute,
            p.due_on::text as due_on, p.due_provisional
       from publication p
      where p.published_on is null and p.due_years && ?::int[]
      order by p.id`,
    [intArrayLiteral(years)],
  );
  if (open.length === 0) return [];
  const describe = (due: string | null, provisional: boolean) => `${due ?? '无'}${provisional ? '（暂定）' : ''}`;
  const out: RecomputedDeadline[] = [];
  const rows = open.map((row) => {
    const next = publicationDeadline(row.deadline_rule, row.formed_on, row.disclosure_attribute, calendar);
    const moved = deadlineMoved({ dueOn: row.due_on, provisional: row.due_provisional }, next);
    out.push({ agencyId: row.agency_id, moved });
    return {
      id: row.id,
      due_on: next.dueOn,
      provisional: next.provisional,
      reasons: next.reasons,
      years: next.years,
      explanation: next.explanation,
      event_reason: moved
        ? `${why}：截止日由${describe(row.due_on, row.due_provisional)}改为${describe(next.dueOn, next.provisional)}（系统按工作日历重新计算）`
        : null,
    };
  });
  // Only rows still unpublished now are stored (a publish that won the race keeps its date).
  await sql(
    em,
    `with c as (
       select * from jsonb_to_recordset(?::jsonb)
         as x(id uuid, due_on date, provisional boolean, reasons text[], years int[], explanation jsonb, event_reason text)
     ), updated as (
       update publication p
          set due_on = c.due_on, due_provisional = c.provisional, due_reasons = c.reasons, due_years = c.years,
              due_explanation = c.explanation, updated_at = now()
         from c
        where p.id = c.id and p.published_on is null
       returning p.id, p.agency_id, p.status, c.event_reason
     )
     insert into publication_event (id, agency_id, publication_id, from_status, to_status, action, actor, reason)
     select gen_random_uuid(), u.agency_id, u.id, u.status, u.status, 'DEADLINE_RECOMPUTED', ?, u.event_reason
       from updated u where u.event_reason is not null`,
    [JSON.stringify(rows), CALENDAR_SYSTEM_ACTOR],
  );
  return out;
}
