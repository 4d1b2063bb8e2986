import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Client } from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loginDelay, DEFAULT_LOGIN_THROTTLE } from '../../src/auth/login-throttle';
import { initOrm } from '../../src/db/orm';
import { rowMapper } from '../../src/db/row-mapper';
import { serviceDatabaseUrl } from '../../src/db/service-login';
import { createAppServer } from '../../src/graphql/server';
import { rootLogger } from '../../src/logger';
import { accountService } from '../../src/modules/account/account.service';
import { Account } from '../../src/modules/account/account.entity';
import { LoginStore } from '../../src/modules/account/login-store';
import { TEST_SERVICE_PASSWORD } from '../support/pg-env';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * Password guessing over HTTP against the real server: failures are answered ever later, then the
 * username is locked, and no answer tells whether an account exists or is active. The counts live in
 * the database (migration 20261122131000_LoginState), whose clock the functions use: the test lets
 * time pass by moving every stored instant back (`age`), and a delayed answer "waits" the same way
 * instead of sleeping.
 */

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { token account { username } } }`;
const LOCK_MS = DEFAULT_LOGIN_THROTTLE.account.lockMs;

describe('login throttling and uniform refusals', () => {
  let h: Harness;
  let delays: number[];
  const realSleep = loginDelay.sleep;

  /** As if `ms` had passed: every failure, lock end and expiry moves back by `ms`. */
  const age = async (ms: number) => {
    const by = `${ms} milliseconds`;
    await h
      .em()
      .getConnection()
      .execute(
        `update login_throttle set failures = array(select f - ?::interval from unnest(failures) f order by f),
                locked_until = locked_until - ?::interval, expires_at = expires_at - ?::interval`,
        [by, by, by],
      );
  };

  const login = async (username: string, password: string) => {
    const res = await h.gql(LOGIN, { i: { username, password } });
    return res;
  };
  /** What a client can observe of a refusal: status, and the whole error list. */
  const answer = (res: Awaited<ReturnType<typeof login>>) => ({ status: res.status, data: res.data, errors: res.errors });
  const makeAccount = (username: string, password: string) =>
    h.account({ agency: 'branch', roles: [Role.AGENCY_ADMIN], username, password });

  beforeAll(async () => {
    h = await startHarness();
    await h.tree({ code: 'city', children: [{ code: 'branch' }] });
  });
  afterAll(async () => {
    loginDelay.sleep = realSleep;
    await h.close();
  });
  beforeEach(async () => {
    delays = [];
    await h.em().getConnection().execute('delete from login_throttle');
    // A delayed answer "waits" by letting the time pass, as real waiting would.
    loginDelay.sleep = async (ms) => {
      delays.push(ms);
      await age(ms);
    };
  });

  it('200 wrong passwords, then the right one is refused with the same answer; after the lock it works', async () => {
    await makeAccount('target', 'the-right-password-1');
    const first = answer(await login('target', 'guess-0'));
    expect(first.status).toBe(401);
    expect(first.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(first.errors?.[0]?.message).toBe('用户名或密码错误 (wrong username or password)');
    for (let i = 1; i < 200; i++) expect(answer(await login('target', `guess-${i}`))).toEqual(first);
    // Growing delays before the lock, none after it (a locked username is refused at once).
    expect(delays).toEqual([250, 500, 1000]);

    const right = answer(await login('target', 'the-right-password-1'));
    expect(right).toEqual(first);

    await age(LOCK_MS - 60_000); // still locked a minute before the end
    expect(answer(await login('target', 'the-right-password-1'))).toEqual(first);

    await age(60_000 + 1);
    const ok = await login('target', 'the-right-password-1');
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.login.account.username).toBe('target');
  });

  it('an unknown username and a disabled account answer exactly like a wrong password', async () => {
    const { account } = await makeAccount('disabled.user', 'disabled-password-1');
    await h.em().nativeUpdate(Account, { id: account.id }, { active: false });
    await makeAccount('active.user', 'active-password-1');

    const wrong = answer(await login('active.user', 'not-the-password'));
    const unknown = answer(await login('no.such.user', 'not-the-password'));
    const disabledRight = answer(await login('disabled.user', 'disabled-password-1'));
    const disabledWrong = answer(await login('disabled.user', 'not-the-password'));
    expect(wrong.status).toBe(401);
    expect(unknown).toEqual(wrong);
    expect(disabledRight).toEqual(wrong);
    expect(disabledWrong).toEqual(wrong);
  });

  it('locks unknown usernames too, so a lock does not reveal that an account exists', async () => {
    await makeAccount('real.user', 'real-password-1');
    for (let i = 0; i < 5; i++) await login('ghost.user', `guess-${i}`);
    for (let i = 0; i < 5; i++) await login('real.user', `guess-${i}`);
    const lockedUnknown = answer(await login('ghost.user', 'guess-x'));
    const lockedReal = answer(await login('real.user', 'guess-x'));
    const plainWrong = answer(await login('other.unknown', 'guess-x'));
    expect(lockedUnknown).toEqual(plainWrong);
    expect(lockedReal).toEqual(plainWrong);
  });

  it('a successful login resets the username’s count', async () => {
    await makeAccount('forgetful', 'forgetful-password-1');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await login('forgetful', `typo-${i}`)).status).toBe(401);
      const ok = await login('forgetful', 'forgetful-password-1');
      expect(ok.errors).toBeUndefined();
    }
  });

  it('counts failures in a 15-minute window: slow guessing is not locked', async () => {
    await makeAccount('slow.target', 'slow-password-1');
    for (let i = 0; i < 20; i++) {
      await login('slow.target', `guess-${i}`);
      await age(4 * 60_000); // at most four failures in any 15 minutes
    }
    expect((await login('slow.target', 'slow-password-1')).errors).toBeUndefined();
  });

  it('logs each refusal with username and reason, never the password', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    await makeAccount('logged.user', 'logged-password-1');
    const attempts: Array<[string, string]> = [
      ['logged.user', 'secret-guess-AAA'],
      ['nobody.here', 'secret-guess-BBB'],
    ];
    const store = new LoginStore(serviceDatabaseUrl(h.dbUrl, TEST_SERVICE_PASSWORD), rowMapper(h.em(), Account), log);
    try {
      for (const [username, password] of attempts) {
        await expect(accountService.login({ username, password }, { log, clientAddress: '198.51.100.7', store })).rejects.toThrow(
          '用户名或密码错误',
        );
      }
    } finally {
      await store.close();
    }
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries).toEqual([
      expect.objectContaining({ msg: 'login refused', username: 'logged.user', clientAddress: '198.51.100.7', reason: 'WRONG_PASSWORD' }),
      expect.objectContaining({ msg: 'login refused', username: 'nobody.here', clientAddress: '198.51.100.7', reason: 'UNKNOWN_USER' }),
    ]);
    expect(lines.join('')).not.toMatch(/secret-guess/);
  });

  it('locks an address that sprays many usernames, without locking a username tried once', async () => {
    const store = new LoginStore(serviceDatabaseUrl(h.dbUrl, TEST_SERVICE_PASSWORD), rowMapper(h.em(), Account), rootLogger);
    try {
      const max = DEFAULT_LOGIN_THROTTLE.address.maxFailures;
      for (let i = 0; i < max - 1; i++) await store.recordFailure({ username: `user${i}`, address: '203.0.113.9' });
      expect(await store.isLocked({ username: 'fresh.user', address: '203.0.113.9' })).toBe(false);
      await store.recordFailure({ username: `user${max - 1}`, address: '203.0.113.9' });
      expect(await store.isLocked({ username: 'fresh.user', address: '203.0.113.9' })).toBe(true);
      expect(await store.isLocked({ username: 'fresh.user', address: '203.0.113.10' })).toBe(false);
      expect(await store.isLocked({ username: 'user1', address: null })).toBe(false);
      // A success does not clear the address's count (one valid account must not launder a spray).
      await store.recordSuccess({ username: 'fresh.user', address: '203.0.113.9' });
      expect(await store.isLocked({ username: 'fresh.user', address: '203.0.113.9' })).toBe(true);
      await age(DEFAULT_LOGIN_THROTTLE.address.lockMs - 60_000);
      expect(await store.isLocked({ username: 'fresh.user', address: '203.0.113.9' })).toBe(true);
      await age(60_001);
      expect(await store.isLocked({ username: 'fresh.user', address: '203.0.113.9' })).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('the database’s limits are DEFAULT_LOGIN_THROTTLE’s: a username locks at the 5th failure in its window', async () => {
    const store = new LoginStore(serviceDatabaseUrl(h.dbUrl, TEST_SERVICE_PASSWORD), rowMapper(h.em(), Account), rootLogger);
    try {
      const { maxFailures, windowMs } = DEFAULT_LOGIN_THROTTLE.account;
      const keys = { username: 'limits.user', address: null };
      for (let i = 1; i < maxFailures; i++) expect(await store.recordFailure(keys)).toBe(i);
      expect(await store.isLocked(keys)).toBe(false);
      // Failures older than the window count no more.
      await age(windowMs + 1);
      expect(await store.recordFailure(keys)).toBe(1);
      expect(await store.isLocked(keys)).toBe(false);
      // The 5th inside the window locks (and answers 0: no delay, the lock does the work).
      for (let i = 2; i < maxFailures; i++) expect(await store.recordFailure(keys)).toBe(i);
      expect(await store.recordFailure(keys)).toBe(0);
      expect(await store.isLocked(keys)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('keeps the table to keys that failed recently: expired rows are deleted by later failures', async () => {
    const store = new LoginStore(serviceDatabaseUrl(h.dbUrl, TEST_SERVICE_PASSWORD), rowMapper(h.em(), Account), rootLogger);
    const count = async () =>
      ((await h.em().getConnection().execute('select count(*)::int as n from login_throttle')) as Array<{ n: number }>)[0]!.n;
    try {
      for (let i = 0; i < 30; i++) await store.recordFailure({ username: `sprayed${i}`, address: null });
      expect(await count()).toBe(30);
      await age(DEFAULT_LOGIN_THROTTLE.account.windowMs + 1);
      await store.recordFailure({ username: 'late.user', address: null });
      expect(await count()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('a lock survives a new server instance on the same database, and stores no plain username or address', async () => {
    await makeAccount('restarted.user', 'restarted-password-1');
    for (let i = 0; i < DEFAULT_LOGIN_THROTTLE.account.maxFailures; i++) await login('restarted.user', `guess-${i}`);
    // Another instance (or this one restarted): its own ORM, pools and login store, the same database.
    const orm = await initOrm(serviceDatabaseUrl(h.dbUrl, TEST_SERVICE_PASSWORD), { pool: { min: 0, max: 2 } });
    const log = rootLogger.child({ test: 'second-instance' });
    log.level = 'silent';
    const other = await createAppServer({ orm, tokens: h.tokens, log });
    await new Promise<void>((resolve) => other.httpServer.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://127.0.0.1:${(other.httpServer.address() as AddressInfo).port}/graphql`;
    const loginThere = async (password: string) => {
      const res = await fetch(otherUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: LOGIN, variables: { i: { username: 'restarted.user', password } } }),
      });
      return (await res.json()) as { data: any; errors?: Array<{ message: string }> };
    };
    try {
      const refused = await loginThere('restarted-password-1');
      expect(refused.errors?.[0]?.message).toBe('用户名或密码错误 (wrong username or password)');
      const rows = await (h.em() as EntityManager).getConnection().execute(`select encode(key, 'escape') as k, failures::text as f from login_throttle`);
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toMatch(/restarted|127\.0\.0\.1/);
      await age(LOCK_MS + 1);
      const ok = await loginThere('restarted-password-1');
      expect(ok.errors).toBeUndefined();
      expect(ok.data.login.account.username).toBe('restarted.user');
    } finally {
      await other.close();
      await orm.close(true);
    }
  });

  it('the request login reaches the state only through its functions', async () => {
    const c = new Client({ connectionString: serviceDatabaseUrl(h.dbUrl, TEST_SERVICE_PASSWORD) });
    await c.connect();
    const sqlState = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);
    try {
      for (const statement of [
        'select * from login_throttle',
        'select * from login_throttle_secret',
        'delete from login_throttle',
        `select app_login_key('u', 'x')`,
      ]) {
        expect([statement, await sqlState(c.query(statement))]).toEqual([statement, '42501']);
      }
      expect(await sqlState(c.query(`select app_login_check('x', null)`))).toBe('ok');
      // Inside the gate (the roles requests run as) none of the login functions answers.
      for (const role of ['openness_app', 'openness_evaluator']) {
        for (const call of [`app_login_check('x', null)`, `app_login_failed('x', null)`, `app_login_succeeded('x')`, `app_login_account('x')`]) {
          await c.query('begin');
          await c.query(`select set_config('role', $1, true)`, [role]);
          expect([role, call, await sqlState(c.query(`select ${call}`))]).toEqual([role, call, '42501']);
          await c.query('rollback');
        }
      }
    } finally {
      await c.end();
    }
  });
});
