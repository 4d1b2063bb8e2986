import { Client } from 'pg';
import { TEST_ENV } from '../support/pg-env';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * The attack: the database goes away under a running service (connections cut, new ones refused —
 * here by closing this test's database to connections, which leaves the shared test server alone).
 * Clients get a retryable 503 with `SERVICE_UNAVAILABLE` and `Retry-After`, never a 500; `/healthz`
 * says the database is unreachable; when the database is back the service answers again by itself.
 */
describe('a database outage', () => {
  let h: Harness;
  let token: string;
  let dbName: string;
  const admin = () => new Client({ connectionString: process.env[TEST_ENV.adminUrl]! });

  async function setAvailable(available: boolean) {
    const c = admin();
    await c.connect();
    try {
      await c.query(`alter database "${dbName}" with allow_connections ${available}`);
      if (!available) await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [dbName]);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    h = await startHarness();
    dbName = new URL(h.dbUrl).pathname.slice(1);
    await h.tree({ code: 'o', units: ['o-u'] });
    token = (await h.account({ agency: 'o', roles: [Role.AGENCY_ADMIN] })).token;
  });
  afterAll(async () => {
    await setAvailable(true);
    await h.close();
  });

  const health = () => fetch(h.url.replace(/\/graphql$/, '/healthz'));

  it('answers 503 with a retryable code while the database is gone, and recovers by itself', async () => {
    expect((await h.gql(`{ me { username } }`, {}, token)).errors).toBeUndefined();
    await setAvailable(false);
    try {
      // The first requests meet connections that were cut, later ones connections that are refused.
      for (let i = 0; i < 4; i++) {
        const res = await h.gql(`{ me { username } }`, {}, token);
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(res.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
        expect(JSON.stringify(res.errors)).not.toMatch(/stack|node_modules|at [A-Za-z]+ \(/);
      }
      const mutation = await h.gql(`mutation($i: CreateWorkPlanInput!) { createWorkPlan(input: $i) { plan { id } } }`, { i: { agencyId: '00000000-0000-4000-8000-000000000000', year: 2026 } }, token);
      expect([mutation.status, mutation.errors?.[0]?.extensions?.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      const hz = await health();
      expect(hz.status).toBe(503);
      expect(hz.headers.get('retry-after')).toBe('5');
      expect(await hz.json()).toEqual({ status: 'error', database: 'unreachable' });
    } finally {
      await setAvailable(true);
    }
    // Back: the pool opens new connections on its own (a few attempts may still meet dead ones).
    let answered = false;
    for (let i = 0; i < 40 && !answered; i++) {
      const res = await h.gql(`{ me { username } }`, {}, token);
      answered = res.status === 200 && !res.errors;
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(answered).toBe(true);
    expect((await health()).status).toBe(200);
  }, 60_000);
});
