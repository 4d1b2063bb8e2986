import { DeadlineInputError, deadlineStatus, todayInChina } from '../../../src/modules/calendar/deadline-engine';
import { WorkingCalendar } from '../../../src/modules/calendar/working-calendar';

describe('deadlineStatus', () => {
  it('published: ON_TIME up to and including the due date, LATE after it', () => {
    expect(deadlineStatus({ due: '2024-10-28', publishedOn: '2024-10-20', today: '2024-11-30' })).toBe('ON_TIME');
    expect(deadlineStatus({ due: '2024-10-28', publishedOn: '2024-10-28', today: '2024-11-30' })).toBe('ON_TIME');
    expect(deadlineStatus({ due: '2024-10-28', publishedOn: '2024-10-29', today: '2024-11-30' })).toBe('LATE');
    // A publication instant is compared by its China date: 16:30Z on the 28th is already the 29th in China.
    expect(deadlineStatus({ due: '2024-10-28', publishedOn: '2024-10-28T16:30:00Z', today: '2024-11-30' })).toBe('LATE');
  });

  it('HOURS deadlines compare instants when both sides have a time', () => {
    const due = '2024-10-01T01:30:00+08:00';
    expect(deadlineStatus({ due, publishedOn: '2024-10-01T01:00:00+08:00', today: '2024-10-01' })).toBe('ON_TIME');
    expect(deadlineStatus({ due, publishedOn: '2024-10-01T02:00:00+08:00', today: '2024-10-01' })).toBe('LATE');
  });

  it('unpublished: OVERDUE after the due date, DUE_SOON on it', () => {
    expect(deadlineStatus({ due: '2024-10-28', today: '2024-10-29' })).toBe('OVERDUE');
    expect(deadlineStatus({ due: '2024-10-28', publishedOn: null, today: '2024-10-28' })).toBe('DUE_SOON');
  });

  it('DUE_SOON counts working days, so holidays widen the window', () => {
    // Mon 11-04 → Thu 11-07 is three working days away; Fri 11-08 four.
    expect(deadlineStatus({ due: '2024-11-07', today: '2024-11-04' })).toBe('DUE_SOON');
    expect(deadlineStatus({ due: '2024-11-08', today: '2024-11-04' })).toBe('PENDING');
    // 2024-09-30 → 10-09 spans National Day: only 10-08 and 10-09 are working days.
    expect(deadlineStatus({ due: '2024-10-09', today: '2024-09-30' })).toBe('DUE_SOON');
    // Fri 09-27 → 10-08: 09-29 (调休), 09-30, 10-08.
    expect(deadlineStatus({ due: '2024-10-08', today: '2024-09-27' })).toBe('DUE_SOON');
  });

  it('takes the window and calendar as parameters', () => {
    expect(deadlineStatus({ due: '2024-10-09', today: '2024-09-30', dueSoonWorkingDays: 1 })).toBe('PENDING');
    expect(deadlineStatus({ due: '2024-11-08', today: '2024-11-04', dueSoonWorkingDays: 4 })).toBe('DUE_SOON');
    expect(deadlineStatus({ due: '2024-11-05', today: '2024-11-04', dueSoonWorkingDays: 0 })).toBe('PENDING');
    const withDayOff = new WorkingCalendar({ entries: [{ date: '2024-11-05', kind: 'HOLIDAY', name: '临时调休' }] });
    expect(deadlineStatus({ due: '2024-11-08', today: '2024-11-04', calendar: withDayOff })).toBe('DUE_SOON');
    expect(() => deadlineStatus({ due: '2024-11-08', today: '2024-11-04', dueSoonWorkingDays: -1 })).toThrow(DeadlineInputError);
  });

  it('no due date: PENDING until published, then ON_TIME', () => {
    expect(deadlineStatus({ due: null, today: '2024-11-04' })).toBe('PENDING');
    expect(deadlineStatus({ due: null, publishedOn: '2024-11-01', today: '2024-11-04' })).toBe('ON_TIME');
  });
});

describe('todayInChina', () => {
  it('switches date at 16:00 UTC', () => {
    expect(todayInChina(new Date(Date.UTC(2024, 8, 30, 15, 59, 59)))).toBe('2024-09-30');
    expect(todayInChina(new Date(Date.UTC(2024, 8, 30, 16, 0, 0)))).toBe('2024-10-01');
  });

  it('defaults to now', () => {
    expect(todayInChina()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
