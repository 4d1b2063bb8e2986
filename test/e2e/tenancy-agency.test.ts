import type { EntityManager } from '@mikro-orm/postgresql';
import { enterScope } from '../../src/db/tenant-gate';
import { Agency } from '../../src/modules/agency/agency.entity';
import { Unit } from '../../src/modules/agency/unit.entity';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * A city bureau with two sibling branches. Branch A's token must never see branch B's data: not by
 * id, not in a list, not through a nested field, and not through any database read path.
 */
describe('tenancy: agencies, units and accounts', () => {
  let h: Harness;
  let tokenA: string;
  let liaisonA: string;
  let cityAdmin: string;
  let viewer: string;
  let bId: string;
  let bUnitId: string;
  let bAccountId: string;

  beforeAll(async () => {
    h = await startHarness();
    await h.tree({
      code: 'city',
      units: ['city-office'],
      children: [
        { code: 'branch-a', units: ['a-secretary', 'a-legal'], children: [{ code: 'station-a1', units: ['a1-desk'] }] },
        { code: 'branch-b', units: ['b-secretary'] },
      ],
    });
    tokenA = (await h.account({ agency: 'branch-a', roles: [Role.AGENCY_ADMIN] })).token;
    liaisonA = (await h.account({ agency: 'branch-a', roles: [Role.UNIT_LIAISON], unit: 'a-secretary' })).token;
    cityAdmin = (await h.account({ agency: 'city', roles: [Role.AGENCY_ADMIN] })).token;
    viewer = (await h.account({ agency: 'city', roles: [Role.SUPERIOR_VIEWER] })).token;
    const b = await h.account({ agency: 'branch-b', roles: [Role.AGENCY_ADMIN] });
    bAccountId = b.account.id;
    bId = (await h.agency('branch-b')).id;
    bUnitId = (await h.unit('branch-b', 'b-secretary')).id;
  });
  afterAll(() => h.close());

  it('hides a sibling agency, unit and account by id (NOT_FOUND, as if it did not exist)', async () => {
    for (const [query, id] of [
      [`query($id: ID!) { agency(id: $id) { name } }`, bId],
      [`query($id: ID!) { unit(id: $id) { name } }`, bUnitId],
      [`query($id: ID!) { account(id: $id) { username } }`, bAccountId],
    ] as const) {
      const res = await h.gql(query, { id }, tokenA);
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(res.data).toBeNull();
    }
  });

  it('lists only the caller’s subtree', async () => {
    const res = await h.gql(
      `{ agencies(first: 100) { totalCount edges { node { code } } }
         units(first: 100) { totalCount edges { node { code } } }
         accounts(first: 100) { edges { node { agency { code } } } } }`,
      {},
      tokenA,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.agencies.edges.map((e: any) => e.node.code).sort()).toEqual(['branch-a', 'station-a1']);
    expect(res.data!.agencies.totalCount).toBe(2);
    expect(res.data!.units.edges.map((e: any) => e.node.code).sort()).toEqual(['a-legal', 'a-secretary', 'a1-desk']);
    const accountAgencies = new Set(res.data!.accounts.edges.map((e: any) => e.node.agency.code));
    expect([...accountAgencies].sort()).toEqual(['branch-a']);
  });

  it('does not reach outside the subtree through nested fields', async () => {
    const res = await h.gql(
      `query($id: ID!) { agency(id: $id) { code parent { code } children(first: 10) { edges { node { code } } } } }`,
      { id: (await h.agency('branch-a')).id },
      tokenA,
    );
    expect(res.errors).toBeUndefined();
    // The city bureau above is outside branch A's scope: the parent link is null, not leaked.
    expect(res.data!.agency.parent).toBeNull();
    expect(res.data!.agency.children.edges.map((e: any) => e.node.code)).toEqual(['station-a1']);

    const filtered = await h.gql(
      `query($id: ID!) { agencies(first: 10, filter: { underAgencyId: $id }) { totalCount } }`,
      { id: bId },
      tokenA,
    );
    expect(filtered.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const units = await h.gql(`query($id: ID!) { units(first: 10, agencyId: $id) { totalCount } }`, { id: bId }, tokenA);
    expect(units.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lets the superior see the whole subtree with breakdowns', async () => {
    const res = await h.gql(
      `{ agencies(first: 100) { totalCount } units(first: 100) { totalCount } }`,
      {},
      cityAdmin,
    );
    expect(res.data).toEqual({ agencies: { totalCount: 4 }, units: { totalCount: 5 } });
  });

  it('refuses changes to another tenant’s data', async () => {
    const create = await h.gql(
      `mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } } }`,
      { i: { agencyId: bId, code: 'intruder', name: '入侵单位', kind: 'SECTION' } },
      tokenA,
    );
    expect(create.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const rename = await h.gql(
      `mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { name } } }`,
      { i: { id: bUnitId, name: '改名' } },
      tokenA,
    );
    expect(rename.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const account = await h.gql(
      `mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id } } }`,
      { i: { agencyId: bId, username: 'spy', displayName: 'spy', password: 'long-enough-password', roles: ['AGENCY_ADMIN'] } },
      tokenA,
    );
    expect(account.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await h.unit('branch-b', 'b-secretary')).name).toBe('单位 b-secretary');
  });

  it('limits writes by role: liaisons and viewers cannot administer', async () => {
    const aId = (await h.agency('branch-a')).id;
    for (const token of [liaisonA, viewer]) {
      const res = await h.gql(
        `mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } } }`,
        { i: { agencyId: aId, code: 'new-unit', name: '新单位', kind: 'SECTION' } },
        token,
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('an administrator creates accounts inside its subtree only', async () => {
    const station = (await h.agency('station-a1')).id;
    const ok = await h.gql(
      `mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { username agency { code } unit { code } } } }`,
      {
        i: {
          agencyId: station,
          unitId: (await h.unit('station-a1', 'a1-desk')).id,
          username: 'a1.liaison',
          displayName: '派出所联络员',
          password: 'long-enough-password',
          roles: ['UNIT_LIAISON'],
        },
      },
      tokenA,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.createAccount.account).toEqual({ username: 'a1.liaison', agency: { code: 'station-a1' }, unit: { code: 'a1-desk' } });
    const login = await h.gql(`mutation { login(input: { username: "a1.liaison", password: "long-enough-password" }) { token } }`);
    expect(login.data!.login.token).toEqual(expect.any(String));
  });

  /** The gate is in the database: every read path of a scoped EntityManager is filtered. */
  describe('every database read path passes the gate', () => {
    let em: EntityManager;
    beforeEach(async () => {
      em = h.orm.em.fork() as EntityManager;
      await em.begin();
      const a = await h.agency('branch-a');
      await enterScope(em, {
        accountId: '00000000-0000-0000-0000-000000000000',
        username: 'probe',
        agencyId: a.id,
        agencyPath: a.path,
        roles: [Role.AGENCY_ADMIN],
        unitId: null,
        readOnly: false,
      });
    });
    afterEach(() => em.rollback());

    it('ORM find, QueryBuilder, raw SQL and aggregates see only the subtree', async () => {
      const viaFind = await em.find(Unit, {});
      const viaQb = await em.createQueryBuilder(Agency, 'a').getResultList();
      const viaRaw = await em.execute<{ code: string }[]>('select code from unit order by code');
      const viaAgg = await em.execute<{ n: string }[]>('select count(*) as n from agency');
      const viaJoin = await em.execute<{ n: string }[]>(
        'select count(*) as n from unit u join agency a on a.id = u.agency_id',
      );
      expect(viaFind.map((u) => u.code).sort()).toEqual(['a-legal', 'a-secretary', 'a1-desk']);
      expect(viaQb.map((a) => a.code).sort()).toEqual(['branch-a', 'station-a1']);
      expect(viaRaw.map((r) => r.code)).toEqual(['a-legal', 'a-secretary', 'a1-desk']);
      expect(Number(viaAgg[0]!.n)).toBe(2);
      expect(Number(viaJoin[0]!.n)).toBe(3);
      expect(await em.findOne(Unit, { id: bUnitId })).toBeNull();
    });

    it('the database itself refuses writes outside the subtree', async () => {
      const updated = await em.execute('update unit set name = ? where id = ?', ['hijacked', bUnitId], 'run');
      expect((updated as unknown as { affectedRows: number }).affectedRows).toBe(0);
      await expect(
        em.execute('insert into unit (id, agency_id, code, name, kind) values (gen_random_uuid(), ?, ?, ?, ?)', [
          bId,
          'x',
          'x',
          'SECTION',
        ]),
      ).rejects.toThrow(/row-level security/);
    });
  });
});
