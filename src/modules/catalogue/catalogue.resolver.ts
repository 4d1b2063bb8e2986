import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { Catalogue, CatalogueKind } from './catalogue.entity';
import { CatalogueItem, CatalogueOmission } from './catalogue-item.entity';
import {
  AddCatalogueItemInput,
  AdoptStandardCatalogueInput,
  CatalogueConnection,
  CatalogueDrift,
  CatalogueFilter,
  CatalogueItemConnection,
  CatalogueItemFilter,
  CatalogueItemPayload,
  CataloguePayload,
  CopyCatalogueInput,
  CreateCatalogueInput,
  DeadlineRuleType,
  ExportedFile,
  ImportCatalogueInput,
  ImportCataloguePayload,
  RemoveCatalogueItemInput,
  RemoveCatalogueItemPayload,
  SheetFormatEnum,
  TypeCount,
  UnitCount,
  UpdateCatalogueInput,
  UpdateCatalogueItemInput,
} from './catalogue.inputs';
import { catalogueService } from './catalogue.service';
import { catalogueSheetService } from './catalogue-sheet.service';
import { formatTimeLimit } from './time-limit-parser';

@Resolver(() => Catalogue)
export class CatalogueResolver {
  @Query(() => Catalogue, { description: '按标识查询目录 (a catalogue by id)' })
  catalogue(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return catalogueService.get(ctx, id);
  }

  @Query(() => CatalogueConnection, {
    description: '目录列表：本机关及下级的目录，以及上级施行中的标准目录 (catalogues in the subtree, plus standards in force from above)',
  })
  catalogues(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => CatalogueFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: CatalogueFilter | null,
  ) {
    return catalogueService.list(ctx, args, filter);
  }

  @Query(() => CatalogueItemConnection, { description: '目录事项查询 (items of a catalogue, filtered)' })
  catalogueItems(
    @Ctx() ctx: RequestContext,
    @Arg('catalogueId', () => ID, { description: '目录 (catalogue)' }) catalogueId: string,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => CatalogueItemFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: CatalogueItemFilter | null,
  ) {
    return catalogueService.listItems(ctx, catalogueId, args, filter);
  }

  @Query(() => [CatalogueDrift], {
    description: '下级对标准目录的偏差：缺失、修改、新增及未采用 (per direct subordinate: missing, changed, extra items and adoption status)',
  })
  standardCatalogueDrift(
    @Ctx() ctx: RequestContext,
    @Arg('standardCatalogueId', () => ID, { description: '标准目录 (standard catalogue)' }) standardCatalogueId: string,
  ) {
    return catalogueService.drift(ctx, standardCatalogueId);
  }

  @Query(() => ExportedFile, { description: '导出目录表格 (export a catalogue in the agencies’ table shape)' })
  exportCatalogue(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('format', () => SheetFormatEnum, { defaultValue: SheetFormatEnum.XLSX, description: '格式 (format)' }) format: SheetFormatEnum,
  ) {
    return catalogueSheetService.export(ctx, id, format);
  }

  @FieldResolver(() => Agency, { nullable: true, description: '所属机关 (owner; null for a superior’s standard seen from below)' })
  agency(@Root() c: Lean<Catalogue>, @Ctx() ctx: RequestContext) {
    return catalogueService.agencyOf(ctx, c);
  }

  @FieldResolver(() => CatalogueItemConnection, { description: '目录事项 (items, in table order)' })
  items(@Root() c: Lean<Catalogue>, @Ctx() ctx: RequestContext, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return ctx.loaders.catalogue.items.load({ groupId: c.id, first: args.first, after: args.after });
  }

  @FieldResolver(() => [TypeCount], { description: '按政务五公开统计 (item counts per type)' })
  countsByType(@Root() c: Lean<Catalogue>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.catalogue.countsByType.load(c.id);
  }

  @FieldResolver(() => [UnitCount], { description: '按责任单位统计 (item counts per responsible unit)' })
  countsByUnit(@Root() c: Lean<Catalogue>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.catalogue.countsByUnit.load(c.id);
  }

  @FieldResolver(() => Catalogue, { nullable: true, description: '已采用的标准目录 (the standard catalogue adopted)' })
  adoptedStandard(@Root() c: Lean<Catalogue>, @Ctx() ctx: RequestContext) {
    return c.adoptedStandard ? ctx.loaders.catalogue.byId.load(c.adoptedStandard.id) : null;
  }

  @FieldResolver(() => [CatalogueOmission], { description: '删减的标准事项及理由 (standard items left out, with reasons)' })
  omissions(@Root() c: Lean<Catalogue>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.catalogue.omissions.load(c.id);
  }

  @Mutation(() => CataloguePayload, { description: '新建目录 (create a catalogue)' })
  async createCatalogue(@Ctx() ctx: RequestContext, @Arg('input', () => CreateCatalogueInput) input: CreateCatalogueInput) {
    return { catalogue: await catalogueService.create(ctx, input) };
  }

  @Mutation(() => CataloguePayload, { description: '复制目录为新年度草稿 (copy last year’s catalogue as this year’s draft)' })
  async copyCatalogue(@Ctx() ctx: RequestContext, @Arg('input', () => CopyCatalogueInput) input: CopyCatalogueInput) {
    return { catalogue: await catalogueService.copy(ctx, input) };
  }

  @Mutation(() => CataloguePayload, { description: '修改目录标题或状态 (update title or status)' })
  async updateCatalogue(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateCatalogueInput) input: UpdateCatalogueInput) {
    return { catalogue: await catalogueService.update(ctx, input) };
  }

  @Mutation(() => CataloguePayload, { description: '采用上级标准目录 (adopt a superior’s standard catalogue)' })
  async adoptStandardCatalogue(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => AdoptStandardCatalogueInput) input: AdoptStandardCatalogueInput,
  ) {
    return { catalogue: await catalogueService.adopt(ctx, input) };
  }

  @Mutation(() => ImportCataloguePayload, {
    description: '导入目录表格：全部成功才写入，并逐行报告问题 (import a spreadsheet: all or nothing, with a row-by-row report)',
  })
  importCatalogue(@Ctx() ctx: RequestContext, @Arg('input', () => ImportCatalogueInput) input: ImportCatalogueInput) {
    return catalogueSheetService.import(ctx, input);
  }
}

@Resolver(() => CatalogueItem)
export class CatalogueItemResolver {
  @Query(() => CatalogueItem, { description: '按标识查询目录事项 (a catalogue item by id)' })
  catalogueItem(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return catalogueService.getItem(ctx, id);
  }

  @FieldResolver(() => Catalogue, { description: '所属目录 (catalogue)' })
  catalogue(@Root() item: Lean<CatalogueItem>, @Ctx() ctx: RequestContext) {
    return catalogueService.get(ctx, item.catalogue.id);
  }

  @FieldResolver(() => [Unit], { description: '责任单位 (responsible internal units)' })
  responsibleUnits(@Root() item: Lean<CatalogueItem>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.catalogue.unitsByItem.load(item.id);
  }

  @FieldResolver(() => DeadlineRuleType, { nullable: true, description: '结构化公开时限 (structured rule; null when the wording needs review)' })
  deadlineRule(@Root() item: Lean<CatalogueItem>) {
    return item.deadlineRule ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      '时限规则说明 (the structured rule in canonical wording, e.g. 动态更新，最长30日; separate from timeLimitText, the wording as written, which it never replaces; null without a rule)',
  })
  deadlineRuleText(@Root() item: Lean<CatalogueItem>): string | null {
    if (!item.deadlineRule) return null;
    try {
      return formatTimeLimit(item.deadlineRule, item.deadlineEvent ?? null);
    } catch {
      return null;
    }
  }

  @FieldResolver(() => CatalogueItem, { nullable: true, description: '对应的标准事项 (the standard item this one was adopted from)' })
  standardItem(@Root() item: Lean<CatalogueItem>, @Ctx() ctx: RequestContext) {
    return item.standardItem ? ctx.loaders.catalogue.itemById.load(item.standardItem.id) : null;
  }

  @Mutation(() => CatalogueItemPayload, { description: '新增目录事项 (add an item)' })
  async addCatalogueItem(@Ctx() ctx: RequestContext, @Arg('input', () => AddCatalogueItemInput) input: AddCatalogueItemInput) {
    return { item: await catalogueService.addItem(ctx, input) };
  }

  @Mutation(() => CatalogueItemPayload, { description: '修改目录事项 (update an item)' })
  async updateCatalogueItem(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => UpdateCatalogueItemInput) input: UpdateCatalogueItemInput,
  ) {
    return { item: await catalogueService.updateItem(ctx, input) };
  }

  @Mutation(() => RemoveCatalogueItemPayload, { description: '删除目录事项 (remove an item; standard items need a reason)' })
  removeCatalogueItem(@Ctx() ctx: RequestContext, @Arg('input', () => RemoveCatalogueItemInput) input: RemoveCatalogueItemInput) {
    return catalogueService.removeItem(ctx, input);
  }
}

@Resolver(() => Agency)
export class AgencyCatalogueResolver {
  @FieldResolver(() => Catalogue, { nullable: true, description: '某年度目录 (the agency’s catalogue of a year)' })
  catalogue(
    @Root() agency: Lean<Agency>,
    @Ctx() ctx: RequestContext,
    @Arg('year', () => Int, { description: '年度 (year)' }) year: number,
    @Arg('kind', () => CatalogueKind, { defaultValue: CatalogueKind.AGENCY, description: '目录类型 (kind)' }) kind: CatalogueKind,
  ) {
    return ctx.loaders.catalogue.ofAgency.load(`${agency.id}|${year}|${kind}`);
  }
}

@Resolver(() => CatalogueOmission)
export class CatalogueOmissionResolver {
  @FieldResolver(() => CatalogueItem, { nullable: true, description: '被删减的标准事项 (the standard item left out)' })
  standardItem(@Root() o: Lean<CatalogueOmission>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.catalogue.itemById.load(o.standardItem.id);
  }
}
