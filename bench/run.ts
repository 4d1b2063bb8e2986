/**
 * `npm run bench` — the benchmark as a contract. One run:
 *
 * 1. generates the province data set in a throw-away database (embedded PostgreSQL, or a new
 *    database on DATABASE_URL's server) through the committed migrations, in bulk SQL
 *    (bench/dataset.ts, with the work plans and tasks of bench/plan-dataset.ts), calls `rebuildFigures`
 *    when src/figures/rebuild.ts provides it, VACUUM ANALYZE;
 * 2. forks the process under test (bench/server-process.ts): the real service (`createAppServer`)
 *    and a raw-SQL baseline (`node:http` + `pg`) that replays the very statements the service ran
 *    for each read scenario, recorded once per scenario through a bench-only MikroORM logger;
 *    measures both interleaved at concurrency 1 (latency) and N (throughput);
 * 3. gate cost: the same replay as the table owner (no role switch) vs under the gate; then the
 *    maintained roll-ups (compliance, completion) vs their recomputation (bench/recompute.ts);
 * 4. write cost: a publication walked from draft to published over GraphQL, with the `figures_*`
 *    triggers enabled vs disabled, interleaved;
 * 5. memory of the server process over a few thousand mixed read requests;
 * 6. writes bench/results.json, prints Markdown, and with `--readme` (or BENCH_README=1) rewrites the
 *    README's benchmark block (`npm run bench:readme` does that from the last results alone).
 *
 * A scenario that fails is reported as failed and the run goes on. Sizes and request counts are in
 * bench/config.ts (environment variables; BENCH_SCALE=0.05 for a smoke run).
 */
// First: graphql-js reads NODE_ENV once, when it is loaded; the forked server process inherits it (see src/production-mode.ts).
import '../src/production-mode';
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../src/logger';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { initOrm, migrateUp } from '../src/db/orm';
import { signAccessToken } from '../src/auth/jwt';
import { today as chinaToday } from '../src/modules/calendar/clock';
import { addDays } from '../src/modules/calendar/date-utils';
import * as config from './config';
import { startNodeFlags } from '../src/start-flags';
import { afterLoad, figureTriggers, findRebuildFigures, generateDataset, type DatasetResult } from './dataset';
import { rpc } from './ipc';
import { ownerVariant } from './baseline';
import { measureCompletionRecompute, measureRecompute, type RecomputeResult } from './recompute';
import { completionService } from '../src/modules/plan/completion.service';
import { alternateBlocks, alternateC1, graphqlCheck, post, run, stats, type Sample, type Send } from './load';
import {
  README_PATH,
  RESULTS_PATH,
  renderMarkdown,
  updateReadmeBlock,
  type BenchResults,
  type GateResult,
  type MemoryResult,
  type ReadResult,
  type WriteResult,
  type WriteSide,
} from './report';
import { READ_SCENARIOS, WRITE_STEPS, writeInput, writeMutation, type ReadScenario, type WriteRole } from './scenarios';

const started = performance.now();
const log = (msg: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
const round2 = (x: number) => Math.round(x * 100) / 100;
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function main() {
  const loadAvgStart = round2(os.loadavg()[0]!);
  const pgLog = rootLogger.child({ bench: 'postgres' });
  pgLog.level = 'warn';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openness-bench-'));
  fs.chmodSync(dir, 0o755);
  let adminUrl: string;
  let stopPg: (() => Promise<void>) | null = null;
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), log: pgLog, flags: ['-c', 'fsync=off'] });
    adminUrl = pg.url('postgres');
    stopPg = pg.stop;
  }
  const dbName = `openness_bench_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  await admin.end();
  const dbUrlObj = new URL(adminUrl);
  dbUrlObj.pathname = `/${dbName}`;
  const dbUrl = dbUrlObj.toString();
  log(`database ${dbName} (${process.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded PostgreSQL, fsync off'})`);

  const client = new Client({ connectionString: dbUrl });
  let child: ReturnType<typeof fork> | null = null;
  let call: ReturnType<typeof rpc> | null = null;
  try {
    // ---- 1. data set -------------------------------------------------------------------------
    const orm = await initOrm(dbUrl, { pool: { min: 0, max: 4 } });
    const applied = await migrateUp(orm);
    log(`migrations: ${applied.join(', ')}`);
    await client.connect();
    const today = chinaToday();
    const rebuild = await findRebuildFigures();
    const triggersAtLoad = await figureTriggers(client);
    // Bulk load without triggers when the figures can be rebuilt afterwards (or there are none).
    const bypassTriggers = rebuild.fn !== null || triggersAtLoad.length === 0;
    const ds = await generateDataset(client, orm.em.fork() as EntityManager, config.dataset, today, log, { bypassTriggers });
    const after = await afterLoad(client, orm, rebuild.fn, rebuild.problem, log);
    const figuresNote =
      triggersAtLoad.length === 0
        ? 'no figures_* triggers'
        : !bypassTriggers
          ? `${triggersAtLoad.length} figures_* triggers and no rebuildFigures: loaded with the triggers on (they kept the figures during the load)`
          : after.rebuildFigures.error
            ? `${triggersAtLoad.length} figures_* triggers; bulk load bypassed them and rebuildFigures FAILED: the figures are not built`
            : `${triggersAtLoad.length} figures_* triggers; bulk load bypassed them, rebuildFigures built the figures`;
    log(figuresNote);
    ds.sizes.tableBytes = after.tableBytes;
    // The completionRollup scenarios replay exactly `completionService.rollupStatement`: its text as
    // MikroORM sends it (the platform's formatQuery, as the capture does), to look for in the recording.
    const expectedStatement = new Map<string, string>();
    for (const sc of READ_SCENARIOS) {
      if (sc.completionYear === undefined) continue;
      const root = sc.as === 'province' ? ds.province.path : ds.city.path;
      const st = completionService.rollupStatement(sc.completionYear, today, root);
      expectedStatement.set(sc.id, orm.em.getPlatform().formatQuery(st.sql, st.params as never[]));
    }
    await orm.close(true);
    const setupSeconds = round2((performance.now() - started) / 1000);
    log(`data set ready in ${setupSeconds} s: ${JSON.stringify(ds.sizes.byOutcome)}`);
    const pgVersion = (await client.query<{ v: string }>(`select split_part(version(), ' on ', 1) as v`)).rows[0]!.v;
    const bypass = (await client.query<{ b: boolean }>(`select rolsuper or rolbypassrls as b from pg_roles where rolname = current_user`)).rows[0]!.b;

    // ---- 2. the process under test ---------------------------------------------------------------
    child = fork(path.join(__dirname, 'server-process.ts'), [], {
      execArgv: ['--expose-gc', ...startNodeFlags(), '-r', '@swc-node/register'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ctl = rpc(child);
    call = ctl;
    const tokens = { secret: 'bench-secret-bench-secret-bench-secret-1234', issuer: 'openness-backend', audience: 'openness-api', ttlSeconds: 6 * 3600 };
    const { servicePort, baselinePort, pid, preparedPerConnection } = await ctl('init', { dbUrl, tokens, poolMax: config.poolMax, logLevel: config.serviceLogLevel });
    log(`server process ${pid}: service :${servicePort}, baseline :${baselinePort}`);
    const token = (accountId: string, agencyId: string) => signAccessToken(tokens, { accountId, agencyId }).token;
    const tk: Record<ReadScenario['as'] | WriteRole, string> = {
      province: token(ds.accounts.provinceAdmin, ds.province.id),
      city: token(ds.accounts.cityAdmin, ds.city.id),
      liaison: token(ds.accounts.liaison, ds.branch.id),
      head: token(ds.accounts.head, ds.branch.id),
      leader: token(ds.accounts.leader, ds.branch.id),
    };
    const gqlUrl = `http://127.0.0.1:${servicePort}/graphql`;
    const timeout = config.load.requestTimeoutMs;
    const gql = (query: string, variables: Record<string, unknown> | undefined, as: keyof typeof tk, reqId?: string) =>
      post(gqlUrl, JSON.stringify({ query, variables }), { authorization: `Bearer ${tk[as]}`, ...(reqId ? { 'x-request-id': reqId } : {}) }, timeout, graphqlCheck);
    const replay = (key: string, mode: 'gate' | 'owner' = 'gate') =>
      post(`http://127.0.0.1:${baselinePort}/replay/${encodeURIComponent(key)}${mode === 'owner' ? '?mode=owner' : ''}`, '{}', {}, timeout);
    const strip = (p: Promise<Sample & { text: string }>): Promise<Sample> => p.then(({ text: _t, ...s }) => s);

    const scenarios = READ_SCENARIOS.filter((s) => !config.onlyScenarios || config.onlyScenarios.includes(s.id));
    const capMs = config.load.phaseSeconds * 1000;
    const reads: ReadResult[] = [];
    const ownerVariants = new Set<string>();
    const recorded = new Map<string, string[]>();
    for (const sc of scenarios) {
      const result: ReadResult = {
        id: sc.id, title: sc.title, as: sc.as, ok: false, loadAvg: round2(os.loadavg()[0]!), sqlPerRequest: null, replayedStatements: null,
        ...(sc.targetP95Ms !== undefined ? { targetP95Ms: sc.targetP95Ms } : {}),
        ...(sc.targetRatios !== undefined ? { targetRatios: sc.targetRatios } : {}),
      };
      reads.push(result);
      const service: Send = () => strip(gql(sc.query, sc.variables, sc.as));
      const baseline: Send = () => strip(replay(sc.id));
      try {
        log(`${sc.id}: recording statements`);
        await gql(sc.query, sc.variables, sc.as); // warm-up: caches, loaders' first use, JIT
        const reqId = `bench-capture-${sc.id}`;
        await ctl('captureStart', { reqId });
        const captured = await gql(sc.query, sc.variables, sc.as, reqId);
        const taken = await ctl('captureTake', { reqId, key: sc.id });
        if (taken.failed > 0) throw new Error(`${taken.failed} statement(s) failed while recording`);
        if (taken.ownerVariant) ownerVariants.add(sc.id);
        result.sqlPerRequest = captured.sql;
        result.replayedStatements = taken.statements.length;
        result.statementPreview = taken.statements.map((q) => q.replace(/\s+/g, ' ').slice(0, 140));
        recorded.set(sc.id, taken.statements);
        const expected = expectedStatement.get(sc.id);
        if (expected !== undefined) {
          result.replaysServiceStatement = taken.statements.includes(expected);
          log(`${sc.id}: the recorded statements ${result.replaysServiceStatement ? 'include' : 'do NOT include'} completionService.rollupStatement's SQL`);
        }
        const base = await replay(sc.id);
        result.responseBytes = { service: captured.bytes, baseline: base.bytes };
        if (captured.sql !== null && captured.sql !== taken.statements.length) {
          log(`${sc.id}: note — service counts ${captured.sql} statements, ${taken.statements.length} recorded for replay`);
        }
        log(`${sc.id}: ${taken.statements.length} statements; service ${captured.ms.toFixed(1)} ms, baseline ${base.ms.toFixed(1)} ms (one request each); warm-up …`);
        const warm = await alternateC1(service, baseline, config.load.warmupRequests, config.load.warmupSeconds * 1000);
        result.warmupRequests = warm.a.length;
        log(`${sc.id}: warm-up ${warm.a.length} requests per side; c=1 …`);
        const c1 = await alternateC1(service, baseline, config.load.c1Requests, capMs);
        const s1 = stats(c1.a.map((x) => x.ms));
        const b1 = stats(c1.b.map((x) => x.ms));
        result.c1 = { service: s1, baseline: b1, latencyRatioP50: round2(s1.p50 / b1.p50), latencyRatioP95: round2(s1.p95 / b1.p95), capped: c1.capped };
        log(`${sc.id}: c=1 service p50 ${s1.p50} ms, baseline p50 ${b1.p50} ms (n=${s1.n}); c=${config.load.concurrency} …`);
        const cN = await alternateBlocks(service, baseline, config.load.cNRequests, config.load.concurrency, capMs);
        result.cN = { concurrency: config.load.concurrency, service: cN.a, baseline: cN.b, throughputRatio: round2(cN.a.rps / cN.b.rps), capped: cN.capped };
        log(`${sc.id}: c=${config.load.concurrency} service ${cN.a.rps} req/s, baseline ${cN.b.rps} req/s (n=${cN.a.requests})`);
        result.ok = true;
      } catch (err) {
        result.error = errorText(err);
        log(`${sc.id}: FAILED — ${result.error.slice(0, 300)}`);
      }
    }

    if (config.statementsFile) {
      fs.writeFileSync(config.statementsFile, JSON.stringify(Object.fromEntries(recorded), null, 2) + '\n');
      log(`statements written to ${config.statementsFile}`);
    }

    // ---- 3. gate cost ------------------------------------------------------------------------------
    const gate: GateResult[] = [];
    for (const sc of scenarios.filter((s) => s.gateCost)) {
      const read = reads.find((r) => r.id === sc.id)!;
      const g: GateResult = { id: sc.id, ok: false };
      gate.push(g);
      if (!read.replayedStatements) {
        g.error = 'no recorded statements (the scenario failed)';
        continue;
      }
      if (!ownerVariants.has(sc.id)) {
        g.error = "no set_config('role', …) in the recorded statements";
        continue;
      }
      try {
        // Like for like only if both return the same rows: a statement that leaves the scoping to
        // row-level security reads more as the owner (the gate then looks cheaper than it is not).
        const statements = recorded.get(sc.id)!;
        const rowsOf = (text: string) =>
          (JSON.parse(text) as { data: unknown[][] }).data
            .filter((_, k) => !/set_config\(/i.test(statements[k] ?? ''))
            .map((rows) => rows.map((row) => JSON.stringify(row)).sort());
        const [asOwner, asGate] = [await replay(sc.id, 'owner'), await replay(sc.id, 'gate')];
        g.sameResults = JSON.stringify(rowsOf(asOwner.text)) === JSON.stringify(rowsOf(asGate.text));
        if (!g.sameResults) log(`gate ${sc.id}: owner and gate replays return different rows — the statements rely on RLS for their scope`);
        await replay(sc.id, 'owner');
        await replay(sc.id, 'gate');
        const r = await alternateC1(() => strip(replay(sc.id, 'owner')), () => strip(replay(sc.id, 'gate')), config.load.gateRequests, capMs);
        const side = (xs: Sample[]) => ({ latency: stats(xs.map((x) => x.ms)), sqlMs: stats(xs.map((x) => x.sqlMs ?? NaN)) });
        g.owner = side(r.a);
        g.gate = side(r.b);
        g.statements = read.replayedStatements;
        g.ratioSqlP50 = round2(g.gate.sqlMs.p50 / g.owner.sqlMs.p50);
        g.ratioLatencyP50 = round2(g.gate.latency.p50 / g.owner.latency.p50);
        g.capped = r.capped;
        g.ok = true;
        log(`gate ${sc.id}: owner ${g.owner.sqlMs.p50} ms, gate ${g.gate.sqlMs.p50} ms SQL → ×${g.ratioSqlP50}`);
        if (config.explainDir) await explainBoth(client, sc.id, recorded.get(sc.id)!, config.explainDir);
      } catch (err) {
        g.error = errorText(err);
        log(`gate ${sc.id}: FAILED — ${g.error.slice(0, 300)}`);
      }
    }

    // ---- 3b. maintained figures vs the recomputation they replaced ----------------------------------
    let recompute: RecomputeResult[] = [];
    if (!config.onlyScenarios) {
      try {
        const paths = await client.query<{ id: string; path: string }>(`select id, path::text as path from agency where id = any($1::uuid[])`, [[ds.province.id, ds.city.id]]);
        const pathOf = (id: string) => paths.rows.find((r) => r.id === id)!.path;
        const year = Number(today.slice(0, 4));
        recompute = await measureRecompute(
          client,
          [
            { id: `province, ${year}`, rootPath: pathOf(ds.province.id), from: `${year}-01-01`, to: `${year}-12-31` },
            { id: `province, ${year - 1}`, rootPath: pathOf(ds.province.id), from: `${year - 1}-01-01`, to: `${year - 1}-12-31` },
            { id: `one city, ${year}`, rootPath: pathOf(ds.city.id), from: `${year}-01-01`, to: `${year}-12-31` },
          ],
          today,
          config.load.recomputeRepeats,
        );
        for (const x of recompute) log(`recompute ${x.id}: maintained ${x.maintainedMs.p50} ms vs recomputation ${x.referenceMs.p50} ms → ×${x.ratioP50}${x.sameRows ? '' : ' (ROWS DIFFER)'}`);
      } catch (err) {
        log(`recompute: FAILED — ${errorText(err).slice(0, 300)}`);
      }
    }
    // The task side: completionService.rollupStatement over figure_task_agency* vs the same statement
    // over their reference views (owner-only: both run as the owner).
    let recomputeCompletion: RecomputeResult[] = [];
    if (!config.onlyScenarios && ds.sizes.plans) {
      try {
        const year = Number(today.slice(0, 4));
        recomputeCompletion = await measureCompletionRecompute(
          client,
          [
            { id: `province, ${year}`, rootPath: ds.province.path, year },
            { id: `province, ${year - 1}`, rootPath: ds.province.path, year: year - 1 },
            { id: `one city, ${year}`, rootPath: ds.city.path, year },
          ],
          today,
          config.load.recomputeRepeats,
        );
        for (const x of recomputeCompletion) log(`recompute completion ${x.id}: maintained ${x.maintainedMs.p50} ms vs recomputation ${x.referenceMs.p50} ms → ×${x.ratioP50}${x.sameRows ? '' : ' (ROWS DIFFER)'}`);
      } catch (err) {
        log(`recompute completion: FAILED — ${errorText(err).slice(0, 300)}`);
      }
    }

    // ---- 4. memory ----------------------------------------------------------------------------------
    let memory: MemoryResult | null = null;
    const mix = scenarios.filter((s) => reads.find((r) => r.id === s.id)?.ok);
    if (config.load.memoryRequests > 0 && mix.length > 0) {
      try {
        // Smooth weighted round-robin, weights = measured throughput: each scenario gets about the
        // same share of the time, so cheap requests make up the count and every scenario is in it.
        const weights = mix.map((sc) => Math.max(0.1, reads.find((r) => r.id === sc.id)?.cN?.service.rps ?? 1));
        const total = weights.reduce((a, b) => a + b, 0);
        const current = weights.map(() => 0);
        const counts: Record<string, number> = {};
        let counting = false;
        const next: Send = () => {
          let best = 0;
          for (let k = 0; k < weights.length; k++) {
            current[k]! += weights[k]!;
            if (current[k]! > current[best]!) best = k;
          }
          current[best]! -= total;
          const sc = mix[best]!;
          if (counting) counts[sc.id] = (counts[sc.id] ?? 0) + 1;
          return strip(gql(sc.query, sc.variables, sc.as));
        };
        log(`memory: warm-up, then ${config.load.memoryRequests} requests over ${mix.length} scenarios (cap ${config.load.memorySeconds} s)`);
        await run(next, Math.max(50, mix.length * 6), config.load.concurrency);
        const warm = await ctl('memory', { gc: true });
        counting = true;
        const samples: MemoryResult['samples'] = [];
        const mb = (b: number) => round2(b / 1048576);
        const t0 = performance.now();
        let done = 0;
        let capped = false;
        const worker = async () => {
          while (done < config.load.memoryRequests) {
            if (performance.now() - t0 > config.load.memorySeconds * 1000) {
              capped = true;
              return;
            }
            const k = ++done;
            await next();
            if (k % 500 === 0) {
              const m = await ctl('memory', { gc: false });
              samples.push({ requests: k, heapUsedMb: mb(m.heapUsed), rssMb: mb(m.rss) });
            }
          }
        };
        await Promise.all(Array.from({ length: config.load.concurrency }, worker));
        const seconds = (performance.now() - t0) / 1000;
        const end = await ctl('memory', { gc: true });
        memory = {
          ok: true,
          requests: done,
          seconds: round2(seconds),
          capped,
          gcAvailable: warm.gc,
          afterWarmup: { heapUsedMb: mb(warm.heapUsed), rssMb: mb(warm.rss) },
          atEnd: { heapUsedMb: mb(end.heapUsed), rssMb: mb(end.rss) },
          heapGrowthPct: round2(((end.heapUsed - warm.heapUsed) / warm.heapUsed) * 100),
          rssGrowthPct: round2(((end.rss - warm.rss) / warm.rss) * 100),
          mix: counts,
          samples,
        };
        log(`memory: heap ${memory.afterWarmup.heapUsedMb} → ${memory.atEnd.heapUsedMb} MB, RSS ${memory.afterWarmup.rssMb} → ${memory.atEnd.rssMb} MB after ${done} requests`);
      } catch (err) {
        memory = {
          ok: false, error: errorText(err), requests: 0, seconds: 0, capped: false, gcAvailable: false,
          afterWarmup: { heapUsedMb: 0, rssMb: 0 }, atEnd: { heapUsedMb: 0, rssMb: 0 }, heapGrowthPct: 0, rssGrowthPct: 0, mix: {}, samples: [],
        };
        log(`memory: FAILED — ${memory.error}`);
      }
    }

    // ---- 5. write cost (last: disabled triggers leave maintained figures behind) --------------------
    const writes = await measureWrites(client, gql, ds, today);

    // ---- 6. results ----------------------------------------------------------------------------------
    const results: BenchResults = {
      date: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
        node: process.version,
        nodeFlags: startNodeFlags(),
        preparedPerConnection,
        platform: `${os.type()} ${os.release()} ${os.arch()}`,
        memoryGb: round2(os.totalmem() / 1024 ** 3),
        postgres: pgVersion,
        database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
        nodeEnv: process.env.NODE_ENV ?? '',
        loadAvgStart,
        loadAvgEnd: round2(os.loadavg()[0]!),
      },
      config: { ...config.dataset, ...config.load, poolMax: config.poolMax, serviceLogLevel: config.serviceLogLevel, ownerBypassesRls: bypass },
      dataset: {
        today,
        sizes: ds.sizes as unknown as Record<string, unknown>,
        timingsMs: ds.timingsMs,
        rebuildFigures: after.rebuildFigures,
        figures: figuresNote,
        vacuumAnalyzeMs: after.vacuumAnalyzeMs,
        setupSeconds,
      },
      reads,
      gate,
      recompute,
      recomputeCompletion,
      writes,
      memory,
      totalSeconds: round2((performance.now() - started) / 1000),
    };
    if (!bypass) log('note: the connecting role is neither superuser nor BYPASSRLS — "owner" replays are still filtered by forced RLS');
    const resultsPath = config.resultsFile ?? RESULTS_PATH;
    fs.writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
    console.log('\n' + renderMarkdown(results) + '\n');
    log(`results written to ${path.relative(process.cwd(), resultsPath)}`);
    if (config.updateReadme) {
      log(updateReadmeBlock(README_PATH, results) ? 'README.md benchmark block rewritten' : 'README.md has no bench markers — not changed');
    }
  } finally {
    if (call) await call('stop', {}).catch(() => undefined);
    if (child && child.exitCode === null) await new Promise((r) => child!.once('exit', r));
    await client.end().catch(() => undefined);
    const a = new Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`drop database if exists "${dbName}" with (force)`);
    await a.end();
    if (stopPg) await stopPg();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Diagnostics for the gate cost: EXPLAIN (ANALYZE, BUFFERS) of every recorded statement, replayed in
 * one transaction as the owner and under the gate (the gate statement itself runs as is), rolled back.
 */
async function explainBoth(client: Client, id: string, statements: string[], dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  for (const [mode, list] of [['owner', ownerVariant(statements)], ['gate', statements]] as const) {
    if (!list) continue;
    const out: string[] = [];
    await client.query('begin');
    try {
      for (const q of list) {
        if (/set_config\(/i.test(q)) {
          await client.query(q);
          out.push(`-- ${q}\n`);
          continue;
        }
        const plan = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${q}`);
        out.push(`-- ${q.replace(/\s+/g, ' ').slice(0, 400)}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
      }
    } finally {
      await client.query('rollback');
    }
    fs.writeFileSync(path.join(dir, `${id}.${mode}.txt`), out.join('\n'));
  }
}

type Gql = (query: string, variables: Record<string, unknown> | undefined, as: 'province' | 'city' | WriteRole, reqId?: string) => Promise<Sample & { text: string }>;

/**
 * A publication from draft to published, six mutations by three accounts of the write branch,
 * with the maintained-figure triggers (`figures_*`, discovered in pg_trigger) enabled and disabled in
 * alternating blocks. Without such triggers the walk is measured once, as it is.
 */
async function measureWrites(client: Client, gql: Gql, ds: DatasetResult, today: string): Promise<WriteResult> {
  const found = { rows: await figureTriggers(client) };
  const triggers = found.rows.map((r) => `${r.rel}.${r.name}`);
  const result: WriteResult = { ok: false, triggers };
  if (triggers.length === 0) result.note = 'no trigger named figures_* in the database; the walk is measured once';
  let state: 'enabled' | 'disabled' = 'enabled';
  const setTriggers = async (want: 'enabled' | 'disabled') => {
    if (want === state) return;
    for (const r of found.rows) await client.query(`alter table "${r.rel}" ${want === 'enabled' ? 'enable' : 'disable'} trigger "${r.name}"`);
    state = want;
  };
  let n = 0;
  const formedOn = addDays(today, -2);
  const walk = async () => {
    n += 1;
    const times: Record<string, number> = {};
    const sql: Record<string, number | null> = {};
    let publicationId: string | null = null;
    for (const step of WRITE_STEPS) {
      const r = await gql(writeMutation(step), { i: writeInput(step, { itemId: ds.writeItemId, publicationId, formedOn, today, n }) }, step.as);
      times[step.id] = r.ms;
      sql[step.id] = r.sql;
      if (step.id === 'create') {
        publicationId = (JSON.parse(r.text) as { data: { createPublication: { publication: { id: string } } } }).data.createPublication.publication.id;
      }
    }
    return { times, sql, total: Object.values(times).reduce((a, b) => a + b, 0) };
  };
  const side = (walks: Array<Awaited<ReturnType<typeof walk>>>): WriteSide => ({
    walk: stats(walks.map((w) => w.total)),
    steps: Object.fromEntries(WRITE_STEPS.map((s) => [s.id, stats(walks.map((w) => w.times[s.id]!))])),
    sqlPerStep: walks[0]?.sql ?? {},
  });
  try {
    log(`writes: triggers ${triggers.length ? triggers.join(', ') : 'none'}; warm-up`);
    for (let i = 0; i < 2; i++) await walk();
    const modes: Array<'enabled' | 'disabled'> = triggers.length ? ['enabled', 'disabled'] : ['enabled'];
    const acc: Record<string, Array<Awaited<ReturnType<typeof walk>>>> = { enabled: [], disabled: [] };
    const blockSize = 5;
    const capMs = config.load.phaseSeconds * 1000 * 2;
    const t0 = performance.now();
    for (let b = 0; acc.enabled!.length < config.load.writeWalks; b++) {
      if (performance.now() - t0 > capMs && acc.enabled!.length > 0) break;
      const order = b % 2 === 0 ? modes : [...modes].reverse();
      for (const mode of order) {
        await setTriggers(mode);
        const count = Math.min(blockSize, config.load.writeWalks - acc[mode]!.length);
        for (let i = 0; i < count; i++) acc[mode]!.push(await walk());
      }
    }
    const enabled = side(acc.enabled!);
    const disabled = triggers.length ? side(acc.disabled!) : undefined;
    result.c1 = {
      enabled,
      disabled,
      ratioWalkP50: disabled ? round2(enabled.walk.p50 / disabled.walk.p50) : undefined,
      ratioWalkMean: disabled ? round2(enabled.walk.mean / disabled.walk.mean) : undefined,
    };
    log(`writes c=1: walk p50 ${enabled.walk.p50} ms with triggers${disabled ? `, ${disabled.walk.p50} ms without → ×${result.c1.ratioWalkP50}` : ''}`);
    if (config.load.writeWalksConcurrent > 0) {
      const tput: Record<string, { walks: number; seconds: number }> = { enabled: { walks: 0, seconds: 0 }, disabled: { walks: 0, seconds: 0 } };
      const half = Math.max(config.load.concurrency, Math.ceil(config.load.writeWalksConcurrent / 2));
      for (const mode of triggers.length ? (['enabled', 'disabled', 'disabled', 'enabled'] as const) : (['enabled', 'enabled'] as const)) {
        await setTriggers(mode);
        const s = performance.now();
        await run(async () => {
          await walk();
          return { ms: 0, sql: null, sqlMs: null, bytes: 0 };
        }, half, config.load.concurrency);
        tput[mode]!.walks += half;
        tput[mode]!.seconds += (performance.now() - s) / 1000;
      }
      const wps = (x: { walks: number; seconds: number }) => ({ walks: x.walks, seconds: round2(x.seconds), walksPerSecond: round2(x.walks / x.seconds) });
      result.cN = {
        concurrency: config.load.concurrency,
        enabled: wps(tput.enabled!),
        disabled: triggers.length ? wps(tput.disabled!) : undefined,
      };
      if (result.cN.disabled) result.cN.ratio = round2(result.cN.disabled.walksPerSecond / result.cN.enabled.walksPerSecond);
      log(`writes c=${config.load.concurrency}: ${result.cN.enabled.walksPerSecond} walks/s with triggers${result.cN.disabled ? `, ${result.cN.disabled.walksPerSecond} without` : ''}`);
    }
    result.ok = true;
  } catch (err) {
    result.error = errorText(err);
    log(`writes: FAILED — ${result.error.slice(0, 300)}`);
  } finally {
    await setTriggers('enabled').catch(() => undefined);
  }
  return result;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
