import { setFixedToday } from '../../src/modules/calendar/clock';
import { CreateAgencyDocument } from '../generated/operations';
import { startHarness, Role, type Harness } from '../support/harness';
import { catalogueWithItems, WD20 } from '../support/publication-fixtures';

/**
 * Attack: text inputs carrying a NUL byte (PostgreSQL refuses it: used to be a 500), other control
 * characters, or bidi overrides that make a name display differently from what it stores
 * ("Trojan Source"). Each is refused as BAD_USER_INPUT naming the field, on every mutation, while
 * tab and newline stay allowed.
 */
describe('control and bidi-override characters in inputs', () => {
  let h: Harness;
  let admin: string;
  let liaison: string;
  let cityId: string;
  let itemId: string;

  const UPDATE_AGENCY = `mutation($i: UpdateAgencyInput!) { updateAgency(input: $i) { agency { id name } } }`;
  const CREATE_PUB = `mutation($i: CreatePublicationInput!) { createPublication(input: $i) { publication { id title } } }`;
  const UPDATE_PUB = `mutation($i: UpdatePublicationInput!) { updatePublication(input: $i) { publication { id title } } }`;

  beforeAll(async () => {
    // formedOn must not be in the future: pin "today" so the publication cases do not depend on the clock.
    setFixedToday('2026-11-20');
    h = await startHarness();
    await h.tree({ code: 'city', children: [{ code: 'b1', units: ['b1-sec'] }] });
    admin = (await h.account({ agency: 'city', roles: [Role.AGENCY_ADMIN] })).token;
    liaison = (await h.account({ agency: 'b1', roles: [Role.UNIT_LIAISON], unit: 'b1-sec' })).token;
    cityId = (await h.agency('city')).id;
    itemId = (await catalogueWithItems(h, 'b1', 2026, [{ name: '部门文件', rule: WD20 }])).items['部门文件']!;
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  const expectRefused = (res: Awaited<ReturnType<Harness['gql']>>, field: string) => {
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0]?.message).toContain(field);
    expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|\.ts:\d+|INTERNAL_SERVER_ERROR/);
  };

  const BAD = {
    nul: '新分局\u0000',
    rlo: '新分局\u202Egpj.exe',
    lri: '新\u2066分局',
    bell: '新分局\u0007',
    escape: '新分局\u001b[31m',
    c1: '新分局\u0085',
    loneCr: '新分局\r伪造的下一行',
  };

  it.each(Object.entries(BAD))('refuses %s in createAgency input.name', async (_label, name) => {
    const res = await h.op(CreateAgencyDocument, { input: { parentId: cityId, code: 'new-branch', name, kind: 'DISTRICT_BRANCH' } }, admin);
    expectRefused(res, 'input.name');
    expect(await h.em().count('Agency', { code: 'new-branch' })).toBe(0);
  });

  it('refuses a NUL byte and U+202E in updateAgency input.name and leaves the name alone', async () => {
    const before = (await h.agency('city')).name;
    for (const name of [BAD.nul, BAD.rlo]) {
      expectRefused(await h.gql(UPDATE_AGENCY, { i: { id: cityId, name } }, admin), 'input.name');
    }
    expect((await h.agency('city')).name).toBe(before);
  });

  it('refuses a NUL byte and U+202E in a publication title, on create and on update', async () => {
    for (const title of [BAD.nul, BAD.rlo]) {
      expectRefused(
        await h.gql(CREATE_PUB, { i: { catalogueItemId: itemId, title, formedOn: '2026-11-02', disclosureAttribute: 'PROACTIVE' } }, liaison),
        'input.title',
      );
    }
    const created = await h.gql(
      CREATE_PUB,
      { i: { catalogueItemId: itemId, title: '关于调整办理时间的通知', formedOn: '2026-11-02', disclosureAttribute: 'PROACTIVE' } },
      liaison,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createPublication.publication.id;
    expectRefused(await h.gql(UPDATE_PUB, { i: { id, title: BAD.rlo } }, liaison), 'input.title');
    expectRefused(await h.gql(UPDATE_PUB, { i: { id, title: 'ok', url: `http://example.gov.cn/\u0000` } }, liaison), 'input.url');
  });

  it('refuses control characters in scalar arguments too, naming the argument', async () => {
    const res = await h.gql(`query($id: ID!) { agency(id: $id) { id } }`, { id: `${cityId}\u0000` }, admin);
    expectRefused(res, 'id');
  });

  it('refuses control characters before checking credentials on login', async () => {
    const res = await h.gql(`mutation($i: LoginInput!) { login(input: $i) { token } }`, {
      i: { username: 'admin\u0000', password: 'whatever-password' },
    });
    expectRefused(res, 'input.username');
  });

  it('keeps tab, newline and CRLF allowed', async () => {
    const res = await h.gql(UPDATE_AGENCY, { i: { id: cityId, name: '市局\t政务公开办' } }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateAgency.agency.name).toBe('市局\t政务公开办');
    const pub = await h.gql(
      CREATE_PUB,
      { i: { catalogueItemId: itemId, title: '第一行\n第二行\r\n第三行', formedOn: '2026-11-02', disclosureAttribute: 'PROACTIVE' } },
      liaison,
    );
    expect(pub.errors).toBeUndefined();
    expect(pub.data!.createPublication.publication.title).toBe('第一行\n第二行\r\n第三行');
  });
});
