import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';

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
  // `iat` from the same clock reading as `exp`, so exp − iat never exceeds the lifetime verify allows.
  const token = jwt.sign({ agency: claims.agencyId, typ: ACCESS_TOKEN_TYPE, iat: now, exp }, hmacKey(settings.secret), {
    algorithm: JWT_ALGORITHM,
    subject: claims.accountId,
    issuer: settings.issuer,
    audience: settings.audience,
  });
  return { token, expiresAt: new Date(exp * 1000) };
}

export type TokenProblem = 'EXPIRED' | 'INVALID';

const CLOCK_TOLERANCE_SECONDS = 5;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; problem: TokenProblem; reason: string };

/**
 * Tokens that verified, by their exact text, for the settings they verified under. A front-end sends
 * the same token with every request for hours; checking its HMAC and re-parsing its JSON each time
 * was a tenth of the CPU of a small request (`me`). The cache cannot admit anything verification
 * would refuse: the key is the whole token, signature included, so a token differing in any byte is
 * verified afresh; only successes are kept; the one check that depends on the clock (expiry) runs
 * again on every hit; and a change of secret, issuer, audience or lifetime empties it. Whether the
 * account may still use the token (disabled, password changed) is decided per request from the
 * database (openContext), never here.
 */
const VERIFIED_TOKENS_MAX = 10_000;
let verified: { settings: TokenSettings; cache: LRUCache<string, AccessClaims> } | null = null;

function verifiedCache(settings: TokenSettings): LRUCache<string, AccessClaims> {
  const same =
    verified &&
    verified.settings.secret === settings.secret &&
    verified.settings.issuer === settings.issuer &&
    verified.settings.audience === settings.audience &&
    verified.settings.ttlSeconds === settings.ttlSeconds;
  if (!same) verified = { settings: { ...settings }, cache: new LRUCache<string, AccessClaims>({ max: VERIFIED_TOKENS_MAX }) };
  return verified!.cache;
}

/** Verifies signature, algorithm, issuer, audience, expiry and the token-type claim. */
export function verifyAccessToken(settings: TokenSettings, token: string): VerifyResult {
  const cache = verifiedCache(settings);
  const hit = cache.get(token);
  if (hit) {
    // jsonwebtoken's own expiry rule: expired once now ≥ exp + tolerance.
    if (Math.floor(Date.now() / 1000) >= hit.exp + CLOCK_TOLERANCE_SECONDS) {
      cache.delete(token);
      return { ok: false, problem: 'EXPIRED', reason: 'token expired' };
    }
    return { ok: true, claims: hit };
  }
  const result = verifyUncached(settings, token);
  if (!result.ok) return result;
  // Frozen: the same object answers every later request with this token.
  const claims = Object.freeze({ ...result.claims });
  cache.set(token, claims);
  return { ok: true, claims };
}

function verifyUncached(settings: TokenSettings, token: string): VerifyResult {
  try {
    const decoded = jwt.verify(token, hmacKey(settings.secret), {
      algorithms: [JWT_ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (typeof decoded === 'string') return { ok: false, problem: 'INVALID', reason: 'payload is not an object' };
    if (decoded.typ !== ACCESS_TOKEN_TYPE) return { ok: false, problem: 'INVALID', reason: 'wrong token type' };
    if (typeof decoded.sub !== 'string' || typeof decoded.agency !== 'string')
      return { ok: false, problem: 'INVALID', reason: 'missing subject' };
    // The subject and agency go into uuid columns: anything else would be a database error (a 500).
    if (!UUID_RE.test(decoded.sub) || !UUID_RE.test(decoded.agency))
      return { ok: false, problem: 'INVALID', reason: 'subject or agency is not a uuid' };
    // jsonwebtoken checks `exp` only when present and never bounds a lifetime. A token without `exp`
    // would never expire, one without `iat` would survive a password change (openContext compares
    // `iat` with credentials_changed_at), and a far `exp` or a future `iat` would outlive the
    // configured lifetime: all refused, whoever holds the key.
    const { iat, exp } = decoded;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return { ok: false, problem: 'INVALID', reason: 'missing exp' };
    if (typeof iat !== 'number' || !Number.isFinite(iat)) return { ok: false, problem: 'INVALID', reason: 'missing iat' };
    if (iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS)
      return { ok: false, problem: 'INVALID', reason: 'issued in the future' };
    if (exp - iat > settings.ttlSeconds) return { ok: false, problem: 'INVALID', reason: 'lifetime longer than allowed' };
    return { ok: true, claims: decoded as AccessClaims };
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) return { ok: false, problem: 'EXPIRED', reason: 'token expired' };
    return { ok: false, problem: 'INVALID', reason: err instanceof Error ? err.message : 'invalid token' };
  }
}
