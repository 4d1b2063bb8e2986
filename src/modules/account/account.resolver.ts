import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { agencyService } from '../agency/agency.service';
import { Account } from './account.entity';
import {
  AccountConnection,
  AccountPayload,
  ChangePasswordInput,
  CreateAccountInput,
  LoginInput,
  LoginPayload,
  SetAccountActiveInput,
} from './account.inputs';
import { accountService } from './account.service';

@Resolver(() => Account)
export class AccountResolver {
  @Mutation(() => LoginPayload, { description: '登录 (log in with username and password; returns a bearer token)' })
  login(@Ctx() ctx: RequestContext, @Arg('input', () => LoginInput) input: LoginInput) {
    return accountService.login(input, { log: ctx.log, clientAddress: ctx.clientAddress, store: ctx.logins });
  }

  @Query(() => Account, { description: '当前账号 (the calling account)' })
  me(@Ctx() ctx: RequestContext) {
    return accountService.me(ctx);
  }

  @Query(() => Account, { description: '按标识查询账号 (an account in the caller’s subtree)' })
  account(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return accountService.get(ctx, id);
  }

  @Query(() => AccountConnection, { description: '账号列表 (accounts in the caller’s subtree)' })
  accounts(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('agencyId', () => ID, { nullable: true, description: '只列出此机关的账号 (only this agency’s accounts)' })
    agencyId?: string | null,
  ) {
    return accountService.list(ctx, args, agencyId);
  }

  @FieldResolver(() => Agency, { description: '所属机关 (agency)' })
  agency(@Root() account: Lean<Account>, @Ctx() ctx: RequestContext) {
    return agencyService.get(ctx, account.agency.id);
  }

  @FieldResolver(() => Unit, { nullable: true, description: '所属内设机构 (unit, for unit roles)' })
  unit(@Root() account: Lean<Account>, @Ctx() ctx: RequestContext) {
    return account.unit ? ctx.loaders.agency.unitById.load(account.unit.id) : null;
  }

  @Mutation(() => AccountPayload, { description: '新建账号 (create an account; administrators, inside their subtree)' })
  async createAccount(@Ctx() ctx: RequestContext, @Arg('input', () => CreateAccountInput) input: CreateAccountInput) {
    return { account: await accountService.create(ctx, input) };
  }

  @Mutation(() => AccountPayload, { description: '修改本人密码 (change one’s own password; ends other sessions)' })
  async changePassword(@Ctx() ctx: RequestContext, @Arg('input', () => ChangePasswordInput) input: ChangePasswordInput) {
    return { account: await accountService.changePassword(ctx, input) };
  }

  @Mutation(() => AccountPayload, { description: '启用或停用账号 (enable or disable an account)' })
  async setAccountActive(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SetAccountActiveInput) input: SetAccountActiveInput,
  ) {
    return { account: await accountService.setActive(ctx, input) };
  }
}
