import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertAdminOf, hasRole, requirePrincipal } from '../../auth/policy';
import { pathWithin, type Principal } from '../../auth/principal';
import type { Lean } from '../../db/row-mapper';
import { sql } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { AppError, badInput, conflict, forbidden, registerConstraintField } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import { Role } from '../account/account.entity';
import type { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { agencyService } from '../agency/agency.service';
import { calendarService } from '../calendar/calendar.service';
import { today } from '../calendar/clock';
import { chinaDateOfInstant } from '../calendar/date-utils';
import { deadlineStatus } from '../calendar/deadline-engine';
import { CatalogueKind } from '../catalogue/catalogue.entity';
import { CatalogueItem } from '../catalogue/catalogue-item.entity';
import {
  ConfidentialityReview,
  DisclosureAttribute,
  NegativeListEntry,
  Publication,
  PublicationAction,
  PublicationEvent,
  PublicationSignOff,
  PublicationStatus,
  ReviewConclusion,
  SignOffLevel,
} from './publication.entity';
import type {
  AddNegativeListEntryInput,
  ApprovalForm,
  ConfirmDeidentificationInput,
  CreatePublicationInput,
  PublicationDeadline,
  PublicationFilter,
  PublishPublicationInput,
  RecordConfidentialityReviewInput,
  RemoveNegativeListEntryInput,
  SignOffPublicationInput,
  SubmitPublicationInput,
  UpdatePublicationInput,
} from './publication.inputs';
import { Timeliness } from './publication.inputs';
import { publicationDeadline } from './publication-deadline';
import { publishRight } from './publisher.service';
import { nextStatus, publishBlockers, STATUS_LABEL, type WorkflowAction } from './publication-workflow';

registerConstraintField('confidentiality_review_round_unique', 'input.publicationId');
registerConstraintField('publication_sign_off_round_level_unique', 'input.level');

const FIELD = 'input.publicationId';

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** NOT_FOUND naming the input field (objects of other tenants answer exactly like missing ones). */
function notFoundAt(field: string, what: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${field}: ${what} ${id} not found`, { field, id });
}

/** A refusal because of the publication's state, with a machine-readable reason. */
function stateConflict(message: string, reason: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('CONFLICT', message, { field: FIELD, reason, ...extra });
}

function refuse(message: string, reason: string, field = FIELD): AppError {
  return new AppError('FORBIDDEN', message, { field, reason });
}

function administers(p: Principal, agency: { path: string }): boolean {
  return hasRole(p, Role.AGENCY_ADMIN) && pathWithin(agency.path, p.agencyPath);
}

function ofUnit(p: Principal, unitId: string, ...roles: Role[]): boolean {
  return p.unitId === unitId && roles.some((r) => hasRole(p, r));
}

export interface NegativeMatch {
  id: string;
  matter: string;
  legal_reason: string;
}

export class PublicationService {
  // ---- reads -------------------------------------------------------------------------------

  async get(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<Publication>> {
    requirePrincipal(ctx);
    const pub = await ctx.loaders.publication.byId.load(requireId(id, field));
    if (!pub) throw notFoundAt(field, '信息发布 (publication)', id);
    return pub;
  }

  async list(ctx: RequestContext, args: ConnectionArgs, filter?: PublicationFilter | null): Promise<Connection<Lean<Publication>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(Publication, 'p');
    if (filter?.agencyId) qb.andWhere({ agency: (await agencyService.get(ctx, filter.agencyId, 'filter.agencyId')).id });
    if (filter?.underAgencyId) {
      const root = await agencyService.get(ctx, filter.underAgencyId, 'filter.underAgencyId');
      qb.andWhere('p.agency_id in (select a.id from agency a where a.path <@ ?::ltree)', [root.path]);
    }
    if (filter?.catalogueItemId) qb.andWhere({ item: requireId(filter.catalogueItemId, 'filter.catalogueItemId') });
    if (filter?.draftingUnitId) qb.andWhere({ draftingUnit: requireId(filter.draftingUnitId, 'filter.draftingUnitId') });
    if (filter?.status) qb.andWhere({ status: filter.status });
    if (filter?.disclosureAttribute) qb.andWhere({ disclosureAttribute: filter.disclosureAttribute });
    if (filter?.overdueOnly) qb.andWhere('p.published_on is null and p.due_on < ?::date', [today()]);
    if (filter?.text) qb.andWhere('p.title ilike ?', [likePattern(filter.text)]);
    return paginateQb(ctx.em, qb, args, { column: 'formed_on', value: (p) => p.formedOn });
  }

  deadline(pub: Lean<Publication>): PublicationDeadline {
    const explanation = pub.dueExplanation;
    return {
      due: pub.dueOn ?? null,
      provisional: pub.dueProvisional,
      reasons: pub.dueReasons,
      yearsConsulted: pub.dueYears,
      rule: (pub.deadlineRule ?? null) as PublicationDeadline['rule'],
      explanation: {
        summary: explanation?.summary ?? '',
        start: explanation?.start ?? pub.formedOn,
        steps: (explanation?.steps ?? []).map((s) => ({
          date: s.date,
          kind: s.kind as never,
          ordinal: s.ordinal ?? null,
          name: s.name ?? null,
        })),
      },
    };
  }

  async timeliness(ctx: RequestContext, pub: Lean<Publication>): Promise<Timeliness> {
    const calendar = await ctx.loaders.calendar.working();
    return deadlineStatus({ due: pub.dueOn ?? null, publishedOn: pub.publishedOn ?? null, today: today(), calendar }) as Timeliness;
  }

  async currentReview(ctx: RequestContext, pub: Lean<Publication>): Promise<Lean<ConfidentialityReview> | null> {
    if (pub.round === 0) return null;
    const reviews = await ctx.loaders.publication.reviews.load(pub.id);
    return reviews.find((r) => r.round === pub.round) ?? null;
  }

  async currentSignOffs(ctx: RequestContext, pub: Lean<Publication>): Promise<Lean<PublicationSignOff>[]> {
    if (pub.round === 0) return [];
    const all = await ctx.loaders.publication.signOffs.load(pub.id);
    return all.filter((s) => s.round === pub.round);
  }

  async history(ctx: RequestContext, pub: Lean<Publication>): Promise<Lean<PublicationEvent>[]> {
    return ctx.loaders.publication.history.load(pub.id);
  }

  /** 互联网上网信息发布审批表 (002 Attachment 2) of the current round, from batched loads only. */
  async approvalForm(ctx: RequestContext, pub: Lean<Publication>): Promise<ApprovalForm> {
    const [item, unit, review, signOffs, events] = await Promise.all([
      ctx.loaders.catalogue.itemById.load(pub.item.id),
      ctx.loaders.agency.unitById.load(pub.draftingUnit.id),
      this.currentReview(ctx, pub),
      this.currentSignOffs(ctx, pub),
      ctx.loaders.publication.history.load(pub.id),
    ]);
    const submitted = [...events].reverse().find((e) => e.action === PublicationAction.SUBMIT);
    const opinion = (level: SignOffLevel) => {
      const s = signOffs.find((x) => x.level === level);
      if (!s) return null;
      return {
        approved: s.approve,
        opinion: s.reason || (s.approve ? '同意上网发布' : '不同意'),
        name: s.signerName,
        date: s.signedOn,
      };
    };
    return {
      date: pub.round > 0 && submitted ? chinaDateOfInstant(submitted.createdAt) : null,
      title: pub.title,
      targetColumn: this.targetColumn(pub, item),
      draftingUnit: unit?.name ?? '',
      drafter: pub.drafterName,
      unitHeadOpinion: opinion(SignOffLevel.UNIT_HEAD),
      leaderOpinion: opinion(SignOffLevel.LEADER),
      confidentialityReview: review
        ? { conclusion: review.conclusion, reviewer: review.reviewerName, date: review.reviewedOn, notes: review.notes }
        : null,
    };
  }

  targetColumn(pub: Lean<Publication>, item: Lean<CatalogueItem> | null): string {
    if (pub.websiteColumn) return pub.websiteColumn;
    if (item?.websiteColumn) return item.websiteColumn;
    return item ? `${pub.channel}—政务公开—${item.category}—${item.name}` : pub.channel;
  }

  // ---- drafting ----------------------------------------------------------------------------

  async create(ctx: RequestContext, input: CreatePublicationInput): Promise<Publication> {
    const p = requirePrincipal(ctx);
    this.assertTitle(input.title);
    this.assertNotFuture(input.formedOn, 'input.formedOn', '信息形成或变更之日');
    const { item, agency } = await this.resolveItem(ctx, input.catalogueItemId, 'input.catalogueItemId');
    const unitId = input.draftingUnitId ?? p.unitId;
    if (!unitId) throw badInput('input.draftingUnitId', '请指定撰稿单位 (the drafting unit is required)');
    const unit = await this.resolveUnit(ctx, unitId, agency, 'input.draftingUnitId');
    if (!administers(p, agency) && !ofUnit(p, unit.id, Role.UNIT_LIAISON, Role.UNIT_HEAD)) {
      throw forbidden('只有撰稿单位的联络员、负责人或本机关管理员可以起草 (only the drafting unit’s liaison or head, or an administrator, may draft)');
    }
    const reason = this.checkAttribute(input.disclosureAttribute, input.nonDisclosureReason, 'input.nonDisclosureReason');
    const me = await ctx.loaders.account.byId.load(p.accountId);
    return inTransaction(ctx, async (em) => {
      await calendarService.lockShared(em);
      const blocked = await this.negativeMatch(em, item.id);
      if (blocked) {
        throw badInput(
          'input.catalogueItemId',
          `该目录事项列入本机关负面清单：${blocked.matter}（${blocked.legal_reason}），不能发布 (the item is on the agency’s negative list)`,
          { reason: 'NEGATIVE_LIST', negativeListEntryId: blocked.id },
        );
      }
      const calendar = await calendarService.loadForDeadlines(ctx);
      const pub = em.create(Publication, {
        agency: agency.id,
        item: item.id,
        title: input.title.trim(),
        url: input.url?.trim() || null,
        websiteColumn: input.websiteColumn?.trim() || null,
        channel: input.channel?.trim() || '政府网站',
        formedOn: input.formedOn,
        draftingUnit: unit.id,
        drafter: p.accountId,
        drafterName: me?.displayName ?? p.username,
        disclosureAttribute: input.disclosureAttribute,
        nonDisclosureReason: reason,
        containsPersonalInfo: input.containsPersonalInfo ?? false,
      });
      this.applyDeadline(pub, item, calendar);
      this.record(em, pub, null, PublicationAction.CREATE, p.username, null);
      await em.flush();
      return pub;
    });
  }

  async update(ctx: RequestContext, input: UpdatePublicationInput): Promise<Publication> {
    const p = requirePrincipal(ctx);
    const pub = await this.get(ctx, input.id, 'input.id');
    const agency = await this.agencyOf(ctx, pub);
    this.assertCanEdit(p, pub, agency, '修改 (updatePublication)');
    if (input.title != null) this.assertTitle(input.title);
    if (input.formedOn) this.assertNotFuture(input.formedOn, 'input.formedOn', '信息形成或变更之日');
    const target = input.catalogueItemId
      ? await this.resolveItem(ctx, input.catalogueItemId, 'input.catalogueItemId')
      : { item: (await ctx.loaders.catalogue.itemById.load(pub.item.id))!, agency };
    if (target.agency.id !== agency.id) {
      throw badInput('input.catalogueItemId', '不能改为其他机关的目录事项 (the item must belong to the same agency)');
    }
    const unit = input.draftingUnitId ? await this.resolveUnit(ctx, input.draftingUnitId, agency, 'input.draftingUnitId') : null;
    if (unit && !administers(p, agency) && !ofUnit(p, unit.id, Role.UNIT_LIAISON, Role.UNIT_HEAD)) {
      throw forbidden('只能改为本人所在单位 (you can only assign your own unit)');
    }
    const attribute = input.disclosureAttribute ?? pub.disclosureAttribute;
    const reason = this.checkAttribute(
      attribute,
      input.nonDisclosureReason !== undefined && input.nonDisclosureReason !== null ? input.nonDisclosureReason : pub.nonDisclosureReason,
      'input.nonDisclosureReason',
    );
    return inTransaction(ctx, async (em) => {
      const row = await this.lock(em, pub.id);
      if (row.status !== PublicationStatus.DRAFT) {
        throw stateConflict(
          `只有起草中的稿件可以修改，当前状态：${STATUS_LABEL[row.status]} (only a draft can be edited)`,
          'NOT_DRAFT',
        );
      }
      const blocked = await this.negativeMatch(em, target.item.id);
      if (blocked) {
        throw badInput('input.catalogueItemId', `该目录事项列入本机关负面清单：${blocked.matter}（${blocked.legal_reason}）(on the negative list)`, {
          reason: 'NEGATIVE_LIST',
          negativeListEntryId: blocked.id,
        });
      }
      const changed: string[] = [];
      const set = <K extends keyof Publication>(key: K, value: Publication[K]) => {
        if (row[key] !== value) {
          row[key] = value;
          changed.push(String(key));
        }
      };
      if (input.catalogueItemId && row.item.id !== target.item.id) {
        row.item = em.getReference(CatalogueItem, target.item.id, { wrapped: true });
        changed.push('item');
      }
      if (input.title != null) set('title', input.title.trim());
      if (input.url !== undefined) set('url', input.url?.trim() || null);
      if (input.websiteColumn !== undefined) set('websiteColumn', input.websiteColumn?.trim() || null);
      if (input.channel != null) set('channel', input.channel.trim());
      if (input.formedOn != null) set('formedOn', input.formedOn);
      if (unit && row.draftingUnit.id !== unit.id) {
        row.draftingUnit = em.getReference(Unit, unit.id, { wrapped: true });
        changed.push('draftingUnit');
      }
      set('disclosureAttribute', attribute);
      set('nonDisclosureReason', reason);
      if (input.containsPersonalInfo != null && input.containsPersonalInfo !== row.containsPersonalInfo) {
        set('containsPersonalInfo', input.containsPersonalInfo);
        // A newly flagged publication needs a fresh confirmation from the drafter.
        row.deidentifiedAt = null;
        row.deidentifiedBy = null;
      }
      const calendar = await calendarService.loadForDeadlines(ctx);
      this.applyDeadline(row, target.item, calendar);
      this.record(em, row, row.status, PublicationAction.UPDATE, p.username, changed.length ? `修改：${changed.join('、')}` : null);
      await em.flush();
      return row;
    });
  }

  async submit(ctx: RequestContext, input: SubmitPublicationInput): Promise<Publication> {
    const p = requirePrincipal(ctx);
    const pub = await this.get(ctx, input.publicationId, FIELD);
    const agency = await this.agencyOf(ctx, pub);
    this.assertCanEdit(p, pub, agency, '提交审核 (submitPublication)');
    return inTransaction(ctx, async (em) => {
      const row = await this.lock(em, pub.id);
      const to = this.transition(row, 'SUBMIT');
      const blocked = await this.negativeMatch(em, row.item.id);
      if (blocked) {
        throw stateConflict(
          `该目录事项列入本机关负面清单：${blocked.matter}（${blocked.legal_reason}），不能提交发布 (the item is on the agency’s negative list)`,
          'NEGATIVE_LIST',
          { negativeListEntryId: blocked.id },
        );
      }
      const from = row.status;
      row.round += 1;
      row.status = to;
      this.record(em, row, from, PublicationAction.SUBMIT, p.username, input.note?.trim() || null);
      await em.flush();
      return row;
    });
  }

  async confirmDeidentification(ctx: RequestContext, input: ConfirmDeidentificationInput): Promise<Publication> {
    const p = requirePrincipal(ctx);
    const pub = await this.get(ctx, input.publicationId, FIELD);
    if (pub.drafter?.id !== p.accountId) {
      throw refuse('只有撰稿人本人可以确认去标识化 (only the drafter confirms de-identification)', 'NOT_DRAFTER');
    }
    if (!pub.containsPersonalInfo) {
      throw badInput(FIELD, '该稿件未标注含个人信息，无需确认 (the publication is not flagged as containing personal information)');
    }
    return inTransaction(ctx, async (em) => {
      const row = await this.lock(em, pub.id);
      if (row.status === PublicationStatus.PUBLISHED) {
        throw stateConflict('已发布的稿件不能再确认 (already published)', 'ALREADY_PUBLISHED');
      }
      if (row.deidentifiedAt) return row;
      row.deidentifiedAt = new Date();
      row.deidentifiedBy = p.username;
      this.record(em, row, row.status, PublicationAction.DEIDENTIFICATION_CONFIRMED, p.username, input.note?.trim() || null);
      await em.flush();
      return row;
    });
  }

  // ---- review and sign-off -----------------------------------------------------------------

  async review(ctx: RequestContext, input: RecordConfidentialityReviewInput): Promise<Publication> {
    const p = requirePrincipal(ctx);
    const pub = await this.get(ctx, input.publicationId, FIELD);
    const agency = await this.agencyOf(ctx, pub);
    const allowed =
      ofUnit(p, pub.draftingUnit.id, Role.UNIT_HEAD) ||
      (hasRole(p, Role.LEADER) && pathWithin(agency.path, p.agencyPath)) ||
      administers(p, agency);
    if (!allowed) {
      throw refuse(
        '保密审查须由撰稿单位负责人、局领导或本机关管理员进行 (the review needs the drafting unit’s head, a leader or an administrator)',
        'WRONG_ROLE',
      );
    }
    if (pub.drafter?.id === p.accountId) {
      throw refuse('撰稿人不能审查自己的稿件，谁审查谁负责 (the drafter cannot review their own publication)', 'REVIEWER_IS_DRAFTER');
    }
    const notes = input.notes?.trim() ?? '';
    if (input.conclusion === ReviewConclusion.FAILED && !notes) {
      throw badInput('input.notes', '审查未通过须说明理由 (a failed review needs notes)');
    }
    const me = await ctx.loaders.account.byId.load(p.accountId);
    return inTransaction(ctx, async (em) => {
      const row = await this.lock(em, pub.id);
      const action: WorkflowAction = input.conclusion === ReviewConclusion.PASSED ? 'REVIEW_PASSED' : 'REVIEW_FAILED';
      const to = this.transition(row, action);
      const from = row.status;
      em.create(ConfidentialityReview, {
        agency: row.agency.id,
        publication: row.id,
        round: row.round,
        conclusion: input.conclusion,
        notes,
        reviewer: p.accountId,
        reviewerUsername: p.username,
        reviewerName: me?.displayName ?? p.username,
        reviewedOn: today(),
      });
      row.status = to;
      this.record(em, row, from, PublicationAction[action], p.username, notes || null);
      await em.flush();
      return row;
    });
  }

  async signOff(ctx: RequestContext, input: SignOffPublicationInput): Promise<Publication> {
    const p = requirePrincipal(ctx);
    const pub = await this.get(ctx, input.publicationId, FIELD);
    const agency = await this.agencyOf(ctx, pub);
    if (input.level === SignOffLevel.UNIT_HEAD) {
      if (!ofUnit(p, pub.draftingUnit.id, Role.UNIT_HEAD)) {
        throw refuse('单位负责人审核须由撰稿单位的负责人进行 (needs the head of the drafting unit)', 'WRONG_ROLE');
      }
    } else if (!(hasRole(p, Role.LEADER) && pathWithin(agency.path, p.agencyPath))) {
      throw refuse('局领导审核须由本机关或上级机关的领导进行 (needs a leader of this agency or above)', 'WRONG_ROLE');
    }
    if (pub.drafter?.id === p.accountId) {
      throw refuse('撰稿人不能审核自己的稿件 (the drafter cannot sign off their own publication)', 'SIGNER_IS_DRAFTER');
    }
    const reason = input.reason?.trim() ?? '';
    if (!input.approve && !reason) throw badInput('input.reason', '退回须说明理由 (a rejection needs a reason)');
    const me = await ctx.loaders.account.byId.load(p.accountId);
    return inTransaction(ctx, async (em) => {
      const row = await this.lock(em, pub.id);
      const unitHead = input.level === SignOffLevel.UNIT_HEAD;
      const action: WorkflowAction = unitHead
        ? input.approve ? 'UNIT_HEAD_APPROVED' : 'UNIT_HEAD_REJECTED'
        : input.approve ? 'LEADER_APPROVED' : 'LEADER_REJECTED';
      const to = this.transition(row, action);
      const signedOn = today();
      // The step before this one (the review, or the unit head's sign-off): a sign-off is never dated
      // before it, so the approval form reads in the order the work was done.
      let before: { on: string; what: string };
      if (unitHead) {
        const review = await em.findOneOrFail(ConfidentialityReview, { publication: row.id, round: row.round });
        before = { on: review.reviewedOn, what: '保密审查' };
      } else {
        const earlier = await em.findOneOrFail(PublicationSignOff, { publication: row.id, round: row.round, level: SignOffLevel.UNIT_HEAD });
        if (earlier.signer?.id === p.accountId) {
          throw refuse('同一人不能同时作为单位负责人和局领导审核 (the same person cannot sign both levels)', 'SAME_SIGNER');
        }
        before = { on: earlier.signedOn, what: '单位负责人审核' };
      }
      if (signedOn < before.on) {
        throw stateConflict(
          `审核日期${signedOn}不能早于${before.what}日期${before.on} (a sign-off cannot be dated before the step it follows)`,
          'OUT_OF_ORDER',
          { signedOn, previousStepOn: before.on },
        );
      }
      const from = row.status;
      em.create(PublicationSignOff, {
        agency: row.agency.id,
        publication: row.id,
        round: row.round,
        level: input.level,
        approve: input.approve,
        reason,
        signer: p.accountId,
        signerUsername: p.username,
        signerName: me?.displayName ?? p.username,
        signedOn,
      });
      row.status = to;
      this.record(em, row, from, PublicationAction[action], p.username, reason || null);
      await em.flush();
      return row;
    });
  }

  // ---- publishing --------------------------------------------------------------------------

  async publish(ctx: RequestContext, input: PublishPublicationInput): Promise<Publication> {
    const p = requirePrincipal(ctx);
    const pub = await this.get(ctx, input.publicationId, FIELD);
    const agency = await this.agencyOf(ctx, pub);
    await this.assertPublisher(ctx, p, agency, pub.item.id, FIELD);
    return inTransaction(ctx, async (em) => {
      const row = await this.lock(em, pub.id);
      // One connection per transaction: these run one after the other.
      const review = row.round > 0 ? await em.findOne(ConfidentialityReview, { publication: row.id, round: row.round }) : null;
      const signOffs = row.round > 0 ? await em.find(PublicationSignOff, { publication: row.id, round: row.round }) : [];
      const blocked = await this.negativeMatch(em, row.item.id);
      const approved = (level: SignOffLevel) => signOffs.some((s) => s.level === level && s.approve);
      const blockers = publishBlockers({
        status: row.status,
        disclosureAttribute: row.disclosureAttribute,
        containsPersonalInfo: row.containsPersonalInfo,
        deidentified: row.deidentifiedAt != null,
        reviewPassed: review?.conclusion === ReviewConclusion.PASSED,
        unitHeadApproved: approved(SignOffLevel.UNIT_HEAD),
        leaderApproved: approved(SignOffLevel.LEADER),
        negativeListMatter: blocked ? `${blocked.matter}；${blocked.legal_reason}` : null,
      });
      if (blockers.length > 0) {
        throw stateConflict(blockers[0]!.message, blockers[0]!.reason, { blockers: blockers.map((b) => b.reason) });
      }
      this.assertNotFuture(input.publishedOn, 'input.publishedOn', '发布日期');
      if (input.publishedOn < row.formedOn) {
        throw badInput('input.publishedOn', `发布日期不能早于信息形成或变更之日${row.formedOn} (cannot be published before it was formed)`);
      }
      // 先审查后公开: nothing goes online before its final sign-off. Earlier publications are entered
      // as historical records (recordHistoricalPublication), which never count as reviewed.
      const leaderSignedOn = signOffs.find((s) => s.level === SignOffLevel.LEADER && s.approve)!.signedOn;
      if (input.publishedOn < leaderSignedOn) {
        throw badInput(
          'input.publishedOn',
          `发布日期不能早于局领导审核同意之日${leaderSignedOn}，先审查后公开 (cannot be published before the final sign-off; publications made before the agency used the system are entered as historical records)`,
        );
      }
      const to = this.transition(row, 'PUBLISH');
      const from = row.status;
      row.status = to;
      row.publishedOn = input.publishedOn;
      if (input.url) row.url = input.url.trim();
      this.record(em, row, from, PublicationAction.PUBLISH, p.username, null);
      await em.flush();
      return row;
    });
  }

  /**
   * Only the agency's openness office (its administrators) or the liaison or head of a unit
   * designated for the item's website column put information online (002 §21) — or enter a
   * historical record of it.
   */
  async assertPublisher(ctx: RequestContext, p: Principal, agency: Lean<Agency>, itemId: string, field: string): Promise<void> {
    const right = await publishRight(ctx, p, agency, itemId);
    if (!right.allowed) {
      const units = (await Promise.all(right.designatedUnitIds.map((id) => ctx.loaders.agency.unitById.load(id))))
        .map((u) => u?.name)
        .filter((n): n is string => !!n);
      const who = units.length
        ? `本机关政务公开办（管理员）或指定发布该栏目的单位（${units.join('、')}）的联络员、负责人`
        : '本机关政务公开办（管理员）';
      throw new AppError(
        'FORBIDDEN',
        `${field}: 该信息只能由${who}上网发布 (only the openness office${units.length ? ' or the liaison or head of a unit designated for this website column' : ''} may publish it)`,
        { field, reason: 'WRONG_ROLE', designatedUnitIds: right.designatedUnitIds },
      );
    }
  }

  // ---- negative list -----------------------------------------------------------------------

  async listNegative(ctx: RequestContext, agencyId: string, args: ConnectionArgs): Promise<Connection<Lean<NegativeListEntry>>> {
    const agency = await agencyService.get(ctx, agencyId, 'agencyId');
    const qb = ctx.em.createQueryBuilder(NegativeListEntry, 'e').where({ agency: agency.id });
    return paginateQb(ctx.em, qb, args, { column: 'matter', value: (e) => e.matter });
  }

  async addNegative(ctx: RequestContext, input: AddNegativeListEntryInput): Promise<NegativeListEntry> {
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    const p = assertAdminOf(ctx, agency, '列入负面清单 (addNegativeListEntry)');
    let item: Lean<CatalogueItem> | null = null;
    if (input.catalogueItemId) {
      item = await ctx.loaders.catalogue.itemById.load(requireId(input.catalogueItemId, 'input.catalogueItemId'));
      if (!item) throw notFoundAt('input.catalogueItemId', '目录事项 (catalogue item)', input.catalogueItemId);
      if (item.agency.id !== agency.id) {
        throw badInput('input.catalogueItemId', '目录事项须属于该机关 (the item must belong to the agency)');
      }
    }
    return inTransaction(ctx, async (em) => {
      const entry = em.create(NegativeListEntry, {
        agency: agency.id,
        matter: input.matter.trim(),
        legalReason: input.legalReason.trim(),
        catalogueItem: item?.id ?? null,
        category: item?.category ?? null,
        itemName: item?.name ?? null,
        createdBy: p.username,
      });
      await em.flush();
      return entry;
    });
  }

  async removeNegative(ctx: RequestContext, input: RemoveNegativeListEntryInput): Promise<string> {
    requirePrincipal(ctx);
    const id = requireId(input.id, 'input.id');
    const entry = await ctx.em.findOne(NegativeListEntry, id);
    if (!entry) throw notFoundAt('input.id', '负面清单事项 (negative-list entry)', input.id);
    const agency = await agencyService.get(ctx, entry.agency.id);
    assertAdminOf(ctx, agency, '移出负面清单 (removeNegativeListEntry)');
    await inTransaction(ctx, async (em) => {
      await em.nativeDelete(NegativeListEntry, { id });
    });
    return id;
  }

  /** The agency's negative-list entry an item falls under: by item, or by the same category and name. */
  async negativeMatch(em: EntityManager, itemId: string): Promise<NegativeMatch | null> {
    const rows = await sql<NegativeMatch>(
      em,
      `select e.id, e.matter, e.legal_reason from negative_list_entry e
         join catalogue_item i on i.id = ?::uuid
        where e.agency_id = i.agency_id
          and (e.catalogue_item_id = i.id or (e.category = i.category and e.item_name = i.name))
        order by e.created_at limit 1`,
      [itemId],
    );
    return rows[0] ?? null;
  }

  // ---- helpers -----------------------------------------------------------------------------

  async agencyOf(ctx: RequestContext, pub: Lean<Publication>): Promise<Lean<Agency>> {
    const agency = await ctx.loaders.agency.byId.load(pub.agency.id);
    if (!agency) throw notFoundAt(FIELD, '信息发布 (publication)', pub.id);
    return agency;
  }

  /** A catalogue item a publication may be drafted for: visible, of an agency's own catalogue. */
  async resolveItem(ctx: RequestContext, id: string, field: string): Promise<{ item: Lean<CatalogueItem>; agency: Lean<Agency> }> {
    const item = await ctx.loaders.catalogue.itemById.load(requireId(id, field));
    if (!item) throw notFoundAt(field, '目录事项 (catalogue item)', id);
    const catalogue = await ctx.loaders.catalogue.byId.load(item.catalogue.id);
    if (!catalogue || catalogue.kind === CatalogueKind.STANDARD) {
      throw badInput(field, '标准目录的事项不能直接发布，请选择本机关目录中的事项 (items of a standard catalogue cannot be published; use the agency’s own catalogue)');
    }
    const agency = await ctx.loaders.agency.byId.load(item.agency.id);
    if (!agency) throw badInput(field, '只能为本机关或下级机关目录中的事项发布信息 (the item belongs to another agency)');
    return { item, agency };
  }

  async resolveUnit(ctx: RequestContext, id: string, agency: Lean<Agency>, field: string): Promise<Lean<Unit>> {
    const unit = await ctx.loaders.agency.unitById.load(requireId(id, field));
    if (!unit) throw notFoundAt(field, '内设机构 (unit)', id);
    if (unit.agency.id !== agency.id) {
      throw badInput(field, '撰稿单位须为该事项所属机关的内设机构 (the drafting unit must belong to the item’s agency)');
    }
    return unit;
  }

  private checkAttribute(attribute: DisclosureAttribute, reason: string | null | undefined, field: string): string | null {
    const text = reason?.trim() || null;
    if (attribute === DisclosureAttribute.NOT_DISCLOSED) {
      if (!text) throw badInput(field, '不予公开须依法依规说明理由，否则退文 (NOT_DISCLOSED needs a legal reason)');
      return text;
    }
    return null;
  }

  assertTitle(title: string): void {
    if (title.trim().length < 2) throw badInput('input.title', '稿件题目至少2个字 (the title needs at least 2 characters)');
  }

  assertNotFuture(date: string, field: string, label: string): void {
    const now = today();
    if (date > now) throw badInput(field, `${label}${date}晚于今天${now} (cannot be in the future)`);
  }

  private assertCanEdit(p: Principal, pub: Lean<Publication>, agency: Lean<Agency>, action: string): void {
    if (administers(p, agency) || pub.drafter?.id === p.accountId || ofUnit(p, pub.draftingUnit.id, Role.UNIT_LIAISON, Role.UNIT_HEAD)) return;
    throw refuse(`只有撰稿人、撰稿单位或本机关管理员可以${action}`, 'WRONG_ROLE');
  }

  private transition(row: Publication, action: WorkflowAction): PublicationStatus {
    const to = nextStatus(row.status, action);
    if (!to) {
      if (row.status === PublicationStatus.PUBLISHED) throw stateConflict('该信息已发布 (already published)', 'ALREADY_PUBLISHED');
      throw stateConflict(
        `当前状态“${STATUS_LABEL[row.status]}”不能执行此操作 (${action} is not possible in state ${row.status})`,
        'WRONG_STATE',
        { status: row.status },
      );
    }
    return to as PublicationStatus;
  }

  /**
   * The row, locked for the rest of the request transaction, so concurrent transitions serialise.
   * The calendar's shared lock comes first (see CalendarService.lockShared): a calendar change
   * holding the exclusive lock then never waits for a row that this transaction holds.
   */
  private async lock(em: EntityManager, id: string): Promise<Publication> {
    await calendarService.lockShared(em);
    const row = await em.findOne(Publication, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!row) throw notFoundAt(FIELD, '信息发布 (publication)', id);
    return row;
  }

  applyDeadline(pub: Publication, item: Lean<CatalogueItem>, calendar: Parameters<typeof publicationDeadline>[3]): void {
    const d = publicationDeadline(item.deadlineRule ?? null, pub.formedOn, pub.disclosureAttribute, calendar);
    pub.deadlineRule = item.deadlineRule ?? null;
    pub.dueOn = d.dueOn;
    pub.dueProvisional = d.provisional;
    pub.dueReasons = d.reasons;
    pub.dueYears = d.years;
    pub.dueExplanation = d.explanation;
  }

  record(
    em: EntityManager,
    pub: Publication,
    from: PublicationStatus | null,
    action: PublicationAction,
    actor: string,
    reason: string | null,
  ): void {
    em.create(PublicationEvent, {
      agency: pub.agency.id,
      publication: pub.id,
      fromStatus: from,
      toStatus: pub.status,
      action,
      actor,
      reason,
    });
  }
}

export const publicationService = new PublicationService();
