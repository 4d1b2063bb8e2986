import pino from 'pino';
import { loginThrottle, LoginThrottle, DEFAULT_LOGIN_THROTTLE } from '../../src/auth/login-throttle';
import { accountService } from '../../src/modules/account/account.service';
import { Account } from '../../src/modules/account/account.entity';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * Password guessing over HTTP against the real server: failures are answered ever later, then the
 * username is locked, and no answer tells whether an account exists or is active. The throttle's
 * clock and sleep are replaced (the server runs in this process), so nothing really waits.
 */

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { token account { username } } }`;
const LOCK_MS = DEFAULT_LOGIN_THROTTLE.account.lockMs;

describe('login throttling and uniform refusals', () => {
  let h: Harness;
  let now: number;
  let delays: number[];

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
  afterAll(() => h.close());
  beforeEach(() => {
    now = Date.UTC(2026, 0, 5, 9, 0, 0);
    delays = [];
    loginThrottle.reset();
    loginThrottle.now = () => now;
    // A delayed answer "waits" by moving the clock, as real waiting would.
    loginThrottle.sleep = async (ms) => {
      delays.push(ms);
      now += ms;
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

    now += LOCK_MS - 60_000; // still locked a minute before the end
    expect(answer(await login('target', 'the-right-password-1'))).toEqual(first);

    now += 60_000 + 1;
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
      now += 4 * 60_000; // at most four failures in any 15 minutes
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
    for (const [username, password] of attempts) {
      await expect(accountService.login({ username, password }, { log, clientAddress: '198.51.100.7' })).rejects.toThrow(
        '用户名或密码错误',
      );
    }
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries).toEqual([
      expect.objectContaining({ msg: 'login refused', username: 'logged.user', clientAddress: '198.51.100.7', reason: 'WRONG_PASSWORD' }),
      expect.objectContaining({ msg: 'login refused', username: 'nobody.here', clientAddress: '198.51.100.7', reason: 'UNKNOWN_USER' }),
    ]);
    expect(lines.join('')).not.toMatch(/secret-guess/);
  });
});

describe('LoginThrottle per client address', () => {
  it('locks an address that sprays many usernames, without locking a username tried once', () => {
    let now = 0;
    const t = new LoginThrottle(DEFAULT_LOGIN_THROTTLE, () => now);
    const max = DEFAULT_LOGIN_THROTTLE.address.maxFailures;
    for (let i = 0; i < max; i++) t.recordFailure({ username: `user${i}`, address: '203.0.113.9' });
    expect(t.isLocked({ username: 'fresh.user', address: '203.0.113.9' })).toBe(true);
    expect(t.isLocked({ username: 'fresh.user', address: '203.0.113.10' })).toBe(false);
    expect(t.isLocked({ username: 'user1', address: null })).toBe(false);
    // A success does not clear the address's count (one valid account must not launder a spray).
    t.recordSuccess({ username: 'fresh.user', address: '203.0.113.9' });
    expect(t.isLocked({ username: 'fresh.user', address: '203.0.113.9' })).toBe(true);
    now += DEFAULT_LOGIN_THROTTLE.address.lockMs;
    expect(t.isLocked({ username: 'fresh.user', address: '203.0.113.9' })).toBe(false);
  });
});
