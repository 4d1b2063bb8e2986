import { startHarness, Role, type Harness } from '../support/harness';

const PREVIEW = `query($i: DeadlinePreviewInput!) { deadlinePreview(input: $i) {
  due dueAt paused countedSoFar pausedSince provisional reasons yearsConsulted
  rule { kind days hours month day maxAgeDays }
  explanation { summary start steps { date kind ordinal name } } } }`;
const SET = `mutation($i: SetCalendarEntriesInput!) { setCalendarEntries(input: $i) { year { year confirmed } } }`;

/** 时限试算: any signed-in caller computes a due date with the stored deadlines' engine; nothing is written. */
describe('deadlinePreview', () => {
  let h: Harness;
  let token: string;
  let rootAdmin: string;
  const preview = async (i: Record<string, unknown>, tk = token) => h.gql(PREVIEW, { i }, tk);
  const ok = async (i: Record<string, unknown>) => {
    const res = await preview(i);
    if (res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
    return res.data!.deadlinePreview;
  };
  const rowCounts = async () => {
    const rows = await h.orm.em
      .fork()
      .getConnection()
      .execute(
        `select (select count(*) from calendar_entry) as entries, (select count(*) from calendar_year) as years,
                (select count(*) from calendar_change) as changes, (select count(*) from publication) as publications`,
      );
    return rows[0];
  };

  beforeAll(async () => {
    h = await startHarness();
    await h.tree([{ code: 'prov', units: ['prov-office'], children: [{ code: 'city', units: ['city-sec'] }] }]);
    token = (await h.account({ agency: 'city', roles: [Role.UNIT_LIAISON], unit: 'city-sec', username: 'liaison' })).token;
    rootAdmin = (await h.account({ agency: 'prov', roles: [Role.AGENCY_ADMIN], username: 'provadmin', calendarOperator: true })).token;
  });
  afterAll(async () => {
    await h.close();
  });

  it('WORKING_DAYS across 国庆 2026, with the step-by-step explanation', async () => {
    const before = await rowCounts();
    const r = await ok({ rule: { kind: 'WORKING_DAYS', days: 5 }, start: '2026-09-29' });
    expect(r).toMatchObject({ due: '2026-10-12', dueAt: null, paused: false, provisional: false, reasons: [], yearsConsulted: [2026] });
    expect(r.rule).toEqual({ kind: 'WORKING_DAYS', days: 5, hours: null, month: null, day: null, maxAgeDays: null });
    expect(r.explanation.start).toBe('2026-09-29');
    expect(r.explanation.steps[0]).toEqual({ date: '2026-09-30', kind: 'COUNTED', ordinal: 1, name: null });
    expect(r.explanation.steps.filter((s: any) => s.kind === 'SKIPPED_HOLIDAY').map((s: any) => s.date)).toEqual([
      '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
    ]);
    expect(r.explanation.steps.find((s: any) => s.kind === 'COUNTED_MAKEUP_WORKDAY')).toMatchObject({ date: '2026-10-10' });
    expect(r.explanation.summary).toContain('截止2026-10-12');
    expect(await rowCounts()).toEqual(before);
  });

  it('WORKING_DAYS with a closed pause and one extension', async () => {
    const r = await ok({
      rule: { kind: 'WORKING_DAYS', days: 3 },
      start: '2026-03-02',
      pauses: [{ from: '2026-03-04', to: '2026-03-06' }],
      extensionWorkingDays: 2,
      asOf: '2026-03-03',
    });
    // 03-03 (1), paused 04–06, 07–08 weekend, 09 (2), 10 (3) → extension 11 (1), 12 (2)
    expect(r.due).toBe('2026-03-12');
    expect(r.explanation.steps.filter((s: any) => s.kind === 'PAUSED')).toHaveLength(3);
    expect(r.explanation.steps.filter((s: any) => s.kind === 'EXTENSION').map((s: any) => s.date)).toEqual(['2026-03-11', '2026-03-12']);
    expect(r.explanation.summary).toContain('原截止2026-03-10');
  });

  it('an open pause: no due date yet, the days counted so far', async () => {
    const r = await ok({ rule: { kind: 'WORKING_DAYS', days: 15 }, start: '2026-03-02', pauses: [{ from: '2026-03-05' }] });
    expect(r).toMatchObject({ due: null, paused: true, countedSoFar: 2, pausedSince: '2026-03-05' });
  });

  it('CALENDAR_DAYS, with and without rolling forward', async () => {
    const plain = await ok({ rule: { kind: 'CALENDAR_DAYS', days: 5 }, start: '2026-09-26' });
    expect(plain.due).toBe('2026-10-01');
    const rolled = await ok({ rule: { kind: 'CALENDAR_DAYS', days: 5 }, start: '2026-09-26', rollForwardToWorkingDay: true });
    // Day 5 is 10-01 (国庆节, 10-01…10-07 off): rolled to Thursday 10-08.
    expect(rolled.due).toBe('2026-10-08');
  });

  it('HOURS gives the due instant', async () => {
    const r = await ok({ rule: { kind: 'HOURS', hours: 24 }, start: '2026-10-01T09:00:00+08:00' });
    expect(r).toMatchObject({ due: '2026-10-02', dueAt: '2026-10-02T09:00:00+08:00', provisional: false });
    expect(r.explanation.summary).toContain('24小时');
  });

  it('YEARLY_FIXED_DATE and KEEP_CURRENT', async () => {
    const yearly = await ok({ rule: { kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 }, start: '2026-05-01', asOf: '2026-12-01' });
    expect(yearly.due).toBe('2027-01-31');
    expect(yearly.explanation.summary).toContain('截至2026-12-01，距截止日还有61天');
    const keep = await ok({ rule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 }, start: '2026-05-01' });
    expect(keep.due).toBe('2026-05-31');
    const open = await ok({ rule: { kind: 'KEEP_CURRENT' }, start: '2026-05-01' });
    expect(open.due).toBeNull();
    expect(open.explanation.summary).toContain('没有固定截止日');
  });

  it('into an unannounced year: estimated statutory holidays, provisional, the reason says 估算', async () => {
    const r = await ok({ rule: { kind: 'WORKING_DAYS', days: 5 }, start: '2027-02-01' });
    // 02-02 (1), 03 (2), 04 (3), 春节 est. 05–08 (06–07 a weekend anyway), 09 (4), 10 (5)
    expect(r.due).toBe('2027-02-10');
    expect(r.provisional).toBe(true);
    expect(r.reasons[0]).toContain('估算');
    expect(r.reasons[0]).toContain('春节（2027-02-05至2027-02-08）');
    expect(r.explanation.steps.find((s: any) => s.date === '2027-02-05')).toEqual({
      date: '2027-02-05',
      kind: 'SKIPPED_HOLIDAY',
      ordinal: null,
      name: '春节（估算）',
    });
  });

  it('reads administrator entries of the stored calendar', async () => {
    const set = await h.gql(SET, { i: { year: 2027, confirmed: true, entries: [{ date: '2027-02-09', kind: 'HOLIDAY', name: '春节' }] } }, rootAdmin);
    expect(set.errors).toBeUndefined();
    const r = await ok({ rule: { kind: 'WORKING_DAYS', days: 5 }, start: '2027-02-01' });
    // Confirmed 2027 with only 02-09 entered: 02-05 and 02-08 are ordinary weekdays now.
    // 02-02 (1), 03 (2), 04 (3), 05 (4), weekend, 08 (5): the entered 02-09 is not reached.
    expect(r.provisional).toBe(false);
    expect(r.due).toBe('2027-02-08');
    expect(r.explanation.steps.filter((s: any) => s.kind === 'SKIPPED_HOLIDAY')).toEqual([]);
    const later = await ok({ rule: { kind: 'WORKING_DAYS', days: 6 }, start: '2027-02-01' });
    expect(later.due).toBe('2027-02-10');
    expect(later.explanation.steps.filter((s: any) => s.kind === 'SKIPPED_HOLIDAY')).toEqual([
      { date: '2027-02-09', kind: 'SKIPPED_HOLIDAY', ordinal: null, name: '春节' },
    ]);
  });

  it('refuses a self-contradicting rule, naming the field, and writes nothing', async () => {
    const before = await rowCounts();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ rule: { kind: 'WORKING_DAYS', days: 5, month: 3 }, start: '2026-03-02' }, 'input.rule.month'],
      [{ rule: { kind: 'WORKING_DAYS', days: 0 }, start: '2026-03-02' }, 'input.rule.days'],
      [{ rule: { kind: 'HOURS', days: 2 }, start: '2026-03-02T09:00:00+08:00' }, 'input.rule.days'],
      [{ rule: { kind: 'YEARLY_FIXED_DATE', month: 2, day: 30 }, start: '2026-03-02' }, 'input.rule.day'],
      [{ rule: { kind: 'WORKING_DAYS', days: 5 }, start: '2026-03-02', pauses: [{ from: '2026-03-05', to: '2026-03-04' }] }, 'input.pauses[0].to'],
      [{ rule: { kind: 'WORKING_DAYS', days: 5 }, start: '2026-03-02', pauses: [{ from: '2026-03-01', to: '2026-03-04' }] }, 'input.pauses[0].from'],
      [{ rule: { kind: 'HOURS', hours: 24 }, start: '2026-03-02' }, 'input.start'],
      [{ rule: { kind: 'HOURS', hours: 24 }, start: '2026-03-02T09:00:00+08:00', extensionWorkingDays: 3 }, 'input.extensionWorkingDays'],
      [{ rule: { kind: 'KEEP_CURRENT' }, start: '2026-03-02', pauses: [{ from: '2026-03-03', to: '2026-03-04' }] }, 'input.pauses'],
      [{ rule: { kind: 'WORKING_DAYS', days: 5 }, start: '2026-02-30' }, 'input.start'],
      [{ rule: { kind: 'WORKING_DAYS', days: 5 }, start: '2026-03-02', extensionWorkingDays: -1 }, 'input.extensionWorkingDays'],
      [{ rule: { kind: 'WORKING_DAYS', days: 5 }, start: '2026-03-02', rollForwardToWorkingDay: true }, 'input.rollForwardToWorkingDay'],
    ];
    for (const [input, field] of cases) {
      const res = await preview(input);
      expect({ field, code: res.errors?.[0]?.extensions?.code, got: res.errors?.[0]?.extensions?.field }).toEqual({
        field,
        code: 'BAD_USER_INPUT',
        got: field,
      });
      expect(res.errors![0].message.startsWith(`${field}: `)).toBe(true);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('needs a signed-in caller', async () => {
    const res = await h.gql(PREVIEW, { i: { rule: { kind: 'WORKING_DAYS', days: 5 }, start: '2026-03-02' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
