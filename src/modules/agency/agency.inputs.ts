import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { ConnectionType } from '../../graphql/connection';
import { Agency, AgencyKind } from './agency.entity';
import { Unit, UnitKind } from './unit.entity';

export const AgencyConnection = ConnectionType(Agency, 'Agency', '机关');
export const UnitConnection = ConnectionType(Unit, 'Unit', '内设机构');

const CODE_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const CODE_MESSAGE = '代码只能包含小写字母、数字和连字符 (code: lowercase letters, digits and hyphens)';

@InputType({ description: '机关筛选 (agency filter)' })
export class AgencyFilter {
  @Field(() => ID, { nullable: true, description: '只列出此机关及其下级 (only this agency and its subtree)' })
  underAgencyId?: string | null;

  @Field(() => AgencyKind, { nullable: true, description: '机关类别 (kind)' })
  kind?: AgencyKind | null;

  @Field(() => String, { nullable: true, description: '名称或代码包含 (name or code contains)' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;
}

@InputType({ description: '新建下级机关 (create a subordinate agency)' })
export class CreateAgencyInput {
  @Field(() => ID, { description: '上级机关 (parent agency)' })
  parentId!: string;

  @Field(() => String, { description: '机关代码 (stable code)' })
  @MinLength(2)
  @MaxLength(64)
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code!: string;

  @Field(() => String, { description: '机关名称 (name)' })
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @Field(() => AgencyKind, { description: '机关类别 (kind)' })
  kind!: AgencyKind;
}

@InputType({ description: '修改机关 (update an agency)' })
export class UpdateAgencyInput {
  @Field(() => ID, { description: '机关 (agency)' })
  id!: string;

  @Field(() => String, { nullable: true, description: '机关名称 (name)' })
  @IsOptional()
  @MinLength(2)
  @MaxLength(200)
  name?: string | null;

  @Field(() => AgencyKind, { nullable: true, description: '机关类别 (kind)' })
  kind?: AgencyKind | null;
}

@InputType({ description: '调整隶属关系：把机关及其全部下级移到新的上级下 (move a subtree under a new parent)' })
export class MoveAgencyInput {
  @Field(() => ID, { description: '要移动的机关 (agency to move)' })
  id!: string;

  @Field(() => ID, { description: '新的上级机关 (new parent)' })
  newParentId!: string;
}

@ObjectType({ description: '机关变更结果 (agency mutation payload)' })
export class AgencyPayload {
  @Field(() => Agency, { description: '机关 (the agency)' })
  agency!: Agency;
}

@InputType({ description: '新建内设机构 (create an internal unit)' })
export class CreateUnitInput {
  @Field(() => ID, { description: '所属机关 (agency)' })
  agencyId!: string;

  @Field(() => String, { description: '单位代码 (code, unique within the agency)' })
  @MinLength(2)
  @MaxLength(64)
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code!: string;

  @Field(() => String, { description: '单位名称 (name)' })
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @Field(() => UnitKind, { description: '单位类别 (kind)' })
  kind!: UnitKind;
}

@InputType({ description: '修改内设机构 (update an internal unit)' })
export class UpdateUnitInput {
  @Field(() => ID, { description: '内设机构 (unit)' })
  id!: string;

  @Field(() => String, { nullable: true, description: '单位名称 (name)' })
  @IsOptional()
  @MinLength(2)
  @MaxLength(200)
  name?: string | null;

  @Field(() => UnitKind, { nullable: true, description: '单位类别 (kind)' })
  kind?: UnitKind | null;
}

@ObjectType({ description: '内设机构变更结果 (unit mutation payload)' })
export class UnitPayload {
  @Field(() => Unit, { description: '内设机构 (the unit)' })
  unit!: Unit;
}
