/**
 * Slows down and then stops password guessing. Failed logins are counted per key — one key per
 * username (whether or not the account exists, so a lock says nothing about existence) and one per
 * client address — inside a sliding window; each further failure is answered later than the one
 * before, and reaching the limit locks the key for a while, during which even the right password is
 * refused with the ordinary "wrong username or password" answer.
 *
 * The counts and locks live in PostgreSQL (migration 20261122131000_LoginState), behind functions the
 * request login may call and nothing else: a restart forgets nothing and every instance shares them.
 * The window, limits and lock times are written into those functions (a caller that could pass them
 * could lift a lock); they are the values below, which this file keeps for the delays and as the one
 * readable statement of the policy — test/security/login-throttle.test.ts checks that both agree.
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

export interface ThrottleKeys {
  username: string;
  /** Null when the caller's address is not known (see AccountService.login). */
  address: string | null;
}

/**
 * How long the answer to a failure is held back, given the username's failures inside its window
 * after this one (0 when this failure locked it: the lock does the work). Delays follow the username
 * only: an address is shared (a station behind one NAT address), and colleagues' typos must not slow
 * everyone's login down; the address only locks.
 */
export function failureDelayMs(usernameFailures: number, settings: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE): number {
  if (usernameFailures < 2) return 0;
  return Math.min(settings.baseDelayMs * 2 ** (usernameFailures - 2), settings.maxDelayMs);
}

/** How a delayed answer waits; tests replace `sleep` so that nothing really waits. */
export const loginDelay = {
  sleep: (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)),
};
