/**
 * The raw-SQL baseline: a plain `node:http` server with a `pg` pool that answers a request by
 * replaying the statements the service ran for the same GraphQL request (recorded once through the
 * CaptureLogger) — in one transaction, on one pooled client: `begin`, the account re-read, the
 * tenancy gate (`set_config('role', 'openness_app', true)` …), the resolvers' statements, `commit` —
 * and answering with the rows as JSON. No GraphQL, no ORM, no entity hydration: what is left is the
 * cost of the SQL itself plus the thinnest possible HTTP layer.
 *
 * Statements the service runs as named prepared statements (repeated single reads, see
 * src/db/prepared-statements.ts; the warm-up makes every one of them repeated) are replayed as named
 * prepared statements too, under the same name, so both sides plan each once per connection and the
 * comparison stays one of everything but the SQL. The owner replay names its statements apart: a
 * plan made for the owner, without row-level security, is not the gate's.
 *
 * `?mode=owner` replays the same statements with the role switch removed from the gate statement
 * (scope settings kept): the connecting role — a superuser on the embedded server — then bypasses
 * row-level security. That is the gate-cost comparison.
 */
import http from 'node:http';
import type { Pool, PoolClient } from 'pg';
import { isPreparable, statementName } from '../src/db/prepared-statements';

export interface ReplayScript {
  /** Statements as the service sent them (begin/commit excluded: the replay adds its own). */
  gate: string[];
  /** The same with the role switch taken out of the gate statement; null when it was not found. */
  owner: string[] | null;
}

const GATE_ROLE = /,?\s*set_config\('role',\s*'[^']*',\s*true\)/i;

/** The gate statement without its role switch (the scope settings stay, so the statement count is equal). */
export function ownerVariant(statements: string[]): string[] | null {
  let found = false;
  const out = statements.map((s) => {
    if (!found && /set_config\('role'/i.test(s)) {
      found = true;
      const stripped = s.replace(GATE_ROLE, '');
      return /^\s*select\s*$/i.test(stripped.replace(/\s+/g, ' ').trim()) ? 'select 1' : stripped;
    }
    return s;
  });
  return found ? out : null;
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|start transaction\b|savepoint\b|release savepoint\b|rollback to savepoint\b)/i;

export function isTransactionControl(sql: string): boolean {
  return TRANSACTION_CONTROL.test(sql);
}

/** One replayed statement, sent as the service sends it (`prepare`: the service prepares repeated reads). */
function replay(client: PoolClient, sql: string, prepare: boolean, owner: boolean) {
  return prepare && isPreparable(sql) ? client.query({ name: `${statementName(sql)}${owner ? '_owner' : ''}`, text: sql }) : client.query(sql);
}

export function createBaselineServer(pool: Pool, scripts: Map<string, ReplayScript>, prepare: boolean): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const match = /^\/replay\/([^/]+)$/.exec(url.pathname);
        const script = match ? scripts.get(decodeURIComponent(match[1]!)) : undefined;
        if (req.method !== 'POST' || !script) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown scenario"}');
          return;
        }
        const owner = url.searchParams.get('mode') === 'owner';
        const statements = owner ? script.owner : script.gate;
        if (!statements) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"no owner variant"}');
          return;
        }
        const client = await pool.connect();
        const started = process.hrtime.bigint();
        try {
          await client.query('begin');
          const results: unknown[][] = [];
          for (const sql of statements) results.push((await replay(client, sql, prepare, owner)).rows);
          await client.query('commit');
          const sqlMs = Number(process.hrtime.bigint() - started) / 1e6;
          const body = JSON.stringify({ data: results });
          res.writeHead(200, {
            'content-type': 'application/json',
            'x-sql-statements': String(statements.length),
            'x-sql-ms': sqlMs.toFixed(3),
          });
          res.end(body);
        } catch (err) {
          await client.query('rollback').catch(() => undefined);
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String((err as Error).message) }));
        } finally {
          client.release();
        }
      })();
    });
  });
}
