import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { ConnectionType } from '../../graphql/connection';
import { Account, Role } from './account.entity';

export const AccountConnection = ConnectionType(Account, 'Account', '账号');

@InputType({ description: '登录 (log in)' })
export class LoginInput {
  @Field(() => String, { description: '用户名 (username)' })
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @Field(() => String, { description: '密码 (password)' })
  @MinLength(1)
  @MaxLength(128)
  password!: string;
}

@ObjectType({ description: '登录结果 (login payload)' })
export class LoginPayload {
  @Field(() => String, { description: '访问令牌 (access token, send as `Authorization: Bearer …`)' })
  token!: string;

  @Field(() => GraphQLISODateTime, { description: '令牌到期时间 (token expiry)' })
  expiresAt!: Date;

  @Field(() => Account, { description: '当前账号 (the logged-in account)' })
  account!: Account;
}

@InputType({ description: '新建账号 (create an account in the administrator’s subtree)' })
export class CreateAccountInput {
  @Field(() => ID, { description: '所属机关 (agency)' })
  agencyId!: string;

  @Field(() => ID, { nullable: true, description: '所属内设机构 (unit; required for unit liaisons and unit heads)' })
  unitId?: string | null;

  @Field(() => String, { description: '用户名 (username: lowercase letters, digits, . _ -)' })
  @MinLength(3)
  @MaxLength(64)
  @Matches(/^[a-z0-9][a-z0-9._-]*$/, { message: '用户名只能包含小写字母、数字和 . _ - (username: lowercase letters, digits, . _ -)' })
  username!: string;

  @Field(() => String, { description: '姓名 (display name)' })
  @MinLength(1)
  @MaxLength(100)
  displayName!: string;

  @Field(() => String, { description: '初始密码 (initial password, at least 10 characters)' })
  @MinLength(10)
  @MaxLength(128)
  password!: string;

  @Field(() => [Role], { description: '角色 (roles)' })
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  roles!: Role[];

  @Field(() => GraphQLISODateTime, { nullable: true, description: '访问开始 (access window start; evaluators)' })
  @IsOptional()
  accessFrom?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: '访问截止 (access window end; required for evaluators)' })
  @IsOptional()
  accessUntil?: Date | null;
}

@ObjectType({ description: '账号变更结果 (account mutation payload)' })
export class AccountPayload {
  @Field(() => Account, { description: '账号 (the account)' })
  account!: Account;
}

@InputType({ description: '修改本人密码 (change one’s own password)' })
export class ChangePasswordInput {
  @Field(() => String, { description: '当前密码 (current password)' })
  @MaxLength(128)
  currentPassword!: string;

  @Field(() => String, { description: '新密码 (new password, at least 10 characters)' })
  @MinLength(10)
  @MaxLength(128)
  newPassword!: string;
}

@InputType({ description: '启用或停用账号 (enable or disable an account)' })
export class SetAccountActiveInput {
  @Field(() => ID, { description: '账号 (account)' })
  id!: string;

  @Field(() => Boolean, { description: '是否启用 (active)' })
  active!: boolean;
}
