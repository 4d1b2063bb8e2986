import type { EntityManager } from '@mikro-orm/postgresql';
import { assertAdminOf, requirePrincipal } from '../../auth/policy';
import type { ConnectionArgs, Connection } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict, notFound } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import { inTransaction } from '../../db/transaction';
import { sql } from '../../db/sql';
import type { Lean } from '../../db/row-mapper';
import { Agency, pathLabel } from './agency.entity';
import { Unit } from './unit.entity';
import type {
  AgencyFilter,
  CreateAgencyInput,
  CreateUnitInput,
  MoveAgencyInput,
  UpdateAgencyInput,
  UpdateUnitInput,
} from './agency.inputs';

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class AgencyService {
  /** An agency visible to the caller, or NOT_FOUND (also for agencies of other tenants: no existence leak). */
  async get(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<Agency>> {
    requirePrincipal(ctx);
    const agency = await ctx.loaders.agency.byId.load(requireId(id, field));
    if (!agency) throw notFound('机关 (agency)', id);
    return agency;
  }

  async getUnit(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<Unit>> {
    requirePrincipal(ctx);
    const unit = await ctx.loaders.agency.unitById.load(requireId(id, field));
    if (!unit) throw notFound('内设机构 (unit)', id);
    return unit;
  }

  async list(ctx: RequestContext, args: ConnectionArgs, filter?: AgencyFilter | null): Promise<Connection<Lean<Agency>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(Agency, 'a');
    if (filter?.underAgencyId) {
      const root = await this.get(ctx, filter.underAgencyId, 'filter.underAgencyId');
      qb.andWhere('a.path <@ ?::ltree', [root.path]);
    }
    if (filter?.kind) qb.andWhere({ kind: filter.kind });
    if (filter?.search) {
      const p = likePattern(filter.search);
      qb.andWhere('(a.name ilike ? or a.code ilike ?)', [p, p]);
    }
    return paginateQb(ctx.em, qb, args, { column: 'code', value: (a) => a.code });
  }

  async listUnits(ctx: RequestContext, args: ConnectionArgs, agencyId?: string | null): Promise<Connection<Lean<Unit>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(Unit, 'u');
    if (agencyId) qb.andWhere({ agency: (await this.get(ctx, agencyId, 'agencyId')).id });
    return paginateQb(ctx.em, qb, args, { column: 'code', value: (u) => u.code });
  }

  /** Depth in the tree, 1 for a root. */
  depth(agency: Lean<Agency>): number {
    return agency.path.split('.').length;
  }

  async create(ctx: RequestContext, input: CreateAgencyInput): Promise<Agency> {
    const parent = await this.get(ctx, input.parentId, 'input.parentId');
    assertAdminOf(ctx, parent, '新建下级机关 (createAgency)');
    return inTransaction(ctx, async (em) => {
      await this.assertCodeFree(em, input.code);
      const agency = em.create(Agency, {
        code: input.code,
        name: input.name.trim(),
        kind: input.kind,
        parent: parent.id,
        path: '',
      });
      agency.path = `${parent.path}.${pathLabel(agency.id)}`;
      await em.flush();
      return agency;
    });
  }

  async update(ctx: RequestContext, input: UpdateAgencyInput): Promise<Agency> {
    const target = await this.get(ctx, input.id, 'input.id');
    assertAdminOf(ctx, target, '修改机关 (updateAgency)');
    return inTransaction(ctx, async (em) => {
      const agency = await em.findOneOrFail(Agency, target.id);
      if (input.name != null) agency.name = input.name.trim();
      if (input.kind != null) agency.kind = input.kind;
      await em.flush();
      return agency;
    });
  }

  /**
   * Re-parents a whole subtree with one UPDATE of the materialised paths. The caller must
   * administer the moved agency's old parent and the new parent; the database's policies
   * additionally refuse any path that would leave the caller's subtree.
   */
  async move(ctx: RequestContext, input: MoveAgencyInput): Promise<Agency> {
    const principal = requirePrincipal(ctx);
    const agency = await this.get(ctx, input.id, 'input.id');
    const newParent = await this.get(ctx, input.newParentId, 'input.newParentId');
    if (agency.path === principal.agencyPath) {
      throw badInput('input.id', '不能移动本机关自身 (an administrator cannot move its own agency)');
    }
    const oldParentPath = agency.path.split('.').slice(0, -1).join('.');
    assertAdminOf(ctx, { path: oldParentPath }, '调整隶属关系 (moveAgency)');
    assertAdminOf(ctx, newParent, '调整隶属关系 (moveAgency)');
    return inTransaction(ctx, async (em) => {
      // Lock both rows so concurrent moves cannot create a cycle between our check and the update.
      const locked = await sql<{ id: string; path: string }>(
        em,
        `select id, path::text as path from agency where id in (?, ?) order by id for update`,
        [agency.id, newParent.id],
      );
      const current = new Map(locked.map((r) => [r.id, r.path]));
      const movedPath = current.get(agency.id);
      const parentPath = current.get(newParent.id);
      if (!movedPath || !parentPath) throw notFound('机关 (agency)', input.id);
      if (parentPath === movedPath || parentPath.startsWith(movedPath + '.')) {
        throw badInput('input.newParentId', '不能移到自身或其下级机关之下 (cannot move an agency under itself or its own descendant)');
      }
      await sql(
        em,
        `update agency set path = ?::ltree || subpath(path, nlevel(?::ltree) - 1), updated_at = now()
          where path <@ ?::ltree`,
        [parentPath, movedPath, movedPath],
      );
      await sql(em, `update agency set parent_id = ? where id = ?`, [newParent.id, agency.id]);
      const moved = await em.findOneOrFail(Agency, agency.id, { refresh: true });
      return moved;
    });
  }

  async createUnit(ctx: RequestContext, input: CreateUnitInput): Promise<Unit> {
    const agency = await this.get(ctx, input.agencyId, 'input.agencyId');
    assertAdminOf(ctx, agency, '新建内设机构 (createUnit)');
    return inTransaction(ctx, async (em) => {
      const clash = await em.findOne(Unit, {
        agency: agency.id,
        $or: [{ code: input.code }, { name: input.name.trim() }],
      });
      if (clash) {
        const field = clash.code === input.code ? 'input.code' : 'input.name';
        throw conflict(`本机关已有同${field === 'input.code' ? '代码' : '名称'}的单位 (a unit with this ${field.slice(6)} exists)`, field);
      }
      const unit = em.create(Unit, { agency: agency.id, code: input.code, name: input.name.trim(), kind: input.kind });
      await em.flush();
      return unit;
    });
  }

  async updateUnit(ctx: RequestContext, input: UpdateUnitInput): Promise<Unit> {
    const unit = await this.getUnit(ctx, input.id, 'input.id');
    const agency = await this.get(ctx, unit.agency.id);
    assertAdminOf(ctx, agency, '修改内设机构 (updateUnit)');
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(Unit, unit.id);
      if (input.name != null) {
        const name = input.name.trim();
        const clash = await em.findOne(Unit, { agency: agency.id, name, id: { $ne: unit.id } });
        if (clash) throw conflict('本机关已有同名单位 (a unit with this name exists)', 'input.name');
        row.name = name;
      }
      if (input.kind != null) row.kind = input.kind;
      await em.flush();
      return row;
    });
  }

  /**
   * Codes are unique across all tenants, but row-level security hides other tenants' rows, so a
   * clash is detected by the unique index and reported as CONFLICT rather than looked up here.
   */
  private async assertCodeFree(em: EntityManager, code: string): Promise<void> {
    const visible = await em.findOne(Agency, { code });
    if (visible) throw conflict('机关代码已被使用 (agency code already in use)', 'input.code');
  }
}

export const agencyService = new AgencyService();
