import { signAccessToken, verifyAccessToken, type TokenSettings } from '../../../src/auth/jwt';

/**
 * verifyAccessToken keeps tokens that verified (src/auth/jwt.ts). The cache must never admit what a
 * fresh verification would refuse: an expired token, a token altered in any byte, a token signed
 * for other settings.
 */
describe('verified-token cache', () => {
  const settings: TokenSettings = {
    secret: 'unit-secret-0123456789-0123456789-abcdef',
    issuer: 'openness-backend',
    audience: 'openness-api',
    ttlSeconds: 3600,
  };
  const claims = { accountId: '0b0e3f0e-6a4e-4a8c-9a52-2f1f3c9a1d01', agencyId: '5d1c1b2a-7e3f-4c5d-8e9f-0a1b2c3d4e5f' };

  afterEach(() => jest.restoreAllMocks());

  it('refuses a cached token once it has expired, as jsonwebtoken would', () => {
    const { token, expiresAt } = signAccessToken(settings, claims);
    expect(verifyAccessToken(settings, token).ok).toBe(true);
    expect(verifyAccessToken(settings, token).ok).toBe(true);
    const exp = expiresAt.getTime();
    // Within the 5 s clock tolerance it still passes; from exp + 5 s on it is refused as EXPIRED.
    jest.spyOn(Date, 'now').mockReturnValue(exp + 4000);
    expect(verifyAccessToken(settings, token).ok).toBe(true);
    jest.spyOn(Date, 'now').mockReturnValue(exp + 5000);
    expect(verifyAccessToken(settings, token)).toMatchObject({ ok: false, problem: 'EXPIRED' });
    jest.restoreAllMocks();
    jest.spyOn(Date, 'now').mockReturnValue(exp + 60_000);
    expect(verifyAccessToken(settings, token)).toMatchObject({ ok: false, problem: 'EXPIRED' });
  });

  it('verifies a token altered in its signature or payload afresh, and refuses it', () => {
    const { token } = signAccessToken(settings, claims);
    expect(verifyAccessToken(settings, token).ok).toBe(true);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(verifyAccessToken(settings, `${header}.${payload}.${flipped}`)).toMatchObject({ ok: false, problem: 'INVALID' });
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), agency: claims.accountId })).toString('base64url');
    expect(verifyAccessToken(settings, `${header}.${other}.${signature}`)).toMatchObject({ ok: false, problem: 'INVALID' });
  });

  it('forgets every cached token when the secret, issuer, audience or lifetime changes', () => {
    const { token } = signAccessToken(settings, claims);
    expect(verifyAccessToken(settings, token).ok).toBe(true);
    expect(verifyAccessToken({ ...settings, secret: `${settings.secret}-rotated` }, token).ok).toBe(false);
    expect(verifyAccessToken({ ...settings, audience: 'another-api' }, token).ok).toBe(false);
    expect(verifyAccessToken({ ...settings, issuer: 'someone-else' }, token).ok).toBe(false);
    // A shorter lifetime than the token's own: refused although its signature is fine.
    expect(verifyAccessToken({ ...settings, ttlSeconds: 60 }, token).ok).toBe(false);
    expect(verifyAccessToken(settings, token).ok).toBe(true);
  });

  it('hands out claims nobody can change for the next request', () => {
    // A token of its own (a later expiry than the other tests' tokens), so the first verify is a miss.
    const { token } = signAccessToken(settings, claims, { expiresAt: new Date(Date.now() + 1800_000) });
    const first = verifyAccessToken(settings, token);
    if (!first.ok) throw new Error('expected a valid token');
    expect(() => {
      (first.claims as { sub: string }).sub = 'someone-else';
    }).toThrow(TypeError);
    const second = verifyAccessToken(settings, token);
    expect(second.ok && second.claims.sub).toBe(claims.accountId);
  });
});
