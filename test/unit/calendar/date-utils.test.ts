import {
  addDays,
  chinaDateOfInstant,
  daysBetween,
  formatChinaInstant,
  fromDayNumber,
  isIsoDate,
  parseInstant,
  toChinaDate,
  toDayNumber,
  weekday,
  weekdayNameZh,
  yearOf,
} from '../../../src/modules/calendar/date-utils';

describe('date-utils', () => {
  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-1-5')).toBe(false);
    expect(isIsoDate('2024-01-05T00:00:00Z')).toBe(false);
    expect(isIsoDate(20240105)).toBe(false);
  });

  it('does day arithmetic across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(fromDayNumber(toDayNumber('1969-12-31'))).toBe('1969-12-31');
    expect(yearOf('2027-06-01')).toBe(2027);
  });

  it('knows weekdays (0 = Sunday)', () => {
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('2024-10-01')).toBe(2);
    expect(weekday('2024-10-12')).toBe(6);
    expect(weekday('1969-12-28')).toBe(0);
    expect(weekdayNameZh('2024-10-13')).toBe('周日');
  });

  it('converts instants to China-local dates at the +08:00 midnight boundary', () => {
    expect(chinaDateOfInstant('2024-09-30T15:59:59Z')).toBe('2024-09-30');
    expect(chinaDateOfInstant('2024-09-30T16:00:00Z')).toBe('2024-10-01');
    expect(chinaDateOfInstant(new Date(Date.UTC(2024, 11, 31, 16)))).toBe('2025-01-01');
    expect(toChinaDate('2024-10-01')).toBe('2024-10-01');
    expect(toChinaDate('2024-10-01T07:00:00-05:00')).toBe('2024-10-01');
    expect(toChinaDate('2024-10-01T12:00:00-05:00')).toBe('2024-10-02');
  });

  it('reads offset-less date-times as China time, not process-local time', () => {
    expect(parseInstant('2024-10-01T08:00')).toBe(Date.UTC(2024, 9, 1, 0, 0));
    expect(parseInstant('2024-10-01T08:00:00+08:00')).toBe(Date.UTC(2024, 9, 1, 0, 0));
    expect(parseInstant('2024-10-01T00:00:00.250Z')).toBe(Date.UTC(2024, 9, 1, 0, 0, 0, 250));
    expect(() => parseInstant('2024-10-01')).toThrow(RangeError);
    expect(() => parseInstant('2024-02-30T10:00:00Z')).toThrow(RangeError);
    expect(() => parseInstant('2024-10-01T24:00:00Z')).toThrow(RangeError);
  });

  it('formats instants with an explicit +08:00 offset', () => {
    expect(formatChinaInstant(Date.UTC(2024, 8, 30, 17, 30))).toBe('2024-10-01T01:30:00+08:00');
    expect(formatChinaInstant(Date.UTC(2024, 8, 30, 17, 30, 0, 5))).toBe('2024-10-01T01:30:00.005+08:00');
  });
});
