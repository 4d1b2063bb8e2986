import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../db/sql';
import type { DeadlineRule } from '../calendar/deadline-rule';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { deadlineMoved, publicationDeadline, type DisclosureAttributeValue } from './publication-deadline';

export interface RecomputeResult {
  /** Open deadlines that depended on a changed year and were computed again. */
  recomputed: number;
  /** Of those, how many changed their due date or provisional flag. */
  changed: number;
}

/**
 * Recomputes the stored due date of every unpublished publication, of every tenant, whose due date
 * depended on one of `years`, against the calendar as it is now (inside the calendar change's
 * transaction). Three statements whatever the number of publications: read, compute here, store.
 * Publications already published keep the due date they were judged by.
 */
export async function recomputePublicationDeadlines(
  em: EntityManager,
  years: readonly number[],
  calendar: WorkingCalendar,
  actor: string,
  why: string,
): Promise<RecomputeResult> {
  if (years.length === 0) return { recomputed: 0, changed: 0 };
  const open = await sql<{
    publication_id: string;
    formed_on: string;
    deadline_rule: DeadlineRule | null;
    disclosure_attribute: DisclosureAttributeValue;
    due_on: string | null;
    due_provisional: boolean;
  }>(em, `select * from calendar_open_deadlines(?::int[])`, [`{${years.map((y) => Math.trunc(y)).join(',')}}`]);
  if (open.length === 0) return { recomputed: 0, changed: 0 };
  let changed = 0;
  const rows = open.map((row) => {
    const next = publicationDeadline(row.deadline_rule, row.formed_on, row.disclosure_attribute, calendar);
    const moved = deadlineMoved({ dueOn: row.due_on, provisional: row.due_provisional }, next);
    if (moved) changed += 1;
    const describe = (due: string | null, provisional: boolean) => `${due ?? '无'}${provisional ? '（暂定）' : ''}`;
    return {
      id: row.publication_id,
      due_on: next.dueOn,
      provisional: next.provisional,
      reasons: next.reasons,
      years: next.years,
      explanation: next.explanation,
      event_reason: moved
        ? `${why}：截止日由${describe(row.due_on, row.due_provisional)}改为${describe(next.dueOn, next.provisional)}`
        : null,
    };
  });
  await sql(em, `select calendar_store_deadlines(?::jsonb, ?) as stored`, [JSON.stringify(rows), actor]);
  return { recomputed: open.length, changed };
}
