import { hasRole, assertAdminOf, requirePrincipal } from '../../auth/policy';
import { pathWithin, type Principal } from '../../auth/principal';
import type { Lean } from '../../db/row-mapper';
import { inTransaction } from '../../db/transaction';
import type { RequestContext } from '../../graphql/context';
import { AppError, badInput, registerConstraintField } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { Role } from '../account/account.entity';
import type { Agency } from '../agency/agency.entity';
import type { Unit } from '../agency/unit.entity';
import { agencyService } from '../agency/agency.service';
import { PublisherDesignation } from './publisher.entity';
import type { DesignatePublisherInput, PublisherDesignationView, RevokePublisherDesignationInput } from './publisher.inputs';

registerConstraintField('publisher_designation_agency_unit_unique', 'input.unitId');

/** Whether a designation covers a catalogue item's website column (an empty list covers every column). */
export function covers(d: { websiteColumns: readonly string[] }, column: string | null | undefined): boolean {
  return d.websiteColumns.length === 0 || (column != null && d.websiteColumns.includes(column));
}

export interface PublishRight {
  allowed: boolean;
  /** Units designated for the item's column (for the refusal message). */
  designatedUnitIds: string[];
}

/**
 * Who may put a publication online (002 §21): the openness office — an administrator of the
 * publication's agency or above — always; besides, the liaison or head of a unit the agency has
 * designated for the catalogue item's website column. Everyone else is refused. The designations
 * come from one batched statement per agency (`loaders.publication.publishers`).
 */
export async function publishRight(
  ctx: RequestContext,
  p: Principal,
  agency: Lean<Agency>,
  itemId: string,
): Promise<PublishRight> {
  if (hasRole(p, Role.AGENCY_ADMIN) && pathWithin(agency.path, p.agencyPath)) return { allowed: true, designatedUnitIds: [] };
  const [designations, item] = await Promise.all([
    ctx.loaders.publication.publishers.load(agency.id),
    ctx.loaders.catalogue.itemById.load(itemId),
  ]);
  const forColumn = designations.filter((d) => covers(d, item?.websiteColumn));
  const designatedUnitIds = forColumn.map((d) => d.unit.id);
  const unitRole = hasRole(p, Role.UNIT_LIAISON) || hasRole(p, Role.UNIT_HEAD);
  return { allowed: unitRole && p.unitId != null && designatedUnitIds.includes(p.unitId), designatedUnitIds };
}

export class PublisherService {
  async list(ctx: RequestContext, agencyId: string): Promise<PublisherDesignationView[]> {
    const agency = await agencyService.get(ctx, agencyId, 'agencyId');
    const rows = await ctx.loaders.publication.publishers.load(agency.id);
    return Promise.all(rows.map((r) => this.view(ctx, r)));
  }

  async designate(ctx: RequestContext, input: DesignatePublisherInput): Promise<PublisherDesignationView> {
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    const p = assertAdminOf(ctx, agency, '指定发布单位 (designatePublisher)');
    const unit = await ctx.loaders.agency.unitById.load(requireId(input.unitId, 'input.unitId'));
    if (!unit) throw new AppError('NOT_FOUND', `input.unitId: 内设机构 (unit) ${input.unitId} not found`, { field: 'input.unitId', id: input.unitId });
    if (unit.agency.id !== agency.id) {
      throw badInput('input.unitId', '指定的单位须为该机关的内设机构 (the unit must belong to the agency)');
    }
    const columns = [...new Set(input.websiteColumns.map((c) => c.trim()))];
    if (columns.some((c) => c.length === 0)) {
      throw badInput('input.websiteColumns', '网站栏目不能为空白 (a website column cannot be blank; pass an empty list for every column)');
    }
    const row = await inTransaction(ctx, async (em) => {
      const existing = await em.findOne(PublisherDesignation, { agency: agency.id, unit: unit.id });
      if (existing) {
        existing.websiteColumns = columns;
        await em.flush();
        return existing;
      }
      const created = em.create(PublisherDesignation, { agency: agency.id, unit: unit.id, websiteColumns: columns, createdBy: p.username });
      await em.flush();
      return created;
    });
    return this.view(ctx, { ...row, agency: { id: agency.id }, unit: { id: unit.id } } as unknown as Lean<PublisherDesignation>, agency, unit);
  }

  async revoke(ctx: RequestContext, input: RevokePublisherDesignationInput): Promise<string> {
    requirePrincipal(ctx);
    const id = requireId(input.id, 'input.id');
    const row = await ctx.em.findOne(PublisherDesignation, id);
    if (!row) throw new AppError('NOT_FOUND', `input.id: 发布单位指定 (designation) ${input.id} not found`, { field: 'input.id', id: input.id });
    const agency = await agencyService.get(ctx, row.agency.id);
    assertAdminOf(ctx, agency, '撤销发布单位指定 (revokePublisherDesignation)');
    await inTransaction(ctx, async (em) => {
      await em.nativeDelete(PublisherDesignation, { id });
    });
    return id;
  }

  private async view(
    ctx: RequestContext,
    r: Lean<PublisherDesignation>,
    agency?: Lean<Agency>,
    unit?: Lean<Unit>,
  ): Promise<PublisherDesignationView> {
    const [a, u] = await Promise.all([
      agency ?? ctx.loaders.agency.byId.load(r.agency.id),
      unit ?? ctx.loaders.agency.unitById.load(r.unit.id),
    ]);
    return {
      id: r.id,
      agency: a as never,
      unit: u as never,
      websiteColumns: [...r.websiteColumns],
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }
}

export const publisherService = new PublisherService();
