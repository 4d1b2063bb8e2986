import { setFixedToday } from '../../src/modules/calendar/clock';
import { sql } from '../../src/db/sql';
import { startHarness, Role, type Harness } from '../support/harness';
import { catalogueWithItems, publicationApi } from '../support/publication-fixtures';

/**
 * Results of a small tree computed by hand. City c assesses a1 (with a11 below it) and a2 with a
 * 2024 scheme, share 5 %, bonus capped at 3 from a base of 60:
 *
 *   1   公开内容 GROUP 40
 *   1.1   目录覆盖率 COMPUTED CATALOGUE_COVERAGE, PROPORTIONAL, 20
 *   1.2   空白栏目 COMPUTED EMPTY_ITEMS, DEDUCT_PER_COUNT 5 per item, 20
 *   2   任务完成率 COMPUTED TASK_COMPLETION, PROPORTIONAL, 20
 *   3   扣分点按时说明 COMPUTED EXPLANATIONS_ON_TIME, PROPORTIONAL, 10
 *   4   第三方评估 COMPUTED THIRD_PARTY_SCORE, PROPORTIONAL, 20
 *   5   工作机制 MANUAL 10
 *   B1  创新做法 BONUS 5;  V1 失泄密 VETO
 *
 * First half of 2024 (cut-off 2024-06-30, today pinned to 2024-11-20):
 * a1: 4 items, 2 published in the half → 1.1 = 20 × 2/4 = 10, minus an inspection deduction of 3 = 7;
 *     2 empty → 1.2 = 20 − 2 × 5 = 10, an inspection deduction of 15 is capped at 10 → 0; group 1 = 7.
 *     Tasks 3 of 4 done → 2 = 15. Two deduction points, one explained on time, one late → 3 = 10 × 1/2 = 5.
 *     Third party 80 → 4 = 16. Manual 8. Base = 7 + 15 + 5 + 16 + 8 = 51 < 60: the bonus of 4 is withheld.
 *     Score 51, FAIL, contribution 51 × 5 % = 2.55; deductions 3 + 10 = 13.
 * a2: nothing due anywhere → 1 = 40, 2 = 20, 3 = 10; third party 90 → 18; manual 7. Base 95, bonus
 *     4 capped at 3 → 98, EXCELLENT, contribution 4.9.
 * a11: nothing due, no third-party score (full marks but listed as missing), manual not scored (0,
 *     missing), vetoed: before the veto 40 + 20 + 10 + 20 + 0 = 90; score 0, FAIL.
 */
describe('assessment results computed from the figures', () => {
  let h: Harness;
  const t: Record<string, string> = {};
  const id: Record<string, string> = {};
  const result: Record<string, any> = {};

  async function ok(query: string, variables: Record<string, unknown>, token: string) {
    const res = await h.gql(query, variables, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  }
  async function err(query: string, variables: Record<string, unknown>, token: string) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeDefined();
    return res.errors![0]!.extensions as { code: string; field?: string };
  }

  const INDICATORS = [
    { code: '1', name: '公开内容', kind: 'GROUP', weight: 40 },
    { code: '1.1', parentCode: '1', name: '目录覆盖率', kind: 'COMPUTED', weight: 20, metric: 'CATALOGUE_COVERAGE', formula: 'PROPORTIONAL' },
    { code: '1.2', parentCode: '1', name: '空白栏目', kind: 'COMPUTED', weight: 20, metric: 'EMPTY_ITEMS', formula: 'DEDUCT_PER_COUNT', perCount: 5 },
    { code: '2', name: '任务完成率', kind: 'COMPUTED', weight: 20, metric: 'TASK_COMPLETION', formula: 'PROPORTIONAL' },
    { code: '3', name: '扣分点按时说明', kind: 'COMPUTED', weight: 10, metric: 'EXPLANATIONS_ON_TIME', formula: 'PROPORTIONAL' },
    { code: '4', name: '第三方评估', kind: 'COMPUTED', weight: 20, metric: 'THIRD_PARTY_SCORE', formula: 'PROPORTIONAL' },
    { code: '5', name: '工作机制', kind: 'MANUAL', weight: 10 },
    { code: 'B1', name: '创新做法', kind: 'BONUS', weight: 5 },
    { code: 'V1', name: '失泄密', kind: 'VETO', weight: 0 },
  ];
  const SCHEME = { year: 2024, share: 5, bonusCap: 3, bonusThreshold: 60, indicators: INDICATORS };
  const CREATE = `mutation($i: CreateAssessmentSchemeInput!) { createAssessmentScheme(input: $i) { scheme { id version share } } }`;
  const SCORE = `mutation($i: ScoreAssessmentIndicatorInput!) { scoreAssessmentIndicator(input: $i) { entryId points vetoed } }`;
  const RESULT_FIELDS = `id status current score scoreBeforeVeto baseScore bonus deductions vetoed grade share contribution missingManual cutoff
    agency { code } scheme { version } breakdown { code earned deducted deductionsRecorded points rate numerator denominator formula }
    figures { items coveredItems emptyItems tasks tasksDone explanationsDue explainedOnTime explainedLate thirdPartyScore inspectionDeductions }`;
  const COMPUTE = `mutation($i: ComputeAssessmentResultsInput!) { computeAssessmentResults(input: $i) { results { ${RESULT_FIELDS} } } }`;

  beforeAll(async () => {
    setFixedToday('2024-03-01');
    h = await startHarness();
    const api = publicationApi(h);
    await h.tree({ code: 'c', units: ['c-u'], children: [{ code: 'a1', units: ['a1-u', 'a1-v'], children: [{ code: 'a11' }] }, { code: 'a2', units: ['a2-u'] }] });
    for (const a of ['c', 'a1', 'a11', 'a2']) {
      id[a] = (await h.agency(a)).id;
      t[a] = (await h.account({ agency: a, roles: [Role.AGENCY_ADMIN] })).token;
    }
    t.a1Liaison = (await h.account({ agency: 'a1', roles: [Role.UNIT_LIAISON], unit: 'a1-u' })).token;
    t.a1Head = (await h.account({ agency: 'a1', roles: [Role.UNIT_HEAD], unit: 'a1-u' })).token;
    t.a1Leader = (await h.account({ agency: 'a1', roles: [Role.LEADER] })).token;
    t.viewer = (await h.account({ agency: 'c', roles: [Role.SUPERIOR_VIEWER] })).token;

    const scheme = await ok(CREATE, { i: { agencyId: id.c, ...SCHEME } }, t.c!);
    id.scheme = scheme.createAssessmentScheme.scheme.id;

    // a1's catalogue: A and B published in the first half, C and D never.
    const items = (await catalogueWithItems(h, 'a1', 2024, ['A', 'B', 'C', 'D'].map((name) => ({ name, rule: { kind: 'KEEP_CURRENT' as const, maxAgeDays: null } })))).items;
    const tokens = { drafter: t.a1Liaison!, reviewer: t.a1Head!, head: t.a1Head!, leader: t.a1Leader!, publisher: t.a1! };
    await api.walk(tokens, { catalogueItemId: items.A, title: '稿件A', formedOn: '2024-02-20' }, '2024-03-01');
    await api.walk(tokens, { catalogueItemId: items.B, title: '稿件B', formedOn: '2024-02-21' }, '2024-03-01');

    // a1's plan: four tasks, three accepted in the half.
    const plan = await ok(`mutation($i: CreateWorkPlanInput!) { createWorkPlan(input: $i) { plan { id } } }`, { i: { agencyId: id.a1, year: 2024 } }, t.a1!);
    const lead = (await h.unit('a1', 'a1-u')).id;
    const tasks: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      const task = await ok(`mutation($i: AddPlanTaskInput!) { addPlanTask(input: $i) { task { id } } }`, { i: { planId: plan.createWorkPlan.plan.id, requirement: `任务${n}。`, leadUnitIds: [lead] } }, t.a1!);
      tasks.push(task.addPlanTask.task.id);
    }
    id.task4 = tasks[3]!;
    await ok(`mutation($i: UpdateWorkPlanInput!) { updateWorkPlan(input: $i) { plan { id } } }`, { i: { id: plan.createWorkPlan.plan.id, status: 'IN_FORCE' } }, t.a1!);
    for (const task of tasks.slice(0, 3)) {
      await ok(`mutation($i: AcceptPlanTaskInput!) { acceptPlanTask(input: $i) { review { id } } }`, { i: { taskId: task, acceptedOn: '2024-03-01' } }, t.a1!);
    }

    // The mid-year round: scores, and two deduction points for a1 notified on 2024-05-06.
    setFixedToday('2024-05-06');
    const round = await ok(`mutation($i: CreateEvaluationRoundInput!) { createEvaluationRound(input: $i) { round { id } } }`, { i: { agencyId: id.c, year: 2024, kind: 'MID_YEAR', evaluator: '第三方评估公司' } }, t.c!);
    id.round = round.createEvaluationRound.round.id;
    const score = `mutation($i: RecordEvaluationScoreInput!) { recordEvaluationScore(input: $i) { score { id } } }`;
    await ok(score, { i: { roundId: id.round, agencyId: id.a1, score: 80 } }, t.c!);
    await ok(score, { i: { roundId: id.round, agencyId: id.a2, score: 90 } }, t.c!);
    const point = `mutation($i: RecordDeductionPointInput!) { recordDeductionPoint(input: $i) { deductionPoint { id dueOn } } }`;
    const p1 = await ok(point, { i: { roundId: id.round, agencyId: id.a1, indicatorCode: '1.1', points: 2, finding: '政策文件栏目未更新' } }, t.c!);
    const p2 = await ok(point, { i: { roundId: id.round, agencyId: id.a1, indicatorCode: '4', points: 3, finding: '解读材料缺失' } }, t.c!);
    const assign = `mutation($i: AssignDeductionPointInput!) { assignDeductionPoint(input: $i) { deductionPoint { id } } }`;
    const explain = `mutation($i: ExplainDeductionPointInput!) { explainDeductionPoint(input: $i) { deductionPoint { id state } } }`;
    for (const p of [p1, p2]) await ok(assign, { i: { id: p.recordDeductionPoint.deductionPoint.id, unitId: lead } }, t.a1!);
    setFixedToday('2024-05-07');
    await ok(explain, { i: { id: p1.recordDeductionPoint.deductionPoint.id, explanation: '已于次日更新。' } }, t.a1Liaison!);

    // Inspections of a1 by c in the first half: 3 against 1.1, 15 against 1.2 (its weight is 20).
    setFixedToday('2024-06-10');
    await ok(
      `mutation($i: RecordInspectionInput!) { recordInspection(input: $i) { inspection { id } } }`,
      { i: { agencyId: id.a1, inspectedOn: '2024-06-10', findings: [{ indicatorCode: '1.1', points: 3, finding: '目录未覆盖' }, { indicatorCode: '1.2', points: 15, finding: '多个栏目空白' }] } },
      t.c!,
    );

    setFixedToday('2024-11-20');
    await ok(explain, { i: { id: p2.recordDeductionPoint.deductionPoint.id, explanation: '逾期补交说明。' } }, t.a1Liaison!);
    const entry = (agencyId: string, indicatorCode: string, extra: Record<string, unknown>) =>
      ok(SCORE, { i: { schemeId: id.scheme, agencyId, period: 'FIRST_HALF', indicatorCode, note: '', ...extra } }, t.c!);
    await entry(id.a1!, '5', { points: 8 });
    await entry(id.a1!, 'B1', { points: 4 });
    await entry(id.a2!, '5', { points: 7 });
    await entry(id.a2!, 'B1', { points: 4 });
    await entry(id.a11!, 'V1', { vetoed: true, note: '发生失泄密事件' });

    const computed = await ok(COMPUTE, { i: { schemeId: id.scheme, period: 'FIRST_HALF' } }, t.c!);
    for (const r of computed.computeAssessmentResults.results) result[r.agency.code] = r;
  }, 120_000);
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  const points = (r: any) => Object.fromEntries(r.breakdown.map((o: any) => [o.code, o.points]));

  it('computes a1 by hand: capped deduction, bonus withheld below the threshold, contribution at 5 %', () => {
    const r = result.a1;
    expect(r.cutoff).toBe('2024-06-30');
    expect(r.figures).toMatchObject({ items: 4, coveredItems: 2, emptyItems: 2, tasks: 4, tasksDone: 3, explanationsDue: 2, explainedOnTime: 1, explainedLate: 1, thirdPartyScore: 80, inspectionDeductions: 18 });
    expect(points(r)).toMatchObject({ '1': 7, '1.1': 7, '1.2': 0, '2': 15, '3': 5, '4': 16, '5': 8 });
    const d12 = r.breakdown.find((o: any) => o.code === '1.2');
    expect(d12).toMatchObject({ earned: 10, deducted: 10, deductionsRecorded: 15 });
    expect(r).toMatchObject({ baseScore: 51, bonus: 0, deductions: 13, vetoed: false, score: 51, grade: 'FAIL', share: 5, contribution: 2.55, missingManual: [] });
    expect(r.scheme.version).toBe(1);
  });

  it('computes a2 by hand: full marks when nothing was due, bonus capped', () => {
    const r = result.a2;
    expect(points(r)).toMatchObject({ '1': 40, '2': 20, '3': 10, '4': 18, '5': 7 });
    expect(r.breakdown.find((o: any) => o.code === '2').rate).toBeNull();
    expect(r).toMatchObject({ baseScore: 95, bonus: 3, score: 98, grade: 'EXCELLENT', contribution: 4.9 });
  });

  it('computes a11 by hand: a veto fails the result; missing data is listed and blocks finalising', async () => {
    const r = result.a11;
    expect(r).toMatchObject({ vetoed: true, scoreBeforeVeto: 90, score: 0, grade: 'FAIL', contribution: 0 });
    expect(r.missingManual.sort()).toEqual(['4', '5']);
    const e = await err(`mutation($i: AssessmentResultIdInput!) { finaliseAssessmentResult(input: $i) { result { id } } }`, { i: { id: r.id } }, t.c!);
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id' });
  });

  it('the roll-up of c: ranks its children, sums subtrees from counts, and equals a recount from the raw rows', async () => {
    const FIG = `tasks tasksDone taskCompletionRate items coveredItems emptyItems explanationsDue explainedLate explanationsOpen
      scores { results mean min max excellent good pass fail vetoed meanContribution }`;
    const data = await ok(`query($f: AssessmentRollupFilter!) { assessmentRollup(filter: $f) { assessorId
      root { agency { code } own { ${FIG} } subtree { ${FIG} } } children { rank agency { code } own { ${FIG} } subtree { ${FIG} } } } }`, { f: { year: 2024, period: 'FIRST_HALF' } }, t.viewer!);
    const rollup = data.assessmentRollup;
    expect(rollup.assessorId).toBe(id.c);
    expect(rollup.children.map((c: any) => [c.agency.code, c.rank])).toEqual([['a2', 1], ['a1', 2]]);
    const a1 = rollup.children.find((c: any) => c.agency.code === 'a1');
    expect(a1.subtree.scores).toMatchObject({ results: 2, mean: 25.5, min: 0, max: 51, fail: 2, vetoed: 1, excellent: 0 });
    const root = rollup.root.subtree;
    expect(root.scores).toMatchObject({ results: 3, mean: 49.67, min: 0, max: 98, excellent: 1, fail: 2 });
    expect(root).toMatchObject({ tasks: 4, tasksDone: 3, taskCompletionRate: 0.75, items: 4, coveredItems: 2, emptyItems: 2, explanationsDue: 2, explainedLate: 1 });
    // the parent's subtree = its own + its children's subtrees (counts, not rates)
    for (const key of ['tasks', 'tasksDone', 'items', 'coveredItems', 'explanationsDue', 'explainedLate']) {
      expect(root[key]).toBe(rollup.root.own[key] + rollup.children.reduce((s: number, c: any) => s + c.subtree[key], 0));
    }
    // … and a recount from the raw rows
    const [raw] = await sql<{ tasks: string; done: string; points: string; results: string; score_sum: string }>(
      h.em(),
      `select (select count(*) from plan_task) as tasks, (select count(*) from plan_task where accepted_on is not null) as done,
              (select count(*) from deduction_point) as points,
              (select count(*) from assessment_result where current and period = 'FIRST_HALF') as results,
              (select sum(score) from assessment_result where current and period = 'FIRST_HALF') as score_sum`,
    );
    expect(root.tasks).toBe(Number(raw!.tasks));
    expect(root.tasksDone).toBe(Number(raw!.done));
    expect(root.explanationsDue).toBe(Number(raw!.points));
    expect(root.scores.results).toBe(Number(raw!.results));
    expect(root.scores.mean).toBeCloseTo(Number(raw!.score_sum) / Number(raw!.results), 2);
  });

  it('a finalised result is frozen: no recomputation in place, no new entry, later data does not move it; verification shows the drift', async () => {
    const FIN = `mutation($i: AssessmentResultIdInput!) { finaliseAssessmentResult(input: $i) { result { id status } } }`;
    expect((await ok(FIN, { i: { id: result.a1.id } }, t.c!)).finaliseAssessmentResult.result.status).toBe('FINAL');
    expect(await err(FIN, { i: { id: result.a1.id } }, t.c!)).toMatchObject({ code: 'CONFLICT' });
    expect(await err(`mutation($i: AssessmentResultIdInput!) { recomputeAssessmentResult(input: $i) { result { id } } }`, { i: { id: result.a1.id } }, t.c!)).toMatchObject({ code: 'CONFLICT', field: 'input.id' });
    expect(await err(COMPUTE, { i: { schemeId: id.scheme, period: 'FIRST_HALF' } }, t.c!)).toMatchObject({ code: 'CONFLICT', field: 'input.agencyIds' });
    expect(await err(SCORE, { i: { schemeId: id.scheme, agencyId: id.a1, period: 'FIRST_HALF', indicatorCode: '5', points: 10 } }, t.c!)).toMatchObject({ code: 'CONFLICT' });

    // The fourth task is accepted as done in the half, after the result was finalised.
    await ok(`mutation($i: AcceptPlanTaskInput!) { acceptPlanTask(input: $i) { review { id } } }`, { i: { taskId: id.task4, acceptedOn: '2024-06-01' } }, t.a1!);
    const again = await ok(`query($id: ID!) { assessmentResult(id: $id) { score status } verifyAssessmentResult(id: $id) { same recomputedScore differences } }`, { id: result.a1.id }, t.c!);
    expect(again.assessmentResult).toEqual({ score: 51, status: 'FINAL' });
    expect(again.verifyAssessmentResult).toEqual({ same: false, recomputedScore: 56, differences: ['2', 'SCORE'] });

    // Other agencies can still be recomputed: a new result, the old one kept and no longer current.
    const re = await ok(`mutation($i: AssessmentResultIdInput!) { recomputeAssessmentResult(input: $i) { result { id current score } } }`, { i: { id: result.a2.id } }, t.c!);
    expect(re.recomputeAssessmentResult.result).toMatchObject({ current: true, score: 98 });
    const old = await ok(`query($id: ID!) { assessmentResult(id: $id) { current } }`, { id: result.a2.id }, t.c!);
    expect(old.assessmentResult.current).toBe(false);
  });

  it('a revision makes a new version; results keep naming the version they used', async () => {
    const REVISE = `mutation($i: ReviseAssessmentSchemeInput!) { reviseAssessmentScheme(input: $i) { scheme { id version changeNote } } }`;
    const v2 = await ok(REVISE, { i: { schemeId: id.scheme, changeNote: '占比提高到6%', ...SCHEME, share: 6, year: undefined } }, t.c!);
    expect(v2.reviseAssessmentScheme.scheme.version).toBe(2);
    expect(await err(REVISE, { i: { schemeId: id.scheme, changeNote: '再改', ...SCHEME, year: undefined } }, t.c!)).toMatchObject({ code: 'CONFLICT', field: 'input.schemeId' });
    expect(await err(COMPUTE, { i: { schemeId: id.scheme, period: 'YEAR' } }, t.c!)).toMatchObject({ code: 'CONFLICT', field: 'input.schemeId' });
    const r = await ok(`query($id: ID!) { assessmentResult(id: $id) { scheme { version } share } }`, { id: result.a1.id }, t.c!);
    expect(r.assessmentResult).toEqual({ scheme: { version: 1 }, share: 5 });
    // the assessed agency reads the scheme it is assessed by, although the assessing agency is above it
    const seen = await ok(`query($id: ID!) { assessmentScheme(id: $id) { version agency { code } indicators { code formulaText } } }`, { id: v2.reviseAssessmentScheme.scheme.id }, t.a1!);
    expect(seen.assessmentScheme.agency).toBeNull();
    expect(seen.assessmentScheme.indicators.find((i: any) => i.code === '1.2').formulaText).toContain('每项扣5分');
  });

  it('bad input: a share below 4 % or above 100 %, weights that do not add up, points above the weight; nothing written', async () => {
    const before = await sql<{ n: string }>(h.em(), 'select count(*) as n from assessment_scheme');
    const create = (patch: Record<string, unknown>) => err(CREATE, { i: { agencyId: id.a1, ...SCHEME, ...patch } }, t.a1!);
    expect(await create({ share: 3.9 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.share' });
    expect(await create({ share: 100.5 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.share' });
    const wrong = INDICATORS.map((i) => (i.code === '1.2' ? { ...i, weight: 15 } : i));
    expect((await create({ indicators: wrong })).field).toMatch(/^input\.indicators/);
    const after = await sql<{ n: string }>(h.em(), 'select count(*) as n from assessment_scheme');
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(await err(SCORE, { i: { schemeId: id.scheme, agencyId: id.a2, period: 'YEAR', indicatorCode: '5', points: 11 } }, t.c!)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.points' });
    expect(await err(SCORE, { i: { schemeId: id.scheme, agencyId: id.a2, period: 'YEAR', indicatorCode: 'V1', vetoed: true, note: '' } }, t.c!)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.note' });
    expect(await err(SCORE, { i: { schemeId: id.scheme, agencyId: id.a2, period: 'YEAR', indicatorCode: '2', points: 5 } }, t.c!)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.indicatorCode' });
  });

  it('tenancy: a sibling sees neither results nor roll-up of another; an assessed agency cannot compute or score', async () => {
    expect(await err(`query($id: ID!) { assessmentResult(id: $id) { id } }`, { id: result.a1.id }, t.a2!)).toMatchObject({ code: 'NOT_FOUND' });
    const list = await ok(`{ assessmentResults(first: 50, filter: { year: 2024, currentOnly: false }) { totalCount edges { node { agency { code } } } } }`, {}, t.a2!);
    expect(new Set(list.assessmentResults.edges.map((e: any) => e.node.agency.code))).toEqual(new Set(['a2']));
    expect(await err(`query($f: AssessmentRollupFilter!) { assessmentRollup(filter: $f) { assessorId } }`, { f: { year: 2024, period: 'FIRST_HALF', agencyId: id.a1 } }, t.a2!)).toMatchObject({ code: 'NOT_FOUND' });
    const own = await ok(`query($f: AssessmentRollupFilter!) { assessmentRollup(filter: $f) { root { agency { code } subtree { scores { results } } } children { agency { code } } } }`, { f: { year: 2024, period: 'FIRST_HALF' } }, t.a2!);
    expect(own.assessmentRollup.root.agency.code).toBe('a2');
    expect(own.assessmentRollup.root.subtree.scores.results).toBe(1);
    expect(await err(COMPUTE, { i: { schemeId: id.scheme, period: 'YEAR' } }, t.a1!)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await err(SCORE, { i: { schemeId: id.scheme, agencyId: id.a11, period: 'YEAR', indicatorCode: '5', points: 10 } }, t.a1!)).toMatchObject({ code: 'FORBIDDEN' });
    // the ranking export of a1's subtree holds a1 and a11 only
    const file = await ok(`query($f: AssessmentRollupFilter!) { exportAssessmentRanking(filter: $f) { filename itemCount base64 } }`, { f: { year: 2024, period: 'FIRST_HALF' } }, t.a1!);
    expect(file.exportAssessmentRanking.itemCount).toBe(2);
  });

  it('exports the ranking table: rank, agency, score, the top-level indicators, bonus, deductions, veto, contribution', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const file = await ok(`query($f: AssessmentRollupFilter!) { exportAssessmentRanking(filter: $f) { filename itemCount base64 } }`, { f: { year: 2024, period: 'FIRST_HALF' } }, t.c!);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.exportAssessmentRanking.base64, 'base64') as never);
    const ws = wb.worksheets[0]!;
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)));
    expect(row(2).slice(0, 4)).toEqual(['名次', '单位', '政务公开得分', '等次']);
    expect(row(2)).toContain('1 公开内容（40分）');
    expect(row(3).slice(0, 4)).toEqual(['1', '机关 a2', '98.00', '优秀']);
    expect(row(4).slice(0, 4)).toEqual(['2', '机关 a1', '51.00', '不合格']);
    expect(row(5).slice(0, 4)).toEqual(['3', '机关 a11', '0.00', '不合格']);
  });
});
