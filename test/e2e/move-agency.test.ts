import { startHarness, Role, type Harness } from '../support/harness';

const MOVE = `mutation($i: MoveAgencyInput!) { moveAgency(input: $i) { agency { code depth parent { code } } } }`;

describe('moving a subtree', () => {
  let h: Harness;
  let provinceAdmin: string;
  let cityXAdmin: string;
  const id = async (code: string) => (await h.agency(code)).id;

  beforeAll(async () => {
    h = await startHarness();
    await h.tree({
      code: 'prov',
      children: [
        { code: 'city-x', children: [{ code: 'branch-1', units: ['b1-unit'], children: [{ code: 'station-1' }] }] },
        { code: 'city-y', children: [{ code: 'branch-2' }] },
      ],
    });
    provinceAdmin = (await h.account({ agency: 'prov', roles: [Role.AGENCY_ADMIN] })).token;
    cityXAdmin = (await h.account({ agency: 'city-x', roles: [Role.AGENCY_ADMIN] })).token;
  });
  afterAll(() => h.close());

  it('moves a branch with its descendants and every later query follows', async () => {
    const res = await h.gql(MOVE, { i: { id: await id('branch-1'), newParentId: await id('city-y') } }, provinceAdmin);
    expect(res.errors).toBeUndefined();
    expect(res.data!.moveAgency.agency).toEqual({ code: 'branch-1', depth: 3, parent: { code: 'city-y' } });

    const tree = await h.gql(
      `query($x: ID!, $y: ID!) {
         x: agencies(first: 50, filter: { underAgencyId: $x }) { edges { node { code } } }
         y: agencies(first: 50, filter: { underAgencyId: $y }) { edges { node { code depth } } }
       }`,
      { x: await id('city-x'), y: await id('city-y') },
      provinceAdmin,
    );
    expect(tree.data!.x.edges.map((e: any) => e.node.code)).toEqual(['city-x']);
    expect(tree.data!.y.edges.map((e: any) => [e.node.code, e.node.depth])).toEqual([
      ['branch-1', 3],
      ['branch-2', 3],
      ['city-y', 2],
      ['station-1', 4],
    ]);
    // city X's administrator no longer sees the moved branch or its units.
    const lost = await h.gql(`{ agencies(first: 50) { totalCount } units(first: 50) { totalCount } }`, {}, cityXAdmin);
    expect(lost.data).toEqual({ agencies: { totalCount: 1 }, units: { totalCount: 0 } });
    const cityY = (await h.account({ agency: 'city-y', roles: [Role.AGENCY_ADMIN] })).token;
    const gained = await h.gql(`{ agencies(first: 50) { totalCount } units(first: 50) { totalCount } }`, {}, cityY);
    expect(gained.data).toEqual({ agencies: { totalCount: 4 }, units: { totalCount: 1 } });
  });

  it('refuses a cycle: an agency under itself or its own descendant', async () => {
    for (const target of ['city-y', 'station-1']) {
      const res = await h.gql(MOVE, { i: { id: await id('city-y'), newParentId: await id(target) } }, provinceAdmin);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.newParentId' });
    }
    const depth = await h.gql(`query($id: ID!) { agency(id: $id) { depth parent { code } } }`, { id: await id('city-y') }, provinceAdmin);
    expect(depth.data!.agency).toEqual({ depth: 2, parent: { code: 'prov' } });
  });

  it('refuses moves by someone who does not administer both ends', async () => {
    const res = await h.gql(MOVE, { i: { id: await id('city-x'), newParentId: await id('city-y') } }, cityXAdmin);
    // city X's admin cannot see city Y at all, and cannot move its own agency.
    expect(['NOT_FOUND', 'BAD_USER_INPUT', 'FORBIDDEN']).toContain(res.errors?.[0]?.extensions?.code);
    const viewer = (await h.account({ agency: 'prov', roles: [Role.SUPERIOR_VIEWER] })).token;
    const byViewer = await h.gql(MOVE, { i: { id: await id('branch-2'), newParentId: await id('city-x') } }, viewer);
    expect(byViewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
