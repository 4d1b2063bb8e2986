/**
 * Benchmarks (npm run bench): a throw-away embedded PostgreSQL (or DATABASE_URL's server, in a new
 * database), a generated tree of realistic size, the real HTTP server on loopback, and a bounded
 * number of requests per scenario at fixed concurrency. Prints p50/p95/max latency, throughput and
 * SQL statements per request; the numbers in the README come from this script.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../src/logger';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { initOrm, migrateUp } from '../src/db/orm';
import { registerSystemOrm } from '../src/db/system';
import { signAccessToken } from '../src/auth/jwt';
import { registerTokenSettings } from '../src/auth/token-settings';
import { createAppServer } from '../src/graphql/server';
import { Account, Role } from '../src/modules/account/account.entity';
import { Agency, AgencyKind } from '../src/modules/agency/agency.entity';
import { UnitKind } from '../src/modules/agency/unit.entity';
import { upsertAgencyTree, type AgencySeed } from '../seeds/demo-seeder';

const CITIES = Number(process.env.BENCH_CITIES || 16);
const BRANCHES = Number(process.env.BENCH_BRANCHES || 12);
const UNITS = Number(process.env.BENCH_UNITS || 15);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 8);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function tree(): AgencySeed {
  const units = (prefix: string) =>
    Array.from({ length: UNITS }, (_, u) => ({ code: `${prefix}-u${u}`, name: `${prefix} 单位${u}`, kind: UnitKind.SECTION }));
  return {
    code: 'bench-prov',
    name: '基准测试省厅',
    kind: AgencyKind.PROVINCIAL_DEPARTMENT,
    units: units('prov'),
    children: Array.from({ length: CITIES }, (_, c) => ({
      code: `bench-c${c}`,
      name: `基准市局${c}`,
      kind: AgencyKind.CITY_BUREAU,
      units: units(`c${c}`),
      children: Array.from({ length: BRANCHES }, (_, b) => ({
        code: `bench-c${c}-b${b}`,
        name: `基准分局${c}-${b}`,
        kind: AgencyKind.DISTRICT_BRANCH,
        units: units(`c${c}b${b}`),
      })),
    })),
  };
}

async function measure(name: string, fn: () => Promise<{ sql: number }>) {
  const times: number[] = [];
  let sql = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < REQUESTS) {
      next += 1;
      const t = performance.now();
      const r = await fn();
      times.push(performance.now() - t);
      sql = r.sql;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const total = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(1);
  const row = { scenario: name, requests: times.length, p50_ms: pct(50), p95_ms: pct(95), max_ms: times[times.length - 1]!.toFixed(1), rps: (times.length / total).toFixed(0), sql_per_request: sql };
  console.log(JSON.stringify(row));
  return row;
}

async function main() {
  const log = rootLogger.child({ bench: true });
  log.level = 'warn';
  let adminUrl: string;
  let stopPg: (() => Promise<void>) | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openness-bench-'));
  fs.chmodSync(dir, 0o755);
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), log, flags: ['-c', 'fsync=off'] });
    adminUrl = pg.url('postgres');
    stopPg = pg.stop;
  }
  const dbName = `openness_bench_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  await admin.end();
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const orm = await initOrm(dbUrl.toString(), { pool: { min: 0, max: 20 } });
  try {
    await migrateUp(orm);
    registerSystemOrm(orm);
    const tokens = { secret: 'bench-secret-bench-secret-bench-secret-1234', issuer: 'openness-backend', audience: 'openness-api', ttlSeconds: 3600 };
    registerTokenSettings(tokens);
    const em = orm.em.fork() as EntityManager;
    const t0 = performance.now();
    await em.transactional((tx) => upsertAgencyTree(tx as EntityManager, [tree()]));
    const agencies = await em.count(Agency, {});
    console.log(JSON.stringify({ setup: 'tree', agencies, units: agencies * UNITS, ms: Math.round(performance.now() - t0) }));
    const mk = async (code: string, roles: Role[]) => {
      const agency = await em.findOneOrFail(Agency, { code });
      const a = em.create(Account, { username: `bench-${code}-${roles[0]}`.toLowerCase(), displayName: 'bench', passwordHash: 'x', agency: agency.id, roles, credentialsChangedAt: new Date(Date.now() - 10_000) });
      await em.flush();
      return signAccessToken(tokens, { accountId: a.id, agencyId: agency.id }).token;
    };
    const province = await mk('bench-prov', [Role.SUPERIOR_VIEWER]);
    const city = await mk('bench-c0', [Role.AGENCY_ADMIN]);

    const server = await createAppServer({ orm, tokens, log, exposeStats: true });
    await new Promise<void>((r) => server.httpServer.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
    const post = async (query: string, token: string) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as { errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return { sql: Number(res.headers.get('x-sql-statements')) };
    };
    const results = [];
    results.push(await measure('me (auth + gate only)', () => post('{ me { username } }', city)));
    results.push(await measure(`city subtree: ${BRANCHES} branches × ${UNITS} units nested`, () =>
      post(`{ agencies(first: 20) { totalCount edges { node { code units(first: 20) { totalCount edges { node { code } } } children(first: 20) { edges { node { code } } } } } } }`, city)));
    results.push(await measure(`province: page of 100 of ${agencies} agencies with units`, () =>
      post(`{ agencies(first: 100) { totalCount edges { node { code parent { code } units(first: 20) { totalCount edges { node { name } } } } } } }`, province)));
    await server.close();
    fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify({ date: new Date().toISOString(), machine: `${os.cpus().length} cores, node ${process.version}`, requestsPerScenario: REQUESTS, concurrency: CONCURRENCY, results }, null, 2) + '\n');
  } finally {
    await orm.close(true);
    const a = new Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`drop database if exists "${dbName}" with (force)`);
    await a.end();
    if (stopPg) await stopPg();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
