import { assertAdminOf, requirePrincipal } from '../../auth/policy';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../auth/password';
import { signAccessToken } from '../../auth/jwt';
import { failureDelayMs, loginDelay } from '../../auth/login-throttle';
import { tokenSettings } from '../../auth/token-settings';
import type { Lean } from '../../db/row-mapper';
import { inTransaction } from '../../db/transaction';
import { rootLogger, type Logger } from '../../logger';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { badInput, forbidden, notFound, unauthenticated } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import { agencyService } from '../agency/agency.service';
import { Account, Role } from './account.entity';
import type { ChangePasswordInput, CreateAccountInput, LoginInput, SetAccountActiveInput } from './account.inputs';
import type { LoginStore } from './login-store';

/** The one answer to every refused login, whatever the reason (see {@link AccountService.login}). */
const LOGIN_REFUSED = '用户名或密码错误 (wrong username or password)';

const UNIT_ROLES: readonly Role[] = [Role.UNIT_LIAISON, Role.UNIT_HEAD];

/** Whether the account may hold a token right now (active, inside an evaluator's window). */
export function accountUsableAt(
  a: { active: boolean; accessFrom?: Date | null; accessUntil?: Date | null },
  now: Date,
): boolean {
  if (!a.active) return false;
  if (a.accessFrom && now < a.accessFrom) return false;
  if (a.accessUntil && now >= a.accessUntil) return false;
  return true;
}

export class AccountService {
  /**
   * Login happens before there is a principal, so it reads the account outside the tenancy gate —
   * through `store` (the request login's narrow functions, see {@link LoginStore}), never the owner's pool.
   * Unknown users, wrong passwords, disabled accounts (or evaluators outside their window) and locked
   * usernames all get the same answer, so that the answer tells nothing about which accounts exist
   * or are active; only the log says why. Failures are throttled (src/auth/login-throttle.ts), with
   * the counts in the database, shared by every instance and kept over restarts.
   *
   * `clientAddress` is the caller's address (the request context's); failures are counted per
   * username and per address, and null (outside HTTP) counts per username only.
   */
  async login(
    input: LoginInput,
    meta: { log?: Logger; clientAddress?: string | null; store: LoginStore | null },
  ): Promise<{ token: string; expiresAt: Date; account: Lean<Account> }> {
    const store = meta.store;
    if (!store) throw new Error('login needs the server’s login store');
    const username = input.username.trim().toLowerCase();
    const keys = { username, address: meta.clientAddress ?? null };
    const log = meta.log ?? rootLogger;
    const refuse = async (reason: 'LOCKED' | 'UNKNOWN_USER' | 'WRONG_PASSWORD' | 'ACCOUNT_UNUSABLE') => {
      // Never the password, not even a wrong one: it is often the right one with a typo, or another site's.
      log.warn({ username, clientAddress: keys.address, reason }, 'login refused');
      if (reason !== 'LOCKED') {
        const delay = failureDelayMs(await store.recordFailure(keys));
        if (delay > 0) await loginDelay.sleep(delay);
      }
      return unauthenticated(LOGIN_REFUSED);
    };
    // A locked username is refused before any hashing, so guessing during a lock also costs no CPU.
    if (await store.isLocked(keys)) throw await refuse('LOCKED');
    const account = await store.findAccount(username);
    const ok = await verifyPassword(input.password, account?.passwordHash ?? (await dummyPasswordHash()));
    if (!account) throw await refuse('UNKNOWN_USER');
    if (!ok) throw await refuse('WRONG_PASSWORD');
    if (!accountUsableAt(account, new Date())) throw await refuse('ACCOUNT_UNUSABLE');
    await store.recordSuccess(keys);
    // The answer's account (without the hash); gone only if deleted in the meantime.
    const lean = await store.account(account.id);
    if (!lean) throw await refuse('UNKNOWN_USER');
    const { token, expiresAt } = signAccessToken(
      tokenSettings(),
      { accountId: account.id, agencyId: account.agencyId },
      { expiresAt: account.accessUntil ?? undefined },
    );
    return { token, expiresAt, account: lean };
  }

  async me(ctx: RequestContext): Promise<Lean<Account>> {
    const p = requirePrincipal(ctx);
    const account = await ctx.loaders.account.byId.load(p.accountId);
    if (!account) throw unauthenticated();
    return account;
  }

  async get(ctx: RequestContext, id: string): Promise<Lean<Account>> {
    requirePrincipal(ctx);
    const account = await ctx.loaders.account.byId.load(requireId(id, 'id'));
    if (!account) throw notFound('账号 (account)', id);
    return account;
  }

  async list(ctx: RequestContext, args: ConnectionArgs, agencyId?: string | null): Promise<Connection<Lean<Account>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(Account, 'a');
    if (agencyId) qb.andWhere({ agency: (await agencyService.get(ctx, agencyId, 'agencyId')).id });
    return paginateQb(ctx.em, qb, args, { column: 'username', value: (a) => a.username });
  }

  async create(ctx: RequestContext, input: CreateAccountInput): Promise<Account> {
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    assertAdminOf(ctx, agency, '新建账号 (createAccount)');
    const roles = [...new Set(input.roles)];
    let unitId: string | null = null;
    if (input.unitId) {
      const unit = await agencyService.getUnit(ctx, input.unitId, 'input.unitId');
      if (unit.agency.id !== agency.id) throw badInput('input.unitId', '单位不属于该机关 (unit belongs to another agency)');
      unitId = unit.id;
    }
    if (roles.some((r) => UNIT_ROLES.includes(r)) && !unitId) {
      throw badInput('input.unitId', '联络员和单位负责人必须指定单位 (unit liaisons and unit heads need a unit)');
    }
    if (roles.includes(Role.EVALUATOR)) {
      if (!input.accessUntil) throw badInput('input.accessUntil', '第三方评估账号必须设定截止时间 (evaluators need an access end)');
      if (roles.length > 1) throw badInput('input.roles', '第三方评估账号不能兼任其他角色 (evaluators hold no other role)');
    }
    if (input.accessFrom && input.accessUntil && input.accessFrom >= input.accessUntil) {
      throw badInput('input.accessUntil', '截止时间必须晚于开始时间 (access end must follow access start)');
    }
    const passwordHash = await hashPassword(input.password);
    return inTransaction(ctx, async (em) => {
      const account = em.create(Account, {
        agency: agency.id,
        unit: unitId,
        username: input.username,
        displayName: input.displayName.trim(),
        passwordHash,
        roles,
        accessFrom: input.accessFrom ?? null,
        accessUntil: input.accessUntil ?? null,
      });
      await em.flush();
      return account;
    });
  }

  async changePassword(ctx: RequestContext, input: ChangePasswordInput): Promise<Account> {
    const p = requirePrincipal(ctx);
    if (p.readOnly) throw forbidden('只读账号不能修改密码，请联系管理员 (read-only accounts cannot change passwords)');
    return inTransaction(ctx, async (em) => {
      const account = await em.findOneOrFail(Account, p.accountId, { populate: ['passwordHash'] });
      if (!(await verifyPassword(input.currentPassword, account.passwordHash))) {
        throw badInput('input.currentPassword', '当前密码不正确 (current password is wrong)');
      }
      account.passwordHash = await hashPassword(input.newPassword);
      account.credentialsChangedAt = new Date();
      await em.flush();
      return account;
    });
  }

  async setActive(ctx: RequestContext, input: SetAccountActiveInput): Promise<Account> {
    const target = await this.get(ctx, input.id);
    const agency = await agencyService.get(ctx, target.agency.id);
    const p = assertAdminOf(ctx, agency, '启用或停用账号 (setAccountActive)');
    if (target.id === p.accountId) throw badInput('input.id', '不能停用自己的账号 (cannot disable one’s own account)');
    return inTransaction(ctx, async (em) => {
      const account = await em.findOneOrFail(Account, target.id);
      account.active = input.active;
      account.credentialsChangedAt = new Date();
      await em.flush();
      return account;
    });
  }
}

export const accountService = new AccountService();
