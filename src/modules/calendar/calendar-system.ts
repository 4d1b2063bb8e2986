import type { EntityManager } from '@mikro-orm/postgresql';
import { systemEm } from '../../db/system';
import { sql } from '../../db/sql';
import { forbidden } from '../../graphql/errors';
import type { Logger } from '../../logger';
import { recomputePublicationDeadlines, type RecomputedDeadline } from '../publication/deadline-recompute';
import { recomputeRequestDeadlines } from '../request/request-deadline-recompute';
import { recomputeExplanationDeadlines } from '../assessment/explanation-deadline-recompute';
import { isCalendarOperator } from './calendar-operator';
import type { WorkingCalendar } from './working-calendar';

/**
 * The national calendar's two steps outside tenancy, both on the owner's connection
 * (src/db/system.ts), never in a tenant's request transaction:
 *
 * 1. `writeCalendarAsOperator`: the operator's change, in its own transaction, after checking the
 *    grant again there (the request role may not write the calendar tables at all).
 * 2. `recomputeAfterChange`: the system, in a further transaction after that commit, recomputes the
 *    open due dates of every tenant that depend on the changed years and records each agency's part
 *    in `calendar_change_effect` (read under row-level security: a tenant sees its own part).
 *
 * A crash between the two leaves the change with `recomputed_at` null; start-up finishes it
 * (`recomputePendingCalendarChanges`, src/main.ts).
 */

/**
 * Serialises calendar changes against deadline computations: a change and the recomputation take the
 * lock exclusively, every computation of a due date takes it shared before reading the calendar
 * (CalendarService.lockShared), so no due date is stored from a calendar that a concurrent change is
 * replacing without the recomputation seeing it. Transaction-scoped.
 */
export const CALENDAR_LOCK_KEY = 7_301_224_001;

/** Everything that stores a due date computed from the working calendar and is recomputed after a change. */
type DeadlineRecomputer = (em: EntityManager, years: readonly number[], calendar: WorkingCalendar, why: string) => Promise<RecomputedDeadline[]>;
const RECOMPUTERS: DeadlineRecomputer[] = [recomputePublicationDeadlines, recomputeRequestDeadlines, recomputeExplanationDeadlines];

async function lockExclusive(em: EntityManager): Promise<void> {
  await sql(em, `select pg_advisory_xact_lock(?::bigint)`, [CALENDAR_LOCK_KEY]);
}

/** The message a principal without the capability gets. */
export function notAnOperator(action: string) {
  return forbidden(
    `工作日历由部署的日历维护员统一维护，机关管理员（包括省厅管理员）无此权限 (${action} requires the deployment's calendar operator role, which no agency administrator holds by role; it is granted with npm run calendar:operator)`,
  );
}

/** Runs the operator's change in its own committed transaction on the owner's connection. */
export async function writeCalendarAsOperator<T>(accountId: string, action: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return systemEm().transactional(async (tx) => {
    const em = tx as EntityManager;
    await lockExclusive(em);
    // The request's principal said so; the grant may have been revoked since.
    if (!(await isCalendarOperator(em, accountId))) throw notAnOperator(action);
    return work(em);
  });
}

/**
 * The system's recomputation after change `changeId` (idempotent: a change already recomputed is
 * left alone). Loads the calendar as committed, recomputes every recomputer's open deadlines in the
 * change's affected years and stores per agency how many were recomputed and how many moved.
 */
export async function recomputeAfterChange(changeId: string, loadCalendar: (em: EntityManager) => Promise<WorkingCalendar>): Promise<void> {
  await systemEm().transactional(async (tx) => {
    const em = tx as EntityManager;
    await lockExclusive(em);
    const [change] = await sql<{ year: number; affected_years: number[]; why: string | null; pending: boolean }>(
      em,
      `select year, affected_years, details ->> 'recomputeReason' as why, recomputed_at is null as pending
         from calendar_change where id = ? for update`,
      [changeId],
    );
    if (!change || !change.pending) return;
    const years = change.affected_years.map(Number);
    const why = change.why ?? `${change.year}年放假安排调整`;
    const perAgency = new Map<string, { recomputed: number; changed: number }>();
    if (years.length > 0) {
      const calendar = await loadCalendar(em);
      for (const recompute of RECOMPUTERS) {
        for (const d of await recompute(em, years, calendar, why)) {
          const counts = perAgency.get(d.agencyId) ?? { recomputed: 0, changed: 0 };
          counts.recomputed += 1;
          if (d.moved) counts.changed += 1;
          perAgency.set(d.agencyId, counts);
        }
      }
    }
    if (perAgency.size > 0) {
      const rows = [...perAgency].map(([agencyId, c]) => ({ agency_id: agencyId, recomputed: c.recomputed, changed: c.changed }));
      await sql(
        em,
        `insert into calendar_change_effect (id, change_id, agency_id, recomputed, changed)
         select gen_random_uuid(), ?, x.agency_id, x.recomputed, x.changed
           from jsonb_to_recordset(?::jsonb) as x(agency_id uuid, recomputed int, changed int)`,
        [changeId, JSON.stringify(rows)],
      );
    }
    await sql(em, `update calendar_change set recomputed_at = clock_timestamp() where id = ?`, [changeId]);
  });
}

/** Start-up: finishes the recomputation of changes whose system step did not complete (oldest first). */
export async function recomputePendingCalendarChanges(log: Logger, loadCalendar: (em: EntityManager) => Promise<WorkingCalendar>): Promise<number> {
  const pending = await sql<{ id: string }>(systemEm(), `select id from calendar_change where recomputed_at is null order by created_at, id`);
  for (const { id } of pending) {
    await recomputeAfterChange(id, loadCalendar);
    log.info({ changeId: id }, 'calendar change: open deadlines recomputed at start-up');
  }
  return pending.length;
}
