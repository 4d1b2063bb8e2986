import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { rootLogger } from '../../src/logger';
import { initOrm } from '../../src/db/orm';
import { registerSystemOrm } from '../../src/db/system';
import { signAccessToken, type TokenSettings } from '../../src/auth/jwt';
import { hashPassword } from '../../src/auth/password';
import { registerTokenSettings } from '../../src/auth/token-settings';
import { createAppServer, type AppServer } from '../../src/graphql/server';
import { Agency, AgencyKind } from '../../src/modules/agency/agency.entity';
import { Unit, UnitKind } from '../../src/modules/agency/unit.entity';
import { Account, Role } from '../../src/modules/account/account.entity';
import { upsertAgencyTree, type AgencySeed } from '../../seeds/demo-seeder';
import { TEST_ENV, withDatabase } from './pg-env';

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
  headers: Headers;
}

export interface Harness {
  url: string;
  orm: MikroORM;
  tokens: TokenSettings;
  dbUrl: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>>;
  /** Builds agencies (with units) from a compact spec; codes are the handles tests use. */
  tree(spec: TreeSpec | TreeSpec[]): Promise<Map<string, Agency>>;
  /** Creates an account and returns a valid token for it (no login round-trip). */
  account(opts: AccountSpec): Promise<{ account: Account; token: string }>;
  agency(code: string): Promise<Agency>;
  unit(agencyCode: string, unitCode: string): Promise<Unit>;
  /** An EntityManager outside the tenancy gate, for arranging and checking data. */
  em(): EntityManager;
  close(): Promise<void>;
}

export interface TreeSpec {
  code: string;
  name?: string;
  kind?: AgencyKind;
  units?: string[];
  children?: TreeSpec[];
}

export interface AccountSpec {
  agency: string;
  roles: Role[];
  unit?: string;
  username?: string;
  password?: string;
  accessFrom?: Date | null;
  accessUntil?: Date | null;
}

const TEST_SECRET = 'test-secret-0123456789-0123456789-abcdef';

function toSeed(spec: TreeSpec, depth: number): AgencySeed {
  const kinds = [AgencyKind.PROVINCIAL_DEPARTMENT, AgencyKind.CITY_BUREAU, AgencyKind.DISTRICT_BRANCH, AgencyKind.COUNTY_BUREAU];
  return {
    code: spec.code,
    name: spec.name ?? `机关 ${spec.code}`,
    kind: spec.kind ?? kinds[Math.min(depth, kinds.length - 1)]!,
    units: (spec.units ?? []).map((u) => ({ code: u, name: `单位 ${u}`, kind: UnitKind.SECTION })),
    children: (spec.children ?? []).map((c) => toSeed(c, depth + 1)),
  };
}

/** A fresh database cloned from the migrated template, and the real HTTP server on a free port. */
export async function startHarness(): Promise<Harness> {
  const adminUrl = process.env[TEST_ENV.adminUrl];
  const template = process.env[TEST_ENV.template];
  if (!adminUrl || !template) throw new Error('global setup did not run');
  const dbName = `openness_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${dbName}" template "${template}"`);
  await admin.end();
  const dbUrl = withDatabase(adminUrl, dbName);

  const log = rootLogger.child({ test: dbName });
  log.level = process.env.TEST_LOG_LEVEL || 'silent';
  const orm = await initOrm(dbUrl, { pool: { min: 0, max: 10 } });
  registerSystemOrm(orm);
  const tokens: TokenSettings = { secret: TEST_SECRET, issuer: 'openness-backend', audience: 'openness-api', ttlSeconds: 3600 };
  registerTokenSettings(tokens);
  const server: AppServer = await createAppServer({ orm, tokens, log });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
  let counter = 0;

  const h: Harness = {
    url,
    orm,
    tokens,
    dbUrl,
    async gql(query, variables = {}, token = null) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: any[] };
      return { status: res.status, data: body.data ?? null, errors: body.errors, headers: res.headers };
    },
    async tree(spec) {
      const em = orm.em.fork() as EntityManager;
      const specs = Array.isArray(spec) ? spec : [spec];
      return em.transactional((tx) => upsertAgencyTree(tx as EntityManager, specs.map((s) => toSeed(s, 0))));
    },
    async account(opts) {
      const em = orm.em.fork() as EntityManager;
      const agency = await em.findOneOrFail(Agency, { code: opts.agency });
      const unit = opts.unit ? await em.findOneOrFail(Unit, { agency: agency.id, code: opts.unit }) : null;
      counter += 1;
      const account = em.create(Account, {
        username: opts.username ?? `${opts.agency}.${opts.roles.join('-').toLowerCase()}.${counter}`.replace(/_/g, '-'),
        displayName: `测试账号 ${counter}`,
        passwordHash: opts.password ? await hashPassword(opts.password) : 'scrypt$1$1$1$x$x',
        agency: agency.id,
        unit: unit?.id ?? null,
        roles: opts.roles,
        accessFrom: opts.accessFrom ?? null,
        accessUntil: opts.accessUntil ?? null,
        // Tokens carry whole seconds; back-date so a token issued in this same second stays valid.
        credentialsChangedAt: new Date(Date.now() - 5000),
      });
      await em.flush();
      const { token } = signAccessToken(tokens, { accountId: account.id, agencyId: agency.id });
      return { account, token };
    },
    async agency(code) {
      return (orm.em.fork() as EntityManager).findOneOrFail(Agency, { code });
    },
    async unit(agencyCode, unitCode) {
      const em = orm.em.fork() as EntityManager;
      const agency = await em.findOneOrFail(Agency, { code: agencyCode });
      return em.findOneOrFail(Unit, { agency: agency.id, code: unitCode });
    },
    em: () => orm.em.fork() as EntityManager,
    async close() {
      await server.close();
      await orm.close(true);
      registerSystemOrm(null);
      const a = new Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists "${dbName}" with (force)`);
      await a.end();
    },
  };
  return h;
}

export { Role, AgencyKind };
