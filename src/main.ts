// First: graphql-js reads NODE_ENV once, when it is loaded (see production-mode.ts).
import './production-mode';
import 'reflect-metadata';
import { loadConfig } from './config';
import { rootLogger } from './logger';
import { openDatabase } from './db/database';
import { initOrm, migrateUp, type Orm } from './db/orm';
import { prepareServiceLogin } from './db/service-login';
import { registerSystemOrm } from './db/system';
import { resolveSigningKey } from './auth/signing-key';
import { registerTokenSettings } from './auth/token-settings';
import { createAppServer, type AppServer } from './graphql/server';
import { calendarService } from './modules/calendar/calendar.service';
import { configureSheetWorker } from './spreadsheets/sheet-worker';
import { configurePreparedStatements } from './db/prepared-statements';
import { DEMO_ACCOUNTS, seedDemoIfEmpty } from '../seeds/demo-seeder';

async function main() {
  const started = Date.now();
  const config = loadConfig();
  const log = rootLogger;
  const db = await openDatabase(config, log);

  // Take the signals over as soon as the database runs, before anything is announced: embedded-
  // postgres (through async-exit-hook) would stop the database on the first signal before running
  // requests have drained, and a signal that arrived between "ready" and installing our handlers
  // (a supervisor stopping a fresh start, the boot test on a busy machine) used to be lost.
  let server: AppServer | null = null;
  let orm: Orm | null = null;
  let requestOrm: Orm | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Each step is bounded: with the database gone (or not answering) a request can wait on a query
    // that never returns and a pool on a connection that never closes. A supervisor stopping us then
    // wants us gone promptly, with the stop logged — not a hang and a forced exit after 20 s. What did
    // not finish in time is logged and left behind; exiting ends it.
    const force = setTimeout(() => {
      log.error('shutdown timed out');
      process.exit(1);
    }, 20000);
    force.unref();
    const unfinished: string[] = [];
    const bounded = async (step: string, ms: number, work: () => Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        work().then(
          () => true,
          (err: unknown) => {
            log.warn({ err, step }, 'shutdown step failed');
            return true;
          },
        ),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), ms);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) {
        unfinished.push(step);
        log.warn({ step, ms }, 'shutdown step did not finish in time');
      }
    };
    // Stop accepting requests and let running ones finish for a few seconds; then cut what is left.
    if (server) {
      const http = server.httpServer;
      await bounded('http', 5000, () => server!.close());
      http.closeAllConnections();
    }
    if (requestOrm) await bounded('request pool', 2000, () => requestOrm!.close(true));
    if (orm) await bounded('owner pool', 2000, () => orm!.close(true));
    await bounded('database', 5000, () => db.stop());
    log.info({ signal, unfinished }, 'stopped');
    process.exit(0);
  };
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  log.info({ embedded: Boolean(db.embedded) }, db.embedded ? 'embedded PostgreSQL started' : 'using DATABASE_URL');
  configurePreparedStatements({ perConnection: config.dbPreparedStatements });
  orm = await initOrm(db.url, { pool: { min: 0, max: config.dbPoolMax } });
  // The national calendar's operator change and system recomputation act above every tenant.
  registerSystemOrm(orm);
  const applied = await migrateUp(orm);
  if (applied.length) log.info({ applied }, 'migrations applied');
  // A calendar change whose recomputation of open deadlines was cut off (the system's step after the
  // operator's, src/modules/calendar/calendar-system.ts) is finished before requests are served.
  const finished = await calendarService.finishPendingRecomputations(log);
  if (finished) log.info({ finished }, 'pending calendar recomputations finished');

  const tokens = {
    secret: resolveSigningKey(config),
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    ttlSeconds: config.tokenTtlSeconds,
  };
  registerTokenSettings(tokens);
  configureSheetWorker({ timeoutMs: config.sheetWorkerTimeoutMs, maxOldGenerationSizeMb: config.sheetWorkerMemoryMb });

  const seed = config.seedDemo ? await seedDemoIfEmpty(orm, log) : null;
  const seeded = seed !== null;

  // Requests and login log in as the least-privilege role (src/db/service-login.ts; login through
  // its own functions, src/modules/account/login-store.ts); migrations and the seeder keep the owner's pool.
  const serviceUrl = await prepareServiceLogin(orm, config, db.url, log);
  if (serviceUrl) requestOrm = await initOrm(serviceUrl, { pool: { min: 0, max: config.dbPoolMax } });
  const app = await createAppServer({ orm: requestOrm ?? orm, tokens, log });
  server = app;
  await new Promise<void>((resolve) => app.httpServer.listen(config.port, config.host, resolve));
  const url = `http://localhost:${config.port}/graphql`;
  log.info({ url, ms: Date.now() - started, seeded }, 'ready');
  if (process.stdout.isTTY || process.env.npm_lifecycle_event === 'start') {
    process.stdout.write(
      `\n  GraphQL API and IDE: ${url}\n` +
        (seeded || config.seedDemo
          ? `  Demo logins (password demo-password-1): ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')} — see README\n` +
            (seed?.evaluatorToken
              ? `  Evaluator token for 济宁's 2024 mid-year round (read-only, 30 days; shown this once, stored only as a hash):\n    Authorization: Bearer ${seed.evaluatorToken}\n`
              : '') +
            '\n'
          : '\n'),
    );
  }
}

main().catch((err) => {
  rootLogger.fatal({ err }, 'start-up failed');
  process.exit(1);
});
