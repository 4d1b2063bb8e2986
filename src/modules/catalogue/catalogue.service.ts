import type { EntityManager } from '@mikro-orm/postgresql';
import { assertAdminOf, hasRole, requirePrincipal } from '../../auth/policy';
import { pathWithin } from '../../auth/principal';
import { selectLean, type Lean } from '../../db/row-mapper';
import { uuidArrayLiteral } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict, forbidden, notFound, registerConstraintField } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import { Role } from '../account/account.entity';
import { Agency } from '../agency/agency.entity';
import { Unit } from '../agency/unit.entity';
import { agencyService } from '../agency/agency.service';
import { sameRule, toDeadlineRule } from '../calendar/deadline-rule-validation';
import type { DeadlineRule } from '../calendar/deadline-rule';
import { Catalogue, CatalogueKind, CatalogueStatus } from './catalogue.entity';
import { CatalogueItem, CatalogueItemUnit, CatalogueOmission, DeadlineEvent } from './catalogue-item.entity';
import {
  AdoptionStatus,
  type AddCatalogueItemInput,
  type AdoptStandardCatalogueInput,
  type CatalogueFilter,
  type CatalogueItemFields,
  type CatalogueItemFilter,
  type CopyCatalogueInput,
  type CreateCatalogueInput,
  type RemoveCatalogueItemInput,
  type UpdateCatalogueInput,
  type UpdateCatalogueItemInput,
} from './catalogue.inputs';
import { formatTimeLimit, parseTimeLimit } from './time-limit-parser';
import { matchUnits } from './unit-matcher';

registerConstraintField('catalogue_item_category_name_unique', 'input.name');
registerConstraintField('catalogue_agency_year_kind_unique', 'input.year');

/** Fields a standard fixes; adopters may change them, and drift reports when they do. */
export const STANDARD_FIELDS = [
  'category',
  'name',
  'content',
  'disclosureType',
  'timeLimitText',
  'deadlineRule',
  'deadlineEvent',
  'audience',
  'legalBasis',
] as const;

const RELATIVE_KINDS: ReadonlyArray<DeadlineRule['kind']> = ['WORKING_DAYS', 'CALENDAR_DAYS', 'HOURS'];

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function differs(field: (typeof STANDARD_FIELDS)[number], a: CatalogueItem, b: CatalogueItem): boolean {
  if (field === 'deadlineRule') return !sameRule(a.deadlineRule, b.deadlineRule);
  return (a[field] ?? null) !== (b[field] ?? null);
}

export interface TimeLimitValues {
  timeLimitText: string;
  deadlineRule: DeadlineRule | null;
  deadlineEvent: DeadlineEvent | null;
  timeLimitWarning: string | null;
}

/**
 * Reconciles the wording and the structured rule of an item's time limit. Wording alone is parsed
 * (and flagged when unreadable, never guessed); both must agree. A rule alone keeps the item's
 * wording as written ({@link currentText}, e.g. the real table's "动态跟新" beside a hand-set
 * KEEP_CURRENT rule) — the rule's own explanation is `deadlineRuleText`, never written over the
 * wording; only an item without any wording (a new one) gets the canonical wording of its rule.
 */
export function resolveTimeLimit(fields: CatalogueItemFields, prefix = 'input', currentText?: string | null): TimeLimitValues | null {
  const hasText = fields.timeLimitText != null;
  if (!hasText && !fields.deadlineRule) return null;
  const keptText = !hasText && currentText != null && currentText.trim() !== '' ? currentText : null;
  const text = hasText ? fields.timeLimitText!.trim() : keptText;
  let rule: DeadlineRule | null = null;
  if (fields.deadlineRule) {
    const r = toDeadlineRule(fields.deadlineRule);
    if ('field' in r) throw badInput(`${prefix}.deadlineRule.${r.field}`, r.message);
    rule = r.rule;
  }
  const parsed = text != null ? parseTimeLimit(keptText ?? text) : null;
  if (rule && parsed?.rule && !sameRule(rule, parsed.rule)) {
    throw badInput(
      `${prefix}.deadlineRule`,
      keptText != null
        ? `结构化时限与事项现有的时限原文“${parsed.original}”不一致；原文不会被改写，如需改变时限请同时填写新的时限原文 (the rule contradicts the item's wording, which is never rewritten; give the new wording too)`
        : `结构化时限与时限原文“${parsed.original}”不一致 (the rule contradicts the wording)`,
    );
  }
  const finalRule = rule ?? parsed?.rule ?? null;
  let event = (fields.deadlineEvent ?? (parsed?.event as DeadlineEvent | null) ?? null) as DeadlineEvent | null;
  if (finalRule && !RELATIVE_KINDS.includes(finalRule.kind)) {
    if (fields.deadlineEvent) {
      throw badInput(`${prefix}.deadlineEvent`, `${finalRule.kind} 规则没有起算事件 (a ${finalRule.kind} rule counts from no event)`);
    }
    event = null;
  } else if (finalRule && !event) {
    event = DeadlineEvent.FORMATION_OR_CHANGE;
  }
  if (parsed?.event && fields.deadlineEvent && parsed.event !== fields.deadlineEvent && parsed.rule) {
    throw badInput(`${prefix}.deadlineEvent`, '起算事件与时限原文不一致 (the event contradicts the wording)');
  }
  return {
    timeLimitText: text != null ? parsed!.original : formatTimeLimit(finalRule!, event),
    deadlineRule: finalRule,
    deadlineEvent: finalRule ? event : null,
    timeLimitWarning: finalRule ? null : (parsed?.warning ?? '未能识别公开时限 (time limit not recognised)'),
  };
}

export class CatalogueService {
  async get(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<Catalogue>> {
    requirePrincipal(ctx);
    const c = await ctx.loaders.catalogue.byId.load(requireId(id, field));
    if (!c) throw notFound('目录 (catalogue)', id);
    return c;
  }

  async getItem(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<CatalogueItem>> {
    requirePrincipal(ctx);
    const item = await ctx.loaders.catalogue.itemById.load(requireId(id, field));
    if (!item) throw notFound('目录事项 (catalogue item)', id);
    return item;
  }

  /** The owning agency, or null when it is an ancestor (a standard published from above). */
  async agencyOf(ctx: RequestContext, c: Lean<Catalogue>): Promise<Lean<Agency> | null> {
    return ctx.loaders.agency.byId.load(c.agency.id);
  }

  async list(ctx: RequestContext, args: ConnectionArgs, filter?: CatalogueFilter | null): Promise<Connection<Lean<Catalogue>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(Catalogue, 'c');
    if (filter?.agencyId) qb.andWhere({ agency: (await agencyService.get(ctx, filter.agencyId, 'filter.agencyId')).id });
    if (filter?.underAgencyId) {
      const root = await agencyService.get(ctx, filter.underAgencyId, 'filter.underAgencyId');
      qb.andWhere('c.agency_id in (select a.id from agency a where a.path <@ ?::ltree)', [root.path]);
    }
    if (filter?.year != null) qb.andWhere({ year: filter.year });
    if (filter?.kind) qb.andWhere({ kind: filter.kind });
    if (filter?.status) qb.andWhere({ status: filter.status });
    return paginateQb(ctx.em, qb, args, { column: 'title', value: (c) => c.title });
  }

  async listItems(
    ctx: RequestContext,
    catalogueId: string,
    args: ConnectionArgs,
    filter?: CatalogueItemFilter | null,
  ): Promise<Connection<Lean<CatalogueItem>>> {
    const catalogue = await this.get(ctx, catalogueId, 'catalogueId');
    const qb = ctx.em.createQueryBuilder(CatalogueItem, 'i').where({ catalogue: catalogue.id });
    if (filter?.category) qb.andWhere({ category: filter.category });
    if (filter?.disclosureType) qb.andWhere({ disclosureType: filter.disclosureType });
    if (filter?.unitId) {
      qb.andWhere('i.id in (select p.item_id from catalogue_item_unit p where p.unit_id = ?::uuid)', [
        requireId(filter.unitId, 'filter.unitId'),
      ]);
    }
    if (filter?.text) {
      const p = likePattern(filter.text);
      qb.andWhere('(i.name ilike ? or i.category ilike ? or i.content ilike ?)', [p, p, p]);
    }
    if (filter?.timeLimitFlagged != null) {
      qb.andWhere(filter.timeLimitFlagged ? 'i.time_limit_warning is not null' : 'i.time_limit_warning is null');
    }
    return paginateQb(ctx.em, qb, args, { column: 'position', value: (i) => i.position });
  }

  /**
   * The agency of a catalogue its caller may change: an administrator at or above it. A standard
   * seen from below is refused here (and by the database), and archived catalogues are read-only.
   */
  async assertEditable(ctx: RequestContext, c: Lean<Catalogue>, action: string): Promise<Lean<Agency>> {
    const agency = await this.agencyOf(ctx, c);
    if (!agency) throw forbidden(`上级机关的目录不能由下级修改 (${action}: a superior’s catalogue is read-only here)`);
    assertAdminOf(ctx, agency, action);
    if (c.status === CatalogueStatus.ARCHIVED) {
      throw conflict(`已归档的目录不能修改 (${action}: archived catalogues are read-only)`, 'input.id');
    }
    return agency;
  }

  async create(ctx: RequestContext, input: CreateCatalogueInput): Promise<Catalogue> {
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    assertAdminOf(ctx, agency, '新建目录 (createCatalogue)');
    return inTransaction(ctx, async (em) => {
      await this.assertYearFree(em, agency.id, input.year, input.kind);
      const title =
        input.title?.trim() ||
        `${input.year}年${agency.name}${input.kind === CatalogueKind.STANDARD ? '政务公开标准目录' : '主动公开基本目录'}`;
      const c = em.create(Catalogue, { agency: agency.id, year: input.year, kind: input.kind, title });
      await em.flush();
      return c;
    });
  }

  async copy(ctx: RequestContext, input: CopyCatalogueInput): Promise<Catalogue> {
    const source = await this.get(ctx, input.sourceCatalogueId, 'input.sourceCatalogueId');
    const agency = await this.agencyOf(ctx, source);
    if (!agency) throw forbidden('只能复制本机关的目录 (only catalogues of your own subtree can be copied)');
    assertAdminOf(ctx, agency, '复制目录 (copyCatalogue)');
    return inTransaction(ctx, async (em) => {
      await this.assertYearFree(em, agency.id, input.year, source.kind);
      const title = source.title.includes(String(source.year))
        ? source.title.replace(String(source.year), String(input.year))
        : `${input.year}年${source.title}`;
      const copy = em.create(Catalogue, {
        agency: agency.id,
        year: input.year,
        kind: source.kind,
        title,
        adoptedStandard: source.adoptedStandard?.id ?? null,
        adoptedRevision: source.adoptedRevision ?? null,
      });
      await em.flush();
      // Set-based copy: two statements whatever the size of the catalogue.
      await em.execute(
        `insert into catalogue_item (id, catalogue_id, agency_id, position, category, name, content, disclosure_type, units_text,
            time_limit_text, deadline_rule, deadline_event, time_limit_warning, channels, audience, legal_basis, website_column, standard_item_id)
         select gen_random_uuid(), ?, agency_id, position, category, name, content, disclosure_type, units_text,
            time_limit_text, deadline_rule, deadline_event, time_limit_warning, channels, audience, legal_basis, website_column, standard_item_id
           from catalogue_item where catalogue_id = ?`,
        [copy.id, source.id],
        'run',
        em.getLoggerContext(),
      );
      await em.execute(
        `insert into catalogue_item_unit (item_id, unit_id, agency_id)
         select n.id, p.unit_id, p.agency_id from catalogue_item o
           join catalogue_item n on n.catalogue_id = ? and n.category = o.category and n.name = o.name
           join catalogue_item_unit p on p.item_id = o.id
          where o.catalogue_id = ?`,
        [copy.id, source.id],
        'run',
        em.getLoggerContext(),
      );
      return copy;
    });
  }

  async update(ctx: RequestContext, input: UpdateCatalogueInput): Promise<Catalogue> {
    const c = await this.get(ctx, input.id, 'input.id');
    const agency = await this.agencyOf(ctx, c);
    if (!agency) throw forbidden('上级机关的目录不能由下级修改 (a superior’s catalogue is read-only here)');
    assertAdminOf(ctx, agency, '修改目录 (updateCatalogue)');
    if (input.status && input.status !== c.status) {
      const allowed: Record<CatalogueStatus, CatalogueStatus[]> = {
        DRAFT: [CatalogueStatus.IN_FORCE, CatalogueStatus.ARCHIVED],
        IN_FORCE: [CatalogueStatus.ARCHIVED, CatalogueStatus.DRAFT],
        ARCHIVED: [],
      };
      if (!allowed[c.status as CatalogueStatus].includes(input.status)) {
        throw badInput('input.status', `不能从 ${c.status} 改为 ${input.status} (status change not allowed)`);
      }
    } else if (c.status === CatalogueStatus.ARCHIVED && input.title) {
      throw conflict('已归档的目录不能修改 (archived catalogues are read-only)', 'input.id');
    }
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(Catalogue, c.id);
      if (input.title) row.title = input.title.trim();
      if (input.status) row.status = input.status;
      await em.flush();
      return row;
    });
  }

  async addItem(ctx: RequestContext, input: AddCatalogueItemInput): Promise<CatalogueItem> {
    const c = await this.get(ctx, input.catalogueId, 'input.catalogueId');
    const agency = await this.assertEditable(ctx, c, '新增目录事项 (addCatalogueItem)');
    if (!input.category?.trim()) throw badInput('input.category', '目录类别不能为空 (category is required)');
    if (!input.name?.trim()) throw badInput('input.name', '目录名称不能为空 (name is required)');
    const timeLimit = resolveTimeLimit(input);
    return inTransaction(ctx, async (em) => {
      await this.assertNameFree(em, c.id, input.category!.trim(), input.name!.trim(), null);
      const max = await em.execute<{ m: number | null }[]>(
        'select max(position) as m from catalogue_item where catalogue_id = ?',
        [c.id],
        'all',
        em.getLoggerContext(),
      );
      const item = em.create(CatalogueItem, {
        catalogue: c.id,
        agency: agency.id,
        position: Number(max[0]?.m ?? 0) + 1,
        category: input.category!.trim(),
        name: input.name!.trim(),
        ...(timeLimit ?? { timeLimitWarning: '未填写公开时限 (no time limit given)' }),
      });
      await this.applyFields(em, item, input, agency.id);
      await this.bumpRevision(em, c.id);
      await em.flush();
      return item;
    });
  }

  async updateItem(ctx: RequestContext, input: UpdateCatalogueItemInput): Promise<CatalogueItem> {
    const item = await this.getItem(ctx, input.id, 'input.id');
    const c = await this.get(ctx, item.catalogue.id);
    const agency = await this.agencyOf(ctx, c);
    if (!agency) throw forbidden('上级机关的目录不能由下级修改 (a superior’s catalogue is read-only here)');
    const p = requirePrincipal(ctx);
    const isAdmin = hasRole(p, Role.AGENCY_ADMIN) && pathWithin(agency.path, p.agencyPath);
    if (!isAdmin) {
      // A unit liaison may keep its own items' details current, but not restructure the catalogue.
      const units = await ctx.loaders.catalogue.unitsByItem.load(item.id);
      const ownItem = hasRole(p, Role.UNIT_LIAISON) && units.some((u) => u.id === p.unitId);
      const structural = ['category', 'name', 'disclosureType', 'clearDisclosureType', 'unitIds', 'unitsText', 'timeLimitText', 'deadlineRule', 'deadlineEvent'] as const;
      if (!ownItem || structural.some((f) => input[f] != null)) {
        throw forbidden('只有管理员可修改该事项；联络员只能更新本单位事项的内容、渠道和栏目 (only administrators may change this)');
      }
    }
    if (c.status === CatalogueStatus.ARCHIVED) throw conflict('已归档的目录不能修改 (archived catalogues are read-only)', 'input.id');
    // A rule set by hand keeps the item's wording as written (never rewritten to the rule's canonical text).
    const timeLimit = resolveTimeLimit(input, 'input', item.timeLimitText);
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(CatalogueItem, item.id);
      const category = input.category?.trim() ?? row.category;
      const name = input.name?.trim() ?? row.name;
      if (category !== row.category || name !== row.name) await this.assertNameFree(em, c.id, category, name, row.id);
      row.category = category;
      row.name = name;
      if (timeLimit) Object.assign(row, timeLimit);
      await this.applyFields(em, row, input, agency.id);
      await this.bumpRevision(em, c.id);
      await em.flush();
      return row;
    });
  }

  async removeItem(ctx: RequestContext, input: RemoveCatalogueItemInput): Promise<{ removedItemId: string; omission: CatalogueOmission | null }> {
    const item = await this.getItem(ctx, input.id, 'input.id');
    const c = await this.get(ctx, item.catalogue.id);
    const agency = await this.assertEditable(ctx, c, '删除目录事项 (removeCatalogueItem)');
    if (item.standardItem && !input.reason?.trim()) {
      throw badInput('input.reason', '删减标准目录事项必须说明理由 (leaving out a standard item needs a reason)');
    }
    const p = requirePrincipal(ctx);
    return inTransaction(ctx, async (em) => {
      let omission: CatalogueOmission | null = null;
      if (item.standardItem) {
        omission = em.create(CatalogueOmission, {
          catalogue: c.id,
          agency: agency.id,
          standardItem: item.standardItem.id,
          reason: input.reason!.trim(),
          recordedBy: p.username,
        });
      }
      await em.nativeDelete(CatalogueItem, { id: item.id });
      await this.bumpRevision(em, c.id);
      await em.flush();
      return { removedItemId: item.id, omission };
    });
  }

  /**
   * 采用标准目录: creates or updates the agency's catalogue for the standard's year. Every standard
   * item not left out with a reason is present and linked afterwards; standard fields are reset to
   * the standard's, local fields (units, channels, column) are kept or, for new items, matched.
   */
  async adopt(ctx: RequestContext, input: AdoptStandardCatalogueInput): Promise<Catalogue> {
    const standard = await this.get(ctx, input.standardCatalogueId, 'input.standardCatalogueId');
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    assertAdminOf(ctx, agency, '采用标准目录 (adoptStandardCatalogue)');
    if (standard.kind !== CatalogueKind.STANDARD || standard.status !== CatalogueStatus.IN_FORCE) {
      throw badInput('input.standardCatalogueId', '只能采用施行中的标准目录 (only a standard catalogue in force can be adopted)');
    }
    const ancestorLabels = agency.path.split('.').slice(0, -1);
    if (!ancestorLabels.includes(standard.agency.id.replace(/-/g, ''))) {
      throw badInput('input.standardCatalogueId', '标准目录须由上级机关发布 (the standard must come from a superior agency)');
    }
    return inTransaction(ctx, async (em) => {
      let target = await em.findOne(Catalogue, { agency: agency.id, year: standard.year, kind: CatalogueKind.AGENCY });
      if (target?.status === CatalogueStatus.ARCHIVED) throw conflict('该年度目录已归档 (that year’s catalogue is archived)', 'input.agencyId');
      target ??= em.create(Catalogue, {
        agency: agency.id,
        year: standard.year,
        kind: CatalogueKind.AGENCY,
        title: `${standard.year}年${agency.name}主动公开基本目录`,
      });
      const [standardItems, localItems, omissions, units] = await Promise.all([
        em.find(CatalogueItem, { catalogue: standard.id }, { orderBy: { position: 'asc' } }),
        target.id ? em.find(CatalogueItem, { catalogue: target.id }) : Promise.resolve([]),
        em.find(CatalogueOmission, { catalogue: target.id }),
        em.find(Unit, { agency: agency.id }),
      ]);
      const omitted = new Set(omissions.map((o) => o.standardItem.id));
      const byLink = new Map(localItems.filter((i) => i.standardItem).map((i) => [i.standardItem!.id, i]));
      const byName = new Map(localItems.map((i) => [`${i.category}\u0000${i.name}`, i]));
      let nextPosition = Math.max(0, ...localItems.map((i) => i.position)) + 1;
      const known = units.map((u) => ({ id: u.id, name: u.name, aliases: u.aliases }));
      for (const s of standardItems) {
        if (omitted.has(s.id)) continue;
        let local = byLink.get(s.id) ?? byName.get(`${s.category}\u0000${s.name}`);
        const isNew = !local;
        if (!local) {
          local = em.create(CatalogueItem, {
            catalogue: target.id,
            agency: agency.id,
            position: nextPosition++,
            category: s.category,
            name: s.name,
            channels: [...s.channels],
            websiteColumn: s.websiteColumn ?? null,
            unitsText: s.unitsText,
          });
        }
        local.standardItem = em.getReference(CatalogueItem, s.id) as never;
        for (const f of STANDARD_FIELDS) (local as unknown as Record<string, unknown>)[f] = s[f] ?? null;
        local.timeLimitWarning = s.timeLimitWarning ?? null;
        if (isNew) {
          // The standard's responsible units are the superior's; match the same names locally.
          const match = matchUnits(s.unitsText, known);
          for (const u of match.units) em.create(CatalogueItemUnit, { item: local.id, unit: u.id, agency: agency.id });
        }
      }
      target.adoptedStandard = em.getReference(Catalogue, standard.id) as never;
      target.adoptedRevision = standard.revision;
      await em.flush();
      return target;
    });
  }

  /**
   * Drift of every direct subordinate of the standard's publisher, in a fixed number of statements.
   * A pure read: everything is loaded as lean read-only rows (src/db/row-mapper.ts).
   */
  async drift(ctx: RequestContext, standardId: string) {
    const standard = await this.get(ctx, standardId, 'standardCatalogueId');
    if (standard.kind !== CatalogueKind.STANDARD) throw badInput('standardCatalogueId', '不是标准目录 (not a standard catalogue)');
    const em = ctx.em;
    const subordinates = await selectLean(em, Agency, 'where t.parent_id = ? order by t.code', [standard.agency.id]);
    const subIds = uuidArrayLiteral(subordinates.map((a) => a.id));
    const catalogues = await selectLean(em, Catalogue, 'where t.agency_id = any(?::uuid[]) and t.year = ? and t.kind = ?', [
      subIds,
      standard.year,
      CatalogueKind.AGENCY,
    ]);
    const standardItems = await selectLean(em, CatalogueItem, 'where t.catalogue_id = ? order by t.position', [standard.id]);
    const catIds = uuidArrayLiteral(catalogues.map((c) => c.id));
    const items = await selectLean(em, CatalogueItem, 'where t.catalogue_id = any(?::uuid[]) order by t.position', [catIds]);
    const omissions = await selectLean(em, CatalogueOmission, 'where t.catalogue_id = any(?::uuid[])', [catIds]);
    const standardById = new Map(standardItems.map((s) => [s.id, s]));
    return subordinates.map((agency) => {
      const catalogue = catalogues.find((c) => c.agency.id === agency.id) ?? null;
      if (!catalogue) {
        return { agency, catalogue, adoptionStatus: AdoptionStatus.NOT_ADOPTED, missing: standardItems, changed: [], extra: [], omitted: [] };
      }
      const mine = items.filter((i) => i.catalogue.id === catalogue.id);
      const omitted = omissions.filter((o) => o.catalogue.id === catalogue.id);
      const linked = new Map(mine.filter((i) => i.standardItem && standardById.has(i.standardItem.id)).map((i) => [i.standardItem!.id, i]));
      const omittedIds = new Set(omitted.map((o) => o.standardItem.id));
      const adopted = catalogue.adoptedStandard?.id === standard.id;
      return {
        agency,
        catalogue,
        adoptionStatus: !adopted
          ? AdoptionStatus.NOT_ADOPTED
          : catalogue.adoptedRevision === standard.revision
            ? AdoptionStatus.CURRENT
            : AdoptionStatus.OUTDATED,
        missing: standardItems.filter((s) => !linked.has(s.id) && !omittedIds.has(s.id)),
        changed: standardItems
          .filter((s) => linked.has(s.id))
          .map((s) => ({ standardItem: s, item: linked.get(s.id)!, fields: STANDARD_FIELDS.filter((f) => differs(f, s, linked.get(s.id)!)) }))
          .filter((c) => c.fields.length > 0),
        extra: mine.filter((i) => !i.standardItem || !standardById.has(i.standardItem.id)),
        omitted,
      };
    });
  }

  private async applyFields(em: EntityManager, item: CatalogueItem, f: CatalogueItemFields, agencyId: string): Promise<void> {
    if (f.content != null) item.content = f.content.trim();
    if (f.clearDisclosureType) item.disclosureType = null;
    else if (f.disclosureType) item.disclosureType = f.disclosureType;
    if (f.channels) item.channels = [...new Set(f.channels.map((c) => c.trim()).filter(Boolean))];
    if (f.audience != null) item.audience = f.audience.trim() || '全社会';
    if (f.legalBasis != null) item.legalBasis = f.legalBasis.trim();
    if (f.websiteColumn != null) item.websiteColumn = f.websiteColumn.trim() || null;
    if (f.unitIds) {
      const ids = [...new Set(f.unitIds.map((id, i) => requireId(id, `input.unitIds.${i}`)))];
      const units = await em.find(Unit, { id: { $in: ids }, agency: agencyId }, { orderBy: { code: 'asc' } });
      if (units.length !== ids.length) {
        throw badInput('input.unitIds', '责任单位须为本机关的内设机构 (responsible units must belong to the catalogue’s agency)');
      }
      if (item.id) await em.nativeDelete(CatalogueItemUnit, { item: item.id });
      for (const u of units) em.create(CatalogueItemUnit, { item: item.id, unit: u.id, agency: agencyId });
      item.unitsText = f.unitsText?.trim() || units.map((u) => u.name).join('、');
    } else if (f.unitsText != null) {
      item.unitsText = f.unitsText.trim();
    }
  }

  private async assertNameFree(em: EntityManager, catalogueId: string, category: string, name: string, exceptId: string | null) {
    const clash = await em.findOne(CatalogueItem, { catalogue: catalogueId, category, name, ...(exceptId ? { id: { $ne: exceptId } } : {}) });
    if (clash) throw conflict(`同一类别下已有名为“${name}”的事项 (an item with this name exists in the category)`, 'input.name');
  }

  private async assertYearFree(em: EntityManager, agencyId: string, year: number, kind: CatalogueKind) {
    if (await em.findOne(Catalogue, { agency: agencyId, year, kind })) {
      throw conflict(`该机关${year}年度已有此类目录 (the agency already has a ${kind} catalogue for ${year})`, 'input.year');
    }
  }

  /** Every change to an in-force standard is a new revision, so adopters can be told they are behind. */
  async bumpRevision(em: EntityManager, catalogueId: string): Promise<void> {
    await em.execute(
      `update catalogue set revision = revision + 1, updated_at = now() where id = ? and kind = 'STANDARD' and status = 'IN_FORCE'`,
      [catalogueId],
      'run',
      em.getLoggerContext(),
    );
  }
}

export const catalogueService = new CatalogueService();
