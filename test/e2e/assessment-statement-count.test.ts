import { setFixedToday } from '../../src/modules/calendar/clock';
import { sql } from '../../src/db/sql';
import { startHarness, Role, type Harness, type TreeSpec } from '../support/harness';

const SUMMARY = 'results mean min max excellent good pass fail vetoed finalised meanContribution';
const FIGURES = `tasks tasksDone tasksOverdue taskCompletionRate items coveredItems staleItems emptyItems onTime late overduePublications onTimeRate
  explanationsDue explanationsOpen explanationsOverdue explainedLate scores { ${SUMMARY} }`;
const ROLLUP = `{ assessmentRollup(filter: { year: 2024, period: YEAR }) { assessorId
  root { agency { code } own { ${FIGURES} } subtree { ${FIGURES} } }
  children { rank agency { code name } own { ${FIGURES} } subtree { ${FIGURES} } } } }`;
const RESULTS = `{ assessmentResults(first: 100, filter: { year: 2024 }) { totalCount edges { node { score grade contribution
  agency { code } scheme { version indicators { code formulaText } } breakdown { code points } figures { items tasks } } } } }`;

/** A root with `n - 1` children. */
function tree(prefix: string, n: number): TreeSpec {
  return { code: `${prefix}-root`, children: Array.from({ length: n - 1 }, (_, i) => ({ code: `${prefix}-${i}` })) };
}

/**
 * The assessment roll-up and a page of results with nested fields take the same statements for a
 * tree of 10 agencies and of 1,000: figures are read per agency from maintained tables, never per row.
 */
describe('statement count of assessment queries', () => {
  let h: Harness;
  const tokens: Record<string, string> = {};

  /** A scheme of the root, a current result and two deduction points per child (SQL as the owner). */
  async function fill(prefix: string) {
    const em = h.em();
    await em.transactional(async (tx) => {
      await sql(tx as never, `insert into assessment_scheme (id, agency_id, year, version, title, share, created_by)
        select gen_random_uuid(), a.id, 2024, 1, a.code || ' 方案', 5, 'x' from agency a where a.code = ?`, [`${prefix}-root`]);
      await sql(tx as never, `insert into assessment_indicator (id, scheme_id, agency_id, code, position, name, kind, weight)
        select gen_random_uuid(), s.id, s.agency_id, '1', 0, '工作机制', 'MANUAL', 100 from assessment_scheme s join agency a on a.id = s.agency_id where a.code = ?`, [`${prefix}-root`]);
      await sql(tx as never, `insert into evaluation_round (id, agency_id, year, kind, title, evaluator)
        select gen_random_uuid(), a.id, 2024, 'MID_YEAR', '年中评估', '评估公司' from agency a where a.code = ?`, [`${prefix}-root`]);
      await sql(tx as never, `insert into assessment_result (id, agency_id, assessor_id, scheme_id, year, period, cutoff, base_score, bonus, deductions,
          vetoed, score_before_veto, score, grade, share, contribution, breakdown, inputs, computed_by)
        select gen_random_uuid(), a.id, s.agency_id, s.id, 2024, 'YEAR', '2024-11-20', 60 + (k % 40), 0, 0, false, 60 + (k % 40), 60 + (k % 40),
               (case when 60 + (k % 40) >= 90 then 'EXCELLENT' when 60 + (k % 40) >= 80 then 'GOOD' else 'PASS' end)::grade, 5, (60 + (k % 40)) * 0.05,
               jsonb_build_array(jsonb_build_object('code', '1', 'points', 60 + (k % 40))), jsonb_build_object('figures', jsonb_build_object('items', 0, 'tasks', 0)), 'x'
          from (select a.*, row_number() over (order by a.code) as k from agency a where a.code like ? and a.code <> ?) a
          cross join (select s.* from assessment_scheme s join agency r on r.id = s.agency_id where r.code = ?) s`,
        [`${prefix}-%`, `${prefix}-root`, `${prefix}-root`]);
      await sql(tx as never, `insert into deduction_point (id, round_id, agency_id, year, indicator_code, points, finding, notified_on, due_on, recorded_by)
        select gen_random_uuid(), r.id, a.id, 2024, '1', 1, '栏目空白', date '2024-07-01', date '2024-07-08' + (k % 2) * 200, 'x'
          from agency a cross join generate_series(1, 2) k
          cross join (select r.* from evaluation_round r join agency x on x.id = r.agency_id where x.code = ?) r
         where a.code like ? and a.code <> ?`, [`${prefix}-root`, `${prefix}-%`, `${prefix}-root`]);
    });
    tokens[prefix] = (await h.account({ agency: `${prefix}-root`, roles: [Role.SUPERIOR_VIEWER] })).token;
  }

  beforeAll(async () => {
    setFixedToday('2024-11-20');
    h = await startHarness();
    await h.tree([tree('small', 10), tree('large', 1000)]);
    await fill('small');
    await fill('large');
  }, 240_000);
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  const statements = (query: string, prefix: string) => h.counted(query, {}, tokens[prefix]);

  it('assessmentRollup: 10 agencies and 1,000 agencies take the same statements', async () => {
    const small = await statements(ROLLUP, 'small');
    const large = await statements(ROLLUP, 'large');
    expect(small.data.assessmentRollup.children).toHaveLength(9);
    expect(large.data.assessmentRollup.children).toHaveLength(999);
    const root = large.data.assessmentRollup.root.subtree;
    expect(root.scores.results).toBe(999);
    // Per child one point due 2024-07-08 (open, past due) and one due 2025-01-24 (outside the period).
    expect(root.explanationsDue).toBe(999);
    expect(root.explanationsOverdue).toBe(999);
    expect(large.data.assessmentRollup.children[0].rank).toBe(1);
    expect(large.sql).toBe(small.sql);
    // principal + scope, the assessor, three roll-up statements, one batched agency load
    expect(large.sql).toBeLessThanOrEqual(7);
  });

  it('a page of results with nested fields takes the same statements for 9 and 999 results', async () => {
    const small = await statements(RESULTS, 'small');
    const large = await statements(RESULTS, 'large');
    expect(small.data.assessmentResults.totalCount).toBe(9);
    expect(large.data.assessmentResults.totalCount).toBe(999);
    expect(large.data.assessmentResults.edges).toHaveLength(100);
    expect(large.sql).toBe(small.sql);
  });
});
