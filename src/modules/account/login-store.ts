import { Pool } from 'pg';
import type { ThrottleKeys } from '../../auth/login-throttle';
import type { Lean, RowMapper } from '../../db/row-mapper';
import type { Logger } from '../../logger';
import type { Account } from './account.entity';

/** What deciding a login needs of an account (`app_login_account`), and nothing more. */
export interface LoginAccount {
  id: string;
  passwordHash: string;
  agencyId: string;
  active: boolean;
  accessFrom: Date | null;
  accessUntil: Date | null;
}

/**
 * Everything login asks of the database, through the functions of migrations 20261122070000_ServiceLogin
 * and 20261122131000_LoginState — the request login (`openness_service`) may call those and read no
 * table, so login needs neither the owner's pool nor a scope.
 *
 * It has its own small pool, separate from the requests': a login request already holds a request
 * connection (its transaction), and if logins took a second one from the same pool, as many
 * simultaneous logins as the pool has connections would each wait for another that never frees.
 * Statements run outside any request transaction, so a failure is recorded even though the refused
 * request rolls back.
 */
export class LoginStore {
  private readonly pool: Pool;

  constructor(
    url: string,
    /** Maps `app_principal`'s row (the account's columns) like every other read of an account. */
    private readonly accounts: RowMapper<Account>,
    log: Logger,
    options: { max?: number } = {},
  ) {
    this.pool = new Pool({
      connectionString: url,
      max: options.max ?? 4,
      // During an outage a login fails within seconds (answered 503 like any request) instead of waiting.
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      application_name: 'openness-login',
    });
    // An idle connection cut by the server (a restart, an outage) is reported here; without a
    // listener it would crash the process. The next login opens a new connection.
    this.pool.on('error', (err) => log.warn({ err }, 'login pool connection lost'));
  }

  async isLocked(k: ThrottleKeys): Promise<boolean> {
    const res = await this.pool.query<{ locked: boolean }>('select app_login_check($1, $2) as locked', [k.username, k.address]);
    return res.rows[0]!.locked;
  }

  /** Counts a failure against both keys; answers the username's failures inside its window (0 once locked). */
  async recordFailure(k: ThrottleKeys): Promise<number> {
    const res = await this.pool.query<{ n: number }>('select app_login_failed($1, $2) as n', [k.username, k.address]);
    return res.rows[0]!.n;
  }

  async recordSuccess(k: ThrottleKeys): Promise<void> {
    await this.pool.query('select app_login_succeeded($1)', [k.username]);
  }

  async findAccount(username: string): Promise<LoginAccount | null> {
    const res = await this.pool.query<{
      id: string;
      password_hash: string;
      agency_id: string;
      active: boolean;
      access_from: Date | null;
      access_until: Date | null;
    }>('select * from app_login_account($1)', [username]);
    const row = res.rows[0];
    if (!row) return null;
    return {
      id: row.id,
      passwordHash: row.password_hash,
      agencyId: row.agency_id,
      active: row.active,
      accessFrom: row.access_from,
      accessUntil: row.access_until,
    };
  }

  /** The logged-in account for the login's answer, without its password hash (`app_principal`). */
  async account(id: string): Promise<Lean<Account> | null> {
    const res = await this.pool.query(`select ${this.accounts.columns('a')} from app_principal($1::uuid) a`, [id]);
    return res.rows[0] ? this.accounts.map(res.rows[0]) : null;
  }

  /** Closes the pool's connections, waiting at most `ms` for ones in use. */
  async close(ms = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.pool.end().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }
}
