import { sql } from '../../src/db/sql';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { assertCanRecordRound } from '../../src/modules/assessment/evaluation.service';
import type { RequestContext } from '../../src/graphql/context';
import { startHarness, Role, type Harness } from '../support/harness';

const SCHEME = `mutation($i: CreateAssessmentSchemeInput!) { createAssessmentScheme(input: $i) { scheme { id version } } }`;
const REVISE = `mutation($i: ReviseAssessmentSchemeInput!) { reviseAssessmentScheme(input: $i) { scheme { id version } } }`;
const CREATE = `mutation($i: CreateEvaluationRoundInput!) { createEvaluationRound(input: $i) { round { id title kind year status evaluator explanationDays agencyId agency { code } } } }`;
const CLOSE = `mutation($i: CloseEvaluationRoundInput!) { closeEvaluationRound(input: $i) { round { id status } } }`;
const SCORE = `mutation($i: RecordEvaluationScoreInput!) { recordEvaluationScore(input: $i) { score { id score note recordedBy agency { code } round { id } } } }`;
const POINT_FIELDS = `id year indicatorCode points finding evidenceUrl notifiedOn dueOn explanation explainedOn explainedBy recordedBy state
  agency { code } unit { code } round { id kind }`;
const RECORD = `mutation($i: RecordDeductionPointInput!) { recordDeductionPoint(input: $i) { deductionPoint { ${POINT_FIELDS} } } }`;
const ASSIGN = `mutation($i: AssignDeductionPointInput!) { assignDeductionPoint(input: $i) { deductionPoint { id unit { code } } } }`;
const EXPLAIN = `mutation($i: ExplainDeductionPointInput!) { explainDeductionPoint(input: $i) { deductionPoint { ${POINT_FIELDS} } } }`;
const DELETE = `mutation($i: DeleteDeductionPointInput!) { deleteDeductionPoint(input: $i) { deletedId round { id } } }`;
const POINT = `query($id: ID!) { deductionPoint(id: $id) { ${POINT_FIELDS} } }`;
const POINTS = `query($f: DeductionPointFilter, $first: Int, $after: String) { deductionPoints(filter: $f, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id dueOn state agency { code } unit { code } round { kind } } } } }`;
const FIGS = 'total answeredOnTime answeredLate open overdue';
const COUNTS = `query($f: ExplanationCountsFilter!) { explanationCounts(filter: $f) { agencyId agency { code } ${FIGS} subtree { ${FIGS} } } }`;

/**
 * Third-party evaluation rounds on a small tree: province p → city c (organises the round) → a1, a2;
 * p → x (outside c's subtree). Round lifecycle, scores, deduction points against the latest version
 * of c's scheme, assignment and written explanations, working-day due dates across the 2024 National
 * Day holiday, explanation counts from the maintained figures, and tenancy between siblings.
 */
describe('third-party evaluation rounds, deduction points and explanations', () => {
  let h: Harness;
  const tok: Record<string, string> = {};
  const id: Record<string, string> = {};

  async function ok(query: string, variables: Record<string, unknown>, token: string) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data!;
  }
  async function fails(query: string, variables: Record<string, unknown>, token: string) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeDefined();
    expect(res.data === null || Object.values(res.data).every((v) => v === null)).toBe(true);
    return res.errors![0]! as { message: string; extensions: Record<string, any> };
  }
  const record = async (input: Record<string, unknown>, token = tok.c!) =>
    (await ok(RECORD, { i: { roundId: id.round, ...input } }, token)).recordDeductionPoint.deductionPoint;
  const pointRows = async () =>
    Number((await sql<{ n: string }>(h.em(), 'select count(*) as n from deduction_point'))[0]!.n);

  beforeAll(async () => {
    setFixedToday('2024-10-14');
    h = await startHarness();
    await h.tree([
      {
        code: 'p',
        units: ['p-u'],
        children: [
          { code: 'c', units: ['c-u'], children: [{ code: 'a1', units: ['a1-u1', 'a1-u2'] }, { code: 'a2', units: ['a2-u'] }] },
          { code: 'x', units: ['x-u'] },
        ],
      },
    ]);
    for (const a of ['p', 'c', 'a1', 'a2', 'x']) {
      id[a] = (await h.agency(a)).id;
      tok[a] = (await h.account({ agency: a, roles: [Role.AGENCY_ADMIN] })).token;
    }
    tok.u1 = (await h.account({ agency: 'a1', roles: [Role.UNIT_LIAISON], unit: 'a1-u1', username: 'a1.liaison1' })).token;
    tok.u2 = (await h.account({ agency: 'a1', roles: [Role.UNIT_LIAISON], unit: 'a1-u2', username: 'a1.liaison2' })).token;
    tok.cView = (await h.account({ agency: 'c', roles: [Role.SUPERIOR_VIEWER] })).token;
    for (const [agency, unit] of [['a1', 'a1-u1'], ['a1', 'a1-u2'], ['a2', 'a2-u']] as const) id[unit] = (await h.unit(agency, unit)).id;
    // c's 2024 scheme: 1 公开平台 (group of 1.1 and 1.2) 60, 2 政策解读 40.
    const scheme = await ok(
      SCHEME,
      {
        i: {
          agencyId: id.c,
          year: 2024,
          share: 5,
          indicators: [
            { code: '1', name: '公开平台', kind: 'GROUP', weight: 60 },
            { code: '1.1', parentCode: '1', name: '栏目完整', kind: 'MANUAL', weight: 40 },
            { code: '1.2', parentCode: '1', name: '更新及时', kind: 'MANUAL', weight: 20 },
            { code: '2', name: '政策解读', kind: 'MANUAL', weight: 40 },
          ],
        },
      },
      tok.c!,
    );
    id.scheme = scheme.createAssessmentScheme.scheme.id;
  }, 120_000);
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  describe('rounds', () => {
    it('an administrator of the organising agency creates a round; the title defaults; one per agency, year and kind', async () => {
      const r = (await ok(CREATE, { i: { agencyId: id.c, year: 2024, kind: 'MID_YEAR', evaluator: '某某评估公司' } }, tok.c!)).createEvaluationRound.round;
      expect(r).toMatchObject({ title: '机关 c2024年年中政务公开第三方评估', kind: 'MID_YEAR', year: 2024, status: 'OPEN', explanationDays: 5, agencyId: id.c, agency: { code: 'c' } });
      id.round = r.id;
      const dup = await fails(CREATE, { i: { agencyId: id.c, year: 2024, kind: 'MID_YEAR', evaluator: '另一家' } }, tok.p!);
      expect([dup.extensions.code, dup.extensions.field]).toEqual(['CONFLICT', 'input.kind']);
      // an agency below, a read-only viewer, an empty evaluator, a day count out of range
      expect((await fails(CREATE, { i: { agencyId: id.c, year: 2024, kind: 'YEAR_END', evaluator: 'x' } }, tok.a1!)).extensions.code).toBe('NOT_FOUND');
      expect((await fails(CREATE, { i: { agencyId: id.c, year: 2024, kind: 'YEAR_END', evaluator: 'x' } }, tok.cView!)).extensions.code).toBe('FORBIDDEN');
      const empty = await fails(CREATE, { i: { agencyId: id.c, year: 2024, kind: 'YEAR_END', evaluator: '  ' } }, tok.c!);
      expect([empty.extensions.code, empty.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.evaluator']);
      const days = await fails(CREATE, { i: { agencyId: id.c, year: 2024, kind: 'YEAR_END', evaluator: 'x', explanationDays: 61 } }, tok.c!);
      expect([days.extensions.code, days.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.explanationDays']);
    });

    it('rounds are readable below the organising agency (its agency shows as null there), not beside it', async () => {
      const fromA1 = await ok(`{ evaluationRounds(first: 10) { totalCount edges { node { id agencyId agency { code } } } } }`, {}, tok.a1!);
      expect(fromA1.evaluationRounds.edges.map((e: any) => e.node)).toEqual([{ id: id.round, agencyId: id.c, agency: null }]);
      const filtered = await ok(`query($f: EvaluationRoundFilter) { evaluationRounds(filter: $f) { totalCount } }`, { f: { agencyId: id.c, year: 2024 } }, tok.a1!);
      expect(filtered.evaluationRounds.totalCount).toBe(1);
      expect((await ok(`query($f: EvaluationRoundFilter) { evaluationRounds(filter: $f) { totalCount } }`, { f: { year: 2023 } }, tok.a1!)).evaluationRounds.totalCount).toBe(0);
      expect((await fails(`query($id: ID!) { evaluationRound(id: $id) { id } }`, { id: id.round }, tok.x!)).extensions.code).toBe('NOT_FOUND');
      expect((await ok(`{ evaluationRounds { totalCount } }`, {}, tok.x!)).evaluationRounds.totalCount).toBe(0);
    });

    it('closing: only the organiser (or above), once; a closed round takes no more entries', async () => {
      const r = (await ok(CREATE, { i: { agencyId: id.c, year: 2024, kind: 'YEAR_END', evaluator: '某某评估公司', explanationDays: 10 } }, tok.c!)).createEvaluationRound.round;
      expect((await fails(CLOSE, { i: { id: r.id } }, tok.a1!)).extensions.code).toBe('FORBIDDEN');
      expect((await ok(CLOSE, { i: { id: r.id } }, tok.p!)).closeEvaluationRound.round.status).toBe('CLOSED');
      const again = await fails(CLOSE, { i: { id: r.id } }, tok.c!);
      expect([again.extensions.code, again.extensions.field]).toEqual(['CONFLICT', 'input.id']);
      const score = await fails(SCORE, { i: { roundId: r.id, agencyId: id.a1, score: 80 } }, tok.c!);
      expect([score.extensions.code, score.extensions.field]).toEqual(['CONFLICT', 'input.roundId']);
      const point = await fails(RECORD, { i: { roundId: r.id, agencyId: id.a1, indicatorCode: '2', points: 1, finding: 'x' } }, tok.c!);
      expect([point.extensions.code, point.extensions.field]).toEqual(['CONFLICT', 'input.roundId']);
      expect(await pointRows()).toBe(0);
    });
  });

  describe('scores', () => {
    it('records and replaces an agency’s score; 0–100 only; only for agencies strictly below the organiser', async () => {
      const first = (await ok(SCORE, { i: { roundId: id.round, agencyId: id.a1, score: 85.5, note: '较好' } }, tok.c!)).recordEvaluationScore.score;
      expect(first).toMatchObject({ score: 85.5, note: '较好', agency: { code: 'a1' }, round: { id: id.round } });
      const second = (await ok(SCORE, { i: { roundId: id.round, agencyId: id.a1, score: 90 } }, tok.p!)).recordEvaluationScore.score;
      expect(second).toMatchObject({ id: first.id, score: 90, note: '较好' });
      await ok(SCORE, { i: { roundId: id.round, agencyId: id.a2, score: 70 } }, tok.c!);
      for (const score of [100.01, -1]) {
        const e = await fails(SCORE, { i: { roundId: id.round, agencyId: id.a1, score } }, tok.c!);
        expect([e.extensions.code, e.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.score']);
      }
      const self = await fails(SCORE, { i: { roundId: id.round, agencyId: id.c, score: 50 } }, tok.c!);
      expect([self.extensions.code, self.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.agencyId']);
      // x lies outside the round's subtree: the province sees it and is told so; the city cannot see it at all
      const outside = await fails(SCORE, { i: { roundId: id.round, agencyId: id.x, score: 50 } }, tok.p!);
      expect([outside.extensions.code, outside.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.agencyId']);
      expect((await fails(SCORE, { i: { roundId: id.round, agencyId: id.x, score: 50 } }, tok.c!)).extensions.code).toBe('NOT_FOUND');
      // the evaluated agency cannot score itself
      expect((await fails(SCORE, { i: { roundId: id.round, agencyId: id.a1, score: 100 } }, tok.a1!)).extensions.code).toBe('FORBIDDEN');
      const round = await ok(`query($id: ID!) { evaluationRound(id: $id) { scores { score agency { code } recordedBy } } }`, { id: id.round }, tok.c!);
      expect(round.evaluationRound.scores.map((s: any) => [s.agency.code, s.score])).toEqual([['a1', 90], ['a2', 70]]);
    });
  });

  describe('deduction points', () => {
    it('a deduction above the indicator’s weight is refused and nothing is written', async () => {
      const e = await fails(RECORD, { i: { roundId: id.round, agencyId: id.a1, indicatorCode: '1.2', points: 20.5, finding: '栏目长期未更新' } }, tok.c!);
      expect([e.extensions.code, e.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.points']);
      expect(e.message).toContain('扣分不得超过该指标分值');
      for (const points of [0, -2]) {
        const z = await fails(RECORD, { i: { roundId: id.round, agencyId: id.a1, indicatorCode: '1.2', points, finding: 'x' } }, tok.c!);
        expect([z.extensions.code, z.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.points']);
      }
      expect(await pointRows()).toBe(0);
      expect(await sql(h.em(), 'select * from figure_explanation_agency')).toEqual([]);
    });

    it('unknown indicator codes, agencies outside the subtree, bad URLs and future dates are refused, naming the field', async () => {
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ agencyId: id.a1, indicatorCode: '9', points: 1, finding: 'x' }, 'BAD_USER_INPUT', 'input.indicatorCode'],
        [{ agencyId: id.c, indicatorCode: '2', points: 1, finding: 'x' }, 'BAD_USER_INPUT', 'input.agencyId'],
        [{ agencyId: id.a1, indicatorCode: '2', points: 1, finding: ' ' }, 'BAD_USER_INPUT', 'input.finding'],
        [{ agencyId: id.a1, indicatorCode: '2', points: 1, finding: 'x', evidenceUrl: 'javascript:alert(1)' }, 'BAD_USER_INPUT', 'input.evidenceUrl'],
        [{ agencyId: id.a1, indicatorCode: '2', points: 1, finding: 'x', notifiedOn: '2024-10-15' }, 'BAD_USER_INPUT', 'input.notifiedOn'],
      ];
      for (const [input, code, field] of cases) {
        const e = await fails(RECORD, { i: { roundId: id.round, ...input } }, tok.c!);
        expect([field, e.extensions.code, e.extensions.field]).toEqual([field, code, field]);
      }
      const outside = await fails(RECORD, { i: { roundId: id.round, agencyId: id.x, indicatorCode: '2', points: 1, finding: 'x' } }, tok.p!);
      expect([outside.extensions.code, outside.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.agencyId']);
      // the evaluated agency, a sibling and a liaison record nothing
      for (const t of [tok.a1!, tok.a2!, tok.u1!]) {
        expect((await fails(RECORD, { i: { roundId: id.round, agencyId: id.a1, indicatorCode: '2', points: 1, finding: 'x' } }, t)).extensions.code).toBe('FORBIDDEN');
      }
      expect(await pointRows()).toBe(0);
    });

    it('codes come from the LATEST version of the organiser’s scheme', async () => {
      const v2 = await ok(
        REVISE,
        {
          i: {
            schemeId: id.scheme,
            changeNote: '政策解读并入公开平台',
            share: 5,
            indicators: [
              { code: '1', name: '公开平台', kind: 'GROUP', weight: 100 },
              { code: '1.1', parentCode: '1', name: '栏目完整', kind: 'MANUAL', weight: 40 },
              { code: '1.2', parentCode: '1', name: '更新及时', kind: 'MANUAL', weight: 20 },
              { code: '1.3', parentCode: '1', name: '政策解读', kind: 'MANUAL', weight: 40 },
            ],
          },
        },
        tok.c!,
      );
      expect(v2.reviseAssessmentScheme.scheme.version).toBe(2);
      const gone = await fails(RECORD, { i: { roundId: id.round, agencyId: id.a1, indicatorCode: '2', points: 1, finding: 'x' } }, tok.c!);
      expect([gone.extensions.code, gone.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.indicatorCode']);
      expect(await pointRows()).toBe(0);
    });

    it('the due date counts working days across National Day 2024: notified 27 Sep + 5 working days = 10 Oct', async () => {
      // Fri 27 Sep → Sun 29 Sep (make-up working day) 1, Mon 30 Sep 2, 1–7 Oct holiday, 8 Oct 3, 9 Oct 4, 10 Oct 5.
      const p1 = await record({ agencyId: id.a1, indicatorCode: '1.2', points: 2, finding: '“政策解读”栏目三个月未更新', evidenceUrl: 'https://example.gov.cn/jd', notifiedOn: '2024-09-27' });
      expect(p1).toMatchObject({
        year: 2024,
        indicatorCode: '1.2',
        points: 2,
        notifiedOn: '2024-09-27',
        dueOn: '2024-10-10',
        evidenceUrl: 'https://example.gov.cn/jd',
        recordedBy: expect.stringContaining('c.'),
        explanation: null,
        unit: null,
        state: 'OVERDUE',
        agency: { code: 'a1' },
        round: { id: id.round, kind: 'MID_YEAR' },
      });
      id.p1 = p1.id;
      // Tue 8 Oct → 9, 10, 11, Sat 12 Oct (make-up working day), Mon 14 Oct.
      const p5 = await record({ agencyId: id.a2, indicatorCode: '1.1', points: 1.5, finding: '机构职能栏目缺失', notifiedOn: '2024-10-08' });
      expect([p5.dueOn, p5.state]).toEqual(['2024-10-14', 'OPEN']);
      id.p5 = p5.id;
      // Mon 2 Sep → Mon 9 Sep; and today (14 Oct, the default) → Mon 21 Oct.
      id.p3 = (await record({ agencyId: id.a1, indicatorCode: '1.3', points: 3, finding: '解读材料缺失', notifiedOn: '2024-09-02' })).id;
      const p2 = await record({ agencyId: id.a1, indicatorCode: '1.1', points: 1, finding: '公开指南未更新' });
      expect([p2.notifiedOn, p2.dueOn, p2.state]).toEqual(['2024-10-14', '2024-10-21', 'OPEN']);
      id.p2 = p2.id;
      const p3 = await ok(POINT, { id: id.p3 }, tok.a1!);
      expect([p3.deductionPoint.dueOn, p3.deductionPoint.state]).toEqual(['2024-09-09', 'OVERDUE']);
    });

    it('a point recorded in error is removed by the organiser; an explained one is kept', async () => {
      const extra = await record({ agencyId: id.a1, indicatorCode: '1.1', points: 1, finding: '误录' });
      expect((await fails(DELETE, { i: { id: extra.id } }, tok.a1!)).extensions.code).toBe('FORBIDDEN');
      const del = await ok(DELETE, { i: { id: extra.id } }, tok.c!);
      expect(del.deleteDeductionPoint).toEqual({ deletedId: extra.id, round: { id: id.round } });
      expect((await fails(POINT, { id: extra.id }, tok.c!)).extensions.code).toBe('NOT_FOUND');
      expect(await pointRows()).toBe(4);
    });
  });

  describe('responsible unit and explanation', () => {
    it('the evaluated agency’s office assigns a unit of its own; nobody else does', async () => {
      expect((await ok(ASSIGN, { i: { id: id.p1, unitId: id['a1-u1'] } }, tok.a1!)).assignDeductionPoint.deductionPoint.unit).toEqual({ code: 'a1-u1' });
      // above the evaluated agency is allowed too
      await ok(ASSIGN, { i: { id: id.p2, unitId: id['a1-u1'] } }, tok.c!);
      const foreign = await fails(ASSIGN, { i: { id: id.p1, unitId: id['a2-u'] } }, tok.c!);
      expect([foreign.extensions.code, foreign.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.unitId']);
      expect((await fails(ASSIGN, { i: { id: id.p1, unitId: id['a1-u2'] } }, tok.u1!)).extensions.code).toBe('FORBIDDEN');
      expect((await fails(ASSIGN, { i: { id: id.p1, unitId: id['a2-u'] } }, tok.a2!)).extensions.code).toBe('NOT_FOUND');
    });

    it('only the assigned unit’s liaison explains; another unit’s liaison is FORBIDDEN; unassigned points wait for an assignment', async () => {
      const other = await fails(EXPLAIN, { i: { id: id.p1, explanation: '我们来说明' } }, tok.u2!);
      expect(other.extensions.code).toBe('FORBIDDEN');
      expect(other.message).toContain('单位 a1-u1');
      expect((await fails(EXPLAIN, { i: { id: id.p3, explanation: '尚未指定' } }, tok.u1!)).extensions.code).toBe('FORBIDDEN');
      const empty = await fails(EXPLAIN, { i: { id: id.p1, explanation: '  ' } }, tok.u1!);
      expect([empty.extensions.code, empty.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.explanation']);
      // the organiser above cannot write the evaluated agency's explanation
      expect((await fails(EXPLAIN, { i: { id: id.p1, explanation: '代为说明' } }, tok.c!)).extensions.code).toBe('FORBIDDEN');
    });

    it('an explanation after the due date counts as ANSWERED_LATE; a second one is a CONFLICT', async () => {
      const late = (await ok(EXPLAIN, { i: { id: id.p1, explanation: '已安排专人每周更新' } }, tok.u1!)).explainDeductionPoint.deductionPoint;
      expect(late).toMatchObject({ explanation: '已安排专人每周更新', explainedOn: '2024-10-14', explainedBy: 'a1.liaison1', dueOn: '2024-10-10', state: 'ANSWERED_LATE' });
      const twice = await fails(EXPLAIN, { i: { id: id.p1, explanation: '再说一次' } }, tok.u1!);
      expect([twice.extensions.code, twice.extensions.field]).toEqual(['CONFLICT', 'input.id']);
      expect((await fails(DELETE, { i: { id: id.p1 } }, tok.c!)).extensions.code).toBe('CONFLICT');
      expect((await fails(ASSIGN, { i: { id: id.p1, unitId: id['a1-u2'] } }, tok.a1!)).extensions.code).toBe('CONFLICT');

      setFixedToday('2024-10-15');
      const onTime = (await ok(EXPLAIN, { i: { id: id.p2, explanation: '已更新公开指南' } }, tok.u1!)).explainDeductionPoint.deductionPoint;
      expect([onTime.explainedOn, onTime.state]).toEqual(['2024-10-15', 'ANSWERED_ON_TIME']);
      setFixedToday('2024-10-18');
      id.p4 = (await record({ agencyId: id.a2, indicatorCode: '1.2', points: 0.5, finding: '动态信息更新不及时' })).id;
    });
  });

  describe('lists and counts', () => {
    beforeAll(() => setFixedToday('2024-10-20'));

    it('deductionPoints filters by round, agency, unit and state, page by page', async () => {
      const all = await ok(POINTS, { f: { roundId: id.round }, first: 2 }, tok.c!);
      expect(all.deductionPoints.totalCount).toBe(5);
      expect(all.deductionPoints.pageInfo.hasNextPage).toBe(true);
      const rest = await ok(POINTS, { f: { roundId: id.round }, first: 10, after: all.deductionPoints.pageInfo.endCursor }, tok.c!);
      const dues = [...all.deductionPoints.edges, ...rest.deductionPoints.edges].map((e: any) => e.node.dueOn);
      expect(dues).toEqual(['2024-09-09', '2024-10-10', '2024-10-14', '2024-10-21', '2024-10-25']);
      const states = async (f: Record<string, unknown>) =>
        (await ok(POINTS, { f }, tok.c!)).deductionPoints.edges.map((e: any) => [e.node.agency.code, e.node.dueOn, e.node.state]);
      expect(await states({ state: 'OVERDUE' })).toEqual([['a1', '2024-09-09', 'OVERDUE'], ['a2', '2024-10-14', 'OVERDUE']]);
      expect(await states({ state: 'OPEN' })).toEqual([['a2', '2024-10-25', 'OPEN']]);
      expect(await states({ state: 'ANSWERED_LATE' })).toEqual([['a1', '2024-10-10', 'ANSWERED_LATE']]);
      expect(await states({ state: 'ANSWERED_ON_TIME' })).toEqual([['a1', '2024-10-21', 'ANSWERED_ON_TIME']]);
      expect(await states({ agencyId: id.a2 })).toEqual([['a2', '2024-10-14', 'OVERDUE'], ['a2', '2024-10-25', 'OPEN']]);
      expect((await states({ unitId: id['a1-u1'] })).map((r: any) => r[1])).toEqual(['2024-10-10', '2024-10-21']);
    });

    it('explanationCounts match the hand count and a recount from the points, read from the maintained figures', async () => {
      const res = await h.gql(COUNTS, { f: { year: 2024 } }, tok.p!);
      expect(res.errors).toBeUndefined();
      const rows = Object.fromEntries(res.data!.explanationCounts.map((r: any) => [r.agency.code, r]));
      const fig = (total: number, answeredOnTime: number, answeredLate: number, open: number, overdue: number) => ({ total, answeredOnTime, answeredLate, open, overdue });
      expect(Object.keys(rows)).toEqual(['p', 'c', 'x', 'a1', 'a2']);
      expect(rows.a1).toMatchObject({ ...fig(3, 1, 1, 0, 1), subtree: fig(3, 1, 1, 0, 1) });
      expect(rows.a2).toMatchObject({ ...fig(2, 0, 0, 1, 1), subtree: fig(2, 0, 0, 1, 1) });
      expect(rows.c).toMatchObject({ ...fig(0, 0, 0, 0, 0), subtree: fig(5, 1, 1, 1, 2) });
      expect(rows.p!.subtree).toEqual(fig(5, 1, 1, 1, 2));
      expect(rows.x!.subtree).toEqual(fig(0, 0, 0, 0, 0));
      // principal + scope, the one counting statement, one batched agency load
      expect(Number(res.headers.get('x-sql-statements'))).toBeGreaterThan(0);
      expect(Number(res.headers.get('x-sql-statements'))).toBeLessThanOrEqual(4);

      const recount = await sql<{ code: string; total: string; on_time: string; late: string; open: string; overdue: string }>(
        h.em(),
        `select a.code, count(*) as total, count(*) filter (where d.explained_on <= d.due_on) as on_time,
                count(*) filter (where d.explained_on > d.due_on) as late,
                count(*) filter (where d.explained_on is null and d.due_on >= date '2024-10-20') as open,
                count(*) filter (where d.explained_on is null and d.due_on < date '2024-10-20') as overdue
           from deduction_point d join agency a on a.id = d.agency_id where d.year = 2024 group by a.code order by a.code`,
      );
      for (const r of recount) {
        expect([r.code, rows[r.code]!.total, rows[r.code]!.answeredOnTime, rows[r.code]!.answeredLate, rows[r.code]!.open, rows[r.code]!.overdue]).toEqual([
          r.code, Number(r.total), Number(r.on_time), Number(r.late), Number(r.open), Number(r.overdue),
        ]);
      }
      // the maintained table equals its reference view
      const drift = await sql(h.em(), `(table figure_explanation_agency except table figure_explanation_agency_reference)
        union all (table figure_explanation_agency_reference except table figure_explanation_agency)`);
      expect(drift).toEqual([]);
      // a subtree root of the caller's choice
      const a1 = await ok(COUNTS, { f: { year: 2024, agencyId: id.a1 } }, tok.c!);
      expect(a1.explanationCounts.map((r: any) => r.agency.code)).toEqual(['a1']);
      expect((await ok(COUNTS, { f: { year: 2023 } }, tok.c!)).explanationCounts[0].subtree.total).toBe(0);
    });

    it('a round’s nested scores and points take the same statements for few points or many', async () => {
      const ROUND = `query($id: ID!) { evaluationRound(id: $id) { scores { score agency { code } round { title } }
        deductionPoints(first: 100) { totalCount edges { node { state agency { code } unit { name } round { kind } } } } } }`;
      const before = await h.gql(ROUND, { id: id.round }, tok.c!);
      expect(before.errors).toBeUndefined();
      for (let i = 0; i < 6; i++) await record({ agencyId: i % 2 ? id.a1 : id.a2, indicatorCode: '1.1', points: 1, finding: `批量 ${i}` });
      const after = await h.gql(ROUND, { id: id.round }, tok.c!);
      expect(after.data!.evaluationRound.deductionPoints.totalCount).toBe(11);
      expect(Number(before.headers.get('x-sql-statements'))).toBeGreaterThan(0);
      expect(after.headers.get('x-sql-statements')).toBe(before.headers.get('x-sql-statements'));
      for (const e of after.data!.evaluationRound.deductionPoints.edges.filter((x: any) => x.node.state === 'OPEN')) expect(e.node.round.kind).toBe('MID_YEAR');
      await sql(h.em(), `delete from deduction_point where finding like '批量 %'`);
    });
  });

  describe('tenancy', () => {
    it('a sibling agency cannot see another’s deduction points or scores: by id, in lists, nested fields or counts', async () => {
      expect((await fails(POINT, { id: id.p1 }, tok.a2!)).extensions.code).toBe('NOT_FOUND');
      const list = await ok(POINTS, { f: {} }, tok.a2!);
      expect(list.deductionPoints.edges.map((e: any) => e.node.agency.code)).toEqual(['a2', 'a2']);
      expect((await fails(POINTS, { f: { agencyId: id.a1 } }, tok.a2!)).extensions.code).toBe('NOT_FOUND');
      const nested = await ok(`query($id: ID!) { evaluationRound(id: $id) { scores { agency { code } } deductionPoints { totalCount edges { node { agency { code } } } } } }`, { id: id.round }, tok.a2!);
      expect(nested.evaluationRound.scores).toEqual([{ agency: { code: 'a2' } }]);
      expect(nested.evaluationRound.deductionPoints.totalCount).toBe(2);
      expect(JSON.stringify(nested)).not.toContain('a1');
      const counts = await ok(COUNTS, { f: { year: 2024 } }, tok.a2!);
      expect(counts.explanationCounts.map((r: any) => [r.agency.code, r.total])).toEqual([['a2', 2]]);
      expect((await fails(COUNTS, { f: { year: 2024, agencyId: id.a1 } }, tok.a2!)).extensions.code).toBe('NOT_FOUND');
      // x, outside the organiser's subtree, sees neither the round nor any point
      expect((await ok(POINTS, { f: {} }, tok.x!)).deductionPoints.totalCount).toBe(0);
    });

    it('a sibling agency cannot change another’s deduction points, and nothing changes', async () => {
      const attempts: Array<[string, Record<string, unknown>]> = [
        [ASSIGN, { id: id.p3, unitId: id['a2-u'] }],
        [EXPLAIN, { id: id.p3, explanation: '篡改' }],
        [DELETE, { id: id.p3 }],
      ];
      for (const [m, i] of attempts) expect((await fails(m, { i }, tok.a2!)).extensions.code).toBe('NOT_FOUND');
      const after = await ok(POINT, { id: id.p3 }, tok.a1!);
      expect(after.deductionPoint).toMatchObject({ unit: null, explanation: null, state: 'OVERDUE' });
    });
  });
  describe('evaluator tokens', () => {
    const ISSUE = `mutation($i: IssueEvaluatorTokenInput!) { issueEvaluatorToken(input: $i) { token } }`;
    const issue = async (roundId: string, permission: string, label: string) =>
      (await ok(ISSUE, { i: { roundId, permission, label, validUntil: new Date(Date.now() + 86_400_000).toISOString() } }, tok.c!)).issueEvaluatorToken.token as string;

    it('a RECORD token of the round records scores and points under its label; a READ token or another round’s token records nothing', async () => {
      const recorder = await issue(id.round, 'RECORD', '某某评估公司 王五');
      const point = (await ok(RECORD, { i: { roundId: id.round, agencyId: id.a1, indicatorCode: '1.2', points: 1, finding: '评估员录入' } }, recorder))
        .recordDeductionPoint.deductionPoint;
      expect(point).toMatchObject({ recordedBy: '某某评估公司 王五', agency: { code: 'a1' }, dueOn: '2024-10-25' });
      const score = (await ok(SCORE, { i: { roundId: id.round, agencyId: id.a2, score: 75 } }, recorder)).recordEvaluationScore.score;
      expect(score).toMatchObject({ score: 75, recordedBy: '某某评估公司 王五' });
      const over = await fails(RECORD, { i: { roundId: id.round, agencyId: id.a1, indicatorCode: '1.2', points: 21, finding: 'x' } }, recorder);
      expect([over.extensions.code, over.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.points']);
      // it cannot explain, assign or close
      expect((await fails(EXPLAIN, { i: { id: point.id, explanation: 'x' } }, recorder)).extensions.code).toBe('FORBIDDEN');
      expect((await fails(CLOSE, { i: { id: id.round } }, recorder)).extensions.code).toBe('FORBIDDEN');
      expect((await ok(DELETE, { i: { id: point.id } }, recorder)).deleteDeductionPoint.deletedId).toBe(point.id);

      const reader = await issue(id.round, 'READ', '某某评估公司 赵六');
      expect((await fails(RECORD, { i: { roundId: id.round, agencyId: id.a1, indicatorCode: '1.2', points: 1, finding: 'x' } }, reader)).extensions.code).toBe('FORBIDDEN');
      expect((await fails(SCORE, { i: { roundId: id.round, agencyId: id.a1, score: 1 } }, reader)).extensions.code).toBe('FORBIDDEN');
      const other = await ok(CREATE, { i: { agencyId: id.c, year: 2025, kind: 'MID_YEAR', evaluator: '另一家' } }, tok.c!);
      const otherToken = await issue(other.createEvaluationRound.round.id, 'RECORD', '另一家 孙七');
      expect((await fails(RECORD, { i: { roundId: id.round, agencyId: id.a1, indicatorCode: '1.2', points: 1, finding: 'x' } }, otherToken)).extensions.code).toMatch(
        /FORBIDDEN|NOT_FOUND/,
      );
      // the reader sees its round's points, which the token of another round does not
      expect((await ok(POINTS, { f: { roundId: id.round } }, reader)).deductionPoints.totalCount).toBe(5);
      expect((await ok(POINTS, { f: {} }, otherToken)).deductionPoints.totalCount).toBe(0);
    });
  });
});

/** The recording rule for evaluator tokens (the token module sets `principal.evaluatorToken`). */
describe('assertCanRecordRound with an evaluator token', () => {
  const round = { id: '00000000-0000-4000-8000-000000000001', agency: { id: '00000000-0000-4000-8000-000000000002' } };
  const ctxWith = (token: Record<string, unknown> | undefined) =>
    ({
      principal: {
        accountId: 'a',
        username: 'eval.2024',
        agencyId: round.agency.id,
        agencyPath: 'x',
        roles: [Role.EVALUATOR],
        unitId: null,
        readOnly: true,
        evaluatorToken: token,
      },
      loaders: { agency: { byId: { load: async () => null } } },
    }) as unknown as RequestContext;

  it('a RECORD token of this round records under its label; a READ token or another round’s token is FORBIDDEN', async () => {
    await expect(assertCanRecordRound(ctxWith({ id: 't', roundId: round.id, permission: 'RECORD', label: '某评估公司-张三' }), round)).resolves.toEqual({
      recordedBy: '某评估公司-张三',
    });
    await expect(assertCanRecordRound(ctxWith({ id: 't', roundId: round.id, permission: 'READ', label: 'x' }), round)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(
      assertCanRecordRound(ctxWith({ id: 't', roundId: '00000000-0000-4000-8000-000000000003', permission: 'RECORD', label: 'x' }), round),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    // an evaluator account without a token is no administrator
    await expect(assertCanRecordRound(ctxWith(undefined), round)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});
