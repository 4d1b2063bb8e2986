import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** Only this algorithm is accepted; `alg: none` and every other algorithm are refused on verify. */
export const JWT_ALGORITHM = 'HS256' as const;
export const ACCESS_TOKEN_TYPE = 'access';

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface AccessClaims {
  sub: string;
  agency: string;
  typ: typeof ACCESS_TOKEN_TYPE;
  iat: number;
  exp: number;
}

/**
 * The HMAC key as a KeyObject, made once per secret. Given a string, jsonwebtoken first tries to
 * parse it as a PEM public (or private) key on EVERY call — a thrown and caught OpenSSL error —
 * before falling back to a secret key: the largest single item in a CPU profile of `me`. The checks
 * are unchanged (HS256 only, issuer, audience, expiry).
 */
let cachedKey: { secret: string; key: KeyObject } | null = null;
function hmacKey(secret: string): KeyObject {
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  return cachedKey.key;
}

export function signAccessToken(
  settings: TokenSettings,
  claims: { accountId: string; agencyId: string },
  opts: { expiresAt?: Date } = {},
): { token: string; expiresAt: Date } {
  const now = Math.floor(Date.now() / 1000);
  const exp = opts.expiresAt
    ? Math.min(Math.floor(opts.expiresAt.getTime() / 1000), now + settings.ttlSeconds)
    : now + settings.ttlSeconds;
  const token = jwt.sign({ agency: claims.agencyId, typ: ACCESS_TOKEN_TYPE, exp }, hmacKey(settings.secret), {
    algorithm: JWT_ALGORITHM,
    subject: claims.accountId,
    issuer: settings.issuer,
    audience: settings.audience,
  });
  return { token, expiresAt: new Date(exp * 1000) };
}

export type TokenProblem = 'EXPIRED' | 'INVALID';

/** Verifies signature, algorithm, issuer, audience, expiry and the token-type claim. */
export function verifyAccessToken(
  settings: TokenSettings,
  token: string,
): { ok: true; claims: AccessClaims } | { ok: false; problem: TokenProblem; reason: string } {
  try {
    const decoded = jwt.verify(token, hmacKey(settings.secret), {
      algorithms: [JWT_ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: 5,
    });
    if (typeof decoded === 'string') return { ok: false, problem: 'INVALID', reason: 'payload is not an object' };
    if (decoded.typ !== ACCESS_TOKEN_TYPE) return { ok: false, problem: 'INVALID', reason: 'wrong token type' };
    if (typeof decoded.sub !== 'string' || typeof decoded.agency !== 'string')
      return { ok: false, problem: 'INVALID', reason: 'missing subject' };
    return { ok: true, claims: decoded as AccessClaims };
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) return { ok: false, problem: 'EXPIRED', reason: 'token expired' };
    return { ok: false, problem: 'INVALID', reason: err instanceof Error ? err.message : 'invalid token' };
  }
}
