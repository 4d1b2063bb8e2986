import { setFixedToday } from '../../src/modules/calendar/clock';
import { sql } from '../../src/db/sql';
import { startHarness, Role, type Harness, type TreeSpec } from '../support/harness';

const FIGURES = 'received answered answeredOnTime answeredLate open overdue clockStopped extended onTimeRate repliedInYear byOutcome { outcome count }';
const ROLLUP = `{ requestRollup(filter: { year: 2024 }) { year asOf rows { agency { code name } own { ${FIGURES} } subtree { ${FIGURES} } } } }`;
const SUB_ROLLUP = `query($id: ID!) { requestRollup(filter: { year: 2024, agencyId: $id }) { rows { agency { code } subtree { received overdue } } } }`;

/** A root with `n - 1` children. */
function tree(prefix: string, n: number): TreeSpec {
  return { code: `${prefix}-root`, children: Array.from({ length: n - 1 }, (_, i) => ({ code: `${prefix}-${i}` })) };
}

/**
 * The request roll-up takes the same statements for a tree of 10 agencies and of 1,000: it reads the
 * maintained request figures per agency, never the requests.
 */
describe('statement count of the request roll-up', () => {
  let h: Harness;
  const tokens: Record<string, string> = {};

  /**
   * Four requests per child (SQL as the owner, one statement: the figure trigger runs once for all):
   * answered on time (予以公开); extended and answered late (不予公开·第三方); open and past its due
   * date (overdue as of 2024-11-20); open with its clock stopped (a consultation running).
   */
  async function fill(prefix: string) {
    await h.em().transactional(async (tx) => {
      await sql(
        tx as never,
        `insert into info_request (id, agency_id, year, number, channel, applicant_type, applicant_name, content, submitted_on, received_on,
                                   registered_by, due_on, replied_on, outcome, extension_days)
         select gen_random_uuid(), a.id, 2024, 'YSQ-2024-000' || k, 'ONLINE', 'NATURAL_PERSON', '王某', '申请公开出入境证件办理时限', r.received_on, r.received_on,
                'sql', r.due_on, r.replied_on, r.outcome::request_outcome, r.extension_days
           from agency a
           cross join (values (1, date '2024-03-01', date '2024-03-29', date '2024-03-20', 'DISCLOSED', null::int),
                              (2, date '2024-05-06', date '2024-06-17', date '2024-06-20', 'WITHHELD_THIRD_PARTY', 10),
                              (3, date '2024-10-08', date '2024-11-05', null, null, null),
                              (4, date '2024-11-11', null, null, null, null))
                  as r(k, received_on, due_on, replied_on, outcome, extension_days)
          where a.code like ? and a.code <> ?`,
        [`${prefix}-%`, `${prefix}-root`],
      );
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

  const statements = (query: string, prefix: string, variables: Record<string, unknown> = {}) => h.counted(query, variables, tokens[prefix]);

  it('requestRollup: 10 agencies and 1,000 agencies take the same statements; the totals are right', async () => {
    const small = await statements(ROLLUP, 'small');
    const large = await statements(ROLLUP, 'large');
    expect(small.data.requestRollup.rows).toHaveLength(10);
    expect(large.data.requestRollup.rows).toHaveLength(1000);
    // Per child: 4 received, 2 answered (1 on time, 1 late), 2 open (1 overdue, 1 with its clock stopped), 1 extended.
    const perChild = {
      received: 4, answered: 2, answeredOnTime: 1, answeredLate: 1, open: 2, overdue: 1, clockStopped: 1, extended: 1,
      onTimeRate: 1 / 3, repliedInYear: 2,
      byOutcome: [{ outcome: 'DISCLOSED', count: 1 }, { outcome: 'WITHHELD_THIRD_PARTY', count: 1 }],
    };
    const times = (n: number) => ({
      received: 4 * n, answered: 2 * n, answeredOnTime: n, answeredLate: n, open: 2 * n, overdue: n, clockStopped: n, extended: n,
      onTimeRate: 1 / 3, repliedInYear: 2 * n,
      byOutcome: [{ outcome: 'DISCLOSED', count: n }, { outcome: 'WITHHELD_THIRD_PARTY', count: n }],
    });
    const [root, ...children] = large.data.requestRollup.rows;
    expect(root.agency.code).toBe('large-root');
    expect(root.own).toEqual({ ...times(0), onTimeRate: null, byOutcome: [] });
    expect(root.subtree).toEqual(times(999));
    expect(small.data.requestRollup.rows[0].subtree).toEqual(times(9));
    for (const child of children) {
      expect(child.own).toEqual(perChild);
      expect(child.subtree).toEqual(perChild);
    }
    expect(large.sql).toBe(small.sql);
    // principal + scope, one roll-up statement, one batched agency load
    expect(large.sql).toBeLessThanOrEqual(4);
  });

  it('a roll-up rooted at a child takes the same statements in both trees', async () => {
    const ids = await sql<{ code: string; id: string }>(h.em(), `select code, id from agency where code in ('small-3', 'large-500')`);
    const id = (code: string) => ids.find((r) => r.code === code)!.id;
    const small = await statements(SUB_ROLLUP, 'small', { id: id('small-3') });
    const large = await statements(SUB_ROLLUP, 'large', { id: id('large-500') });
    expect(small.data.requestRollup.rows).toEqual([{ agency: { code: 'small-3' }, subtree: { received: 4, overdue: 1 } }]);
    expect(large.data.requestRollup.rows).toEqual([{ agency: { code: 'large-500' }, subtree: { received: 4, overdue: 1 } }]);
    expect(large.sql).toBe(small.sql);
  });
});
