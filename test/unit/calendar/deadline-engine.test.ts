import {
  DeadlineInputError,
  computeDeadline,
  type DeadlineInput,
  type ExplanationStep,
} from '../../../src/modules/calendar/deadline-engine';
import { WorkingCalendar } from '../../../src/modules/calendar/working-calendar';

const calendar = new WorkingCalendar();
const wd = (days: number) => ({ kind: 'WORKING_DAYS', days }) as const;
const stepsOfKind = (steps: ExplanationStep[], kind: ExplanationStep['kind']) =>
  steps.filter((s) => s.kind === kind).map((s) => s.date);

function inputError(fn: () => unknown): DeadlineInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeadlineInputError) return e;
    throw e;
  }
  throw new Error('expected a DeadlineInputError');
}

describe('WORKING_DAYS across Spring Festival', () => {
  // chinese-days 2024: 02-10…02-17 off (8 days), make-up days Sun 02-04 and Sun 02-18.
  it('2024: counts both make-up Sundays and skips the eight holiday days', () => {
    const r = computeDeadline({ rule: wd(10), start: '2024-02-01' }, calendar);
    // 02-02 #1, 02-03 Sat skipped, 02-04 Sun #2 (调休), 02-05…02-09 #3–#7, 02-10…02-17 春节,
    // 02-18 Sun #8 (调休), 02-19 #9, 02-20 #10.
    expect(r.due).toBe('2024-02-20');
    expect(r.provisional).toBe(false);
    expect(r.yearsConsulted).toEqual([2024]);
    const steps = r.explanation.steps;
    expect(stepsOfKind(steps, 'COUNTED_MAKEUP_WORKDAY')).toEqual(['2024-02-04', '2024-02-18']);
    expect(stepsOfKind(steps, 'SKIPPED_HOLIDAY')).toEqual([
      '2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13',
      '2024-02-14', '2024-02-15', '2024-02-16', '2024-02-17',
    ]);
    expect(stepsOfKind(steps, 'SKIPPED_WEEKEND')).toEqual(['2024-02-03']);
    expect(steps.find((s) => s.date === '2024-02-18')).toEqual({
      date: '2024-02-18',
      kind: 'COUNTED_MAKEUP_WORKDAY',
      ordinal: 8,
      name: '春节',
    });
    expect(steps.find((s) => s.date === '2024-02-12')).toEqual({ date: '2024-02-12', kind: 'SKIPPED_HOLIDAY', name: '春节' });
    expect(r.explanation.summary).toBe(
      '自2024-02-01（周四）起算10个工作日（第1日为其后的第一个工作日）：跳过春节8天（2024-02-10至2024-02-17）、周末1天，' +
        '计入调休工作日2024-02-04（春节）、2024-02-18（春节），截止2024-02-20（周二）。',
    );
  });

  it('2025: 01-28…02-04 off, Sun 01-26 and Sat 02-08 are working days', () => {
    // 01-25 Sat skipped, 01-26 Sun #1, 01-27 #2, 春节 01-28…02-04, 02-05 #3, 02-06 #4, 02-07 #5, 02-08 Sat #6.
    expect(computeDeadline({ rule: wd(5), start: '2025-01-24' }, calendar).due).toBe('2025-02-07');
    const r = computeDeadline({ rule: wd(6), start: '2025-01-24' }, calendar);
    expect(r.due).toBe('2025-02-08');
    expect(r.explanation.steps.at(-1)).toEqual({ date: '2025-02-08', kind: 'COUNTED_MAKEUP_WORKDAY', ordinal: 6, name: '春节' });
  });
});

describe('WORKING_DAYS across National Day', () => {
  it('20 working days from 2024-09-25 (make-up Sun 09-29 and Sat 10-12 count)', () => {
    // 09-26 #1, 09-27 #2, 09-28 Sat, 09-29 Sun #3, 09-30 #4, 10-01…10-07 国庆节, 10-08…10-11 #5–#8,
    // 10-12 Sat #9, 10-14…10-18 #10–#14, 10-21…10-25 #15–#19, 10-28 #20.
    const r = computeDeadline({ rule: wd(20), start: '2024-09-25' }, calendar);
    expect(r.due).toBe('2024-10-28');
    expect(r.paused).toBe(false);
    expect(r.provisional).toBe(false);
    expect(r.provisionalReasons).toEqual([]);
    const counted = r.explanation.steps.filter((s) => s.kind === 'COUNTED' || s.kind === 'COUNTED_MAKEUP_WORKDAY');
    expect(counted.map((s) => s.ordinal)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(stepsOfKind(r.explanation.steps, 'COUNTED_MAKEUP_WORKDAY')).toEqual(['2024-09-29', '2024-10-12']);
    expect(stepsOfKind(r.explanation.steps, 'SKIPPED_HOLIDAY')).toHaveLength(7);
    expect(stepsOfKind(r.explanation.steps, 'SKIPPED_WEEKEND')).toEqual([
      '2024-09-28', '2024-10-13', '2024-10-19', '2024-10-20', '2024-10-26', '2024-10-27',
    ]);
    expect(r.explanation.summary).toContain('跳过国庆节7天（2024-10-01至2024-10-07）、周末6天');
    expect(r.explanation.summary).toContain('计入调休工作日2024-09-29（国庆节）、2024-10-12（国庆节）');
    expect(r.explanation.summary).toContain('截止2024-10-28（周一）');
  });

  it('2025: National Day and Mid-Autumn merged (10-01…10-08), make-up Sat 10-11', () => {
    // 10-09 #1, 10-10 #2, 10-11 Sat #3, 10-13 #4, 10-14 #5.
    const r = computeDeadline({ rule: wd(5), start: '2025-09-30' }, calendar);
    expect(r.due).toBe('2025-10-14');
    expect(r.explanation.summary).toContain(
      '跳过国庆节5天（2025-10-01至2025-10-05）、中秋节1天（2025-10-06）、国庆节2天（2025-10-07至2025-10-08）、周末1天',
    );
  });

  it('day 1 is the first working day after the start even when the start is a holiday', () => {
    expect(computeDeadline({ rule: wd(1), start: '2024-10-03' }, calendar).due).toBe('2024-10-08');
    expect(computeDeadline({ rule: wd(0), start: '2024-10-03' }, calendar).due).toBe('2024-10-03');
  });
});

describe('unconfirmed years', () => {
  // 2026-12-15 (Tue) + 20 working days by Mon–Fri: 12-16…12-31 = 12, 2027-01-01 #13, 01-04…01-08 #14–#18, 01-11 #19, 01-12 #20.
  const input: DeadlineInput = { rule: wd(20), start: '2026-12-15' };

  it('reaching into 2027 makes the result provisional with a reason', () => {
    const r = computeDeadline(input, calendar);
    // Changed on purpose (issue 12, part 4): an unknown year is no longer counted Monday–Friday but
    // with the fixed statutory holidays of 全国年节及纪念日放假办法, so 元旦 2027-01-01 (a Friday) is
    // skipped as an estimated holiday and the due date moves from 2027-01-12 to 2027-01-13 — the same
    // date as once the 2027 arrangement is confirmed (next test). The reason says it is an estimate.
    expect(r.due).toBe('2027-01-13');
    expect(r.provisional).toBe(true);
    expect(r.provisionalReasons).toEqual([
      '2027年的节假日安排尚未确认（国务院通常在上一年年底公布），截止日为估算：按《全国年节及纪念日放假办法》的法定节假日及周末休息估算，' +
        '计算中按法定节假日跳过：元旦（2027-01-01）；未计入当年通知可能另行安排的调休放假和补班',
    ]);
    expect(r.explanation.steps.find((s) => s.date === '2027-01-01')).toEqual({
      date: '2027-01-01',
      kind: 'SKIPPED_HOLIDAY',
      name: '元旦（估算）',
    });
    expect(r.yearsConsulted).toEqual([2026, 2027]);
    expect(r.explanation.summary).toContain('结果为暂定：2027年的节假日安排尚未确认');
  });

  it('is final once the 2027 arrangement is entered and the year confirmed', () => {
    const confirmed = new WorkingCalendar({
      entries: [{ date: '2027-01-01', kind: 'HOLIDAY', name: '元旦' }],
      confirmedYears: [2027],
    });
    const r = computeDeadline(input, confirmed);
    expect(r.due).toBe('2027-01-13');
    expect(r.provisional).toBe(false);
    expect(r.provisionalReasons).toEqual([]);
    expect(r.yearsConsulted).toEqual([2026, 2027]);
    expect(r.explanation.steps.find((s) => s.date === '2027-01-01')).toEqual({
      date: '2027-01-01',
      kind: 'SKIPPED_HOLIDAY',
      name: '元旦',
    });
  });

  it('entries alone do not confirm the rest of the year', () => {
    const partial = new WorkingCalendar({ entries: [{ date: '2027-01-01', kind: 'HOLIDAY', name: '元旦' }] });
    const r = computeDeadline(input, partial);
    expect(r.due).toBe('2027-01-13');
    expect(r.provisional).toBe(true);
  });

  it('late December depends on the next year’s New Year arrangement', () => {
    // 2026-12-21 (Mon) + 5: 12-22, 12-23, 12-24, 12-25, 12-28.
    const r = computeDeadline({ rule: wd(5), start: '2026-12-21' }, calendar);
    expect(r.due).toBe('2026-12-28');
    expect(r.provisional).toBe(true);
    expect(r.yearsConsulted).toEqual([2026, 2027]);
    expect(r.provisionalReasons).toEqual([
      '2027年元旦的放假安排尚未确认，可能调整2026年12月下旬的上班安排，按周一至周五推算',
    ]);
    // Before the last week of December only 2026 matters.
    const early = computeDeadline({ rule: wd(3), start: '2026-12-18' }, calendar);
    expect(early.due).toBe('2026-12-23');
    expect(early.provisional).toBe(false);
    expect(early.yearsConsulted).toEqual([2026]);
  });
});

describe('administrator calendar corrections', () => {
  // 2024-11-01 (Fri) + 3 working days = 11-04, 11-05, 11-06.
  it('a HOLIDAY entry on a weekday moves the due date later', () => {
    expect(computeDeadline({ rule: wd(3), start: '2024-11-01' }, calendar).due).toBe('2024-11-06');
    const corrected = new WorkingCalendar({ entries: [{ date: '2024-11-05', kind: 'HOLIDAY', name: '临时调休' }] });
    const r = computeDeadline({ rule: wd(3), start: '2024-11-01' }, corrected);
    expect(r.due).toBe('2024-11-07');
    expect(r.explanation.steps).toContainEqual({ date: '2024-11-05', kind: 'SKIPPED_HOLIDAY', name: '临时调休' });
    expect(r.explanation.summary).toContain('跳过临时调休1天（2024-11-05）');
  });

  it('a WORKDAY entry on a Saturday moves the due date earlier', () => {
    const corrected = new WorkingCalendar({ entries: [{ date: '2024-11-02', kind: 'WORKDAY', name: '补班' }] });
    const r = computeDeadline({ rule: wd(3), start: '2024-11-01' }, corrected);
    expect(r.due).toBe('2024-11-05');
    expect(r.explanation.steps[0]).toEqual({ date: '2024-11-02', kind: 'COUNTED_MAKEUP_WORKDAY', ordinal: 1, name: '补班' });
  });
});

describe('pauses', () => {
  it('a closed pause stops the clock for its days (inclusive) and counting resumes after it', () => {
    // Without pause: 2024-10-28. Paused 10-09…10-10 (two working days) → two working days later: 10-30.
    const r = computeDeadline({ rule: wd(20), start: '2024-09-25', pauses: [{ from: '2024-10-09', to: '2024-10-10' }] }, calendar);
    expect(r.due).toBe('2024-10-30');
    expect(stepsOfKind(r.explanation.steps, 'PAUSED')).toEqual(['2024-10-09', '2024-10-10']);
    expect(r.explanation.steps.find((s) => s.date === '2024-10-11')).toEqual({ date: '2024-10-11', kind: 'COUNTED', ordinal: 6 });
    expect(r.explanation.summary).toContain('暂停计算2天（2024-10-09至2024-10-10）');
  });

  it('paused weekend days are listed as paused, not skipped', () => {
    // 2024-11-01 (Fri) + 3, paused Sat 11-02 … Mon 11-04: 11-05 #1, 11-06 #2, 11-07 #3.
    const r = computeDeadline({ rule: wd(3), start: '2024-11-01', pauses: [{ from: '2024-11-02', to: '2024-11-04' }] }, calendar);
    expect(r.due).toBe('2024-11-07');
    expect(stepsOfKind(r.explanation.steps, 'PAUSED')).toEqual(['2024-11-02', '2024-11-03', '2024-11-04']);
    expect(stepsOfKind(r.explanation.steps, 'SKIPPED_WEEKEND')).toEqual([]);
  });

  it('applies to CALENDAR_DAYS too; pauses may be given in any order and start on the start date', () => {
    // 15 calendar days from 2024-03-01 would end 03-16. The pause from the start date stops 03-02 (the start
    // itself is never counted) and the second one 03-05…03-07: 03-03 #1, 03-04 #2, 03-08 #3 … 03-20 #15.
    const r = computeDeadline(
      {
        rule: { kind: 'CALENDAR_DAYS', days: 15 },
        start: '2024-03-01',
        pauses: [
          { from: '2024-03-05', to: '2024-03-07' },
          { from: '2024-03-01', to: '2024-03-02' },
        ],
      },
      calendar,
    );
    expect(r.due).toBe('2024-03-20');
    expect(stepsOfKind(r.explanation.steps, 'PAUSED')).toEqual(['2024-03-02', '2024-03-05', '2024-03-06', '2024-03-07']);
    expect(r.yearsConsulted).toEqual([]);
  });

  it('an open pause leaves no due date but reports what was counted so far', () => {
    const r = computeDeadline({ rule: wd(15), start: '2024-09-25', pauses: [{ from: '2024-10-09', to: null }] }, calendar);
    expect(r.due).toBeNull();
    expect(r.paused).toBe(true);
    // 09-26, 09-27, 09-29 (调休), 09-30, 10-08.
    expect(r.countedSoFar).toBe(5);
    expect(r.pausedSince).toBe('2024-10-09');
    expect(r.explanation.steps.at(-1)).toEqual({ date: '2024-10-09', kind: 'PAUSED' });
    expect(r.explanation.summary).toContain('自2024-10-09起暂停计算（尚未恢复），已计5个工作日');
    expect(r.explanation.summary).not.toContain('暂停计算1天');
  });

  it('a pause that begins after the due date does not change it', () => {
    const r = computeDeadline({ rule: wd(3), start: '2024-11-01', pauses: [{ from: '2024-11-20' }] }, calendar);
    expect(r.due).toBe('2024-11-06');
    expect(r.paused).toBe(false);
    expect(r.explanation.summary).toContain('2024-11-20起的暂停晚于截止日，不影响期限');
  });
});

describe('extension', () => {
  it('adds the extension in working days after the original due date', () => {
    // Original due 2024-10-28; then 10-29 #1 … 11-25 #20.
    const r = computeDeadline({ rule: wd(20), start: '2024-09-25', extensionWorkingDays: 20 }, calendar);
    expect(r.due).toBe('2024-11-25');
    const ext = r.explanation.steps.filter((s) => s.kind === 'EXTENSION');
    expect(ext).toHaveLength(20);
    expect(ext[0]).toEqual({ date: '2024-10-29', kind: 'EXTENSION', ordinal: 1, name: null });
    expect(ext[19]).toEqual({ date: '2024-11-25', kind: 'EXTENSION', ordinal: 20, name: null });
    expect(r.explanation.summary).toContain('原截止2024-10-28；延长20个工作日（自原截止日后起算）：跳过周末8天，截止2024-11-25（周一）');
  });

  it('extension days cross holidays too, and make-up days inside the extension keep their holiday name', () => {
    // 2024-09-20 + 5 → 09-27; extension 5: 09-29 (调休) #1, 09-30 #2, 10-08 #3, 10-09 #4, 10-10 #5.
    const r = computeDeadline({ rule: wd(5), start: '2024-09-20', extensionWorkingDays: 5 }, calendar);
    expect(r.due).toBe('2024-10-10');
    expect(r.explanation.steps).toContainEqual({ date: '2024-09-29', kind: 'EXTENSION', ordinal: 1, name: '国庆节' });
  });

  it('a running pause during the extension leaves the result paused', () => {
    const r = computeDeadline(
      { rule: wd(5), start: '2024-11-01', extensionWorkingDays: 5, pauses: [{ from: '2024-11-12' }] },
      calendar,
    );
    // Original: 11-04…11-08; extension: 11-11 #1, paused from 11-12.
    expect(r.paused).toBe(true);
    expect(r.countedSoFar).toBe(6);
  });
});

describe('CALENDAR_DAYS', () => {
  it('ends on the N-th calendar day without rolling forward by default', () => {
    const r = computeDeadline({ rule: { kind: 'CALENDAR_DAYS', days: 15 }, start: '2024-09-16' }, calendar);
    expect(r.due).toBe('2024-10-01');
    expect(r.provisional).toBe(false);
    expect(r.yearsConsulted).toEqual([]);
    expect(r.explanation.steps).toHaveLength(15);
    expect(r.explanation.summary).toBe('自2024-09-16（周一）起算15个自然日（不因周末、节假日顺延），截止2024-10-01（周二）。');
  });

  it('can roll forward to the next working day when asked', () => {
    const r = computeDeadline(
      { rule: { kind: 'CALENDAR_DAYS', days: 15 }, start: '2024-09-16', rollForwardToWorkingDay: true },
      calendar,
    );
    expect(r.due).toBe('2024-10-08');
    expect(r.yearsConsulted).toEqual([2024]);
    expect(r.explanation.steps.at(-1)).toEqual({ date: '2024-10-08', kind: 'COUNTED' });
    expect(r.explanation.summary).toContain('第15日2024-10-01为国庆节，顺延至下一个工作日，截止2024-10-08');
    // A working last day is not moved.
    const plain = computeDeadline(
      { rule: { kind: 'CALENDAR_DAYS', days: 14 }, start: '2024-09-16', rollForwardToWorkingDay: true },
      calendar,
    );
    expect(plain.due).toBe('2024-09-30');
  });
});

describe('HOURS', () => {
  it('crosses midnight in China time regardless of the offset the start is given in', () => {
    // 2024-09-30 23:30 China = 15:30Z.
    const r = computeDeadline({ rule: { kind: 'HOURS', hours: 2 }, start: '2024-09-30T15:30:00Z' }, calendar);
    expect(r.due).toBe('2024-10-01');
    expect(r.dueInstant).toBe('2024-10-01T01:30:00+08:00');
    expect(r.provisional).toBe(false);
    expect(r.yearsConsulted).toEqual([]);
    expect(r.explanation.start).toBe('2024-09-30T23:30:00+08:00');
    expect(r.explanation.summary).toContain('截止2024-10-01T01:30:00+08:00');
  });

  it('reads an offset-less start as China local time', () => {
    const r = computeDeadline({ rule: { kind: 'HOURS', hours: 24 }, start: '2024-12-31T09:15' }, calendar);
    expect(r.dueInstant).toBe('2025-01-01T09:15:00+08:00');
    expect(r.due).toBe('2025-01-01');
  });
});

describe('YEARLY_FIXED_DATE', () => {
  const annual = { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 } as const;
  it('is the first occurrence strictly after the start date', () => {
    expect(computeDeadline({ rule: annual, start: '2024-12-31' }, calendar).due).toBe('2025-01-31');
    expect(computeDeadline({ rule: annual, start: '2025-01-30' }, calendar).due).toBe('2025-01-31');
    expect(computeDeadline({ rule: annual, start: '2025-01-31' }, calendar).due).toBe('2026-01-31');
    expect(computeDeadline({ rule: { kind: 'YEARLY_FIXED_DATE', month: 2, day: 29 }, start: '2025-03-01' }, calendar).due).toBe(
      '2028-02-29',
    );
  });

  it('explains the date and reports against asOf without changing it', () => {
    const r = computeDeadline({ rule: annual, start: '2024-12-31', asOf: '2025-02-03' }, calendar);
    expect(r.due).toBe('2025-01-31');
    expect(r.yearsConsulted).toEqual([]);
    expect(r.explanation.summary).toContain('2024-12-31之后的第一个1月31日为2025-01-31');
    expect(r.explanation.summary).toContain('截至2025-02-03，已超过截止日3天');
  });
});

describe('KEEP_CURRENT', () => {
  it('with a maximum age: last publication + maxAgeDays calendar days', () => {
    const r = computeDeadline({ rule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 }, start: '2024-01-15', asOf: '2024-02-10' }, calendar);
    expect(r.due).toBe('2024-02-14');
    expect(r.explanation.summary).toContain('最长间隔30个自然日，下次更新不晚于2024-02-14');
    expect(r.explanation.summary).toContain('距截止日还有4天');
  });

  it('without a maximum age: no due date and a clear explanation', () => {
    for (const rule of [{ kind: 'KEEP_CURRENT' } as const, { kind: 'KEEP_CURRENT', maxAgeDays: null } as const]) {
      const r = computeDeadline({ rule, start: '2024-01-15' }, calendar);
      expect(r.due).toBeNull();
      expect(r.paused).toBe(false);
      expect(r.provisional).toBe(false);
      expect(r.explanation.summary).toContain('没有固定截止日');
    }
  });
});

describe('input errors', () => {
  const cases: Array<[string, DeadlineInput, string]> = [
    ['invalid start', { rule: wd(5), start: '2024-02-30' }, 'start'],
    ['negative days', { rule: wd(-1), start: '2024-02-01' }, 'rule.days'],
    ['fractional days', { rule: wd(1.5), start: '2024-02-01' }, 'rule.days'],
    ['pause before start', { rule: wd(5), start: '2024-02-01', pauses: [{ from: '2024-01-31', to: '2024-02-02' }] }, 'pauses[0].from'],
    ['pause ends before it starts', { rule: wd(5), start: '2024-02-01', pauses: [{ from: '2024-02-05', to: '2024-02-04' }] }, 'pauses[0].to'],
    [
      'overlapping pauses',
      { rule: wd(5), start: '2024-02-01', pauses: [{ from: '2024-02-05', to: '2024-02-07' }, { from: '2024-02-07', to: '2024-02-08' }] },
      'pauses[1].from',
    ],
    [
      'pause after a running pause',
      { rule: wd(5), start: '2024-02-01', pauses: [{ from: '2024-02-05' }, { from: '2024-02-09', to: '2024-02-10' }] },
      'pauses[0].to',
    ],
    ['invalid pause date', { rule: wd(5), start: '2024-02-01', pauses: [{ from: 'soon' }] }, 'pauses[0].from'],
    ['pauses on HOURS', { rule: { kind: 'HOURS', hours: 1 }, start: '2024-02-01T10:00:00+08:00', pauses: [{ from: '2024-02-01' }] }, 'pauses'],
    ['extension on YEARLY', { rule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, start: '2024-02-01', extensionWorkingDays: 5 }, 'extensionWorkingDays'],
    ['negative extension', { rule: wd(5), start: '2024-02-01', extensionWorkingDays: -5 }, 'extensionWorkingDays'],
    ['HOURS with a date only', { rule: { kind: 'HOURS', hours: 1 }, start: '2024-02-01' }, 'start'],
    ['invalid month', { rule: { kind: 'YEARLY_FIXED_DATE', month: 13, day: 1 }, start: '2024-02-01' }, 'rule.month'],
    ['31 April', { rule: { kind: 'YEARLY_FIXED_DATE', month: 4, day: 31 }, start: '2024-02-01' }, 'rule.day'],
    ['negative maxAgeDays', { rule: { kind: 'KEEP_CURRENT', maxAgeDays: -1 }, start: '2024-02-01' }, 'rule.maxAgeDays'],
    ['roll-forward on WORKING_DAYS', { rule: wd(5), start: '2024-02-01', rollForwardToWorkingDay: true }, 'rollForwardToWorkingDay'],
    ['invalid asOf', { rule: { kind: 'KEEP_CURRENT', maxAgeDays: 3 }, start: '2024-02-01', asOf: 'today' }, 'asOf'],
  ];
  it.each(cases.map(([label, input, field]) => [`${label} → DeadlineInputError on ${field}`, input, field] as const))(
    '%s',
    (_title, input, field) => {
      const error = inputError(() => computeDeadline(input, calendar));
      expect(error.field).toBe(field);
      expect(error.message.startsWith(`${field}: `)).toBe(true);
    },
  );

  it('rejects an unknown rule kind', () => {
    const rule = { kind: 'MONTHLY', days: 1 } as unknown as DeadlineInput['rule'];
    expect(inputError(() => computeDeadline({ rule, start: '2024-02-01' }, calendar)).field).toBe('rule');
  });

  it('accepts an instant as start of a date rule and uses its China date', () => {
    // 2024-09-24T17:00Z is 2024-09-25 01:00 in China.
    expect(computeDeadline({ rule: wd(20), start: '2024-09-24T17:00:00Z' }, calendar).due).toBe('2024-10-28');
  });
});
