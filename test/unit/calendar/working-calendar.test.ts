import {
  CalendarEntriesError,
  PACKAGE_COVERED_YEARS,
  WorkingCalendar,
  normaliseHolidayName,
  validateCalendarEntries,
  yearsAffectingDate,
  type CalendarEntry,
} from '../../../src/modules/calendar/working-calendar';

describe('WorkingCalendar — package data', () => {
  const calendar = new WorkingCalendar();

  it('derives the covered years from the chinese-days data (2004–2026 in 1.5.7)', () => {
    const expected = Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i);
    expect(PACKAGE_COVERED_YEARS).toEqual(expected);
    expect(calendar.isConfirmedYear(2004)).toBe(true);
    expect(calendar.isConfirmedYear(2026)).toBe(true);
    expect(calendar.isConfirmedYear(2003)).toBe(false);
    expect(calendar.isConfirmedYear(2027)).toBe(false);
  });

  it('describes a statutory holiday with its Chinese name', () => {
    expect(calendar.dayInfo('2024-10-01')).toEqual({
      date: '2024-10-01',
      working: false,
      reason: 'HOLIDAY',
      name: '国庆节',
      source: 'PACKAGE',
      confirmed: true,
    });
    // A holiday that falls on a weekend is still reported as the holiday.
    expect(calendar.dayInfo('2024-02-10')).toMatchObject({ working: false, reason: 'HOLIDAY', name: '春节' });
  });

  it('describes make-up working days (调休上班) on weekends', () => {
    expect(calendar.dayInfo('2024-10-12')).toEqual({
      date: '2024-10-12',
      working: true,
      reason: 'MAKEUP_WORKDAY',
      name: '国庆节',
      source: 'PACKAGE',
      confirmed: true,
    });
    expect(calendar.dayInfo('2024-02-18')).toMatchObject({ working: true, reason: 'MAKEUP_WORKDAY', name: '春节' });
  });

  it('falls back to the weekday rule for ordinary days', () => {
    expect(calendar.dayInfo('2024-10-13')).toEqual({
      date: '2024-10-13',
      working: false,
      reason: 'WEEKEND',
      name: null,
      source: 'WEEKDAY_RULE',
      confirmed: true,
    });
    expect(calendar.dayInfo('2024-10-14')).toMatchObject({ working: true, reason: 'WEEKDAY', source: 'WEEKDAY_RULE' });
  });

  it('marks days of uncovered years as unconfirmed instead of trusting the Mon–Fri fallback', () => {
    // Changed on purpose (issue 12, part 4): 2027-01-01 used to be an ordinary (unconfirmed) Friday;
    // unknown years from 2025 on now get the fixed statutory holidays as estimated holidays.
    expect(calendar.dayInfo('2027-01-01')).toMatchObject({
      working: false,
      reason: 'HOLIDAY',
      name: '元旦',
      source: 'ESTIMATE',
      confirmed: false,
    });
    expect(calendar.dayInfo('2027-01-04')).toMatchObject({ working: true, reason: 'WEEKDAY', source: 'WEEKDAY_RULE', confirmed: false });
    // Before the revised 办法 (in force 2025) nothing is estimated: the Monday–Friday fallback stays.
    expect(calendar.dayInfo('2003-10-01')).toMatchObject({ working: true, source: 'WEEKDAY_RULE', confirmed: false });
  });

  it('treats the last week of December as depending on next year’s New Year arrangement', () => {
    expect(yearsAffectingDate('2026-12-24')).toEqual([2026]);
    expect(yearsAffectingDate('2026-12-25')).toEqual([2026, 2027]);
    expect(calendar.dayInfo('2026-12-24').confirmed).toBe(true);
    expect(calendar.dayInfo('2026-12-28').confirmed).toBe(false);
    expect(calendar.unconfirmedYearsAffecting('2026-12-31')).toEqual([2027]);
    // Historical precedent in the data: 2018-12-29 was a make-up day for New Year 2019.
    expect(calendar.dayInfo('2018-12-29')).toMatchObject({ working: true, reason: 'MAKEUP_WORKDAY', name: '元旦' });
  });

  it('normalises package names to the names used in State Council notices', () => {
    expect(normaliseHolidayName('Spring Festival,春节,3')).toBe('春节');
    expect(normaliseHolidayName('Tomb-sweeping Day,清明,1')).toBe('清明节');
    expect(normaliseHolidayName('Dragon Boat Festival,端午,1')).toBe('端午节');
    expect(normaliseHolidayName('Mid-autumn Festival,中秋,1')).toBe('中秋节');
    expect(calendar.dayInfo('2025-10-06').name).toBe('中秋节');
    expect(calendar.dayInfo('2015-09-03').name).toBe('中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日');
    expect(calendar.dayInfo('2024-04-04').name).toBe('清明节');
  });

  it('rejects invalid dates', () => {
    expect(() => calendar.dayInfo('2024-02-30')).toThrow(RangeError);
  });
});

describe('WorkingCalendar — administrator entries', () => {
  it('lets entries override the package and the weekday rule', () => {
    const calendar = new WorkingCalendar({
      entries: [
        { date: '2024-11-05', kind: 'HOLIDAY', name: ' 临时放假 ' },
        { date: '2024-11-02', kind: 'WORKDAY', name: '补班' },
        { date: '2024-10-07', kind: 'WORKDAY', name: '更正：取消放假' },
      ],
    });
    expect(calendar.dayInfo('2024-11-05')).toEqual({
      date: '2024-11-05',
      working: false,
      reason: 'HOLIDAY',
      name: '临时放假',
      source: 'ENTRY',
      confirmed: true,
    });
    expect(calendar.dayInfo('2024-11-02')).toMatchObject({ working: true, reason: 'MAKEUP_WORKDAY', source: 'ENTRY' });
    expect(calendar.dayInfo('2024-10-07')).toMatchObject({ working: true, reason: 'WEEKDAY', source: 'ENTRY' });
    expect(calendar.isWorkingDay('2024-11-05')).toBe(false);
  });

  it('confirms a year through confirmedYears; an entry settles only its own date', () => {
    const calendar = new WorkingCalendar({
      entries: [{ date: '2027-02-05', kind: 'HOLIDAY', name: '春节' }],
    });
    expect(calendar.isConfirmedYear(2027)).toBe(false);
    expect(calendar.dayInfo('2027-02-05').confirmed).toBe(true);
    expect(calendar.dayInfo('2027-02-04').confirmed).toBe(false);

    const confirmed = new WorkingCalendar({ confirmedYears: [2027] });
    expect(confirmed.isConfirmedYear(2027)).toBe(true);
    expect(confirmed.dayInfo('2027-02-04').confirmed).toBe(true);
    expect(confirmed.dayInfo('2027-12-31').confirmed).toBe(false); // still waits for 2028
  });

  it('validates entries and names the index and field of each problem', () => {
    const entries = [
      { date: '2027-01-01', kind: 'HOLIDAY', name: '元旦' },
      { date: '2027-02-30', kind: 'HOLIDAY', name: '春节' },
      { date: '2027-01-01', kind: 'WORKDAY', name: '元旦' },
      { date: '2027-02-20', kind: 'WORKDAY', name: '  ' },
      { date: '2027-01-01', kind: 'HOLIDAY', name: '元旦（重复）' },
      { date: '2027-03-03', kind: 'WORKDAY', name: '工作日' },
      { date: '2027-03-04', kind: 'DAY_OFF', name: '?' },
    ] as unknown as CalendarEntry[];
    const problems = validateCalendarEntries(entries);
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [1, 'date'],
      [2, 'kind'],
      [3, 'name'],
      [6, 'kind'],
    ]);
    expect(problems[1]!.message).toContain('第0条');
    expect(new WorkingCalendar().validateEntries(entries)).toEqual(problems);
  });

  it('accepts a WORKDAY entry on an ordinary weekday (idempotent)', () => {
    const entries: CalendarEntry[] = [{ date: '2024-11-06', kind: 'WORKDAY', name: '正常上班' }];
    expect(validateCalendarEntries(entries)).toEqual([]);
    expect(new WorkingCalendar({ entries }).isWorkingDay('2024-11-06')).toBe(true);
  });

  it('refuses to build a calendar from contradictory entries', () => {
    const build = () =>
      new WorkingCalendar({
        entries: [
          { date: '2027-01-01', kind: 'HOLIDAY', name: '元旦' },
          { date: '2027-01-01', kind: 'WORKDAY', name: '元旦' },
        ],
      });
    expect(build).toThrow(CalendarEntriesError);
    try {
      build();
    } catch (e) {
      expect((e as CalendarEntriesError).problems).toEqual([expect.objectContaining({ index: 1, field: 'kind' })]);
    }
    expect(() => new WorkingCalendar({ confirmedYears: [2027.5] })).toThrow(RangeError);
  });
});
