import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertAdminOf, hasRole, requirePrincipal } from '../../auth/policy';
import type { Lean } from '../../db/row-mapper';
import { sql } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import type { Connection, ConnectionArgs } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { badInput, conflict, forbidden, notFound, registerConstraintField } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { paginateQb } from '../../graphql/paginate';
import { rollupRowsSql, rootDepth, subtreeSumsCte } from '../../figures/subtree';
import { Role } from '../account/account.entity';
import { pathLabel, type Agency } from '../agency/agency.entity';
import { agencyService } from '../agency/agency.service';
import { calendarService } from '../calendar/calendar.service';
import { today } from '../calendar/clock';
import { isIsoDate } from '../calendar/date-utils';
import { computeDeadline } from '../calendar/deadline-engine';
import { DeductionPoint, EvaluationRound, EvaluationScore, RoundKind, RoundStatus } from './evaluation.entity';
import type {
  AssignDeductionPointInput,
  CloseEvaluationRoundInput,
  CreateEvaluationRoundInput,
  DeductionPointFilter,
  DeleteDeductionPointInput,
  EvaluationRoundFilter,
  ExplainDeductionPointInput,
  RecordDeductionPointInput,
  RecordEvaluationScoreInput,
} from './evaluation.inputs';
import { DeductionState, type ExplanationCountRow, type ExplanationFigures } from './evaluation.types';
import { findIndicator } from './indicator-lookup';

registerConstraintField('evaluation_round_unique', 'input.kind');
registerConstraintField('evaluation_score_unique', 'input.agencyId');

/** Key class of the per-round advisory lock (two-int keys: a key space apart from the calendar's bigint key). */
const ROUND_LOCK_CLASS = 7301;

const KIND_NAMES: Record<RoundKind, string> = {
  [RoundKind.MID_YEAR]: '年中',
  [RoundKind.YEAR_END]: '年底',
};

export function defaultRoundTitle(agencyName: string, year: number, kind: RoundKind): string {
  return `${agencyName}${year}年${KIND_NAMES[kind]}政务公开第三方评估`;
}

/** An http(s) URL, normalised; anything else is bad input naming the field. */
export function checkEvidenceUrl(url: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw badInput(field, `不是有效的链接 (not a URL): ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badInput(field, `只接受 http/https 链接 (http or https only): ${url}`);
  return parsed.toString();
}

/** Points and scores are kept with two decimals (numeric(6,2)): checked and stored as rounded. */
export function hundredths(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A past-or-present date, or bad input naming the field. */
export function checkPastDate(value: string, field: string): string {
  if (!isIsoDate(value)) throw badInput(field, `日期格式应为 YYYY-MM-DD (date expected): ${value}`);
  if (value > today()) throw badInput(field, `日期不能晚于今天 (date lies in the future): ${value}`);
  return value;
}

/**
 * Who may record a round's scores and deduction points (and remove points): an agency administrator
 * of the organising agency or above, or an evaluator token bound to THIS round with permission
 * RECORD (recorded under the token's label). The database enforces the same (the evaluator's
 * writes are admitted for its own round's rows only). Returns the name to record the entry under.
 */
export async function assertCanRecordRound(
  ctx: RequestContext,
  round: { id: string; agency: { id: string } },
  action = '录入评估结果 (recording a round’s results)',
): Promise<{ recordedBy: string }> {
  const p = requirePrincipal(ctx);
  const token = p.evaluatorToken;
  if (token) {
    if (token.roundId !== round.id) throw forbidden(`评估令牌不属于该轮次 (${action}: the evaluator token is bound to another round)`);
    if (token.permission !== 'RECORD') throw forbidden(`评估令牌只读 (${action}: the evaluator token may read, not record)`);
    return { recordedBy: token.label || p.username };
  }
  // The organising agency lies in the caller's subtree exactly when the caller can read it.
  const organiser = await ctx.loaders.agency.byId.load(round.agency.id);
  if (!organiser) throw forbidden(`需要组织机关或上级机关的管理员权限 (${action} requires an administrator of the organising agency or above)`);
  assertAdminOf(ctx, organiser, action);
  return { recordedBy: p.username };
}

/** The SQL condition of a derived state on a deduction point alias, with its parameters. */
function stateCondition(alias: string, state: DeductionState, asOf: string): { sql: string; params: unknown[] } {
  switch (state) {
    case DeductionState.OPEN:
      return { sql: `${alias}.explained_on is null and ${alias}.due_on >= ?::date`, params: [asOf] };
    case DeductionState.OVERDUE:
      return { sql: `${alias}.explained_on is null and ${alias}.due_on < ?::date`, params: [asOf] };
    case DeductionState.ANSWERED_ON_TIME:
      return { sql: `${alias}.explained_on <= ${alias}.due_on`, params: [] };
    case DeductionState.ANSWERED_LATE:
      return { sql: `${alias}.explained_on > ${alias}.due_on`, params: [] };
  }
}

const COUNT_COLUMNS = ['total', 'on_time', 'late', 'pending', 'overdue'] as const;
type CountColumn = (typeof COUNT_COLUMNS)[number];

function figures(row: Record<string, unknown>, prefix: string): ExplanationFigures {
  const v = (c: CountColumn) => Number(row[`${prefix}${c}`] ?? 0);
  return { total: v('total'), answeredOnTime: v('on_time'), answeredLate: v('late'), open: v('pending'), overdue: v('overdue') };
}

/**
 * 第三方评估 (002 §22): rounds organised by an assessing agency for its subtree, the evaluators'
 * scores and deduction points of the agencies below it, and the written explanation each
 * deduction point needs from the responsible unit of the evaluated agency within the round's
 * working days.
 */
export class EvaluationService {
  async getRound(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<EvaluationRound>> {
    requirePrincipal(ctx);
    const round = await ctx.loaders.assessment.roundById.load(requireId(id, field));
    if (!round) throw notFound('评估轮次 (evaluation round)', id);
    return round;
  }

  async getPoint(ctx: RequestContext, id: string, field = 'id'): Promise<Lean<DeductionPoint>> {
    requirePrincipal(ctx);
    const point = await ctx.loaders.assessment.deductionPointById.load(requireId(id, field));
    if (!point) throw notFound('扣分点 (deduction point)', id);
    return point;
  }

  /** Rounds the caller sees: those of its subtree and of the agencies above it (row-level security). */
  async listRounds(ctx: RequestContext, args: ConnectionArgs, filter?: EvaluationRoundFilter | null): Promise<Connection<Lean<EvaluationRound>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(EvaluationRound, 'r');
    // The organising agency may lie above the caller (unreadable there): filter by id alone.
    if (filter?.agencyId) qb.andWhere({ agency: requireId(filter.agencyId, 'filter.agencyId') });
    if (filter?.year != null) qb.andWhere({ year: filter.year });
    return paginateQb(ctx.em, qb, args, { column: 'year', value: (r) => r.year });
  }

  /** The organising agency, after checking that the caller administers it (or an agency above it). */
  private async assertOrganiserAdmin(ctx: RequestContext, round: Lean<EvaluationRound>, action: string): Promise<Lean<Agency>> {
    const organiser = await ctx.loaders.agency.byId.load(round.agency.id);
    if (!organiser) throw forbidden(`需要组织机关或上级机关的管理员权限 (${action} requires an administrator of the organising agency or above)`);
    assertAdminOf(ctx, organiser, action);
    return organiser;
  }

  private assertOpen(round: Lean<EvaluationRound>, field: string): void {
    if (round.status !== RoundStatus.OPEN) throw conflict('评估轮次已结束，不能再录入 (the round is closed: nothing more is recorded)', field);
  }

  /** The evaluated agency: visible to the caller and strictly inside the organising agency's subtree. */
  private async evaluatedAgency(ctx: RequestContext, round: Lean<EvaluationRound>, agencyId: string, field: string): Promise<Lean<Agency>> {
    const agency = await agencyService.get(ctx, agencyId, field);
    // Read from the evaluated agency's own path: the organiser's row may be unreadable to an evaluator.
    const labels = agency.path.split('.');
    if (agency.id === round.agency.id || !labels.includes(pathLabel(round.agency.id))) {
      throw badInput(field, '被评估机关须为组织机关的下级 (the evaluated agency must lie below the organising agency)');
    }
    return agency;
  }

  async createRound(ctx: RequestContext, input: CreateEvaluationRoundInput): Promise<EvaluationRound> {
    const agency = await agencyService.get(ctx, input.agencyId, 'input.agencyId');
    assertAdminOf(ctx, agency, '新建评估轮次 (createEvaluationRound)');
    const evaluator = input.evaluator.trim();
    if (!evaluator) throw badInput('input.evaluator', '评估机构不能为空 (the evaluating company is required)');
    return inTransaction(ctx, async (em) => {
      const existing = await em.count(EvaluationRound, { agency: agency.id, year: input.year, kind: input.kind });
      if (existing > 0) {
        throw conflict(`该机关${input.year}年已有${KIND_NAMES[input.kind]}评估轮次 (the agency already has a ${input.kind} round for ${input.year})`, 'input.kind');
      }
      const round = em.create(EvaluationRound, {
        agency: agency.id,
        year: input.year,
        kind: input.kind,
        title: input.title?.trim() || defaultRoundTitle(agency.name, input.year, input.kind),
        evaluator,
        explanationDays: input.explanationDays,
      });
      await em.flush();
      return round;
    });
  }

  async closeRound(ctx: RequestContext, input: CloseEvaluationRoundInput): Promise<EvaluationRound> {
    const round = await this.getRound(ctx, input.id, 'input.id');
    await this.assertOrganiserAdmin(ctx, round, '结束评估轮次 (closeEvaluationRound)');
    this.assertOpen(round, 'input.id');
    return inTransaction(ctx, async (em) => {
      await sql(em, 'select pg_advisory_xact_lock(?::int, hashtext(?::text))', [ROUND_LOCK_CLASS, round.id]);
      const row = await em.findOneOrFail(EvaluationRound, round.id, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
      if (row.status !== RoundStatus.OPEN) throw conflict('评估轮次已结束 (the round is already closed)', 'input.id');
      row.status = RoundStatus.CLOSED;
      await em.flush();
      return row;
    });
  }

  /** Records (or replaces) an agency's score in a round. */
  async recordScore(ctx: RequestContext, input: RecordEvaluationScoreInput): Promise<EvaluationScore> {
    const round = await this.getRound(ctx, input.roundId, 'input.roundId');
    const { recordedBy } = await assertCanRecordRound(ctx, round, '录入评估得分 (recordEvaluationScore)');
    this.assertOpen(round, 'input.roundId');
    if (!Number.isFinite(input.score) || input.score < 0 || input.score > 100) {
      throw badInput('input.score', `得分须在 0 到 100 之间 (a score lies between 0 and 100): ${input.score}`);
    }
    const score = hundredths(input.score);
    const agency = await this.evaluatedAgency(ctx, round, input.agencyId, 'input.agencyId');
    return inTransaction(ctx, async (em) => {
      await this.lockOpenRound(em, round.id, 'input.roundId');
      const existing = await em.findOne(EvaluationScore, { round: round.id, agency: agency.id }, { refresh: true });
      const row = existing ?? em.create(EvaluationScore, { round: round.id, agency: agency.id, score, recordedBy });
      row.score = score;
      if (input.note != null || !existing) row.note = input.note?.trim() ?? '';
      row.recordedBy = recordedBy;
      await em.flush();
      return row;
    });
  }

  /**
   * Re-reads the round's status under the round's shared advisory lock (closing takes it
   * exclusively), so a close and a late entry cannot pass each other. An advisory lock, not a row
   * lock: an evaluator token may read its round but not lock rows it cannot update.
   */
  private async lockOpenRound(em: EntityManager, roundId: string, field: string): Promise<void> {
    await sql(em, 'select pg_advisory_xact_lock_shared(?::int, hashtext(?::text))', [ROUND_LOCK_CLASS, roundId]);
    // A statement of its own: its snapshot is taken after the lock is granted, so it sees a close that committed meanwhile.
    const [row] = await sql<{ status: RoundStatus }>(em, 'select status from evaluation_round where id = ?::uuid', [roundId]);
    if (!row || row.status !== RoundStatus.OPEN) throw conflict('评估轮次已结束，不能再录入 (the round is closed: nothing more is recorded)', field);
  }

  async recordDeductionPoint(ctx: RequestContext, input: RecordDeductionPointInput): Promise<DeductionPoint> {
    const round = await this.getRound(ctx, input.roundId, 'input.roundId');
    const { recordedBy } = await assertCanRecordRound(ctx, round, '录入扣分点 (recordDeductionPoint)');
    this.assertOpen(round, 'input.roundId');
    const agency = await this.evaluatedAgency(ctx, round, input.agencyId, 'input.agencyId');
    const code = input.indicatorCode.trim();
    const indicator = code ? await findIndicator(ctx, round.agency.id, round.year, code) : null;
    if (!indicator) {
      throw badInput('input.indicatorCode', `考核方案中没有指标 ${code} (no such indicator in the organising agency’s ${round.year} scheme in force)`);
    }
    const points = Number.isFinite(input.points) ? hundredths(input.points) : NaN;
    if (!(points > 0)) throw badInput('input.points', `扣分须大于 0 (points must be more than 0): ${input.points}`);
    if (points > indicator.weight) {
      throw badInput('input.points', `扣分不得超过该指标分值 (a deduction cannot exceed the indicator’s weight): ${input.points} > ${indicator.weight}`, {
        weight: indicator.weight,
      });
    }
    const finding = input.finding.trim();
    if (!finding) throw badInput('input.finding', '问题描述不能为空 (finding must not be empty)');
    const evidenceUrl = input.evidenceUrl?.trim() ? checkEvidenceUrl(input.evidenceUrl, 'input.evidenceUrl') : null;
    const notifiedOn = checkPastDate(input.notifiedOn ?? today(), 'input.notifiedOn');

    return inTransaction(ctx, async (em) => {
      // Due dates are computed under the calendar's shared lock, like every other stored deadline.
      await calendarService.lockShared(em);
      await this.lockOpenRound(em, round.id, 'input.roundId');
      const calendar = await calendarService.loadForDeadlines(ctx);
      const dueOn = computeDeadline({ rule: { kind: 'WORKING_DAYS', days: round.explanationDays }, start: notifiedOn }, calendar).due!;
      const point = em.create(DeductionPoint, {
        round: round.id,
        agency: agency.id,
        year: round.year,
        indicatorCode: indicator.code,
        points,
        finding,
        evidenceUrl,
        notifiedOn,
        dueOn,
        recordedBy,
      });
      await em.flush();
      return point;
    });
  }

  async deleteDeductionPoint(ctx: RequestContext, input: DeleteDeductionPointInput): Promise<{ deletedId: string; round: Lean<EvaluationRound> }> {
    const point = await this.getPoint(ctx, input.id, 'input.id');
    const round = await this.getRound(ctx, point.round.id);
    await assertCanRecordRound(ctx, round, '删除扣分点 (deleteDeductionPoint)');
    this.assertOpen(round, 'input.id');
    if (point.explainedOn) throw conflict('扣分点已说明，不能删除 (an explained deduction point cannot be removed)', 'input.id');
    return inTransaction(ctx, async (em) => {
      await this.lockOpenRound(em, round.id, 'input.id');
      // Re-checked in the statement itself: an explanation committed meanwhile keeps the point.
      const removed = await sql<{ id: string }>(em, 'delete from deduction_point where id = ? and explained_on is null returning id', [point.id]);
      if (!removed.length) throw conflict('扣分点已说明，不能删除 (an explained deduction point cannot be removed)', 'input.id');
      return { deletedId: point.id, round };
    });
  }

  /** The openness office of the evaluated agency (or above) names the unit that must explain. */
  async assign(ctx: RequestContext, input: AssignDeductionPointInput): Promise<DeductionPoint> {
    const point = await this.getPoint(ctx, input.id, 'input.id');
    const agency = await agencyService.get(ctx, point.agency.id);
    assertAdminOf(ctx, agency, '指定责任单位 (assignDeductionPoint)');
    const unit = await agencyService.getUnit(ctx, input.unitId, 'input.unitId');
    if (unit.agency.id !== point.agency.id) {
      throw badInput('input.unitId', `单位 ${unit.name} 不是被评估机关的单位 (the unit is not a unit of the evaluated agency)`, { id: unit.id });
    }
    if (point.explainedOn) throw conflict('扣分点已说明，不能改派 (the point has already been explained)', 'input.id');
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(DeductionPoint, point.id, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
      if (row.explainedOn) throw conflict('扣分点已说明，不能改派 (the point has already been explained)', 'input.id');
      row.unit = unit.id as never;
      await em.flush();
      return row;
    });
  }

  /**
   * The written explanation (002 §22): by the liaison of the assigned unit, or by the openness office
   * of the evaluated agency itself. Once only; on time when given by the due date.
   */
  async explain(ctx: RequestContext, input: ExplainDeductionPointInput): Promise<DeductionPoint> {
    const p = requirePrincipal(ctx);
    const point = await this.getPoint(ctx, input.id, 'input.id');
    const isOffice = hasRole(p, Role.AGENCY_ADMIN) && p.agencyId === point.agency.id;
    if (!isOffice) {
      if (!hasRole(p, Role.UNIT_LIAISON) || !p.unitId) {
        throw forbidden('只有责任单位联络员或被评估机关管理员可以说明 (explainDeductionPoint is limited to the responsible unit’s liaison or the evaluated agency’s office)');
      }
      if (!point.unit) throw forbidden('扣分点尚未指定责任单位 (the point has no responsible unit yet: the openness office assigns one first)');
      if (point.unit.id !== p.unitId) {
        const assigned = await ctx.loaders.agency.unitById.load(point.unit.id);
        throw forbidden(`该扣分点应由 ${assigned?.name ?? point.unit.id} 说明 (an explanation by another unit: the point is assigned to another unit)`);
      }
    }
    if (point.explainedOn) throw conflict(`扣分点已于 ${point.explainedOn} 说明 (the point has already been explained)`, 'input.id');
    const explanation = input.explanation.trim();
    if (!explanation) throw badInput('input.explanation', '说明不能为空 (the explanation must not be empty)');
    return inTransaction(ctx, async (em) => {
      const row = await em.findOneOrFail(DeductionPoint, point.id, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE });
      // Re-checked under the row lock: two explanations at once give one.
      if (row.explainedOn) throw conflict(`扣分点已于 ${row.explainedOn} 说明 (the point has already been explained)`, 'input.id');
      if (!isOffice && row.unit?.id !== p.unitId) throw forbidden('责任单位已改派 (the point was assigned to another unit meanwhile)');
      row.explanation = explanation;
      row.explainedOn = today();
      row.explainedAt = new Date();
      row.explainedBy = p.username;
      await em.flush();
      return row;
    });
  }

  async listPoints(ctx: RequestContext, args: ConnectionArgs, filter?: DeductionPointFilter | null): Promise<Connection<Lean<DeductionPoint>>> {
    requirePrincipal(ctx);
    const qb = ctx.em.createQueryBuilder(DeductionPoint, 'd');
    if (filter?.roundId) qb.andWhere({ round: (await this.getRound(ctx, filter.roundId, 'filter.roundId')).id });
    if (filter?.agencyId) qb.andWhere({ agency: (await agencyService.get(ctx, filter.agencyId, 'filter.agencyId')).id });
    if (filter?.unitId) qb.andWhere({ unit: requireId(filter.unitId, 'filter.unitId') });
    if (filter?.state) {
      const c = stateCondition('d', filter.state, today());
      qb.andWhere(c.sql, c.params);
    }
    return paginateQb(ctx.em, qb, args, { column: 'due_on', value: (d) => d.dueOn });
  }

  /**
   * Deduction points by explanation state for every agency of the caller's subtree (or of
   * `agencyId`'s), own and subtree totals, read from the maintained figures
   * (figure_explanation_agency: per agency, year and due date) in one statement — never from the
   * points themselves. "Overdue" is the open points due before today; "open" those due today or later.
   */
  async explanationCounts(ctx: RequestContext, year: number, agencyId?: string | null): Promise<ExplanationCountRow[]> {
    const p = requirePrincipal(ctx);
    const root = agencyId ? (await agencyService.get(ctx, agencyId, 'filter.agencyId')).path : p.agencyPath;
    const rows = await sql<Record<string, unknown>>(
      ctx.em,
      `with params as (select ?::int as y, ?::date as d),
       scope as (select a.id, a.code, a.path from agency a where a.path <@ ?::ltree),
       own as (
         select s.id as agency_id, s.path,
                coalesce(f.total, 0) as total, coalesce(f.on_time, 0) as on_time, coalesce(f.late, 0) as late,
                coalesce(f.pending, 0) as pending, coalesce(f.overdue, 0) as overdue
           from scope s
           cross join params
           left join lateral (
             select sum(x.total) as total, sum(x.on_time) as on_time, sum(x.late) as late,
                    sum(x.open) filter (where x.due_on >= params.d) as pending,
                    sum(x.open) filter (where x.due_on < params.d) as overdue
               from figure_explanation_agency x where x.agency_id = s.id and x.year = params.y) f on true
       ),
       ${subtreeSumsCte(COUNT_COLUMNS)}
       ${rollupRowsSql({ own: COUNT_COLUMNS, sub: COUNT_COLUMNS.map((c) => `sub_${c}`) })}`,
      [year, today(), root, rootDepth(root)],
    );
    return rows.map((r) => ({ agencyId: String(r.agency_id), ...figures(r, 'own_'), subtree: figures(r, 'sub_') }));
  }
}

export const evaluationService = new EvaluationService();
