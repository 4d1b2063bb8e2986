import type { EntityManager } from '@mikro-orm/postgresql';
import { intArrayLiteral, sql } from '../../db/sql';
import { computeDeadline } from '../calendar/deadline-engine';
import type { WorkingCalendar } from '../calendar/working-calendar';
import type { RecomputedDeadline } from '../publication/deadline-recompute';

/**
 * Recomputes the explanation due date of every deduction point not yet explained, of every tenant,
 * whose due date depended on one of `years`, against the calendar as it is now: notified date plus
 * the round's working days, as `recordDeductionPoint` computes it. A due date depends on the years
 * from its notification to itself (a change in a later year cannot reach back before it). Runs only
 * as the system, like the publications' and requests' recomputations (registered in
 * calendar-system.ts's RECOMPUTERS): the owner's connection, the system's own transaction after the
 * calendar change. Two statements whatever the number of points: read, compute here, store — the due
 * date only (the explanation figures follow through their triggers). Explained points keep the due
 * date they were judged by, as published publications and answered requests do.
 */
export async function recomputeExplanationDeadlines(
  em: EntityManager,
  years: readonly number[],
  calendar: WorkingCalendar,
  _why: string,
): Promise<RecomputedDeadline[]> {
  if (years.length === 0) return [];
  const open = await sql<{ id: string; agency_id: string; notified_on: string; due_on: string; explanation_days: number }>(
    em,
    `select d.id, d.agency_id, d.notified_on::text as notified_on, d.due_on::text as due_on, r.explanation_days
       from deduction_point d join evaluation_round r on r.id = d.round_id
      where d.explained_on is null
        and exists (select 1 from unnest(?::int[]) y
                     where y between extract(year from d.notified_on) and extract(year from d.due_on))
      order by d.id`,
    [intArrayLiteral(years)],
  );
  if (open.length === 0) return [];
  const out: RecomputedDeadline[] = [];
  const moved: Array<{ id: string; due_on: string }> = [];
  for (const row of open) {
    const due = computeDeadline({ rule: { kind: 'WORKING_DAYS', days: Number(row.explanation_days) }, start: row.notified_on }, calendar).due!;
    const changed = due !== row.due_on;
    out.push({ agencyId: row.agency_id, moved: changed });
    if (changed) moved.push({ id: row.id, due_on: due });
  }
  if (moved.length > 0) {
    // Only points still unexplained now are changed (an explanation that won the race keeps its date).
    await sql(
      em,
      `update deduction_point d set due_on = c.due_on, updated_at = now()
         from jsonb_to_recordset(?::jsonb) as c(id uuid, due_on date)
        where d.id = c.id and d.explained_on is null`,
      [JSON.stringify(moved)],
    );
  }
  return out;
}
