/**
 * The process under test (forked by bench/run.ts, so the load generator does not share its event
 * loop or heap): the real service from `createAppServer` — with the bench-only CaptureLogger — and
 * the raw-SQL baseline, both on 127.0.0.1. Driven over IPC (see bench/ipc.ts).
 */
// First, as in src/main.ts: graphql-js reads NODE_ENV once, when it is loaded (src/production-mode.ts).
import '../src/production-mode';
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { Pool } from 'pg';
import { rootLogger } from '../src/logger';
import { initOrm, type Orm } from '../src/db/orm';
import { registerTokenSettings } from '../src/auth/token-settings';
import { registerSystemOrm } from '../src/db/system';
import { configurePreparedStatements, preparedStatementSettings } from '../src/db/prepared-statements';
import { loadConfig } from '../src/config';
import { createAppServer, type AppServer } from '../src/graphql/server';
import { CaptureLogger, startCapture, takeCapture } from './capture-logger';
import { createBaselineServer, isTransactionControl, ownerVariant, type ReplayScript } from './baseline';
import type { Command, Commands, Request } from './ipc';

let orm: Orm | null = null;
let app: AppServer | null = null;
let baseline: http.Server | null = null;
let pool: Pool | null = null;
const scripts = new Map<string, ReplayScript>();

const listen = (server: http.Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

const handlers: { [C in Command]: (args: Commands[C]['args']) => Promise<Commands[C]['result']> } = {
  async init(args) {
    const log = rootLogger.child({ bench: 'service' });
    log.level = args.logLevel;
    orm = await initOrm(args.dbUrl, {
      pool: { min: 0, max: args.poolMax },
      // Bench-only: the service's CountingLogger plus statement capture for the baseline replay.
      loggerFactory: (options) => new CaptureLogger(options),
      debug: false,
    });
    registerTokenSettings(args.tokens);
    registerSystemOrm(orm);
    // As src/main.ts: DB_PREPARED_STATEMENTS decides (default on).
    configurePreparedStatements({ perConnection: loadConfig().dbPreparedStatements });
    app = await createAppServer({ orm, tokens: args.tokens, log, exposeStats: true });
    const servicePort = await listen(app.httpServer);
    // Same pool size as the ORM's; tarn (knex) keeps idle connections 30 s, so does this pool.
    pool = new Pool({ connectionString: args.dbUrl, max: args.poolMax, idleTimeoutMillis: 30_000 });
    baseline = createBaselineServer(pool, scripts, preparedStatementSettings().perConnection > 0);
    const baselinePort = await listen(baseline);
    return { servicePort, baselinePort, pid: process.pid, preparedPerConnection: preparedStatementSettings().perConnection };
  },

  async captureStart({ reqId }) {
    startCapture(reqId);
    return null;
  },

  async captureTake({ reqId, key }) {
    if (!orm) throw new Error('not initialised');
    const platform = orm.em.getPlatform();
    const captured = takeCapture(reqId);
    // Exactly the text MikroORM sent: it inlines parameters with the platform's formatQuery.
    const statements = captured.map((s) => platform.formatQuery(s.query, s.params as never[])).filter((sql) => !isTransactionControl(sql));
    const owner = ownerVariant(statements);
    scripts.set(key, { gate: statements, owner });
    return { statements, failed: captured.filter((s) => s.failed).length, ownerVariant: owner !== null };
  },

  async memory({ gc }) {
    const collect = (globalThis as { gc?: () => void }).gc;
    if (gc && collect) {
      collect();
      await new Promise((r) => setImmediate(r));
      collect();
    }
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, gc: Boolean(gc && collect) };
  },

  async stop() {
    await app?.close().catch(() => undefined);
    if (baseline?.listening) await new Promise<void>((r) => baseline!.close(() => r()));
    await pool?.end().catch(() => undefined);
    await orm?.close(true).catch(() => undefined);
    return null;
  },
};

process.on('message', (m: Request) => {
  const handler = handlers[m.cmd] as (args: unknown) => Promise<unknown>;
  handler(m.args).then(
    (result) => {
      process.send?.({ id: m.id, ok: true, result });
      if (m.cmd === 'stop') setImmediate(() => process.exit(0));
    },
    (err: unknown) => process.send?.({ id: m.id, ok: false, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) }),
  );
});
// Never outlive the benchmark.
process.on('disconnect', () => process.exit(0));
