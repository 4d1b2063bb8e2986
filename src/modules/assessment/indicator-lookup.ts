import { selectLean, type Lean } from '../../db/row-mapper';
import { sql } from '../../db/sql';
import type { RequestContext } from '../../graphql/context';
import { AssessmentScheme, IndicatorKind } from './scheme.entity';

/** 指标 — what deductions (evaluations, inspections) need of an indicator of the assessor's scheme in force. */
export interface IndicatorRef {
  id: string;
  code: string;
  kind: IndicatorKind;
  /** 分值: a deduction against the indicator cannot exceed it. */
  weight: number;
  schemeId: string;
  version: number;
}

/**
 * The agencies a scheme version applies to, as a condition on an agency alias (`a`) and a scheme
 * alias (`s`, a row of assessment_scheme): every agency strictly below the assessing agency when
 * `applies_to_all`, else the chosen ones. "Below" is read from the assessed agency's own path (the
 * assessing agency's label followed by at least one more), so it holds for callers that cannot read
 * the assessing agency's row (an assessed agency reading its superior's scheme).
 */
export function appliesToAgencySql(s: string, a: string): string {
  return `((${s}.applies_to_all and ${a}.path ~ ('*.' || replace(${s}.agency_id::text, '-', '') || '.*{1,}')::lquery)
       or (not ${s}.applies_to_all and ${a}.id in (select x.assessed_id from assessment_scheme_agency x where x.scheme_id = ${s}.id)))`;
}

/** The latest version of an assessing agency's scheme for a year, or null (one statement). */
export async function latestScheme(ctx: RequestContext, assessorAgencyId: string, year: number): Promise<Lean<AssessmentScheme> | null> {
  const rows = await selectLean(ctx.em, AssessmentScheme, 'where t.agency_id = ?::uuid and t.year = ? order by t.version desc limit 1', [
    assessorAgencyId,
    year,
  ]);
  return rows[0] ?? null;
}

/**
 * Indicators of the given codes in the LATEST version of the assessor's scheme for the year, by code
 * (codes the version lacks are absent), in one statement for any number of codes.
 */
export async function findIndicators(
  ctx: RequestContext,
  assessorAgencyId: string,
  year: number,
  codes: readonly string[],
): Promise<Map<string, IndicatorRef>> {
  if (!codes.length) return new Map();
  const rows = await sql<{ id: string; code: string; kind: IndicatorKind; weight: string | number; scheme_id: string; version: number }>(
    ctx.em,
    `select i.id, i.code, i.kind, i.weight, s.id as scheme_id, s.version
       from assessment_scheme s
       join assessment_indicator i on i.scheme_id = s.id and i.code = any(?::text[])
      where s.id = (select l.id from assessment_scheme l where l.agency_id = ?::uuid and l.year = ? order by l.version desc limit 1)`,
    [`{${codes.map((c) => `"${c.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(',')}}`, assessorAgencyId, year],
  );
  return new Map(
    rows.map((r) => [
      r.code,
      { id: r.id, code: r.code, kind: r.kind, weight: Number(r.weight), schemeId: r.scheme_id, version: Number(r.version) },
    ]),
  );
}

/** The indicator of `code` in the latest version of the assessor's scheme for the year, or null. */
export async function findIndicator(ctx: RequestContext, assessorAgencyId: string, year: number, code: string): Promise<IndicatorRef | null> {
  return (await findIndicators(ctx, assessorAgencyId, year, [code])).get(code) ?? null;
}

/** Ids of the agencies a scheme version applies to that the caller can see (one statement). */
export async function assessedAgencyIds(ctx: RequestContext, schemeId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    ctx.em,
    `select a.id from assessment_scheme s join agency a on ${appliesToAgencySql('s', 'a')}
      where s.id = ?::uuid order by a.path`,
    [schemeId],
  );
  return rows.map((r) => r.id);
}
