import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertAdminOf, requirePrincipal } from '../../auth/policy';
import { selectLean, type Lean } from '../../db/row-mapper';
import { sql, uuidArrayLiteral } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict, forbidden, notFound } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import type { Agency } from '../agency/agency.entity';
import { agencyService } from '../agency/agency.service';
import { today } from '../calendar/clock';
import { isIsoDate } from '../calendar/date-utils';
import { assessedAgencyIds, latestScheme } from './indicator-lookup';
import { metricValues, periodRange, readAgencyFigures, type AgencyFigures } from './result-figures';
import { AssessmentEntry, AssessmentResult, ResultStatus } from './result.entity';
import type { AssessmentResultFilter, ComputeAssessmentResultsInput, ScoreAssessmentIndicatorInput } from './result.inputs';
import { AssessmentIndicator, AssessmentPeriod, AssessmentScheme, Grade, IndicatorKind } from './scheme.entity';
import { schemeDef, schemeService } from './scheme.service';
import { scoreAgency, type ManualEntry, type ScoreResult } from './scoring';

/** One agency's computation, before it is stored. */
interface Computation {
  agencyId: string;
  figures: AgencyFigures;
  manual: Record<string, ManualEntry>;
  score: ScoreResult;
  missing: string[];
}

export class ResultService {
  async get(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<AssessmentResult>> {
    requirePrincipal(ctx);
    const [row] = await selectLean(ctx.em, AssessmentResult, 'where t.id = ?::uuid', [requireId(id, field)]);
    if (!row) throw notFound('考核结果 (assessment result)', id);
    return row;
  }

  async list(ctx: RequestContext, args: ConnectionArgs, filter: AssessmentResultFilter): Promise<Connection<Lean<AssessmentResult>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(AssessmentResult, 'r').where({ year: filter.year });
    if (filter.period) qb.andWhere({ period: filter.period });
    if (filter.assessorId) qb.andWhere({ assessor: requireId(filter.assessorId, 'filter.assessorId') });
    if (filter.agencyId) qb.andWhere({ agency: requireId(filter.agencyId, 'filter.agencyId') });
    if (filter.currentOnly) qb.andWhere({ current: true });
    return paginateQb(ctx.em, qb, args, { column: 'created_at', value: (r) => r.createdAt.toISOString() });
  }

  /** A scheme version, its assessing agency (administered by the caller) and its indicators. */
  private async schemeOf(ctx: RequestContext, schemeId: string, field: string, action: string) {
    const scheme = await schemeService.get(ctx, schemeId, field);
    const assessor = await ctx.loaders.agency.byId.load(scheme.agency.id);
    // An assessed agency reads its superior's scheme but not the superior itself: it is not its administrator.
    if (!assessor) throw forbidden(`需要考核机关的管理员权限 (${action} requires an administrator of the assessing agency)`);
    assertAdminOf(ctx, assessor, action);
    const indicators = await ctx.loaders.scheme.indicatorsByScheme.load(scheme.id);
    return { scheme, assessor, indicators };
  }

  async scoreIndicator(ctx: RequestContext, input: ScoreAssessmentIndicatorInput): Promise<Lean<AssessmentEntry>> {
    const { scheme, assessor } = await this.schemeOf(ctx, input.schemeId, 'input.schemeId', '人工评分 (scoreAssessmentIndicator)');
    const latest = await latestScheme(ctx, assessor.id, scheme.year);
    const indicators = await ctx.loaders.scheme.indicatorsByScheme.load(latest!.id);
    const indicator = indicators.find((i) => i.code === input.indicatorCode.trim());
    if (!indicator) throw badInput('input.indicatorCode', `方案中没有编号为 ${input.indicatorCode} 的指标 (no such indicator in the latest version)`);
    if (![IndicatorKind.MANUAL, IndicatorKind.BONUS, IndicatorKind.VETO].includes(indicator.kind)) {
      throw badInput('input.indicatorCode', '只有人工评分、加分和否决指标可以手工评分 (only MANUAL, BONUS and VETO indicators are scored by hand)');
    }
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    if (!(await assessedAgencyIds(ctx, latest!.id)).includes(agency.id)) {
      throw badInput('input.agencyId', '该机关不在方案的考核范围内 (the scheme does not assess this agency)');
    }
    const note = input.note.trim();
    let points: number | null = null;
    let vetoed = false;
    if (indicator.kind === IndicatorKind.VETO) {
      if (input.vetoed == null) throw badInput('input.vetoed', '否决项须说明是否否决 (say whether the veto applies)');
      if (input.points != null) throw badInput('input.points', '否决项不计分 (a veto item has no points)');
      vetoed = input.vetoed;
      if (vetoed && !note) throw badInput('input.note', '否决须说明理由 (a veto needs its reason)');
    } else {
      if (input.vetoed) throw badInput('input.vetoed', '只有否决项可以否决 (only a VETO indicator vetoes)');
      if (input.points == null) throw badInput('input.points', '请填写得分 (points are required)');
      if (!(input.points >= 0 && input.points <= indicator.weight) || Math.round(input.points * 100) !== input.points * 100) {
        throw badInput('input.points', `得分须在0至${indicator.weight}之间，最多两位小数 (points must lie within 0–${indicator.weight}, two decimals)`);
      }
      points = input.points;
    }
    const p = requirePrincipal(ctx);
    return inTransaction(ctx, async (em) => {
      await this.assertNotFinal(em, assessor.id, scheme.year, input.period, [agency.id], 'input.agencyId');
      const key = { assessor: assessor.id, year: scheme.year, period: input.period, agency: agency.id, indicatorCode: indicator.code };
      const entry = (await em.findOne(AssessmentEntry, key)) ?? em.create(AssessmentEntry, { ...key, enteredBy: p.username });
      entry.points = points;
      entry.vetoed = vetoed;
      entry.note = note;
      entry.enteredBy = p.username;
      await em.flush();
      return entry;
    });
  }

  /** A finalised result of the slot freezes it: no new computation, no new hand entry. */
  private async assertNotFinal(em: EntityManager, assessorId: string, year: number, period: AssessmentPeriod, agencyIds: string[], field: string) {
    const rows = await sql<{ agency_id: string }>(
      em,
      `select agency_id from assessment_result
        where assessor_id = ?::uuid and year = ? and period = ? and agency_id = any(?::uuid[]) and status = 'FINAL' limit 1`,
      [assessorId, year, period, uuidArrayLiteral(agencyIds)],
    );
    if (rows.length > 0) {
      throw conflict(`机关 ${rows[0]!.agency_id} 的${year}年${period === AssessmentPeriod.YEAR ? '全年' : '上半年'}考核结果已定稿，不能再改动 (a finalised result is frozen)`, field);
    }
  }

  /** Reads the figures and hand entries and scores every agency: a fixed number of statements. */
  private async computeAll(
    em: EntityManager,
    scheme: Lean<AssessmentScheme>,
    indicators: readonly Lean<AssessmentIndicator>[],
    assessor: Lean<Agency>,
    period: AssessmentPeriod,
    cutoff: string,
    agencyIds: string[],
  ): Promise<Computation[]> {
    const figures = await readAgencyFigures(em, { assessorId: assessor.id, assessorPath: assessor.path, year: scheme.year, period, asOf: cutoff, agencyIds });
    const entries = await selectLean(em, AssessmentEntry, 'where t.assessor_id = ?::uuid and t.year = ? and t.period = ? and t.agency_id = any(?::uuid[])', [
      assessor.id,
      scheme.year,
      period,
      uuidArrayLiteral(agencyIds),
    ]);
    const def = schemeDef(scheme, indicators);
    const thirdPartyCodes = indicators.filter((i) => i.metric === 'THIRD_PARTY_SCORE').map((i) => i.code);
    return agencyIds.map((agencyId) => {
      const f = figures.get(agencyId)!;
      const manual: Record<string, ManualEntry> = {};
      for (const e of entries) if (e.agency.id === agencyId) manual[e.indicatorCode] = { points: e.points ?? null, vetoed: e.vetoed, note: e.note || null };
      const score = scoreAgency(def, { metrics: metricValues(f), manual, deductions: f.deductions });
      // A third-party indicator without a score of the period's rounds is data still missing, not
      // "nothing due": the result is incomplete until the evaluators' score is recorded.
      const missing = [...score.missingManual, ...(f.thirdPartyScore == null ? thirdPartyCodes : [])];
      return { agencyId, figures: f, manual, score, missing };
    });
  }

  private store(em: EntityManager, c: Computation, scheme: Lean<AssessmentScheme>, assessorId: string, period: AssessmentPeriod, cutoff: string, username: string, supersedes: string | null) {
    const s = c.score;
    return em.create(AssessmentResult, {
      agency: c.agencyId,
      assessor: assessorId,
      scheme: scheme.id,
      year: scheme.year,
      period,
      cutoff,
      status: ResultStatus.COMPUTED,
      current: true,
      baseScore: s.baseScore,
      bonus: s.bonus,
      deductions: s.deductions,
      vetoed: s.vetoed,
      scoreBeforeVeto: s.scoreBeforeVeto,
      score: s.score,
      grade: s.grade as Grade,
      share: scheme.share,
      contribution: s.contribution,
      breakdown: s.indicators,
      inputs: { figures: c.figures, manual: c.manual, vetoCodes: s.vetoCodes, bonusEarned: s.bonusEarned, bonusApplied: s.bonusApplied },
      missingManual: c.missing,
      computedBy: username,
      supersedes,
    });
  }

  /** Stores new computations as current, retiring the results they replace (never changing them otherwise). */
  private async storeAll(
    em: EntityManager,
    computations: Computation[],
    scheme: Lean<AssessmentScheme>,
    assessorId: string,
    period: AssessmentPeriod,
    cutoff: string,
    username: string,
  ): Promise<AssessmentResult[]> {
    const ids = uuidArrayLiteral(computations.map((c) => c.agencyId));
    const retired = await sql<{ id: string; agency_id: string }>(
      em,
      `update assessment_result set current = false, updated_at = now()
        where assessor_id = ?::uuid and year = ? and period = ? and agency_id = any(?::uuid[]) and current
        returning id, agency_id`,
      [assessorId, scheme.year, period, ids],
    );
    const prior = new Map(retired.map((r) => [r.agency_id, r.id]));
    const results = computations.map((c) => this.store(em, c, scheme, assessorId, period, cutoff, username, prior.get(c.agencyId) ?? null));
    await em.flush();
    return results;
  }

  private cutoffFor(input: { cutoff?: string | null }, year: number, period: AssessmentPeriod): string {
    const { from, to } = periodRange(year, period);
    const now = today();
    if (input.cutoff == null) return now < to ? now : to;
    if (!isIsoDate(input.cutoff)) throw badInput('input.cutoff', '日期格式应为 YYYY-MM-DD (expected YYYY-MM-DD)');
    if (input.cutoff > now) throw badInput('input.cutoff', '数据截止日期不能晚于今天 (the cut-off cannot be in the future)');
    if (input.cutoff < from) throw badInput('input.cutoff', '数据截止日期早于考核期 (the cut-off is before the period starts)');
    return input.cutoff;
  }

  async compute(ctx: RequestContext, input: ComputeAssessmentResultsInput): Promise<AssessmentResult[]> {
    const { scheme, assessor, indicators } = await this.schemeOf(ctx, input.schemeId, 'input.schemeId', '计算考核结果 (computeAssessmentResults)');
    const latest = await latestScheme(ctx, assessor.id, scheme.year);
    if (latest!.id !== scheme.id) {
      throw conflict(`请使用最新版本（第${latest!.version}版）计算 (compute with the latest version, ${latest!.version})`, 'input.schemeId');
    }
    const cutoff = this.cutoffFor(input, scheme.year, input.period);
    const assessed = await assessedAgencyIds(ctx, scheme.id);
    let agencyIds = assessed;
    if (input.agencyIds?.length) {
      agencyIds = [...new Set(input.agencyIds)];
      agencyIds.forEach((id, i) => {
        if (!assessed.includes(id)) throw badInput(`input.agencyIds[${i}]`, '该机关不在方案的考核范围内 (the scheme does not assess this agency)');
      });
    }
    if (agencyIds.length === 0) throw badInput('input.schemeId', '方案没有考核对象 (the scheme assesses no agency)');
    const p = requirePrincipal(ctx);
    return inTransaction(ctx, async (em) => {
      // Serialises computations of one assessor and year (a second one waits and then retires the first's rows).
      await sql(em, 'select pg_advisory_xact_lock(7302, hashtext(?))', [`${assessor.id}|${scheme.year}|${input.period}`]);
      await this.assertNotFinal(em, assessor.id, scheme.year, input.period, agencyIds, 'input.agencyIds');
      const computations = await this.computeAll(em, scheme, indicators, assessor, input.period, cutoff, agencyIds);
      return this.storeAll(em, computations, scheme, assessor.id, input.period, cutoff, p.username);
    });
  }

  /** A new computation with the result's own scheme version and cut-off; the result it replaces stays as it was. */
  async recompute(ctx: RequestContext, id: string): Promise<AssessmentResult> {
    const prior = await this.get(ctx, id, 'input.id');
    if (prior.status === ResultStatus.FINAL) {
      throw conflict('已定稿的结果不能重新计算；它被冻结，后来的数据变化不再影响它 (a finalised result is frozen and cannot be recomputed)', 'input.id');
    }
    if (!prior.current) throw conflict('该结果已被更新的计算取代 (a newer computation replaced this result)', 'input.id');
    const { scheme, assessor, indicators } = await this.schemeOf(ctx, prior.scheme.id, 'input.id', '重新计算考核结果 (recomputeAssessmentResult)');
    const p = requirePrincipal(ctx);
    return inTransaction(ctx, async (em) => {
      await sql(em, 'select pg_advisory_xact_lock(7302, hashtext(?))', [`${assessor.id}|${scheme.year}|${prior.period}`]);
      await this.assertNotFinal(em, assessor.id, scheme.year, prior.period, [prior.agency.id], 'input.id');
      const [c] = await this.computeAll(em, scheme, indicators, assessor, prior.period, prior.cutoff, [prior.agency.id]);
      const [result] = await this.storeAll(em, [c!], scheme, assessor.id, prior.period, prior.cutoff, p.username);
      return result!;
    });
  }

  async finalise(ctx: RequestContext, id: string): Promise<AssessmentResult> {
    const prior = await this.get(ctx, id, 'input.id');
    const assessor = await ctx.loaders.agency.byId.load(prior.assessor.id);
    if (!assessor) throw notFound('考核结果 (assessment result)', id);
    const p = assertAdminOf(ctx, assessor, '定稿考核结果 (finaliseAssessmentResult)');
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(AssessmentResult, prior.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (row.status === ResultStatus.FINAL) throw conflict('该结果已定稿 (already finalised)', 'input.id');
      if (!row.current) throw conflict('只能定稿现行结果 (only the current result can be finalised)', 'input.id');
      if (row.missingManual.length > 0) {
        throw badInput('input.id', `尚有指标未评分：${row.missingManual.join('、')} (indicators without a score: ${row.missingManual.join(', ')})`, {
          missing: row.missingManual,
        });
      }
      row.status = ResultStatus.FINAL;
      row.finalisedAt = new Date();
      row.finalisedBy = p.username;
      await em.flush();
      return row;
    });
  }

  /** Recomputes a result with its own version and cut-off without storing anything, and compares. */
  async verify(ctx: RequestContext, id: string) {
    const result = await this.get(ctx, id, 'id');
    const scheme = await schemeService.get(ctx, result.scheme.id);
    const assessor = await ctx.loaders.agency.byId.load(result.assessor.id);
    if (!assessor) throw notFound('考核结果 (assessment result)', id);
    const indicators = await ctx.loaders.scheme.indicatorsByScheme.load(scheme.id);
    const [c] = await this.computeAll(ctx.em, scheme, indicators, assessor, result.period, result.cutoff, [result.agency.id]);
    const before = new Map((result.breakdown as ScoreResult['indicators']).map((o) => [o.code, o.points]));
    const differences = c!.score.indicators.filter((o) => before.get(o.code) !== o.points).map((o) => o.code);
    if (c!.score.score !== result.score) differences.push('SCORE');
    if (c!.score.bonus !== result.bonus) differences.push('BONUS');
    if (c!.score.vetoed !== result.vetoed) differences.push('VETO');
    return { result, recomputedScore: c!.score.score, same: differences.length === 0, differences };
  }
}

export const resultService = new ResultService();
