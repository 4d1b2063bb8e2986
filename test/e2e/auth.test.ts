import jwt from 'jsonwebtoken';
import { startHarness, Role, type Harness } from '../support/harness';

const ME = `query { me { username roles agency { code } } }`;

describe('login and token verification', () => {
  let h: Harness;
  let accountId: string;
  let agencyId: string;

  beforeAll(async () => {
    h = await startHarness();
    await h.tree({ code: 'city', children: [{ code: 'branch-a' }] });
    const { account } = await h.account({
      agency: 'branch-a',
      roles: [Role.AGENCY_ADMIN],
      username: 'alice',
      password: 'correct-horse-battery',
    });
    accountId = account.id;
    agencyId = account.agency.id;
  });
  afterAll(() => h.close());

  const login = (username: string, password: string) =>
    h.gql(`mutation($i: LoginInput!) { login(input: $i) { token expiresAt account { username } } }`, {
      i: { username, password },
    });

  const sign = (payload: object, opts: jwt.SignOptions, key: string = h.tokens.secret) =>
    jwt.sign(payload, key, opts);

  const expectRejected = async (token: string) => {
    const res = await h.gql(ME, {}, token);
    expect(res.status).toBe(401);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  };

  const valid = (): [object, jwt.SignOptions] => [
    { agency: agencyId, typ: 'access' },
    { algorithm: 'HS256', subject: accountId, issuer: 'openness-backend', audience: 'openness-api', expiresIn: 600 },
  ];

  it('logs in with the right password and the token works', async () => {
    const res = await login('alice', 'correct-horse-battery');
    expect(res.errors).toBeUndefined();
    expect(res.data!.login.account.username).toBe('alice');
    const me = await h.gql(ME, {}, res.data!.login.token);
    expect(me.data!.me).toEqual({ username: 'alice', roles: ['AGENCY_ADMIN'], agency: { code: 'branch-a' } });
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await login('alice', 'wrong-password');
    const unknown = await login('nobody', 'wrong-password');
    for (const res of [wrong, unknown]) {
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
  });

  it('accepts a correctly signed token', async () => {
    const [p, o] = valid();
    const res = await h.gql(ME, {}, sign(p, o));
    expect(res.data?.me.username).toBe('alice');
  });

  it('rejects a token with a wrong signature', async () => {
    const [p, o] = valid();
    await expectRejected(sign(p, o, 'another-secret-another-secret-another-secret'));
  });

  it('rejects alg: none', async () => {
    const [p, o] = valid();
    await expectRejected(jwt.sign(p, '', { ...o, algorithm: 'none' }));
  });

  it('rejects another algorithm even with the right key', async () => {
    const [p, o] = valid();
    await expectRejected(sign(p, { ...o, algorithm: 'HS512' }));
  });

  it('rejects a wrong audience or issuer', async () => {
    const [p, o] = valid();
    await expectRejected(sign(p, { ...o, audience: 'someone-else' }));
    await expectRejected(sign(p, { ...o, issuer: 'someone-else' }));
  });

  it('rejects an expired token', async () => {
    const [p, o] = valid();
    const { expiresIn: _drop, ...rest } = o;
    await expectRejected(sign({ ...p, exp: Math.floor(Date.now() / 1000) - 60 }, rest));
  });

  it('rejects a token of another type', async () => {
    const [p, o] = valid();
    await expectRejected(sign({ ...p, typ: 'refresh' }, o));
  });

  it('rejects a token whose agency claim does not match the account', async () => {
    const [p, o] = valid();
    const other = await h.agency('city');
    await expectRejected(sign({ ...p, agency: other.id }, o));
  });

  it('rejects garbage and a malformed Authorization header', async () => {
    await expectRejected('not-a-jwt');
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Token abc' },
      body: JSON.stringify({ query: ME }),
    });
    expect(res.status).toBe(401);
  });

  it('refuses tokens of a disabled account and tokens issued before a password change', async () => {
    const { account, token } = await h.account({ agency: 'branch-a', roles: [Role.UNIT_HEAD, Role.LEADER] });
    expect((await h.gql(ME, {}, token)).data?.me).toBeTruthy();
    const em = h.em();
    await em.nativeUpdate('Account', { id: account.id }, { active: false });
    await expectRejected(token);
    await em.nativeUpdate('Account', { id: account.id }, { active: true, credentialsChangedAt: new Date(Date.now() + 10_000) });
    await expectRejected(token);
  });

  it('time-boxes evaluator tokens', async () => {
    const past = await h.account({
      agency: 'city',
      roles: [Role.EVALUATOR],
      accessFrom: new Date(Date.now() - 86400_000 * 10),
      accessUntil: new Date(Date.now() - 86400_000),
    });
    await expectRejected(past.token);
    const { token } = await h.account({
      agency: 'city',
      roles: [Role.EVALUATOR],
      username: 'evaluator',
      password: 'evaluator-password',
      accessUntil: new Date(Date.now() + 3600_000),
    });
    expect((await h.gql(ME, {}, token)).data?.me.roles).toEqual(['EVALUATOR']);
    const res = await login('evaluator', 'evaluator-password');
    // An evaluator's token never outlives the access window.
    expect(new Date(res.data!.login.expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);
  });

  it('requires a token for data', async () => {
    const res = await h.gql(`query { agencies(first: 5) { totalCount } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
