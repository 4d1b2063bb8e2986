/**
 * A structured deadline rule (公开时限 / 答复期限). Pure data, shared by the catalogue (where rules are
 * parsed from the agencies' own wording), publications and information requests (where due dates
 * are computed by the deadline engine).
 */
export type DeadlineRule =
  /** N working days after an event (day 1 is the first working day after the event's date). */
  | { kind: 'WORKING_DAYS'; days: number }
  /** N calendar days after an event. */
  | { kind: 'CALENDAR_DAYS'; days: number }
  /** N hours after an event (an instant, China-local). */
  | { kind: 'HOURS'; hours: number }
  /** Once a year by a fixed date, e.g. 31 January for the previous year's report. */
  | { kind: 'YEARLY_FIXED_DATE'; month: number; day: number }
  /** Keep current (动态更新), optionally with a maximum age in days of the newest publication. */
  | { kind: 'KEEP_CURRENT'; maxAgeDays?: number | null };

export type DeadlineRuleKind = DeadlineRule['kind'];

export const DEADLINE_RULE_KINDS: readonly DeadlineRuleKind[] = [
  'WORKING_DAYS',
  'CALENDAR_DAYS',
  'HOURS',
  'YEARLY_FIXED_DATE',
  'KEEP_CURRENT',
];
