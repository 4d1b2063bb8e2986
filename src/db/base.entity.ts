import { randomUUID } from 'node:crypto';
import { PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';

/** UUID keys (no guessable sequences across tenants) and audit timestamps on every table. */
@ObjectType({ description: '基础实体 (base entity; never emitted on its own)' })
export abstract class BaseEntity {
  @Field(() => ID, { description: '标识 (identifier, a UUID)' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => GraphQLISODateTime, { description: '创建时间 (created at)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Field(() => GraphQLISODateTime, { description: '更新时间 (updated at)' })
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
