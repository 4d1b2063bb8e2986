import { hasRole, requirePrincipal } from '../../auth/policy';
import { pathWithin } from '../../auth/principal';
import { rowMapper, selectLean, type Lean } from '../../db/row-mapper';
import { sql, uuidArrayLiteral } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { badInput, forbidden, notFound } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import { Role } from '../account/account.entity';
import { Agency } from '../agency/agency.entity';
import { agencyService } from '../agency/agency.service';
import { Unit } from '../agency/unit.entity';
import { yearOf } from '../calendar/date-utils';
import { checkEvidenceUrl, checkPastDate, hundredths } from './evaluation.service';
import { appliesToAgencySql, findIndicators, latestScheme } from './indicator-lookup';
import { Inspection, InspectionFinding } from './inspection.entity';
import type { AgenciesWithoutInspectionInput, InspectionFilter, RecordInspectionInput } from './inspection.inputs';

/** 1 for January–June, 2 for July–December. */
export function halfOf(date: string): number {
  return Number(date.slice(5, 7)) <= 6 ? 1 : 2;
}

/**
 * 察访核验 (001 §二十二): an assessing agency inspects the agencies below it at least every half year;
 * each finding deducts points (0 to the indicator's weight) against an indicator of the inspecting
 * agency's scheme in force for the year, and the deductions count in the result. An inspection
 * belongs to the inspected agency (tenancy), so the inspected agency reads it and its siblings do not.
 */
export class InspectionService {
  async get(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<Inspection>> {
    requirePrincipal(ctx);
    const inspection = await ctx.loaders.assessment.inspectionById.load(requireId(id, field));
    if (!inspection) throw notFound('察访核验 (inspection)', id);
    return inspection;
  }

  async list(ctx: RequestContext, args: ConnectionArgs, filter?: InspectionFilter | null): Promise<Connection<Lean<Inspection>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(Inspection, 'i');
    if (filter?.agencyId) qb.andWhere({ agency: (await agencyService.get(ctx, filter.agencyId, 'filter.agencyId')).id });
    if (filter?.year != null) qb.andWhere({ year: filter.year });
    if (filter?.half != null) qb.andWhere({ half: filter.half });
    return paginateQb(ctx.em, qb, args, { column: 'inspected_on', value: (i) => i.inspectedOn });
  }

  /**
   * Records an inspection with all its findings, or nothing. The inspector is the caller's agency,
   * which must lie strictly above the inspected one; codes, points and units are checked before
   * anything is written, each error naming its finding (`input.findings[2].points`).
   */
  async record(ctx: RequestContext, input: RecordInspectionInput): Promise<Inspection> {
    const p = requirePrincipal(ctx);
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    if (!hasRole(p, Role.AGENCY_ADMIN)) {
      throw forbidden('需要上级机关的管理员权限 (recordInspection requires an agency administrator of an agency above the inspected one)');
    }
    if (agency.id === p.agencyId || !pathWithin(agency.path, p.agencyPath)) {
      throw forbidden('察访核验由上级机关对下级开展，不能核验本机关 (an agency inspects the agencies below it, not itself)');
    }
    const inspectedOn = checkPastDate(input.inspectedOn, 'input.inspectedOn');
    const year = yearOf(inspectedOn);
    const scheme = await latestScheme(ctx, p.agencyId, year);
    if (!scheme) {
      throw badInput('input.agencyId', `本机关没有${year}年度考核方案，无法按指标扣分 (the inspecting agency has no assessment scheme for ${year})`);
    }
    const codes = input.findings.map((f) => f.indicatorCode.trim());
    const indicators = await findIndicators(ctx, p.agencyId, year, [...new Set(codes.filter(Boolean))]);
    const unitIds = [...new Set(input.findings.flatMap((f, i) => (f.unitId ? [requireId(f.unitId, `input.findings[${i}].unitId`)] : [])))];
    const units = unitIds.length ? await selectLean(ctx.em, Unit, 'where t.id = any(?::uuid[])', [uuidArrayLiteral(unitIds)]) : [];
    const unitById = new Map(units.map((u) => [u.id, u]));
    const findings = input.findings.map((f, i) => {
      const at = (key: string) => `input.findings[${i}].${key}`;
      const indicator = indicators.get(codes[i]!);
      if (!indicator) throw badInput(at('indicatorCode'), `考核方案中没有指标 ${codes[i]} (no such indicator in the ${year} scheme in force)`);
      const points = Number.isFinite(f.points) ? hundredths(f.points) : NaN;
      if (!(points >= 0)) throw badInput(at('points'), `扣分不能为负 (points cannot be negative): ${f.points}`);
      if (points > indicator.weight) {
        throw badInput(at('points'), `扣分不得超过该指标分值 (a deduction cannot exceed the indicator’s weight): ${f.points} > ${indicator.weight}`, {
          weight: indicator.weight,
        });
      }
      const finding = f.finding.trim();
      if (!finding) throw badInput(at('finding'), '发现的问题不能为空 (finding must not be empty)');
      let unitId: string | null = null;
      if (f.unitId) {
        const unit = unitById.get(f.unitId.toLowerCase());
        // A unit of another agency in scope is as wrong as one out of scope: same message, no hint.
        if (!unit || unit.agency.id !== agency.id) {
          throw badInput(at('unitId'), `单位 ${f.unitId} 不是被核验机关的单位 (the unit is not a unit of the inspected agency)`, { id: f.unitId });
        }
        unitId = unit.id;
      }
      const evidenceUrl = f.evidenceUrl?.trim() ? checkEvidenceUrl(f.evidenceUrl, at('evidenceUrl')) : null;
      return { indicatorCode: indicator.code, points, finding, unitId, evidenceUrl };
    });

    return inTransaction(ctx, async (em) => {
      const inspection = em.create(Inspection, {
        agency: agency.id,
        inspector: p.agencyId,
        year,
        half: halfOf(inspectedOn),
        inspectedOn,
        inspectors: input.inspectors?.trim() ?? '',
        summary: input.summary?.trim() ?? '',
        recordedBy: p.username,
      });
      for (const f of findings) {
        em.create(InspectionFinding, {
          inspection: inspection.id,
          agency: agency.id,
          indicatorCode: f.indicatorCode,
          points: f.points,
          finding: f.finding,
          unit: f.unitId,
          evidenceUrl: f.evidenceUrl,
        });
      }
      await em.flush();
      return inspection;
    });
  }

  /**
   * The agencies a scheme version applies to (that the caller sees) with no inspection in the given
   * half of the scheme's year by an inspector at or above the scheme's agency — one statement. The
   * inspector's rank is read from the inspected agency's path (the scheme's agency and any inspector
   * above it are labels of that path), so it holds for callers below the scheme's agency too.
   */
  async agenciesWithout(ctx: RequestContext, input: AgenciesWithoutInspectionInput): Promise<Lean<Agency>[]> {
    requirePrincipal(ctx);
    const schemeId = requireId(input.schemeId, 'input.schemeId');
    const agencies = rowMapper(ctx.em, Agency);
    const rows = await sql<Record<string, unknown> & { __scheme: string }>(
      ctx.em,
      `select s.id as "__scheme", ${agencies.columnsAs('a', 'a_')}
         from assessment_scheme s
         left join lateral (
           select a.* from agency a
            where ${appliesToAgencySql('s', 'a')}
              and not exists (
                select 1 from inspection i
                 where i.agency_id = a.id and i.year = s.year and i.half = ?
                   and index(a.path, text2ltree(replace(i.inspector_id::text, '-', '')))
                       between 0 and index(a.path, text2ltree(replace(s.agency_id::text, '-', ''))))
         ) a on true
        where s.id = ?::uuid
        order by a.path`,
      [input.half, schemeId],
    );
    if (!rows.length) throw notFound('考核方案 (assessment scheme)', input.schemeId);
    return rows.filter((r) => r.a_id != null).map((r) => agencies.mapFrom(r, 'a_'));
  }
}

export const inspectionService = new InspectionService();
