import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config';

/**
 * The signing key comes from JWT_SECRET. Only the embedded (development) mode may invent one, kept
 * in the git-ignored data folder so tokens survive restarts; against a real DATABASE_URL a missing
 * key stops the start-up instead of silently signing with something guessable.
 */
export function resolveSigningKey(config: AppConfig): string {
  if (config.jwtSecret) {
    if (config.jwtSecret.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
    return config.jwtSecret;
  }
  if (config.databaseUrl) {
    throw new Error('JWT_SECRET is required when DATABASE_URL is set (only the embedded mode generates a key)');
  }
  const file = path.join(config.dataDir, 'dev-jwt-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
