/**
 * Whether an error means the database cannot be reached right now (server down, restarting, refusing
 * connections, a connection cut mid-request, the pool unable to connect) — as opposed to an error in
 * what was asked. Such requests get HTTP 503 with `SERVICE_UNAVAILABLE` and `Retry-After`, so clients
 * retry instead of reporting a bug; the pool reconnects by itself once the server is back.
 */

/** Seconds a client should wait before retrying during an outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

// The last two: a statement written to a socket the server has just closed, when the driver has not
// yet seen the close (node answers the write itself, with no errno) — a race a busy machine makes likely.
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);
// SQLSTATE class 08 (connection exception) and 57P0x (admin shutdown, crash shutdown, cannot connect now).
const PG_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03']);
const MESSAGES = [
  /Connection terminated/i,
  /connection .*closed/i,
  /not currently accepting connections/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /Timeout acquiring a connection/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  // pg, for a query on a client the pool ended after its connection broke.
  /Client was closed and is not queryable/i,
];

export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NODE_CODES.has(code) || PG_CODES.has(code))) return true;
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
    const next = e as { originalError?: unknown; cause?: unknown; previous?: unknown };
    e = next.originalError ?? next.cause ?? next.previous;
  }
  return false;
}
