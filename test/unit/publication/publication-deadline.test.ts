import { WorkingCalendar } from '../../../src/modules/calendar/working-calendar';
import { deadlineMoved, publicationDeadline } from '../../../src/modules/publication/publication-deadline';

const calendar = new WorkingCalendar();

describe('publicationDeadline', () => {
  it('counts working days from the formation date (兖州: 相关信息形成或变更之日起20个工作日内)', () => {
    // Mon 2024-09-23: 09-24…09-27 (4), Sun 09-29 调休 (5), 09-30 (6), National Day 10-01…10-07 skipped,
    // 10-08…10-11 (10), Sat 10-12 调休 (11), 10-14…10-18 (16), 10-21…10-24 (20).
    const d = publicationDeadline({ kind: 'WORKING_DAYS', days: 20 }, '2024-09-23', 'PROACTIVE', calendar);
    expect(d.dueOn).toBe('2024-10-24');
    expect(d.provisional).toBe(false);
    expect(d.years).toEqual([2024]);
    expect(d.explanation.summary).toContain('国庆节');
    expect(d.explanation.steps.some((s) => s.kind === 'COUNTED_MAKEUP_WORKDAY')).toBe(true);
  });

  it('is provisional when it depends on a year whose arrangement is not known', () => {
    const d = publicationDeadline({ kind: 'WORKING_DAYS', days: 30 }, '2026-11-20', 'PROACTIVE', calendar);
    // 2027 has no notice yet: its fixed statutory holidays are estimated, so 元旦 (1 January) is skipped.
    expect(d.dueOn).toBe('2027-01-04');
    expect(d.provisional).toBe(true);
    expect(d.years).toEqual([2026, 2027]);
    expect(d.reasons.join()).toContain('2027');
    const confirmed = new WorkingCalendar({ entries: [{ date: '2027-01-01', kind: 'HOLIDAY', name: '元旦' }], confirmedYears: [2027] });
    const again = publicationDeadline({ kind: 'WORKING_DAYS', days: 30 }, '2026-11-20', 'PROACTIVE', confirmed);
    expect(again).toMatchObject({ dueOn: '2027-01-04', provisional: false, reasons: [] });
    expect(deadlineMoved({ dueOn: d.dueOn, provisional: d.provisional }, again)).toBe(true);
    expect(deadlineMoved({ dueOn: again.dueOn, provisional: false }, again)).toBe(false);
  });

  it('YEARLY_FIXED_DATE: the first occurrence after the formation date', () => {
    const rule = { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 } as const;
    expect(publicationDeadline(rule, '2024-06-27', 'PROACTIVE', calendar).dueOn).toBe('2025-01-31');
    expect(publicationDeadline(rule, '2025-01-31', 'PROACTIVE', calendar).dueOn).toBe('2026-01-31');
    expect(publicationDeadline(rule, '2025-01-30', 'PROACTIVE', calendar)).toMatchObject({ dueOn: '2025-01-31', years: [] });
  });

  it('KEEP_CURRENT: formation + maximum age, or nothing due without one', () => {
    expect(publicationDeadline({ kind: 'KEEP_CURRENT', maxAgeDays: 90 }, '2024-08-03', 'PROACTIVE', calendar).dueOn).toBe('2024-11-01');
    const open = publicationDeadline({ kind: 'KEEP_CURRENT', maxAgeDays: null }, '2024-08-03', 'PROACTIVE', calendar);
    expect(open.dueOn).toBeNull();
    expect(open.explanation.summary).toContain('动态更新');
  });

  it('HOURS: counted from the start of the formation day', () => {
    expect(publicationDeadline({ kind: 'HOURS', hours: 48 }, '2024-10-01', 'PROACTIVE', calendar).dueOn).toBe('2024-10-03');
  });

  it('nothing is due without a rule or for information that is not proactive', () => {
    expect(publicationDeadline(null, '2024-08-03', 'PROACTIVE', calendar)).toMatchObject({ dueOn: null, years: [] });
    const rule = { kind: 'WORKING_DAYS', days: 20 } as const;
    for (const attribute of ['ON_APPLICATION', 'NOT_DISCLOSED'] as const) {
      const d = publicationDeadline(rule, '2024-08-03', attribute, calendar);
      expect(d).toMatchObject({ dueOn: null, provisional: false, years: [] });
      expect(d.explanation.summary).toMatch(/不设/);
    }
  });
});
