import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from './agency.entity';
import { Unit } from './unit.entity';
import {
  AgencyConnection,
  AgencyFilter,
  AgencyPayload,
  CreateAgencyInput,
  CreateUnitInput,
  MoveAgencyInput,
  UnitConnection,
  UnitPayload,
  UpdateAgencyInput,
  UpdateUnitInput,
} from './agency.inputs';
import { agencyService } from './agency.service';

@Resolver(() => Agency)
export class AgencyResolver {
  @Query(() => Agency, { description: '按标识查询机关 (an agency in the caller’s subtree, by id)' })
  agency(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return agencyService.get(ctx, id);
  }

  @Query(() => AgencyConnection, { description: '本机关及全部下级机关 (agencies in the caller’s subtree)' })
  agencies(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => AgencyFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: AgencyFilter | null,
  ) {
    return agencyService.list(ctx, args, filter);
  }

  @FieldResolver(() => Int, { description: '层级 (depth in the tree; 1 for a root)' })
  depth(@Root() agency: Lean<Agency>) {
    return agencyService.depth(agency);
  }

  @FieldResolver(() => Agency, {
    nullable: true,
    description: '上级机关 (parent agency; null for a root or when the parent is outside the caller’s subtree)',
  })
  parent(@Root() agency: Lean<Agency>, @Ctx() ctx: RequestContext) {
    return agency.parent ? ctx.loaders.agency.byId.load(agency.parent.id) : null;
  }

  @FieldResolver(() => AgencyConnection, { description: '直属下级机关 (direct subordinate agencies)' })
  children(@Root() agency: Lean<Agency>, @Ctx() ctx: RequestContext, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return ctx.loaders.agency.children.load({ groupId: agency.id, first: args.first, after: args.after });
  }

  @FieldResolver(() => UnitConnection, { description: '内设机构 (internal units of this agency)' })
  units(@Root() agency: Lean<Agency>, @Ctx() ctx: RequestContext, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return ctx.loaders.agency.units.load({ groupId: agency.id, first: args.first, after: args.after });
  }

  @Mutation(() => AgencyPayload, { description: '新建下级机关 (create a subordinate agency)' })
  async createAgency(@Ctx() ctx: RequestContext, @Arg('input', () => CreateAgencyInput) input: CreateAgencyInput) {
    return { agency: await agencyService.create(ctx, input) };
  }

  @Mutation(() => AgencyPayload, { description: '修改机关 (update an agency)' })
  async updateAgency(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateAgencyInput) input: UpdateAgencyInput) {
    return { agency: await agencyService.update(ctx, input) };
  }

  @Mutation(() => AgencyPayload, { description: '调整隶属关系 (move an agency and its subtree under a new parent)' })
  async moveAgency(@Ctx() ctx: RequestContext, @Arg('input', () => MoveAgencyInput) input: MoveAgencyInput) {
    return { agency: await agencyService.move(ctx, input) };
  }
}

@Resolver(() => Unit)
export class UnitResolver {
  @Query(() => Unit, { description: '按标识查询内设机构 (an internal unit by id)' })
  unit(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return agencyService.getUnit(ctx, id);
  }

  @Query(() => UnitConnection, { description: '内设机构列表 (internal units in the caller’s subtree)' })
  units(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('agencyId', () => ID, { nullable: true, description: '只列出此机关的单位 (only this agency’s units)' })
    agencyId?: string | null,
  ) {
    return agencyService.listUnits(ctx, args, agencyId);
  }

  @FieldResolver(() => Agency, { description: '所属机关 (the agency the unit belongs to)' })
  agency(@Root() unit: Lean<Unit>, @Ctx() ctx: RequestContext) {
    return agencyService.get(ctx, unit.agency.id);
  }

  @Mutation(() => UnitPayload, { description: '新建内设机构 (create an internal unit)' })
  async createUnit(@Ctx() ctx: RequestContext, @Arg('input', () => CreateUnitInput) input: CreateUnitInput) {
    return { unit: await agencyService.createUnit(ctx, input) };
  }

  @Mutation(() => UnitPayload, { description: '修改内设机构 (update an internal unit)' })
  async updateUnit(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateUnitInput) input: UpdateUnitInput) {
    return { unit: await agencyService.updateUnit(ctx, input) };
  }
}
