import { createHash } from 'node:crypto';
import type { QueryResult } from 'pg';

/**
 * Named prepared statements for the reads a process repeats.
 *
 * The roll-up and figure statements are long CTEs whose planning costs more than running them: a
 * city's compliance roll-up plans in ≈ 2.6 ms and runs in ≈ 2 ms, and the tenancy gate's policies
 * add a sub-plan per table reference to every plan. `sql()` sends its text with the parameters
 * inlined (MikroORM's `formatQuery`), so a repeated statement is a zero-parameter statement:
 * PostgreSQL keeps one generic plan for it — exactly the plan it makes now, since nothing is left to
 * bind — and a named statement skips parse, rewrite and planning on every later use on that
 * connection. The gate stays exact: the policies read the scope through `(select app_scope_path())`,
 * an InitPlan evaluated when the plan runs, never baked into it, and PostgreSQL re-plans by itself
 * when the role a row-security plan was made for changes (an evaluator's request on a connection
 * that last served a writer) or a table's definition changes.
 *
 * Bounded on both sides:
 * - a statement is prepared from its second sighting in this process (a bounded table of texts seen),
 *   so one-off texts — a loader's list of ids — never take a connection's slots;
 * - each connection keeps at most `perConnection` statements and `TEXT_BUDGET` characters of their
 *   text (a plan takes ≈ 100× its text in the server's memory: ≈ 650 kB for a 6 kB roll-up), least
 *   recently used first out with `DEALLOCATE`.
 *
 * Only single `select`/`with` statements are prepared (the extended protocol refuses several
 * statements in one text). `DB_PREPARED_STATEMENTS=0` turns all of this off, e.g. behind a
 * transaction-mode pooler that does not carry prepared statements.
 */

/** The pg client of a pooled connection, as far as this module uses it. */
export interface PreparingClient {
  query(config: { name: string; text: string }): Promise<QueryResult>;
  query(text: string): Promise<QueryResult | QueryResult[]>;
  query(text: string, callback: (err: Error | null) => void): void;
  /** pg's record of the statements the server has parsed on this connection (set on ParseComplete). */
  connection: { parsedStatements: Record<string, string | undefined> };
}

export interface PreparedStatementSettings {
  /** Statements kept per connection; 0 = never prepare. */
  perConnection: number;
}

export const PREPARED_DEFAULTS: PreparedStatementSettings = { perConnection: 32 };

/** Characters of statement text kept prepared per connection (see the server-memory note above). */
export const TEXT_BUDGET = 96 * 1024;
/** Texts remembered process-wide to recognise a second sighting: at most this many, and this many characters. */
const SIGHTINGS = 2000;
const SIGHTINGS_CHARS = 4 * 1024 * 1024;
/** Longer texts are never prepared (nor remembered). */
const MAX_TEXT = 64 * 1024;

let settings: PreparedStatementSettings = { ...PREPARED_DEFAULTS };

export function configurePreparedStatements(next: PreparedStatementSettings): void {
  settings = { ...next };
}

export function preparedStatementSettings(): PreparedStatementSettings {
  return { ...settings };
}

/** A single read statement: starts with select/with and has no `;` (conservative: any `;` at all). */
export function isPreparable(text: string): boolean {
  return text.length <= MAX_TEXT && /^\s*(select|with)\b/i.test(text) && !text.includes(';');
}

/** The statement's name: a digest of its text, so every connection and process names it alike. */
export function statementName(text: string): string {
  return `s_${createHash('sha1').update(text).digest('hex').slice(0, 30)}`;
}

/** Texts seen once (value null) or more (value: their name), least recently seen first. */
const sightings = new Map<string, string | null>();
let sightingChars = 0;

/** The name to run `text` under, or null on its first sighting (then it runs unnamed, as before). */
function nameOnRepeat(text: string): string | null {
  const seen = sightings.get(text);
  if (seen === undefined) {
    sightings.set(text, null);
    sightingChars += text.length;
    while (sightings.size > SIGHTINGS || sightingChars > SIGHTINGS_CHARS) {
      const oldest = sightings.keys().next().value as string;
      sightings.delete(oldest);
      sightingChars -= oldest.length;
    }
    return null;
  }
  const name = seen ?? statementName(text);
  sightings.delete(text);
  sightings.set(text, name);
  return name;
}

/** One connection's prepared statements: name → text length, least recently used first. */
interface ConnectionStatements {
  lru: Map<string, number>;
  chars: number;
}

const perClient = new WeakMap<PreparingClient, ConnectionStatements>();

function statementsOf(client: PreparingClient): ConnectionStatements {
  let s = perClient.get(client);
  if (!s) perClient.set(client, (s = { lru: new Map(), chars: 0 }));
  return s;
}

function forget(s: ConnectionStatements, name: string): void {
  const size = s.lru.get(name);
  if (size === undefined) return;
  s.lru.delete(name);
  s.chars -= size;
}

/**
 * After a named statement ran (or failed): if the server holds it (pg records it on ParseComplete),
 * it becomes the most recently used; then the oldest go while the connection is over its bounds.
 *
 * An evicted statement's `DEALLOCATE` is queued on the connection behind what is already queued
 * (src/db/serial-queries.ts: one statement at a time), and pg's record of it is dropped only when the
 * server has confirmed — in the callback, before the next queued statement is handed to pg — so a
 * statement queued earlier still runs under the name, and one queued later parses it anew. If the
 * `DEALLOCATE` fails (a statement queued before it failed and aborted the transaction, or the
 * connection broke), the statement is still the server's and is kept, first out at the next eviction.
 */
function touch(client: PreparingClient, name: string, text: string, evict: boolean): void {
  const s = statementsOf(client);
  forget(s, name);
  if (client.connection.parsedStatements[name] === undefined) return;
  s.lru.set(name, text.length);
  s.chars += text.length;
  // After a failure the transaction is likely aborted and would refuse the DEALLOCATE: the next
  // statement that succeeds evicts instead.
  if (!evict) return;
  while (s.lru.size > 1 && (s.lru.size > settings.perConnection || s.chars > TEXT_BUDGET)) {
    const [oldest, size] = s.lru.entries().next().value as [string, number];
    forget(s, oldest);
    const oldText = client.connection.parsedStatements[oldest];
    // Not (or no longer) on the server: nothing to deallocate.
    if (oldText === undefined) continue;
    client.query(`deallocate "${oldest}"`, (err) => {
      if (!err) {
        delete client.connection.parsedStatements[oldest];
      } else if (!s.lru.has(oldest)) {
        // Still the server's: back in as the least recently used, first out at the next eviction.
        s.lru = new Map([[oldest, size], ...s.lru]);
        s.chars += size;
      }
    });
  }
}

/** Runs `text` on `client`: as a named prepared statement from its second sighting, else as before. */
export async function runStatement(client: PreparingClient, text: string): Promise<QueryResult | QueryResult[]> {
  const name = settings.perConnection > 0 && isPreparable(text) ? nameOnRepeat(text) : null;
  if (!name) return client.query(text);
  let ok = false;
  try {
    const res = await client.query({ name, text });
    ok = true;
    return res;
  } finally {
    touch(client, name, text, ok);
  }
}

/** The connection's prepared statements as this module tracks them (tests and diagnostics). */
export function trackedStatements(client: PreparingClient): string[] {
  return [...(perClient.get(client)?.lru.keys() ?? [])];
}
