import type { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from 'knex';
import { runStatement, type PreparingClient } from './prepared-statements';

/** What `sql()` uses of MikroORM's connection besides its public API (see `sql`). */
interface OrmConnection {
  getSql(query: string, formatted: string, context?: Record<string, unknown>): string;
  logQuery(query: string, context?: Record<string, unknown>): void;
}

/** The driver connection of a knex transaction: knex hands out the one connection it runs on. */
interface TransactionClient {
  acquireConnection(): Promise<PreparingClient>;
}

/**
 * Raw SQL through the request's EntityManager: it runs in the request transaction, under the
 * restricted role, so row-level security filters it like any ORM query. The logger context keeps
 * the statement counted against the request.
 *
 * Inside a transaction (every request is one) the statement is sent straight to the transaction's
 * own connection instead of through `em.execute`: knex builds a query object, a runner and a promise
 * chain around each statement, and MikroORM another, ≈ 45 µs of CPU per statement — a tenth of a
 * small request like `me`, which is three statements. Everything else stays as `em.execute` does it:
 * the same text (parameters inlined by MikroORM's `formatQuery`), the same logger call (statement
 * counts, debug output), the same exception conversion, and knex's refusal to run anything once the
 * transaction has ended — checked right before the statement is queued, so it can never run on a
 * connection already handed back to the pool. A read the process repeats runs as a named prepared
 * statement, so the connection plans it once (src/db/prepared-statements.ts).
 */
export async function sql<T extends object = Record<string, unknown>>(
  em: EntityManager,
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  const trx = em.getTransactionContext<Knex.Transaction>();
  if (!trx) return em.execute<T[]>(query, params as never[], 'all', em.getLoggerContext());
  const connection = em.getConnection() as unknown as OrmConnection;
  const loggerContext = em.getLoggerContext();
  const formatted = em.getPlatform().formatQuery(query, params as never[]);
  const shown = connection.getSql(query, formatted, loggerContext);
  const started = Date.now();
  try {
    const client = await (trx.client as unknown as TransactionClient).acquireConnection();
    // knex's own words (completedError), so callers see the same failure either way.
    if (trx.isCompleted()) throw new Error(`Transaction query already complete, run with DEBUG=knex:tx for more info\n${formatted}`);
    const res = await runStatement(client, formatted);
    // As MikroORM's transformRawResult: several statements in one text give one row list each.
    const rows = (Array.isArray(res) ? res.map((r) => r.rows) : res.rows) as T[];
    connection.logQuery(shown, { query, params, ...loggerContext, took: Date.now() - started, results: rows.length });
    return rows;
  } catch (err) {
    connection.logQuery(shown, { query, params, ...loggerContext, took: Date.now() - started, level: 'error' });
    throw em.getDriver().convertException(err as Error);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A `uuid[]` literal for `= any(?::uuid[])`; knex would otherwise expand a JS array into a list. */
export function uuidArrayLiteral(ids: readonly string[]): string {
  for (const id of ids) if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  return `{${ids.join(',')}}`;
}

/** An `int[]` literal for `?::int[]` (whole numbers only; knex would otherwise expand a JS array into a list). */
export function intArrayLiteral(values: readonly number[]): string {
  return `{${values.map((v) => Math.trunc(v)).join(',')}}`;
}
