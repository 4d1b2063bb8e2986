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
    expect(small.sql).toBeGreaterThan(3);
    expect(large.sql).toBe(small.sql);
    // shape-bound: principal lookup + scope, the root list (count + page) and a few batched loads
    expect(large.sql).toBeLessThanOrEqual(15);
  });

  it('catalogues → items → responsible units / standard item stay shape-bound too', async () => {
    const CATALOGUES = `{ catalogues(first: 100) { edges { node { title agency { code } countsByType { count } countsByUnit { unit { code } count }
      items(first: 100) { totalCount edges { node { name responsibleUnits { code } standardItem { name } catalogue { year } } } } } } } }`;
    const fill = async (city: string, branches: string[], rows: number) => {
      const { token } = await h.account({ agency: city, roles: [Role.AGENCY_ADMIN] });
      for (const code of [city, ...branches]) {
        const agency = await h.agency(code);
        const created = await h.gql(`mutation($i: CreateCatalogueInput!) { createCatalogue(input: $i) { catalogue { id } } }`, { i: { agencyId: agency.id, year: 2026 } }, token);
        const units = (await h.gql(`query($id: ID!) { units(first: 100, agencyId: $id) { edges { node { name } } } }`, { id: agency.id }, token)).data!.units.edges.map((e: any) => e.node.name);
        const csv = ['目录类别,目录名称,公开内容,公开主体（责任单位）,公开时限']
          .concat(Array.from({ length: rows }, (_, i) => `类别${i % 3},事项${i},内容,${units.slice(0, 2).join('、')},相关信息形成或变更之日起20个工作日内`))
          .join('\n');
        const imported = await h.gql(`mutation($i: ImportCatalogueInput!) { importCatalogue(input: $i) { report { ok } } }`, { i: { catalogueId: created.data!.createCatalogue.catalogue.id, format: 'CSV', fileBase64: Buffer.from(csv).toString('base64') } }, token);
        expect(imported.data!.importCatalogue.report.ok).toBe(true);
      }
      const res = await h.gql(CATALOGUES, {}, token);
      expect(res.errors).toBeUndefined();
      return { sql: Number(res.headers.get('x-sql-statements')), rows: JSON.stringify(res.data).match(/"name"/g)!.length };
    };
    const small = await fill('small-city', ['small-b0'], 2);
    const large = await fill('large-city', ['large-b0', 'large-b1', 'large-b2', 'large-b3', 'large-b4'], 30);
    expect(large.rows).toBeGreaterThan(small.rows * 10);
    expect(small.sql).toBeGreaterThan(3);
    expect(large.sql).toBe(small.sql);
  });

  it('counts a connection only when the query reads `totalCount`: one statement for all sibling connections', async () => {
    const LIST = (total: string) => `{ agencies(first: 100) { ${total} edges { node { code units(first: 2) { ${total} edges { node { code } } } } } } }`;
    const run = async (code: string, total: boolean) => {
      const { token } = await h.account({ agency: code, roles: [Role.AGENCY_ADMIN] });
      const res = await h.gql(LIST(total ? 'totalCount' : ''), {}, token);
      expect(res.errors).toBeUndefined();
      return { sql: Number(res.headers.get('x-sql-statements')), data: res.data! };
    };
    const [smallBare, smallTotal, largeBare, largeTotal] = [
      await run('small-city', false),
      await run('small-city', true),
      await run('large-city', false),
      await run('large-city', true),
    ];
    // Two counts more (the root list, and every agency's units at once), whatever the number of agencies.
    expect(smallTotal.sql).toBe(smallBare.sql + 2);
    expect(largeBare.sql).toBe(smallBare.sql);
    expect(largeTotal.sql).toBe(smallTotal.sql);
    // The counts are the whole lists', not the page's: 1 city + 12 branches + 12 stations; 6 units a branch.
    expect(largeTotal.data.agencies.totalCount).toBe(25);
    const b0 = largeTotal.data.agencies.edges.find((e: any) => e.node.code === 'large-b0').node.units;
    expect(b0.edges).toHaveLength(2);
    expect(b0.totalCount).toBe(6);
  });

  it('a count read after a mutation in the same request counts the mutation', async () => {
    const { token } = await h.account({ agency: 'small-city', roles: [Role.AGENCY_ADMIN] });
    const agency = await h.agency('small-b1');
    const res = await h.gql(
      `mutation($a: CreateUnitInput!, $b: CreateUnitInput!) {
        a: createUnit(input: $a) { unit { agency { units(first: 1) { totalCount } } } }
        b: createUnit(input: $b) { unit { agency { units(first: 1) { totalCount } } } }
      }`,
      {
        a: { agencyId: agency.id, code: 'small-b1-new-a', name: '新单位甲', kind: 'SECTION' },
        b: { agencyId: agency.id, code: 'small-b1-new-b', name: '新单位乙', kind: 'SECTION' },
      },
      token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.a.unit.agency.units.totalCount).toBe(2);
    expect(res.data!.b.unit.agency.units.totalCount).toBe(3);
  });

  it('`me` takes two statements: the account re-read (which also answers `me`) and the gate', async () => {
    const { token } = await h.account({ agency: 'small-city', roles: [Role.AGENCY_ADMIN] });
    const res = await h.gql('{ me { id username displayName roles agency { code } } }', {}, token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.me.agency.code).toBe('small-city');
    // the agency comes from its own loader: 3 with it, 2 without
    expect(Number(res.headers.get('x-sql-statements'))).toBe(3);
    const bare = await h.gql('{ me { id username } }', {}, token);
    expect(Number(bare.headers.get('x-sql-statements'))).toBe(2);
  });
});
