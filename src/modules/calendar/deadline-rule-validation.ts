import type { DeadlineRule } from './deadline-rule';

/** Loose input shape (GraphQL input): every parameter optional, checked against the kind. */
export interface DeadlineRuleFields {
  kind: DeadlineRule['kind'];
  days?: number | null;
  hours?: number | null;
  month?: number | null;
  day?: number | null;
  maxAgeDays?: number | null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Which parameters each kind takes; any other one set means the rule contradicts itself. */
const PARAMS: Record<DeadlineRule['kind'], Array<keyof DeadlineRuleFields>> = {
  WORKING_DAYS: ['days'],
  CALENDAR_DAYS: ['days'],
  HOURS: ['hours'],
  YEARLY_FIXED_DATE: ['month', 'day'],
  KEEP_CURRENT: ['maxAgeDays'],
};

/**
 * Turns loose fields into a DeadlineRule, or names the field that makes it impossible or
 * self-contradictory (e.g. WORKING_DAYS with a month, 30 February, 0 hours).
 */
export function toDeadlineRule(f: DeadlineRuleFields): { rule: DeadlineRule } | { field: string; message: string } {
  const allowed = PARAMS[f.kind];
  for (const key of ['days', 'hours', 'month', 'day', 'maxAgeDays'] as const) {
    if (f[key] != null && !allowed.includes(key)) {
      return { field: key, message: `${f.kind} 规则不使用 ${key} (a ${f.kind} rule takes no ${key})` };
    }
  }
  const int = (v: number | null | undefined, min: number, max: number) =>
    v != null && Number.isInteger(v) && v >= min && v <= max;
  switch (f.kind) {
    case 'WORKING_DAYS':
    case 'CALENDAR_DAYS':
      if (!int(f.days, 1, 366)) return { field: 'days', message: '天数须为1–366的整数 (days must be an integer 1–366)' };
      return { rule: { kind: f.kind, days: f.days! } };
    case 'HOURS':
      if (!int(f.hours, 1, 720)) return { field: 'hours', message: '小时数须为1–720的整数 (hours must be an integer 1–720)' };
      return { rule: { kind: 'HOURS', hours: f.hours! } };
    case 'YEARLY_FIXED_DATE':
      if (!int(f.month, 1, 12)) return { field: 'month', message: '月份须为1–12 (month must be 1–12)' };
      if (!int(f.day, 1, DAYS_IN_MONTH[f.month! - 1]!))
        return { field: 'day', message: `${f.month}月没有${f.day}日 (no such day in that month)` };
      return { rule: { kind: 'YEARLY_FIXED_DATE', month: f.month!, day: f.day! } };
    case 'KEEP_CURRENT':
      if (f.maxAgeDays != null && !int(f.maxAgeDays, 1, 3660))
        return { field: 'maxAgeDays', message: '最长间隔须为1–3660天 (maxAgeDays must be 1–3660)' };
      return { rule: { kind: 'KEEP_CURRENT', maxAgeDays: f.maxAgeDays ?? null } };
  }
}

export function sameRule(a: DeadlineRule | null | undefined, b: DeadlineRule | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const norm = (r: DeadlineRule) => JSON.stringify(r.kind === 'KEEP_CURRENT' ? { kind: r.kind, maxAgeDays: r.maxAgeDays ?? null } : r);
  return norm(a) === norm(b);
}
