import { startHarness, Role, type Harness } from '../support/harness';

/** Attack: an anonymous scanner maps the schema through introspection or field suggestions. */
describe('introspection and suggestions for anonymous callers', () => {
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    h = await startHarness();
    await h.tree({ code: 'city', units: ['office'] });
    token = (await h.account({ agency: 'city', roles: [Role.AGENCY_ADMIN] })).token;
  });
  afterAll(() => h.close());

  const SCHEMA = `query IntrospectionQuery { __schema { queryType { name } mutationType { name } types { name } } }`;
  const TYPE = `{ __type(name: "Mutation") { fields { name } } }`;
  const HIDDEN = `query Q { ...F } fragment F on Query { __typename t: __type(name: "Agency") { name } }`;

  it('refuses __schema, __type and introspection hidden in a fragment to anonymous callers', async () => {
    for (const q of [SCHEMA, TYPE, HIDDEN]) {
      const res = await h.gql(q);
      expect(res.status).toBe(401);
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(res)).not.toMatch(/Mutation|Agency"/);
    }
  });

  it('refuses anonymous introspection even after a signed-in caller ran the same document', async () => {
    // Apollo caches validated documents: the guard must not depend on validation running again.
    expect((await h.gql(SCHEMA, {}, token)).data?.__schema.queryType.name).toBe('Query');
    const res = await h.gql(SCHEMA);
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps introspection for signed-in callers (the IDE)', async () => {
    const res = await h.gql(SCHEMA, {}, token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.__schema.mutationType.name).toBe('Mutation');
    const type = await h.gql(TYPE, {}, token);
    expect(type.data!.__type.fields.length).toBeGreaterThan(0);
  });

  it('still answers __typename to anonymous callers', async () => {
    const res = await h.gql('{ __typename }');
    expect(res.data).toEqual({ __typename: 'Query' });
  });

  it('gives no field suggestions to anonymous callers', async () => {
    const res = await h.gql('{ agencie(first: 1) { totalCount } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean|"agencies"/);
  });

  it('gives no enum or input-field suggestions in variable errors', async () => {
    const messages = async (q: string, v: Record<string, unknown>) => {
      const res = await h.gql(q, v);
      expect(res.errors?.length).toBeGreaterThan(0);
      return res.errors!.map((e) => e.message).join('\n');
    };
    const field = await messages(`mutation($i: LoginInput!) { login(input: $i) { token } }`, {
      i: { username: 'x', password: 'y', usernme: 'z' },
    });
    expect(field).not.toMatch(/Did you mean/);
    const enumValue = await messages(`query($k: AgencyKind) { agencies(first: 1, filter: { kind: $k }) { totalCount } }`, {
      k: 'CITY_BUREA',
    });
    expect(enumValue).not.toMatch(/Did you mean|CITY_BUREAU/);
    const literal = await messages(`{ agencies(first: 1, filter: { kind: CITY_BUREA }) { totalCount } }`, {});
    expect(literal).not.toMatch(/Did you mean|CITY_BUREAU/);
  });
});
