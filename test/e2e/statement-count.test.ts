import { startHarness, Role, type Harness, type TreeSpec } from '../support/harness';

const NESTED = `{
  agencies(first: 100) {
    edges { node {
      code parent { code }
      children(first: 50) { totalCount edges { node { code units(first: 20) { totalCount edges { node { code agency { code } } } } } } }
      units(first: 20) { edges { node { code } } }
    } }
  }
}`;

function tree(prefix: string, branches: number, unitsPerBranch: number): TreeSpec {
  return {
    code: `${prefix}-city`,
    units: [`${prefix}-city-u`],
    children: Array.from({ length: branches }, (_, b) => ({
      code: `${prefix}-b${b}`,
      units: Array.from({ length: unitsPerBranch }, (_, u) => `${prefix}-b${b}-u${u}`),
      children: [{ code: `${prefix}-b${b}-s`, units: [`${prefix}-b${b}-s-u`] }],
    })),
  };
}

/**
 * The number of SQL statements of a nested list query must depend on the query's shape only.
 * The count comes from the ORM logger (every statement of the request, raw SQL included).
 */
describe('statement count of nested queries', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.tree([tree('small', 2, 1), tree('large', 12, 6)]);
  });
  afterAll(() => h.close());

  async function statementsFor(code: string): Promise<{ sql: number; rows: number }> {
    const { token } = await h.account({ agency: code, roles: [Role.AGENCY_ADMIN] });
    const res = await h.gql(NESTED, {}, token);
    expect(res.errors).toBeUndefined();
    const rows = JSON.stringify(res.data).match(/"code"/g)!.length;
    return { sql: Number(res.headers.get('x-sql-statements')), rows };
  }

  it('does not grow with the number of rows', async () => {
    const small = await statementsFor('small-city');
    const large = await statementsFor('large-city');
    expect(large.rows).toBeGreaterThan(small.rows * 5);
    expect(large.sql).toBe(small.sql);
    // shape-bound: principal lookup + scope, the root list (count + page) and a few batched loads
    expect(large.sql).toBeLessThanOrEqual(15);
  });
});
