/**
 * Slows down and then stops password guessing. Failed logins are counted per key — one key per
 * username (whether or not the account exists, so a lock says nothing about existence) and one per
 * client address — inside a sliding window; each further failure is answered later than the one
 * before, and reaching the limit locks the key for a while, during which even the right password is
 * refused with the ordinary "wrong username or password" answer.
 *
 * The state lives in memory and is PER PROCESS: a restart forgets it, and with several instances
 * behind a load balancer each counts on its own (so the real limit is instances × limit). Persistent,
 * shared state needs a table (a migration), which is future work.
 */

export interface ThrottleLimits {
  /** Failures inside the window that lock the key. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export interface LoginThrottleSettings {
  account: ThrottleLimits;
  /**
   * Much higher than per account: a whole police station may sit behind one NAT address, and one
   * colleague mistyping must not lock out the others.
   */
  address: ThrottleLimits;
  /** Delay after the second failure; it doubles with every further failure, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

const MINUTE = 60_000;

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = {
  account: { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  address: { maxFailures: 50, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  baseDelayMs: 250,
  maxDelayMs: 4000,
};

/** Keys held at most; beyond this, expired entries are dropped first, then the oldest ones. */
const MAX_ENTRIES = 50_000;

interface Entry {
  /** Times of the failures still inside the window, oldest first. */
  failures: number[];
  lockedUntil: number;
}

export interface ThrottleKeys {
  username: string;
  /** Null when the caller's address is not known (see AccountService.login). */
  address: string | null;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private settings: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE,
    /** Injectable so tests can move time instead of waiting. */
    public now: () => number = Date.now,
    /** How a failure's answer is held back; tests replace it to avoid real waiting. */
    public sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  private keysOf(k: ThrottleKeys): Array<{ key: string; limits: ThrottleLimits }> {
    const keys = [{ key: `u:${k.username}`, limits: this.settings.account }];
    if (k.address) keys.push({ key: `a:${k.address}`, limits: this.settings.address });
    return keys;
  }

  /** The entry with failures outside the window and a finished lock forgotten. */
  private current(key: string, limits: ThrottleLimits, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.lockedUntil <= now) e.lockedUntil = 0;
    while (e.failures.length && e.failures[0]! <= now - limits.windowMs) e.failures.shift();
    if (e.lockedUntil === 0 && e.failures.length === 0) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Whether a login for these keys must be refused without looking at the password. */
  isLocked(k: ThrottleKeys): boolean {
    const now = this.now();
    return this.keysOf(k).some(({ key, limits }) => (this.current(key, limits, now)?.lockedUntil ?? 0) > now);
  }

  /**
   * Counts a failure against every key and returns how long its answer should be held back (the
   * longest of the keys' delays; 0 when the failure locked a key, since the lock does the work).
   */
  recordFailure(k: ThrottleKeys): number {
    const now = this.now();
    let delay = 0;
    for (const { key, limits } of this.keysOf(k)) {
      const e = this.current(key, limits, now) ?? { failures: [], lockedUntil: 0 };
      if (e.lockedUntil > now) continue;
      e.failures.push(now);
      if (e.failures.length >= limits.maxFailures) {
        e.failures = [];
        e.lockedUntil = now + limits.lockMs;
      } else if (e.failures.length >= 2 && key.startsWith('u:')) {
        // Delays follow the username only: an address is shared (a station behind one NAT address),
        // and colleagues' typos must not slow everyone's login down; the address only locks.
        const d = this.settings.baseDelayMs * 2 ** (e.failures.length - 2);
        delay = Math.max(delay, Math.min(d, this.settings.maxDelayMs));
      }
      this.entries.delete(key); // re-inserted last: the Map's order is then least recently failed first
      this.entries.set(key, e);
    }
    this.prune(now);
    return delay;
  }

  /** A successful login clears the account's count; the address keeps its count (a valid account must not launder it). */
  recordSuccess(k: ThrottleKeys): void {
    this.entries.delete(`u:${k.username}`);
  }

  /** Forgets everything (tests). */
  reset(): void {
    this.entries.clear();
  }

  private prune(now: number): void {
    if (this.entries.size <= MAX_ENTRIES) return;
    const longest = Math.max(this.settings.account.windowMs, this.settings.address.windowMs);
    for (const [key, e] of this.entries) {
      if (e.lockedUntil <= now && (e.failures.at(-1) ?? 0) <= now - longest) this.entries.delete(key);
    }
    // Still too many (a spray of distinct usernames): drop the least recently failed, but never a
    // lock, or spraying names would be a way to unlock the account under attack.
    for (const [key, e] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES) break;
      if (e.lockedUntil <= now) this.entries.delete(key);
    }
  }
}

/** The process's throttle, used by AccountService.login. */
export const loginThrottle = new LoginThrottle();
