import { startHarness, Role, type Harness } from '../support/harness';

/**
 * The attack of issue 11: a request with two mutations whose second fails used to answer
 * `data: null` while the first had been saved. One rule now: an operation is one transaction — all
 * of its mutations are kept, or none.
 */
describe('an operation with several mutations', () => {
  let h: Harness;
  let admin: string;
  let cityId: string;

  beforeAll(async () => {
    h = await startHarness();
    await h.tree([{ code: 'city', units: ['office'], children: [{ code: 'b1' }] }]);
    admin = (await h.account({ agency: 'city', roles: [Role.AGENCY_ADMIN] })).token;
    cityId = (await h.agency('city')).id;
  });
  afterAll(() => h.close());

  it('an operation with several mutations is all or nothing: one failure keeps none of them', async () => {
    const res = await h.gql(
      `mutation($ok: CreateAgencyInput!, $bad: CreateAgencyInput!) {
         ok: createAgency(input: $ok) { agency { code } }
         bad: createAgency(input: $bad) { agency { code } }
       }`,
      {
        ok: { parentId: cityId, code: 'b4', name: '第四分局', kind: 'DISTRICT_BRANCH' },
        bad: { parentId: cityId, code: 'b4', name: '第四分局重复', kind: 'DISTRICT_BRANCH' },
      },
      admin,
    );
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(res.errors?.[0]?.path).toEqual(['bad']);
    expect(res.errors?.at(-1)?.extensions?.code).toBe('ROLLED_BACK');
    expect(await h.em().count('Agency', { code: 'b4' })).toBe(0);
    expect(await h.em().count('Agency', { name: '第四分局重复' })).toBe(0);

    // the same two, both valid, are both kept
    const both = await h.gql(
      `mutation($a: CreateAgencyInput!, $b: CreateAgencyInput!) {
         a: createAgency(input: $a) { agency { code } }
         b: createAgency(input: $b) { agency { code } }
       }`,
      {
        a: { parentId: cityId, code: 'b4', name: '第四分局', kind: 'DISTRICT_BRANCH' },
        b: { parentId: cityId, code: 'b5', name: '第五分局', kind: 'DISTRICT_BRANCH' },
      },
      admin,
    );
    expect(both.errors).toBeUndefined();
    expect(await h.em().count('Agency', { code: { $in: ['b4', 'b5'] } })).toBe(2);
  });

});
