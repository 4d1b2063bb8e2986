import {
  AgencyByIdDocument,
  AgencyPageDocument,
  CreateAccountDocument,
  CreateAgencyDocument,
  CreateUnitDocument,
} from '../generated/operations';
import { startHarness, Role, type Harness } from '../support/harness';

describe('bad input, errors and operations', () => {
  let h: Harness;
  let admin: string;
  let cityId: string;

  beforeAll(async () => {
    h = await startHarness();
    await h.tree([{ code: 'city', units: ['office'], children: [{ code: 'b1' }, { code: 'b2' }, { code: 'b3' }, { code: 'b4' }, { code: 'b5' }] }, { code: 'other-city' }]);
    admin = (await h.account({ agency: 'city', roles: [Role.AGENCY_ADMIN] })).token;
    cityId = (await h.agency('city')).id;
  });
  afterAll(() => h.close());

  const noStack = (errors: unknown) => expect(JSON.stringify(errors)).not.toMatch(/stacktrace|\.ts:\d+|node_modules/);

  it('names the offending field of an over-long or malformed input', async () => {
    const res = await h.op(CreateUnitDocument, { input: { agencyId: cityId, code: 'ok-code', name: '长'.repeat(201), kind: 'SECTION' } }, admin);
    expect(res.status).toBe(200);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    noStack(res.errors);
    const code = await h.op(CreateUnitDocument, { input: { agencyId: cityId, code: 'Bad Code!', name: '办公室二', kind: 'SECTION' } }, admin);
    expect(code.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.code' });
  });

  it('rejects malformed ids with the field, unknown ids with NOT_FOUND', async () => {
    const bad = await h.op(AgencyByIdDocument, { id: 'not-a-uuid' }, admin);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const unknown = await h.op(AgencyByIdDocument, { id: '7a1f3c1e-9a51-4a0e-8d0b-1d2b3c4d5e6f' }, admin);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const badParent = await h.op(
      CreateAgencyDocument,
      { input: { parentId: 'xyz', code: 'new-b', name: '新分局', kind: 'DISTRICT_BRANCH' } },
      admin,
    );
    expect(badParent.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.parentId' });
  });

  it('reports duplicates as CONFLICT, even against another tenant’s hidden code, and writes nothing', async () => {
    const dup = await h.op(
      CreateAgencyDocument,
      { input: { parentId: cityId, code: 'other-city', name: '重复代码', kind: 'DISTRICT_BRANCH' } },
      admin,
    );
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    const unit = await h.op(CreateUnitDocument, { input: { agencyId: cityId, code: 'office', name: '另一个', kind: 'SECTION' } }, admin);
    expect(unit.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    const count = await h.em().count('Agency', { name: '重复代码' });
    expect(count).toBe(0);
  });

  it('validates account rules with the field named', async () => {
    const liaison = await h.op(
      CreateAccountDocument,
      { input: { agencyId: cityId, username: 'no-unit', displayName: 'x', password: 'long-enough-password', roles: ['UNIT_LIAISON'] } },
      admin,
    );
    expect(liaison.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.unitId' });
    const evaluator = await h.op(
      CreateAccountDocument,
      { input: { agencyId: cityId, username: 'eval-x', displayName: 'x', password: 'long-enough-password', roles: ['EVALUATOR'] } },
      admin,
    );
    expect(evaluator.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.accessUntil' });
    const short = await h.op(
      CreateAccountDocument,
      { input: { agencyId: cityId, username: 'shorty', displayName: 'x', password: 'short', roles: ['LEADER'] } },
      admin,
    );
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password' });
  });

  it('paginates with bounded first and stable cursors', async () => {
    const tooMany = await h.op(AgencyPageDocument, { first: 101 }, admin);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof h.op<any, any>>> = await h.op(AgencyPageDocument, { first: 2, after }, admin);
      seen.push(...page.data!.agencies.edges.map((e: any) => e.node.code));
      if (!page.data!.agencies.pageInfo.hasNextPage) break;
      after = page.data!.agencies.pageInfo.endCursor;
    }
    expect(seen).toEqual(['b1', 'b2', 'b3', 'b4', 'b5', 'city']);
    const badCursor = await h.op(AgencyPageDocument, { first: 2, after: '!!!' }, admin);
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('refuses abusive queries (depth) with a client error, not a 500', async () => {
    const level = (inner: string) => `children(first: 1) { edges { node { ${inner} } } }`;
    let body = 'code';
    for (let i = 0; i < 7; i++) body = level(body);
    const deep = `{ agencies(first: 1) { edges { node { ${body} } } } }`;
    const res = await h.gql(deep, {}, admin);
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.[0]?.message).toMatch(/depth/i);
    noStack(res.errors);
    const syntax = await h.gql(`{ agencies(first: 1) { `, {}, admin);
    expect(syntax.status).toBe(400);
    expect(syntax.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('serves /healthz after checking the database', async () => {
    const res = await fetch(h.url.replace('/graphql', '/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
    expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
  });

  it('serves an IDE that loads nothing from the internet', async () => {
    const res = await fetch(h.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/altair/i);
    const external = [...html.matchAll(/(?:src|href)=["'](https?:)?\/\/[^"']+/g)].map((m) => m[0]);
    expect(external).toEqual([]);
    const asset = html.match(/src=["']([^"']+\.js)["']/)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(new URL(asset!, h.url.replace('/graphql', '/ide/')));
    expect(js.status).toBe(200);
  });
});
