import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { startHarness, Role, type Harness } from '../support/harness';

const ME = `query { me { username } }`;

/**
 * Attack: a token signed with the right key (a leaked key, a token minted by a careless tool) that
 * never expires, carries no issue time, outlives the configured lifetime or has a subject that is
 * not an account id. Each must be refused with 401 UNAUTHENTICATED, never accepted or answered with 500.
 */
describe('access-token claims', () => {
  let h: Harness;
  let accountId: string;
  let agencyId: string;

  beforeAll(async () => {
    h = await startHarness();
    await h.tree({ code: 'city' });
    const { account } = await h.account({ agency: 'city', roles: [Role.AGENCY_ADMIN], username: 'claims.user' });
    accountId = account.id;
    agencyId = account.agency.id;
  });
  afterAll(() => h.close());

  const now = () => Math.floor(Date.now() / 1000);
  const mint = (payload: Record<string, unknown>, opts: jwt.SignOptions = {}) =>
    jwt.sign({ agency: agencyId, typ: 'access', sub: accountId, ...payload }, h.tokens.secret, {
      algorithm: 'HS256',
      issuer: h.tokens.issuer,
      audience: h.tokens.audience,
      ...opts,
    });

  const expectRefused = async (token: string) => {
    const res = await h.gql(ME, {}, token);
    expect(res.status).toBe(401);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|\.ts:\d+|uuid/);
  };

  it('accepts a well-formed token within the lifetime', async () => {
    const res = await h.gql(ME, {}, mint({ iat: now(), exp: now() + h.tokens.ttlSeconds }));
    expect(res.errors).toBeUndefined();
    expect(res.data!.me.username).toBe('claims.user');
  });

  it('refuses a token without exp', async () => {
    await expectRefused(mint({ iat: now() }));
  });

  it('refuses a token without iat', async () => {
    await expectRefused(mint({ exp: now() + 600 }, { noTimestamp: true }));
  });

  it('refuses a token living longer than the configured lifetime', async () => {
    await expectRefused(mint({ iat: now(), exp: now() + h.tokens.ttlSeconds + 60 }));
    await expectRefused(mint({ iat: now() - 60, exp: now() + 10 * 365 * 86400 }));
  });

  it('refuses a token issued in the future (which would stretch the lifetime)', async () => {
    const future = now() + 86400;
    await expectRefused(mint({ iat: future, exp: future + 600 }));
  });

  it('refuses a non-numeric iat (signed by hand: jsonwebtoken will not sign one)', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = b64({ alg: 'HS256', typ: 'JWT' });
    const body = b64({
      agency: agencyId,
      typ: 'access',
      sub: accountId,
      iss: h.tokens.issuer,
      aud: h.tokens.audience,
      iat: String(now()),
      exp: now() + 600,
    });
    const sig = createHmac('sha256', h.tokens.secret).update(`${head}.${body}`).digest('base64url');
    await expectRefused(`${head}.${body}.${sig}`);
  });

  it('refuses a subject that is not a uuid (was a 500)', async () => {
    for (const sub of ['admin', "' or 1=1 --", '', '00000000-0000-0000-0000-00000000000g']) {
      await expectRefused(mint({ sub, iat: now(), exp: now() + 600 }));
    }
  });

  it('refuses an agency claim that is not a uuid', async () => {
    await expectRefused(mint({ agency: 'city', iat: now(), exp: now() + 600 }));
  });

  it('refuses a uuid subject of no account', async () => {
    await expectRefused(mint({ sub: '7a1f3c1e-9a51-4a0e-8d0b-1d2b3c4d5e6f', iat: now(), exp: now() + 600 }));
  });
});
