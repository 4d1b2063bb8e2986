/**
 * The due date of a publication (pure: no clock, no I/O). A publication satisfies one catalogue
 * item; the item's time limit (公开时限) applied to the day the information was formed or changed
 * (信息形成或变更之日) gives the date by which it must be online.
 */
import { computeDeadline, type Explanation } from '../calendar/deadline-engine';
import type { DeadlineRule } from '../calendar/deadline-rule';
import type { WorkingCalendar } from '../calendar/working-calendar';

export type DisclosureAttributeValue = 'PROACTIVE' | 'ON_APPLICATION' | 'NOT_DISCLOSED';

export interface StoredDeadline {
  /** China-local due date, or null when nothing is due (no computable rule, or not proactive). */
  dueOn: string | null;
  provisional: boolean;
  reasons: string[];
  /** Calendar years the due date depends on: a change to any of them recomputes it. */
  years: number[];
  explanation: Explanation | { rule: DeadlineRule | null; start: string; steps: []; summary: string };
}

function none(rule: DeadlineRule | null, formedOn: string, summary: string): StoredDeadline {
  return { dueOn: null, provisional: false, reasons: [], years: [], explanation: { rule, start: formedOn, steps: [], summary } };
}

/**
 * - relative rules (N working / calendar days, N hours) count from `formedOn`; dates only are
 *   recorded, so an HOURS rule counts from the start of that day;
 * - YEARLY_FIXED_DATE: the first occurrence of the fixed date after `formedOn`;
 * - KEEP_CURRENT with a maximum age: `formedOn` + maxAge; without one nothing is due;
 * - no rule (the item's wording could not be read), or a publication that is not proactive
 *   (依申请公开 / 不予公开 information is never due on the website): nothing is due.
 */
export function publicationDeadline(
  rule: DeadlineRule | null | undefined,
  formedOn: string,
  attribute: DisclosureAttributeValue,
  calendar: WorkingCalendar,
): StoredDeadline {
  if (attribute !== 'PROACTIVE') {
    return none(
      rule ?? null,
      formedOn,
      attribute === 'NOT_DISCLOSED'
        ? '不予公开的信息不设公开时限 (information not to be disclosed has no publication deadline)'
        : '依申请公开的信息不设主动公开时限 (information disclosed on application has no publication deadline)',
    );
  }
  if (!rule) return none(null, formedOn, '该目录事项没有可计算的公开时限 (the catalogue item has no computable time limit)');
  const start = rule.kind === 'HOURS' ? `${formedOn}T00:00:00+08:00` : formedOn;
  const result = computeDeadline({ rule, start }, calendar);
  return {
    dueOn: result.due,
    provisional: result.provisional,
    reasons: result.provisionalReasons,
    years: result.yearsConsulted,
    explanation: result.explanation,
  };
}

/** Whether a recomputation changed what users see (the due date or whether it is provisional). */
export function deadlineMoved(before: { dueOn: string | null; provisional: boolean }, after: StoredDeadline): boolean {
  return before.dueOn !== after.dueOn || before.provisional !== after.provisional;
}
