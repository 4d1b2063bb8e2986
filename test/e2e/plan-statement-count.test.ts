import { setFixedToday } from '../../src/modules/calendar/clock';
import { sql } from '../../src/db/sql';
import { startHarness, Role, type Harness, type TreeSpec } from '../support/harness';

const FIGURES = 'tasks done due doneOnTime doneLate overdue periodsEnded periodsMet occurrences lateOccurrences doneRate onTimeRate periodMetRate';
const ROLLUP = `{ completionRollup(filter: { year: 2024 }) { rows { agency { code name } own { ${FIGURES} } subtree { ${FIGURES} } } } }`;
const PLANS = `{ workPlans(first: 100, filter: { year: 2024 }) { totalCount edges { node { title agency { code }
  headings { number title }
  statusCounts { status count }
  matrix { unit { name } leads { number } supports { number } leadCounts { status count } }
  tasks(first: 100) { totalCount edges { node { number title timingKind leadUnits { name } cooperatingUnits { name }
    status { status currentPeriod { key count } periods { key state } } progress { text unit { name } evidence { title } } reviews { decision }
    copies { agency { code } status { status } } carriedFrom { number } } } }
} } } }`;

/** A tree of `n` agencies under one root: a root with `n - 1` children. */
function tree(prefix: string, n: number): TreeSpec {
  return { code: `${prefix}-root`, units: [`${prefix}-root-u`], children: Array.from({ length: n - 1 }, (_, i) => ({ code: `${prefix}-${i}`, units: [`${prefix}-${i}-u`] })) };
}

/**
 * The completion roll-up and a page of plans with every nested field take the same statements
 * for a tree of 10 agencies and of 1,000, and for few tasks or many.
 */
describe('statement count of plan queries', () => {
  let h: Harness;
  const tokens: Record<string, string> = {};

  /** Every agency of the tree gets a 2024 plan with `perAgency` tasks of mixed timing, progress and a decision (SQL as the owner; triggers keep the figures). */
  async function fill(prefix: string, perAgency: number) {
    const em = h.em();
    await em.transactional(async (tx) => {
      await sql(tx as never, `insert into work_plan (id, agency_id, year, kind, title)
        select gen_random_uuid(), a.id, 2024, 'DIVISION', a.code || ' 2024' from agency a where a.code like ?`, [`${prefix}-%`]);
      await sql(tx as never, `insert into plan_task (id, plan_id, agency_id, position, number, title, requirement, timing_kind, due_on, recurrence, minimum_count, accepted_on)
        select gen_random_uuid(), w.id, w.agency_id, k, k::text, '任务' || k, '要求' || k,
               (case k % 3 when 0 then 'DUE_DATE' when 1 then 'RECURRING' else 'NONE' end)::task_timing_kind,
               case when k % 3 = 0 then date '2024-03-01' + k * 10 end,
               case when k % 3 = 1 then 'HALF_YEARLY'::task_recurrence end,
               case when k % 3 = 1 then 1 end,
               case when k % 4 = 0 then date '2024-06-01' end
          from work_plan w join agency a on a.id = w.agency_id cross join generate_series(1, ?) k where a.code like ?`, [perAgency, `${prefix}-%`]);
      await sql(tx as never, `insert into plan_task_unit (task_id, unit_id, agency_id, role, position)
        select t.id, u.id, t.agency_id, 'LEAD', 1 from plan_task t join unit u on u.agency_id = t.agency_id join agency a on a.id = t.agency_id where a.code like ?`, [`${prefix}-%`]);
      await sql(tx as never, `insert into task_progress (id, task_id, agency_id, unit_id, happened_on, counts, text, reported_by)
        select gen_random_uuid(), t.id, t.agency_id, u.unit_id, date '2024-02-01', t.timing_kind = 'RECURRING', '进展', 'x'
          from plan_task t join plan_task_unit u on u.task_id = t.id join agency a on a.id = t.agency_id where a.code like ?`, [`${prefix}-%`]);
      await sql(tx as never, `insert into task_review (id, task_id, agency_id, decision, decided_on, decided_by)
        select gen_random_uuid(), t.id, t.agency_id, 'ACCEPTED', t.accepted_on, 'x' from plan_task t join agency a on a.id = t.agency_id
         where t.accepted_on is not null and a.code like ?`, [`${prefix}-%`]);
    });
    tokens[prefix] = (await h.account({ agency: `${prefix}-root`, roles: [Role.SUPERIOR_VIEWER] })).token;
  }

  beforeAll(async () => {
    setFixedToday('2024-11-20');
    h = await startHarness();
    await h.tree([tree('small', 10), tree('large', 1000)]);
    await fill('small', 3);
    await fill('large', 12);
  }, 240_000);
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  const statements = (query: string, prefix: string) => h.counted(query, {}, tokens[prefix]);

  it('completionRollup: 10 agencies and 1,000 agencies take the same statements', async () => {
    const small = await statements(ROLLUP, 'small');
    const large = await statements(ROLLUP, 'large');
    expect(small.data.completionRollup.rows).toHaveLength(10);
    expect(large.data.completionRollup.rows).toHaveLength(1000);
    expect(large.data.completionRollup.rows[0].subtree.tasks).toBe(12_000);
    expect(large.data.completionRollup.rows[0].subtree.done).toBe(3_000);
    expect(large.sql).toBe(small.sql);
    // principal + scope, one roll-up statement, one batched agency load
    expect(large.sql).toBeLessThanOrEqual(4);
  });

  it('a page of plans with every nested field takes the same statements for 3 or 12 tasks per plan and 10 or 100 plans', async () => {
    const small = await statements(PLANS, 'small');
    const large = await statements(PLANS, 'large');
    expect(small.data.workPlans.totalCount).toBe(10);
    expect(large.data.workPlans.edges).toHaveLength(100);
    expect(large.data.workPlans.edges[0].node.tasks.totalCount).toBe(12);
    expect(large.sql).toBe(small.sql);
    expect(large.sql).toBeLessThanOrEqual(20);
  });
});
