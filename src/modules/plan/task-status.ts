/**
 * A task's status is derived from its timing, its progress reports and the openness office's
 * decisions — never typed in (pure: no clock, no I/O; the caller passes today).
 *
 * - DONE: the openness office accepted it (a returned task is back in progress);
 * - OVERDUE: not accepted and a deadline has passed: the due date (DUE_DATE); a period of a counted
 *   task ended below its minimum (RECURRING); an occurrence answered after its own deadline
 *   (working days by the deadline engine or hours, computed when the occurrence was reported);
 * - IN_PROGRESS: progress was reported or the task was returned; NOT_STARTED otherwise;
 * - WITHDRAWN: withdrawn by its agency or by the superior it was cascaded from.
 * Tasks without a readable deadline (NONE, UNREADABLE) are never overdue: nothing is guessed.
 */
import { recurrencePeriods, type TaskRecurrence } from './task-timing';

export type TaskStatusValue = 'NOT_STARTED' | 'IN_PROGRESS' | 'DONE' | 'OVERDUE' | 'WITHDRAWN';
export type PeriodState = 'FUTURE' | 'CURRENT' | 'MET' | 'MISSED';

export interface TaskFacts {
  timingKind: string;
  dueOn?: string | null;
  recurrence?: TaskRecurrence | string | null;
  minimumCount?: number | null;
  acceptedOn?: string | null;
  withdrawnAt?: Date | string | null;
  sourceWithdrawnAt?: Date | string | null;
}

export interface ProgressFacts {
  happenedOn: string;
  counts: boolean;
  eventOn?: string | null;
  eventAt?: Date | string | null;
  doneAt?: Date | string | null;
  dueOn?: string | null;
  dueAt?: Date | string | null;
}

export interface PeriodStatus {
  key: string;
  start: string;
  end: string;
  count: number;
  minimum: number;
  met: boolean;
  state: PeriodState;
}

export interface DerivedStatus {
  status: TaskStatusValue;
  /** Accepted on or before the due date; null when there is no due date or it is not accepted. */
  doneOnTime: boolean | null;
  periods: PeriodStatus[];
  /** The period today falls in (this half-year: 1 of 1 done), for counted tasks. */
  currentPeriod: PeriodStatus | null;
  occurrences: number;
  lateOccurrences: number;
}

function instant(v: Date | string | null | undefined): number | null {
  if (v == null) return null;
  return (v instanceof Date ? v : new Date(v)).getTime();
}

/** An occurrence answered after its deadline (the deadline was computed when it was reported). */
export function occurrenceLate(p: ProgressFacts): boolean {
  if (p.dueOn && p.happenedOn > p.dueOn) return true;
  const dueAt = instant(p.dueAt);
  const doneAt = instant(p.doneAt);
  return dueAt != null && doneAt != null && doneAt > dueAt;
}

export function taskPeriods(task: TaskFacts, planYear: number, progress: readonly ProgressFacts[], today: string): PeriodStatus[] {
  if (task.timingKind !== 'RECURRING' || !task.recurrence || !task.minimumCount) return [];
  const counted = progress.filter((p) => p.counts).map((p) => p.happenedOn);
  return recurrencePeriods(task.recurrence as TaskRecurrence, planYear).map((p) => {
    const count = counted.filter((d) => d >= p.start && d <= p.end).length;
    const minimum = task.minimumCount!;
    const met = count >= minimum;
    const state: PeriodState = p.end < today ? (met ? 'MET' : 'MISSED') : p.start > today ? 'FUTURE' : 'CURRENT';
    return { key: p.key, start: p.start, end: p.end, count, minimum, met, state };
  });
}

export function deriveTaskStatus(
  task: TaskFacts,
  planYear: number,
  progress: readonly ProgressFacts[],
  returned: boolean,
  today: string,
): DerivedStatus {
  const periods = taskPeriods(task, planYear, progress, today);
  const occurrences = progress.filter((p) => p.eventOn != null || p.eventAt != null);
  const lateOccurrences = occurrences.filter(occurrenceLate).length;
  const base = {
    periods,
    currentPeriod: periods.find((p) => p.state === 'CURRENT') ?? null,
    occurrences: occurrences.length,
    lateOccurrences,
  };
  if (task.withdrawnAt || task.sourceWithdrawnAt) return { status: 'WITHDRAWN', doneOnTime: null, ...base };
  if (task.acceptedOn) {
    const onTime = task.timingKind === 'DUE_DATE' && task.dueOn ? task.acceptedOn <= task.dueOn : null;
    return { status: 'DONE', doneOnTime: onTime, ...base };
  }
  const overdue =
    (task.timingKind === 'DUE_DATE' && !!task.dueOn && today > task.dueOn) ||
    periods.some((p) => p.state === 'MISSED') ||
    lateOccurrences > 0;
  if (overdue) return { status: 'OVERDUE', doneOnTime: null, ...base };
  return { status: progress.length > 0 || returned ? 'IN_PROGRESS' : 'NOT_STARTED', doneOnTime: null, ...base };
}
