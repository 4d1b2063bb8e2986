import { ArrayMaxSize, MaxLength } from 'class-validator';
import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from 'type-graphql';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';

@ObjectType('PublisherDesignation', {
  description: '指定发布单位：该单位可将所列网站栏目的信息上网发布 (a unit designated to publish, for the listed website columns or all)',
})
export class PublisherDesignationView {
  @Field(() => ID, { description: '标识 (identifier)' })
  id!: string;

  @Field(() => Agency, { description: '机关 (agency)' })
  agency!: Agency;

  @Field(() => Unit, { description: '指定的内设机构 (the designated unit)' })
  unit!: Unit;

  @Field(() => [String], { description: '可发布的网站栏目，空表示全部栏目 (catalogue items’ website columns it publishes; empty: every column)' })
  websiteColumns!: string[];

  @Field(() => String, { description: '登记人 (username)' })
  createdBy!: string;

  @Field(() => GraphQLISODateTime, { description: '创建时间 (created at)' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: '更新时间 (updated at)' })
  updatedAt!: Date;
}

@InputType({ description: '指定发布单位 (designate a unit to publish; replaces its columns when already designated)' })
export class DesignatePublisherInput {
  @Field(() => ID, { description: '机关 (agency)' })
  agencyId!: string;

  @Field(() => ID, { description: '内设机构 (unit of that agency)' })
  unitId!: string;

  @Field(() => [String], { description: '网站栏目（目录事项的网站栏目路径），空表示全部栏目 (website columns; empty: every column)' })
  @ArrayMaxSize(100)
  @MaxLength(300, { each: true })
  websiteColumns!: string[];
}

@InputType({ description: '撤销发布单位指定 (revoke a designation)' })
export class RevokePublisherDesignationInput {
  @Field(() => ID, { description: '指定记录 (designation)' })
  id!: string;
}

@ObjectType({ description: '指定发布单位结果 (designation payload)' })
export class PublisherDesignationPayload {
  @Field(() => PublisherDesignationView, { description: '指定记录 (designation)' })
  designation!: PublisherDesignationView;
}

@ObjectType({ description: '撤销指定结果 (revocation payload)' })
export class RevokePublisherDesignationPayload {
  @Field(() => ID, { description: '已撤销的指定 (revoked designation id)' })
  revokedId!: string;
}
