import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Lean } from '../../db/row-mapper';
import { ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { AppError } from '../../graphql/errors';
import { selectedFields } from '../../graphql/selection';
import { Account } from '../account/account.entity';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { CatalogueItem } from '../catalogue/catalogue-item.entity';
import { ExportedFile } from '../catalogue/catalogue.inputs';
import { approvalFormFile } from './approval-form-docx';
import { MAINTAINED } from './compliance-figures';
import { complianceColumnsFor, complianceService } from './compliance.service';
import { historicalRecordService } from './historical-record.service';
import { ConfidentialityReview, NegativeListEntry, Publication, PublicationEvent, PublicationSignOff } from './publication.entity';
import {
  AddNegativeListEntryInput,
  AgencyCompliance,
  ApprovalForm,
  ComplianceFilter,
  ComplianceRollup,
  ComplianceRollupRow,
  ConfirmDeidentificationInput,
  CreatePublicationInput,
  ItemCompliance,
  NegativeListEntryConnection,
  NegativeListEntryPayload,
  PublicationCompliance,
  PublicationConnection,
  PublicationDeadline,
  PublicationFilter,
  PublicationPayload,
  PublishPublicationInput,
  RecordConfidentialityReviewInput,
  RecordHistoricalPublicationInput,
  RemoveNegativeListEntryInput,
  RemoveNegativeListEntryPayload,
  SignOffPublicationInput,
  SubmitPublicationInput,
  Timeliness,
  UpdatePublicationInput,
} from './publication.inputs';
import { publicationService } from './publication.service';
import {
  DesignatePublisherInput,
  PublisherDesignationPayload,
  PublisherDesignationView,
  RevokePublisherDesignationInput,
  RevokePublisherDesignationPayload,
} from './publisher.inputs';
import { publisherService } from './publisher.service';

@Resolver(() => Publication)
export class PublicationResolver {
  @Query(() => Publication, { description: '按标识查询信息发布 (a publication by id)' })
  publication(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string) {
    return publicationService.get(ctx, id);
  }

  @Query(() => PublicationConnection, { description: '信息发布列表：本机关及下级 (publications in the caller’s subtree, by formation date)' })
  publications(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => PublicationFilter, { nullable: true, description: '筛选条件 (filter)' }) filter?: PublicationFilter | null,
  ) {
    return publicationService.list(ctx, args, filter);
  }

  @Query(() => ExportedFile, { description: '导出互联网上网信息发布审批表 DOCX (the approval form of 002 Attachment 2 as a Word document)' })
  async exportApprovalForm(@Ctx() ctx: RequestContext, @Arg('publicationId', () => ID, { description: '信息发布 (publication)' }) publicationId: string) {
    const pub = await publicationService.get(ctx, publicationId, 'publicationId');
    if (pub.historical) {
      throw new AppError('CONFLICT', 'publicationId: 补录的历史发布记录没有系统内的审批表 (a historical record has no approval form in the system)', {
        field: 'publicationId',
        reason: 'HISTORICAL_RECORD',
      });
    }
    return approvalFormFile(await publicationService.approvalForm(ctx, pub));
  }

  @FieldResolver(() => Agency, { description: '所属机关 (agency)' })
  agency(@Root() pub: Lean<Publication>, @Ctx() ctx: RequestContext) {
    return publicationService.agencyOf(ctx, pub);
  }

  @FieldResolver(() => CatalogueItem, { description: '目录事项 (the catalogue item it satisfies)' })
  item(@Root() pub: Lean<Publication>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.catalogue.itemById.load(pub.item.id);
  }

  @FieldResolver(() => Unit, { description: '撰稿单位 (drafting unit)' })
  draftingUnit(@Root() pub: Lean<Publication>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.unitById.load(pub.draftingUnit.id);
  }

  @FieldResolver(() => Account, { nullable: true, description: '撰稿人 (drafter: the account that created it)' })
  drafter(@Root() pub: Lean<Publication>, @Ctx() ctx: RequestContext) {
    return pub.drafter ? ctx.loaders.account.byId.load(pub.drafter.id) : null;
  }

  @FieldResolver(() => Boolean, { description: '已确认去标识化 (de-identification confirmed by the drafter)' })
  deidentificationConfirmed(@Root() pub: Lean<Publication>) {
    return pub.deidentifiedAt != null;
  }

  @FieldResolver(() => PublicationDeadline, { description: '公开时限 (stored due date with its explanation)' })
  deadline(@Root() pub: Lean<Publication>) {
    return publicationService.deadline(pub);
  }

  @FieldResolver(() => Timeliness, { description: '时效状态 (timeliness, as of today in China)' })
  timeliness(@Root() pub: Lean<Publication>, @Ctx() ctx: RequestContext) {
    return publicationService.timeliness(ctx, pub);
  }

  @FieldResolver(() => ConfidentialityReview, { nullable: true, description: '本轮保密审查记录 (the confidentiality review of the current round)' })
  review(@Root() pub: Lean<Publication>, @Ctx() ctx: RequestContext) {
    return publicationService.currentReview(ctx, pub);
  }

  @FieldResolver(() => [PublicationSignOff], { description: '本轮审核签字 (sign-offs of the current round)' })
  signOffs(@Root() pub: Lean<Publication>, @Ctx() ctx: RequestContext) {
    return publicationService.currentSignOffs(ctx, pub);
  }

  @FieldResolver(() => [PublicationEvent], { description: '流程记录 (every transition, oldest first)' })
  history(@Root() pub: Lean<Publication>, @Ctx() ctx: RequestContext) {
    return publicationService.history(ctx, pub);
  }

  @FieldResolver(() => ApprovalForm, { description: '互联网上网信息发布审批表 (the approval form of 002 Attachment 2)' })
  approvalForm(@Root() pub: Lean<Publication>, @Ctx() ctx: RequestContext) {
    return publicationService.approvalForm(ctx, pub);
  }

  @Mutation(() => PublicationPayload, { description: '起草信息发布 (draft a publication for a catalogue item)' })
  async createPublication(@Ctx() ctx: RequestContext, @Arg('input', () => CreatePublicationInput) input: CreatePublicationInput) {
    return { publication: await publicationService.create(ctx, input) };
  }

  @Mutation(() => PublicationPayload, { description: '修改起草中的信息发布 (edit a draft)' })
  async updatePublication(@Ctx() ctx: RequestContext, @Arg('input', () => UpdatePublicationInput) input: UpdatePublicationInput) {
    return { publication: await publicationService.update(ctx, input) };
  }

  @Mutation(() => PublicationPayload, { description: '提交审核 (submit: a new round with its own confidentiality review)' })
  async submitPublication(@Ctx() ctx: RequestContext, @Arg('input', () => SubmitPublicationInput) input: SubmitPublicationInput) {
    return { publication: await publicationService.submit(ctx, input) };
  }

  @Mutation(() => PublicationPayload, { description: '保密审查：一事一审，撰稿人不得自审 (record the confidentiality review; FAILED returns it to the drafter)' })
  async recordConfidentialityReview(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => RecordConfidentialityReviewInput) input: RecordConfidentialityReviewInput,
  ) {
    return { publication: await publicationService.review(ctx, input) };
  }

  @Mutation(() => PublicationPayload, { description: '单位负责人或局领导审核签字 (sign off; a rejection needs a reason and returns it to the drafter)' })
  async signOffPublication(@Ctx() ctx: RequestContext, @Arg('input', () => SignOffPublicationInput) input: SignOffPublicationInput) {
    return { publication: await publicationService.signOff(ctx, input) };
  }

  @Mutation(() => PublicationPayload, { description: '撰稿人确认已去标识化 (the drafter confirms personal information was de-identified)' })
  async confirmDeidentification(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ConfirmDeidentificationInput) input: ConfirmDeidentificationInput,
  ) {
    return { publication: await publicationService.confirmDeidentification(ctx, input) };
  }

  @Mutation(() => PublicationPayload, { description: '上网发布 (publish: needs a passed review and both sign-offs; by the openness office or a unit designated for the item’s website column)' })
  async publishPublication(@Ctx() ctx: RequestContext, @Arg('input', () => PublishPublicationInput) input: PublishPublicationInput) {
    return { publication: await publicationService.publish(ctx, input) };
  }

  @Mutation(() => PublicationPayload, {
    description:
      '补录历史发布记录：启用系统前已上网的信息，按原日期录入，不计为经审核，考核数据中单列 (enter a publication made before the agency used the system; shown apart in the compliance figures, never counted as reviewed)',
  })
  async recordHistoricalPublication(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => RecordHistoricalPublicationInput) input: RecordHistoricalPublicationInput,
  ) {
    return { publication: await historicalRecordService.record(ctx, input) };
  }

  // Designated publishers (指定发布单位, 002 §21) live here: their view needs no resolver of its own.

  @Query(() => [PublisherDesignationView], {
    description: '指定发布单位：未指定的栏目只由政务公开办发布 (an agency’s designated publishers; columns without one are published by the openness office only)',
  })
  publisherDesignations(@Ctx() ctx: RequestContext, @Arg('agencyId', () => ID, { description: '机关 (agency)' }) agencyId: string) {
    return publisherService.list(ctx, agencyId);
  }

  @Mutation(() => PublisherDesignationPayload, { description: '指定发布单位 (designate a unit to publish given website columns; administrators)' })
  async designatePublisher(@Ctx() ctx: RequestContext, @Arg('input', () => DesignatePublisherInput) input: DesignatePublisherInput) {
    return { designation: await publisherService.designate(ctx, input) };
  }

  @Mutation(() => RevokePublisherDesignationPayload, { description: '撤销发布单位指定 (revoke a designation; administrators)' })
  async revokePublisherDesignation(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => RevokePublisherDesignationInput) input: RevokePublisherDesignationInput,
  ) {
    return { revokedId: await publisherService.revoke(ctx, input) };
  }
}

@Resolver(() => NegativeListEntry)
export class NegativeListResolver {
  @Query(() => NegativeListEntryConnection, { description: '负面清单 (an agency’s negative list)' })
  negativeListEntries(
    @Ctx() ctx: RequestContext,
    @Arg('agencyId', () => ID, { description: '机关 (agency)' }) agencyId: string,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
  ) {
    return publicationService.listNegative(ctx, agencyId, args);
  }

  @FieldResolver(() => CatalogueItem, { nullable: true, description: '对应的目录事项 (the catalogue item listed)' })
  catalogueItem(@Root() e: Lean<NegativeListEntry>, @Ctx() ctx: RequestContext) {
    return e.catalogueItem ? ctx.loaders.catalogue.itemById.load(e.catalogueItem.id) : null;
  }

  @Mutation(() => NegativeListEntryPayload, { description: '列入负面清单 (add to the negative list; administrators)' })
  async addNegativeListEntry(@Ctx() ctx: RequestContext, @Arg('input', () => AddNegativeListEntryInput) input: AddNegativeListEntryInput) {
    return { entry: await publicationService.addNegative(ctx, input) };
  }

  @Mutation(() => RemoveNegativeListEntryPayload, { description: '移出负面清单 (remove from the negative list; administrators)' })
  async removeNegativeListEntry(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => RemoveNegativeListEntryInput) input: RemoveNegativeListEntryInput,
  ) {
    return { removedId: await publicationService.removeNegative(ctx, input) };
  }
}

@Resolver(() => CatalogueItem)
export class CatalogueItemPublicationResolver {
  @FieldResolver(() => PublicationConnection, { description: '该事项的信息发布 (publications for this item, by formation date)' })
  publications(@Root() item: Lean<CatalogueItem>, @Ctx() ctx: RequestContext, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return ctx.loaders.publication.byItem.load({ groupId: item.id, first: args.first, after: args.after });
  }
}

@Resolver(() => PublicationCompliance)
export class ComplianceResolver {
  @Query(() => PublicationCompliance, {
    description: '信息发布考核：各目录事项及各机关的按时率、超期、空栏目和长期未更新 (compliance per item and per agency)',
  })
  publicationCompliance(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ComplianceFilter, { description: '区间与机关 (period and agency)' }) filter: ComplianceFilter,
    @Info() info: GraphQLResolveInfo,
  ) {
    return complianceService.compliance(ctx, filter, MAINTAINED, selectedFields(info, ['items', 'item']), complianceColumnsFor(info));
  }

  @Query(() => ComplianceRollup, { description: '下级考核汇总：每个机关本级及含下级合计 (every agency of the subtree: own and subtree totals)' })
  complianceRollup(@Ctx() ctx: RequestContext, @Arg('filter', () => ComplianceFilter, { description: '区间与机关 (period and subtree root)' }) filter: ComplianceFilter) {
    return complianceService.rollup(ctx, filter);
  }
}

@Resolver(() => ItemCompliance)
export class ItemComplianceResolver {
  @FieldResolver(() => Agency, { description: '机关 (agency)' })
  agency(@Root() row: Lean<ItemCompliance>, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(row.agencyId);
  }
}

@Resolver(() => AgencyCompliance)
export class AgencyComplianceResolver {
  @FieldResolver(() => Agency, { description: '机关 (agency)' })
  agency(@Root() row: AgencyCompliance, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(row.agencyId);
  }
}

@Resolver(() => ComplianceRollupRow)
export class ComplianceRollupRowResolver {
  @FieldResolver(() => Agency, { description: '机关 (agency)' })
  agency(@Root() row: ComplianceRollupRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(row.agencyId);
  }
}
