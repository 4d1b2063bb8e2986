import { compareFiguresWithReference } from '../../src/figures/figure-check';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { startHarness, Role, type Harness } from '../support/harness';

const TODAY = '2026-11-12';
const Q = {
  scheme: `mutation($i: CreateAssessmentSchemeInput!) { createAssessmentScheme(input: $i) { scheme { id } } }`,
  round: `mutation($i: CreateEvaluationRoundInput!) { createEvaluationRound(input: $i) { round { id } } }`,
  record: `mutation($i: RecordDeductionPointInput!) { recordDeductionPoint(input: $i) { deductionPoint { id dueOn } } }`,
  explain: `mutation($i: ExplainDeductionPointInput!) { explainDeductionPoint(input: $i) { deductionPoint { id explainedOn dueOn } } }`,
  point: `query($id: ID!) { deductionPoint(id: $id) { dueOn explainedOn state } }`,
  set: `mutation($i: SetCalendarEntriesInput!) { setCalendarEntries(input: $i) { change { affectedYears recomputed changed } } }`,
  remove: `mutation($i: RemoveCalendarEntryInput!) { removeCalendarEntry(input: $i) { change { recomputed changed } } }`,
};

const INDICATORS = [
  { code: '1', name: '公开内容', kind: 'MANUAL', weight: 60 },
  { code: '2', name: '工作机制', kind: 'MANUAL', weight: 40 },
];

/**
 * A deduction point's explanation is due a number of working days after it was notified. When the
 * calendar operator corrects the calendar, the system moves the due date of every point not yet
 * explained — in every tenant — as it does for publications and information requests; explained
 * points keep the date they were judged by, and the explanation figures follow.
 */
describe('explanation due dates after a calendar correction', () => {
  let h: Harness;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const ok = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await h.gql(query, variables, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  };

  beforeAll(async () => {
    setFixedToday(TODAY);
    h = await startHarness();
    await h.tree([
      { code: 'prov', children: [{ code: 'city' }] },
      { code: 'other', children: [{ code: 'county' }] },
    ]);
    for (const code of ['prov', 'city', 'other', 'county']) {
      ids[code] = (await h.agency(code)).id;
      t[code] = (await h.account({ agency: code, roles: [Role.AGENCY_ADMIN], username: `${code}.admin`, calendarOperator: code === 'prov' })).token;
    }
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  async function roundOf(root: 'prov' | 'other'): Promise<string> {
    await ok(Q.scheme, { i: { agencyId: ids[root], year: 2026, share: 5, bonusCap: 3, bonusThreshold: 60, indicators: INDICATORS } }, t[root]!);
    const r = await ok(Q.round, { i: { agencyId: ids[root], year: 2026, kind: 'YEAR_END', evaluator: '第三方评估公司', explanationDays: 5 } }, t[root]!);
    return r.createEvaluationRound.round.id;
  }

  it('moves open explanations in every tenant, keeps explained ones, and keeps the figures right', async () => {
    const provRound = await roundOf('prov');
    const otherRound = await roundOf('other');
    const record = async (round: string, root: 'prov' | 'other', agency: string) =>
      (await ok(Q.record, { i: { roundId: round, agencyId: ids[agency], indicatorCode: '1', points: 1, finding: '栏目更新不及时', notifiedOn: '2026-11-10' } }, t[root]!))
        .recordDeductionPoint.deductionPoint;
    // Notified Tuesday 10 November; five working days: 11, 12, 13, 16, 17 November.
    const open = await record(provRound, 'prov', 'city');
    const explained = await record(provRound, 'prov', 'city');
    const elsewhere = await record(otherRound, 'other', 'county');
    for (const p of [open, explained, elsewhere]) expect(p.dueOn).toBe('2026-11-17');
    await ok(Q.explain, { i: { id: explained.id, explanation: '已整改' } }, t.city!);

    // Monday 16 November declared a day off after the fact: the open ones are due a day later.
    const set = await ok(Q.set, { i: { year: 2026, entries: [{ date: '2026-11-16', kind: 'HOLIDAY', name: '临时放假' }], confirmed: true, note: '更正' } }, t.prov!);
    expect(set.setCalendarEntries.change).toMatchObject({ affectedYears: [2026] });
    expect(await ok(Q.point, { id: open.id }, t.city!)).toEqual({ deductionPoint: { dueOn: '2026-11-18', explainedOn: null, state: 'OPEN' } });
    expect((await ok(Q.point, { id: elsewhere.id }, t.county!)).deductionPoint.dueOn).toBe('2026-11-18');
    expect((await ok(Q.point, { id: explained.id }, t.city!)).deductionPoint).toMatchObject({ dueOn: '2026-11-17', explainedOn: TODAY });
    expect(await compareFiguresWithReference(h.em())).toEqual([]);
    // The change's own record counts the caller's agencies: the province sees its open point moved.
    expect(set.setCalendarEntries.change.changed).toBeGreaterThanOrEqual(1);

    // and back
    await ok(Q.remove, { i: { date: '2026-11-16' } }, t.prov!);
    expect((await ok(Q.point, { id: open.id }, t.city!)).deductionPoint.dueOn).toBe('2026-11-17');
    expect((await ok(Q.point, { id: elsewhere.id }, t.county!)).deductionPoint.dueOn).toBe('2026-11-17');
    expect(await compareFiguresWithReference(h.em())).toEqual([]);
  });
});
