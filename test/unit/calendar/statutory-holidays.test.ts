import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { computeDeadline } from '../../../src/modules/calendar/deadline-engine';
import { statutoryHolidays, statutoryHolidayOn } from '../../../src/modules/calendar/statutory-holidays';
import { WorkingCalendar } from '../../../src/modules/calendar/working-calendar';

const official = chineseDaysData as { holidays: Record<string, string>; workdays: Record<string, string> };

describe('statutory holidays of 全国年节及纪念日放假办法 (estimate for unknown years)', () => {
  // The estimate is computed from the 办法 and the lunar calendar only — it never looks at the notice —
  // so running it for 2025 and 2026 is estimating as if those years were unknown.
  it.each([2025, 2026])('every estimated holiday of %i is a holiday in the real State Council notice', (year) => {
    const estimated = statutoryHolidays(year);
    // 元旦 1 + 春节 4 + 清明 1 + 劳动节 2 + 端午 1 + 中秋 1 + 国庆 3 = 13 (fewer dates if two coincide).
    expect(estimated.length).toBeGreaterThanOrEqual(12);
    for (const h of estimated) {
      expect({ date: h.date, name: h.name, officialHoliday: official.holidays[h.date] !== undefined }).toEqual({
        date: h.date,
        name: h.name,
        officialHoliday: true,
      });
      expect(official.workdays[h.date]).toBeUndefined();
    }
  });

  it('derives the lunar and solar-term dates (2025, 2026)', () => {
    const byName = (year: number) => {
      const out: Record<string, string[]> = {};
      for (const h of statutoryHolidays(year)) (out[h.name] ??= []).push(h.date);
      return out;
    };
    expect(byName(2025)).toEqual({
      元旦: ['2025-01-01'],
      春节: ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'], // 除夕 (腊月廿九) to 初三
      清明节: ['2025-04-04'],
      劳动节: ['2025-05-01', '2025-05-02'],
      端午节: ['2025-05-31'],
      国庆节: ['2025-10-01', '2025-10-02', '2025-10-03'],
      中秋节: ['2025-10-06'],
    });
    expect(byName(2026)).toEqual({
      元旦: ['2026-01-01'],
      春节: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19'],
      清明节: ['2026-04-05'],
      劳动节: ['2026-05-01', '2026-05-02'],
      端午节: ['2026-06-19'],
      中秋节: ['2026-09-25'],
      国庆节: ['2026-10-01', '2026-10-02', '2026-10-03'],
    });
  });

  it('joins names when 中秋 falls within 国庆 (2028: 中秋 is 3 October)', () => {
    const h = statutoryHolidayOn('2028-10-03');
    expect(h?.name).toBe('国庆节、中秋节');
    expect(statutoryHolidays(2028).filter((x) => x.date.startsWith('2028-10-'))).toHaveLength(3);
  });

  it('estimates nothing before the revised 办法 (2025)', () => {
    expect(statutoryHolidays(2024)).toEqual([]);
    expect(statutoryHolidays(2003)).toEqual([]);
  });

  it('a year without a notice answers estimated holidays and weekends as rest days', () => {
    const calendar = new WorkingCalendar();
    expect(calendar.dayInfo('2027-02-05')).toEqual({
      date: '2027-02-05',
      working: false,
      reason: 'HOLIDAY',
      name: '春节',
      source: 'ESTIMATE',
      confirmed: false,
    });
    expect(calendar.dayInfo('2027-02-06')).toMatchObject({ working: false, reason: 'HOLIDAY', source: 'ESTIMATE' }); // a Saturday
    expect(calendar.dayInfo('2027-02-09')).toMatchObject({ working: true, reason: 'WEEKDAY', source: 'WEEKDAY_RULE' });
    expect(calendar.dayInfo('2027-02-13')).toMatchObject({ working: false, reason: 'WEEKEND' });
  });

  it('an administrator entry and a confirmed year win over the estimate', () => {
    const entered = new WorkingCalendar({ entries: [{ date: '2027-05-01', kind: 'WORKDAY', name: '劳动节' }] });
    expect(entered.dayInfo('2027-05-01')).toMatchObject({ working: true, source: 'ENTRY' });
    const confirmed = new WorkingCalendar({ confirmedYears: [2027] });
    expect(confirmed.dayInfo('2027-10-01')).toMatchObject({ working: true, source: 'WEEKDAY_RULE', confirmed: true });
  });

  it('a deadline through an unknown year skips the estimated holidays, stays provisional and says it is an estimate', () => {
    const r = computeDeadline({ rule: { kind: 'WORKING_DAYS', days: 5 }, start: '2027-09-29' }, new WorkingCalendar());
    // 09-30 (1), 10-01…10-03 国庆 (est.), 10-04 (2), 05, 06, 07 (5)
    expect(r.due).toBe('2027-10-07');
    expect(r.provisional).toBe(true);
    expect(r.provisionalReasons).toHaveLength(1);
    expect(r.provisionalReasons[0]).toContain('估算');
    expect(r.provisionalReasons[0]).toContain('国庆节（2027-10-01至2027-10-03）');
    expect(r.explanation.summary).toContain('跳过国庆节（估算）3天（2027-10-01至2027-10-03）');
  });
});
