import { WorkingCalendar } from '../../../src/modules/calendar/working-calendar';
import {
  ClockInputError,
  consultationPauses,
  correctionNoticeDeadline,
  dueSoonUntil,
  receiptDate,
  replyDeadline,
  requestState,
  RequestState,
  storedDeadline,
  thirdPartyResponseDeadline,
} from '../../../src/modules/request/request-clock';

/**
 * The statutory clock by hand. 2024 (chinese-days, the State Council's notice):
 * - Spring Festival: 02-10 … 02-17 off; Sun 02-04 and Sun 02-18 are make-up working days;
 * - Mid-Autumn: 09-15 … 09-17 off; Sat 09-14 is a make-up working day;
 * - National Day: 10-01 … 10-07 off; Sun 09-29 and Sat 10-12 are make-up working days.
 * Day 1 of a working-day period is the first working day after its start.
 */
const calendar = new WorkingCalendar();

function clockError(fn: () => unknown): ClockInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClockInputError) return e;
    throw e;
  }
  throw new Error('expected a ClockInputError');
}

describe('receipt date by channel (条例第三十一条)', () => {
  it('in person: the day it is handed in; another receipt date is refused', () => {
    expect(receiptDate('IN_PERSON', '2024-02-08')).toBe('2024-02-08');
    expect(receiptDate('IN_PERSON', '2024-02-08', '2024-02-08')).toBe('2024-02-08');
    expect(clockError(() => receiptDate('IN_PERSON', '2024-02-08', '2024-02-19')).field).toBe('receivedOn');
  });

  it('by post: the day the agency signs for it, which is required and not before posting', () => {
    // posted on Thursday before the holiday, signed for on the first Monday after it
    expect(receiptDate('LETTER', '2024-02-08', '2024-02-19')).toBe('2024-02-19');
    expect(clockError(() => receiptDate('LETTER', '2024-02-08')).field).toBe('receivedOn');
    expect(clockError(() => receiptDate('LETTER', '2024-02-08', '2024-02-07')).field).toBe('receivedOn');
  });

  it('online, fax, email: the day both sides confirm, by default the day it was sent', () => {
    for (const channel of ['ONLINE', 'FAX', 'EMAIL'] as const) {
      expect(receiptDate(channel, '2024-09-29')).toBe('2024-09-29');
      expect(receiptDate(channel, '2024-09-30', '2024-10-08')).toBe('2024-10-08');
      expect(clockError(() => receiptDate(channel, '2024-09-30', '2024-09-27')).field).toBe('receivedOn');
    }
    expect(clockError(() => receiptDate('ONLINE', '2024-02-30')).field).toBe('submittedOn');
  });

  it('a letter signed for the Monday after National Day eve is due on 2024-11-01', () => {
    // posted Fri 09-27, signed for Mon 09-30. Day 1 = Tue 10-08 (10-01…07 off); 10-08…10-11 #1–#4,
    // Sat 10-12 #5 (调休), 10-14…18 #6–#10, 10-21…25 #11–#15, 10-28…11-01 #16–#20.
    const receivedOn = receiptDate('LETTER', '2024-09-27', '2024-09-30');
    const d = replyDeadline({ receivedOn }, calendar);
    expect(d.due).toBe('2024-11-01');
    expect(d.explanation.steps.find((s) => s.date === '2024-10-12')).toMatchObject({ kind: 'COUNTED_MAKEUP_WORKDAY', ordinal: 5 });
  });
});

describe('20 working days from receipt', () => {
  it('across Spring Festival 2024: received Fri 01-26, due Wed 02-28', () => {
    // 01-29…02-02 #1–#5, Sun 02-04 #6 (调休), 02-05…02-09 #7–#11, 02-10…17 春节,
    // Sun 02-18 #12 (调休), 02-19…23 #13–#17, 02-26…28 #18–#20.
    const d = replyDeadline({ receivedOn: '2024-01-26' }, calendar);
    expect(d).toMatchObject({ due: '2024-02-28', provisional: false, paused: false, awaitingCorrection: false, start: '2024-01-26', years: [2024] });
    const counted = d.explanation.steps.filter((s) => s.kind === 'COUNTED' || s.kind === 'COUNTED_MAKEUP_WORKDAY');
    expect(counted).toHaveLength(20);
    expect(counted[0]).toEqual({ date: '2024-01-29', kind: 'COUNTED', ordinal: 1 });
    expect(counted.find((s) => s.date === '2024-02-18')).toEqual({ date: '2024-02-18', kind: 'COUNTED_MAKEUP_WORKDAY', ordinal: 12, name: '春节' });
    expect(d.explanation.steps.filter((s) => s.kind === 'SKIPPED_HOLIDAY')).toHaveLength(8);
    expect(d.explanation.summary).toContain('跳过春节8天（2024-02-10至2024-02-17）');
    expect(d.explanation.summary).toContain('截止2024-02-28（周三）');
  });

  it('across National Day 2024: received Fri 09-20, due Wed 10-23', () => {
    // 09-23…27 #1–#5, Sun 09-29 #6, Mon 09-30 #7, 10-01…07 国庆节, 10-08…11 #8–#11, Sat 10-12 #12,
    // 10-14…18 #13–#17, 10-21…23 #18–#20.
    const d = replyDeadline({ receivedOn: '2024-09-20' }, calendar);
    expect(d.due).toBe('2024-10-23');
    expect(d.explanation.summary).toContain('跳过国庆节7天（2024-10-01至2024-10-07）');
  });

  it('a due date in a year whose holidays are not yet confirmed is provisional, with the reason', () => {
    expect(calendar.isConfirmedYear(2099)).toBe(false);
    const d = replyDeadline({ receivedOn: '2099-06-01' }, calendar);
    expect(d.provisional).toBe(true);
    expect(d.reasons.join()).toContain('2099年');
    expect(d.explanation.summary).toContain('暂定');
  });
});

describe('correction (补正, 条例第三十条)', () => {
  it('the notice is due within 7 working days of receipt: received Fri 01-26, last day Mon 02-05', () => {
    // 01-29…02-02 #1–#5, Sat 02-03 skipped, Sun 02-04 #6 (调休), Mon 02-05 #7.
    expect(correctionNoticeDeadline('2024-01-26', calendar).due).toBe('2024-02-05');
    // received the Friday before Spring Festival: 02-18 (Sun, 调休) #1, 02-19…02-23 #2–#6, Mon 02-26 #7
    expect(correctionNoticeDeadline('2024-02-09', calendar).due).toBe('2024-02-26');
  });

  it('while the corrected request is awaited nothing is due', () => {
    const d = replyDeadline({ receivedOn: '2024-01-26', correctionNoticeOn: '2024-02-05' }, calendar);
    expect(d).toMatchObject({ due: null, awaitingCorrection: true, paused: false, start: null, years: [] });
    expect(d.explanation.summary).toContain('自收到补正后的申请之日起重新计算');
  });

  it('the period restarts from the corrected request: corrected Thu 02-08, due Wed 03-13', () => {
    // Fri 02-09 #1, 02-10…17 春节, Sun 02-18 #2, 02-19…23 #3–#7, 02-26…03-01 #8–#12,
    // 03-04…08 #13–#17, 03-11…13 #18–#20.
    const d = replyDeadline({ receivedOn: '2024-01-26', correctionNoticeOn: '2024-02-05', correctedOn: '2024-02-08' }, calendar);
    expect(d).toMatchObject({ due: '2024-03-13', start: '2024-02-08', awaitingCorrection: false });
    expect(d.explanation.start).toBe('2024-02-08');
    expect(d.explanation.steps[0]).toEqual({ date: '2024-02-09', kind: 'COUNTED', ordinal: 1 });
    expect(d.explanation.summary).toMatch(/^2024-01-26收到申请，2024-02-05发出补正通知，2024-02-08收到补正后的申请/);
  });
});

describe('consultations are not counted (条例第三十二、三十三条)', () => {
  it('a third party has 15 working days: consulted Wed 09-25, it lapses Mon 10-21', () => {
    // 09-26, 27 #1–#2, Sun 09-29 #3, 09-30 #4, 10-08…11 #5–#8, Sat 10-12 #9, 10-14…18 #10–#14, 10-21 #15.
    expect(thirdPartyResponseDeadline('2024-09-25', calendar).due).toBe('2024-10-21');
  });

  it('an open consultation stops the clock: no due date, the days counted so far are told', () => {
    const d = replyDeadline({ receivedOn: '2024-09-20', consultations: [{ startedOn: '2024-09-25' }] }, calendar);
    expect(d).toMatchObject({ due: null, paused: true });
    expect(d.explanation.summary).toContain('已计2个工作日');
  });

  it('received Fri 09-20, consulted 09-25 … 10-10: due Mon 11-04 instead of 10-23', () => {
    // 09-23, 24 #1–#2; 09-25 … 10-10 paused (16 days, National Day inside);
    // Fri 10-11 #3, Sat 10-12 #4 (调休), 10-14…18 #5–#9, 10-21…25 #10–#14, 10-28…11-01 #15–#19, Mon 11-04 #20.
    const d = replyDeadline({ receivedOn: '2024-09-20', consultations: [{ startedOn: '2024-09-25', endedOn: '2024-10-10' }] }, calendar);
    expect(d).toMatchObject({ due: '2024-11-04', paused: false });
    expect(d.explanation.steps.filter((s) => s.kind === 'PAUSED')).toHaveLength(16);
    expect(d.explanation.steps.find((s) => s.date === '2024-10-12')).toMatchObject({ kind: 'COUNTED_MAKEUP_WORKDAY', ordinal: 4 });
    expect(d.explanation.summary).toContain('暂停计算16天（2024-09-25至2024-10-10）');
  });

  it('overlapping consultations (a third party and another agency) stop the clock once', () => {
    expect(
      consultationPauses(
        [
          { startedOn: '2024-09-25', endedOn: '2024-10-08' },
          { startedOn: '2024-10-08', endedOn: '2024-10-10' },
          { startedOn: '2024-09-26', endedOn: '2024-09-27' },
        ],
        '2024-09-20',
      ),
    ).toEqual([{ from: '2024-09-25', to: '2024-10-10' }]);
    const d = replyDeadline(
      {
        receivedOn: '2024-09-20',
        consultations: [
          { startedOn: '2024-09-25', endedOn: '2024-10-08' },
          { startedOn: '2024-10-08', endedOn: '2024-10-10' },
        ],
      },
      calendar,
    );
    expect(d.due).toBe('2024-11-04');
    // an open one absorbs the rest
    expect(consultationPauses([{ startedOn: '2024-09-25' }, { startedOn: '2024-10-09', endedOn: '2024-10-10' }], '2024-09-20')).toEqual([
      { from: '2024-09-25', to: null },
    ]);
  });

  it('a consultation that ended before a corrected request restarted the clock does not count', () => {
    expect(consultationPauses([{ startedOn: '2024-01-29', endedOn: '2024-01-31' }], '2024-02-08')).toEqual([]);
    expect(consultationPauses([{ startedOn: '2024-02-05', endedOn: '2024-02-19' }], '2024-02-08')).toEqual([{ from: '2024-02-08', to: '2024-02-19' }]);
  });
});

describe('the one extension (条例第三十三条)', () => {
  it('received Mon 09-02: due Mon 09-30; extended by 10 working days across National Day: Fri 10-18', () => {
    // 09-03…06 #1–#4, 09-09…13 #5–#9, Sat 09-14 #10 (调休), 09-15…17 中秋节, 09-18…20 #11–#13,
    // 09-23…27 #14–#18, Sun 09-29 #19, Mon 09-30 #20.
    expect(replyDeadline({ receivedOn: '2024-09-02' }, calendar).due).toBe('2024-09-30');
    // extension: 10-01…07 国庆节, 10-08…11 #1–#4, Sat 10-12 #5, 10-14…18 #6–#10.
    const d = replyDeadline({ receivedOn: '2024-09-02', extensionDays: 10 }, calendar);
    expect(d.due).toBe('2024-10-18');
    const ext = d.explanation.steps.filter((s) => s.kind === 'EXTENSION');
    expect(ext).toHaveLength(10);
    expect(ext[0]).toEqual({ date: '2024-10-08', kind: 'EXTENSION', ordinal: 1, name: null });
    expect(ext[4]).toEqual({ date: '2024-10-12', kind: 'EXTENSION', ordinal: 5, name: '国庆节' });
    expect(d.explanation.summary).toContain('延长10个工作日');
  });

  it('after a consultation: 11-04 plus 20 working days is Mon 12-02', () => {
    // 11-05…08 #1–#4, 11-11…15 #5–#9, 11-18…22 #10–#14, 11-25…29 #15–#19, 12-02 #20.
    const d = replyDeadline(
      { receivedOn: '2024-09-20', consultations: [{ startedOn: '2024-09-25', endedOn: '2024-10-10' }], extensionDays: 20 },
      calendar,
    );
    expect(d.due).toBe('2024-12-02');
  });

  it('correction restart, consultation and extension together', () => {
    // from corrected Thu 02-08 (due 03-13 alone); consulted 02-19 … 02-23 (after #2 on 02-18):
    // 02-26…03-01 #3–#7, 03-04…08 #8–#12, 03-11…15 #13–#17, 03-18…20 #18–#20 → 03-20; + 5: 03-21, 22, 25, 26, 27.
    const d = replyDeadline(
      {
        receivedOn: '2024-01-26',
        correctionNoticeOn: '2024-02-05',
        correctedOn: '2024-02-08',
        consultations: [{ startedOn: '2024-02-19', endedOn: '2024-02-23' }],
        extensionDays: 5,
      },
      calendar,
    );
    expect(d.due).toBe('2024-03-27');
  });
});

describe('state as today moves', () => {
  it('due Tue 02-20 (received Thu 01-18): open before Spring Festival, due soon from its eve, then overdue', () => {
    // 01-19 #1 … 02-09 #17 (Sun 02-04 counted), 02-18 #18, 02-19 #19, 02-20 #20.
    const d = replyDeadline({ receivedOn: '2024-01-18' }, calendar);
    expect(d.due).toBe('2024-02-20');
    const at = (today: string) => requestState({ dueOn: d.due }, today, calendar);
    expect(at('2024-02-07')).toBe(RequestState.OPEN); // 02-08, 09, 18, 19, 20 still to come
    expect(at('2024-02-08')).toBe(RequestState.OPEN); // 4 working days left: 02-09, 18, 19, 20
    expect(at('2024-02-09')).toBe(RequestState.DUE_SOON); // 3 left across the holiday
    expect(at('2024-02-14')).toBe(RequestState.DUE_SOON);
    expect(at('2024-02-20')).toBe(RequestState.DUE_SOON);
    expect(at('2024-02-21')).toBe(RequestState.OVERDUE);
  });

  it('the same dates from dueSoonUntil, as list filters use them', () => {
    // as of 02-09 the 4th working day after it is 02-21: due dates 02-09 … 02-20 are due soon
    expect(dueSoonUntil('2024-02-09', calendar)).toBe('2024-02-21');
    expect(dueSoonUntil('2024-02-08', calendar)).toBe('2024-02-20');
    expect(dueSoonUntil('2024-09-27', calendar)).toBe('2024-10-09'); // 09-29, 09-30, 10-08 then 10-09
  });

  it('answered, answered late, awaiting correction, in consultation', () => {
    expect(requestState({ dueOn: '2024-02-28', repliedOn: '2024-02-28' }, '2024-06-01', calendar)).toBe(RequestState.ANSWERED);
    expect(requestState({ dueOn: '2024-02-28', repliedOn: '2024-02-29' }, '2024-06-01', calendar)).toBe(RequestState.ANSWERED_LATE);
    expect(requestState({ dueOn: null, repliedOn: '2024-03-01', correctionNoticeOn: '2024-02-05' }, '2024-06-01', calendar)).toBe(RequestState.ANSWERED);
    expect(requestState({ dueOn: null, correctionNoticeOn: '2024-02-05' }, '2024-06-01', calendar)).toBe(RequestState.AWAITING_CORRECTION);
    expect(requestState({ dueOn: null }, '2024-10-08', calendar)).toBe(RequestState.IN_CONSULTATION);
    // a corrected request counts from its new due date
    expect(requestState({ dueOn: '2024-03-13', correctionNoticeOn: '2024-02-05', correctedOn: '2024-02-08' }, '2024-03-14', calendar)).toBe(
      RequestState.OVERDUE,
    );
  });
});

describe('stored form', () => {
  it('keeps what the engine said, with the years the recomputation selects by', () => {
    const s = storedDeadline(replyDeadline({ receivedOn: '2024-12-20' }, calendar));
    expect(s.years).toEqual([2024, 2025]);
    expect(s).toMatchObject({ paused: false, awaitingCorrection: false, clockStart: '2024-12-20', start: '2024-12-20' });
    expect(s.steps.every((x) => 'ordinal' in x && 'name' in x)).toBe(true);
  });
});
