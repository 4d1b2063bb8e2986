import path from 'node:path';
import { PREPARED_DEFAULTS } from './db/prepared-statements';

/** Everything the process reads from its environment, read once so the rest of the code never touches process.env. */
export interface AppConfig {
  /** External PostgreSQL; when absent the service starts an embedded server. */
  databaseUrl: string | null;
  /**
   * Password of the least-privilege login role `openness_service` that requests use, with
   * DATABASE_URL (the embedded server generates one and keeps it in the data folder). Without it,
   * requests fall back to DATABASE_URL's own login (logged as a warning).
   */
  databaseServicePassword: string | null;
  /** Folder for the embedded server's data and the generated development signing key. */
  dataDir: string;
  embeddedPort: number;
  port: number;
  host: string;
  jwtSecret: string | null;
  jwtIssuer: string;
  jwtAudience: string;
  tokenTtlSeconds: number;
  logLevel: string;
  dbPoolMax: number;
  /**
   * Named prepared statements kept per database connection for repeated reads (src/db/prepared-statements.ts);
   * 0 turns them off, e.g. behind a transaction-mode connection pooler.
   */
  dbPreparedStatements: number;
  seedDemo: boolean;
  /** Wall-clock limit of one spreadsheet parse or write in its worker thread (src/spreadsheets/sheet-worker.ts). */
  sheetWorkerTimeoutMs: number;
  /** Heap limit (V8 old generation) of a spreadsheet worker thread. */
  sheetWorkerMemoryMb: number;
}

/**
 * An honest upload (at most 1 MB) reads in a second or two with well under 100 MB of heap; these
 * leave room for a busy machine and refuse what exceljs would take minutes or gigabytes for.
 */
export const SHEET_WORKER_DEFAULTS = { timeoutMs: 30_000, memoryMb: 256 };

/** A whole number from the environment, at least `min` (1 unless said otherwise; 0 where 0 means "off"). */
function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be ${min === 0 ? '0 or ' : ''}a positive integer, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    databaseUrl: env.DATABASE_URL || null,
    databaseServicePassword: env.DATABASE_SERVICE_PASSWORD || null,
    dataDir: path.resolve(env.DATA_DIR || path.join(__dirname, '..', '.data')),
    embeddedPort: int(env, 'EMBEDDED_PG_PORT', 54329),
    port: int(env, 'PORT', 4000),
    // Loopback unless told otherwise: the service sits behind the agency's reverse proxy, and a
    // development machine should not expose its IDE and demo accounts to the whole office network.
    host: env.HOST || '127.0.0.1',
    jwtSecret: env.JWT_SECRET || null,
    jwtIssuer: env.JWT_ISSUER || 'openness-backend',
    jwtAudience: env.JWT_AUDIENCE || 'openness-api',
    tokenTtlSeconds: int(env, 'TOKEN_TTL_SECONDS', 8 * 3600),
    logLevel: env.LOG_LEVEL || 'info',
    dbPoolMax: int(env, 'DB_POOL_MAX', 20),
    dbPreparedStatements: int(env, 'DB_PREPARED_STATEMENTS', PREPARED_DEFAULTS.perConnection, 0),
    seedDemo: env.SEED_DEMO !== 'false',
    sheetWorkerTimeoutMs: int(env, 'SHEET_WORKER_TIMEOUT_MS', SHEET_WORKER_DEFAULTS.timeoutMs),
    sheetWorkerMemoryMb: int(env, 'SHEET_WORKER_MEMORY_MB', SHEET_WORKER_DEFAULTS.memoryMb),
  };
}
