import type { EntityManager } from '@mikro-orm/postgresql';
import { assertAdminOf, requirePrincipal } from '../../auth/policy';
import { pathWithin } from '../../auth/principal';
import type { Lean } from '../../db/row-mapper';
import { sql } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict, notFound, registerConstraintField } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import type { Agency } from '../agency/agency.entity';
import { agencyService } from '../agency/agency.service';
import { AssessmentIndicator, AssessmentScheme, AssessmentSchemeAgency } from './scheme.entity';
import type { AssessmentSchemeFilter, CreateAssessmentSchemeInput, ReviseAssessmentSchemeInput, SchemeContentInput } from './scheme.inputs';
import { validateScheme, type SchemeDef } from './scoring';

registerConstraintField('assessment_scheme_version_unique', 'input.schemeId');

/** The scoring engine's view of a stored scheme version. */
export function schemeDef(scheme: Lean<AssessmentScheme>, indicators: readonly Lean<AssessmentIndicator>[]): SchemeDef {
  return {
    share: scheme.share,
    bonusCap: scheme.bonusCap,
    bonusThreshold: scheme.bonusThreshold,
    excellentFrom: scheme.excellentFrom,
    goodFrom: scheme.goodFrom,
    passFrom: scheme.passFrom,
    indicators: [...indicators]
      .sort((a, b) => a.position - b.position)
      .map((i) => ({
        code: i.code,
        name: i.name,
        parentCode: i.parentCode ?? null,
        kind: i.kind,
        weight: i.weight,
        metric: i.metric ?? null,
        formula: i.formula ?? null,
        perCount: i.perCount ?? null,
        target: i.target ?? null,
      })),
  };
}

function contentDef(input: SchemeContentInput): SchemeDef {
  return {
    share: input.share,
    bonusCap: input.bonusCap,
    bonusThreshold: input.bonusThreshold,
    excellentFrom: input.excellentFrom,
    goodFrom: input.goodFrom,
    passFrom: input.passFrom,
    indicators: input.indicators.map((i) => ({
      code: i.code.trim(),
      name: i.name.trim(),
      parentCode: i.parentCode?.trim() || null,
      kind: i.kind,
      weight: i.weight,
      metric: i.metric ?? null,
      formula: i.formula ?? null,
      perCount: i.perCount ?? null,
      target: i.target ?? null,
    })),
  };
}

export class SchemeService {
  async get(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<AssessmentScheme>> {
    requirePrincipal(ctx);
    const scheme = await ctx.loaders.scheme.byId.load(requireId(id, field));
    if (!scheme) throw notFound('考核方案 (assessment scheme)', id);
    return scheme;
  }

  async list(ctx: RequestContext, args: ConnectionArgs, filter?: AssessmentSchemeFilter | null): Promise<Connection<Lean<AssessmentScheme>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(AssessmentScheme, 's');
    if (filter?.agencyId) qb.andWhere({ agency: requireId(filter.agencyId, 'filter.agencyId') });
    if (filter?.year != null) qb.andWhere({ year: filter.year });
    if (filter?.latestOnly ?? true) {
      qb.andWhere('not exists (select 1 from assessment_scheme n where n.agency_id = s.agency_id and n.year = s.year and n.version > s.version)');
    }
    return paginateQb(ctx.em, qb, args, { column: 'title', value: (s) => s.title });
  }

  async create(ctx: RequestContext, input: CreateAssessmentSchemeInput): Promise<AssessmentScheme> {
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    const p = assertAdminOf(ctx, agency, '制定考核方案 (createAssessmentScheme)');
    const chosen = await this.checkContent(ctx, agency, input);
    return inTransaction(ctx, async (em) => {
      const existing = await em.count(AssessmentScheme, { agency: agency.id, year: input.year });
      if (existing > 0) {
        throw conflict(`该机关${input.year}年已有考核方案，请修订生成新版本 (a scheme exists for ${input.year}: revise it to make a new version)`, 'input.year');
      }
      return this.write(em, agency, input.year, 1, input, chosen, '', p.username);
    });
  }

  async revise(ctx: RequestContext, input: ReviseAssessmentSchemeInput): Promise<AssessmentScheme> {
    const prior = await this.get(ctx, input.schemeId, 'input.schemeId');
    const agency = await agencyService.get(ctx, prior.agency.id, 'input.schemeId');
    const p = assertAdminOf(ctx, agency, '修订考核方案 (reviseAssessmentScheme)');
    if (!input.changeNote.trim()) throw badInput('input.changeNote', '请说明修订内容 (say what changed)');
    const chosen = await this.checkContent(ctx, agency, input);
    return inTransaction(ctx, async (em) => {
      // The newest version, locked: two revisions of one version cannot both become n + 1.
      const [latest] = await sql<{ id: string; version: number }>(
        em,
        'select id, version from assessment_scheme where agency_id = ? and year = ? order by version desc limit 1 for no key update',
        [agency.id, prior.year],
      );
      if (latest!.id !== prior.id) {
        throw conflict(`只能修订最新版本（当前为第${latest!.version}版）(only the latest version, ${latest!.version}, can be revised)`, 'input.schemeId');
      }
      return this.write(em, agency, prior.year, prior.version + 1, input, chosen, input.changeNote.trim(), p.username);
    });
  }

  /** Validates a scheme's content; returns the chosen agencies' ids (empty when it applies to all). */
  private async checkContent(ctx: RequestContext, agency: Lean<Agency>, input: SchemeContentInput): Promise<string[]> {
    const problems = validateScheme(contentDef(input));
    if (problems.length > 0) {
      const first = problems[0]!;
      throw badInput(first.field, first.message, { problems });
    }
    if (input.appliesToAll) {
      if (input.agencyIds?.length) throw badInput('input.agencyIds', '适用于全部机关时不能再指定机关 (leave agencyIds empty when the scheme applies to all)');
      return [];
    }
    const ids = [...new Set(input.agencyIds ?? [])];
    if (ids.length === 0) throw badInput('input.agencyIds', '请指定适用机关 (name the agencies the scheme applies to)');
    const agencies = await Promise.all(ids.map((id, i) => agencyService.get(ctx, id, `input.agencyIds[${i}]`)));
    agencies.forEach((a, i) => {
      if (a.id === agency.id || !pathWithin(a.path, agency.path)) {
        throw badInput(`input.agencyIds[${i}]`, '适用机关须为考核机关的下级 (an assessed agency must lie below the assessing agency)');
      }
    });
    return ids;
  }

  private async write(
    em: EntityManager,
    agency: Lean<Agency>,
    year: number,
    version: number,
    input: SchemeContentInput,
    chosen: string[],
    changeNote: string,
    username: string,
  ): Promise<AssessmentScheme> {
    const scheme = em.create(AssessmentScheme, {
      agency: agency.id,
      year,
      version,
      title: input.title?.trim() || `${agency.name}${year}年度政务公开考核方案`,
      share: input.share,
      bonusCap: input.bonusCap,
      bonusThreshold: input.bonusThreshold,
      excellentFrom: input.excellentFrom,
      goodFrom: input.goodFrom,
      passFrom: input.passFrom,
      appliesToAll: input.appliesToAll,
      changeNote,
      createdBy: username,
    });
    contentDef(input).indicators.forEach((d, position) => {
      em.create(AssessmentIndicator, {
        scheme,
        agency: agency.id,
        code: d.code,
        parentCode: d.parentCode,
        position,
        name: d.name,
        description: input.indicators[position]!.description.trim(),
        kind: d.kind as AssessmentIndicator['kind'],
        weight: d.weight,
        metric: (d.metric as AssessmentIndicator['metric']) ?? null,
        formula: (d.formula as AssessmentIndicator['formula']) ?? null,
        perCount: d.perCount ?? null,
        target: d.target ?? null,
      });
    });
    for (const id of chosen) em.create(AssessmentSchemeAgency, { scheme, assessed: id, agency: agency.id });
    await em.flush();
    return scheme;
  }
}

export const schemeService = new SchemeService();
