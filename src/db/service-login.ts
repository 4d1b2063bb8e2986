import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config';
import type { Logger } from '../logger';
import type { Orm } from './orm';

/** The least-privilege login role requests use (migration 20261122070000_ServiceLogin). */
export const SERVICE_ROLE = 'openness_service';

/** The owner's URL with the service role's credentials instead. */
export function serviceDatabaseUrl(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = SERVICE_ROLE;
  url.password = password;
  return url.toString();
}

/** Sets the role's password through the owner's connection (it created the role in a migration). */
export async function setServicePassword(orm: Orm, password: string): Promise<void> {
  // A literal, quotes doubled: ALTER ROLE takes no bind parameters.
  await orm.em.getConnection().execute(`alter role ${SERVICE_ROLE} with login password '${password.replace(/'/g, "''")}'`);
}

/**
 * The URL of the request pool, or null when requests must use the owner's login:
 * - embedded server: a random password generated once, kept in the data folder readable by the
 *   owner only, and (re)applied at every start;
 * - DATABASE_URL: DATABASE_SERVICE_PASSWORD, applied when the owner may (else the operator set it);
 *   without it requests use DATABASE_URL's login, and a warning says so.
 */
export async function prepareServiceLogin(orm: Orm, config: AppConfig, ownerUrl: string, log: Logger): Promise<string | null> {
  let password: string;
  if (!config.databaseUrl) {
    const file = path.join(config.dataDir, 'service-db-password');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(config.dataDir, { recursive: true });
      fs.writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
    }
    password = fs.readFileSync(file, 'utf8').trim();
    await setServicePassword(orm, password);
  } else if (config.databaseServicePassword) {
    password = config.databaseServicePassword;
    try {
      await setServicePassword(orm, password);
    } catch (err) {
      log.info({ err }, `could not set the ${SERVICE_ROLE} password; assuming the operator did`);
    }
  } else {
    log.warn(`DATABASE_SERVICE_PASSWORD is not set: requests log in as DATABASE_URL's user instead of ${SERVICE_ROLE}`);
    return null;
  }
  return serviceDatabaseUrl(ownerUrl, password);
}
