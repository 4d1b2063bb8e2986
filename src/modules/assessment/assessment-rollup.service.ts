import { requirePrincipal } from '../../auth/policy';
import { sql } from '../../db/sql';
import type { RequestContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { requireId } from '../../graphql/ids';
import { rollupRowsSql, rootDepth, subtreeSumsCte } from '../../figures/subtree';
import { writeSheetInWorker } from '../../spreadsheets/sheet-worker';
import { withSheetSlot } from '../../spreadsheets/sheet-slots';
import { SHEET_CONTENT_TYPES } from '../../spreadsheets/upload';
import { agencyService } from '../agency/agency.service';
import { today } from '../calendar/clock';
import { completionService } from '../plan/completion.service';
import { MAINTAINED } from '../publication/compliance-figures';
import { compliancePeriod, complianceService } from '../publication/compliance.service';
import { periodRange } from './result-figures';
import { AssessmentPeriod, Grade } from './scheme.entity';
import type { AssessmentRollupFilter } from './result.inputs';
import type { AssessmentFigures, AssessmentRollup, AssessmentRollupRow } from './result.types';
import type { IndicatorOutcome } from './scoring';

type Row = Record<string, string | number | boolean | null>;
const num = (v: unknown) => (v == null ? 0 : Number(v));
const orNull = (v: unknown) => (v == null ? null : Number(v));
const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Columns of the explanation and score statement, own_ and sub_. */
const SUMS = ['due', 'open', 'overdue', 'late', 'results', 'score_sum', 'excellent', 'good', 'pass', 'fail', 'vetoed', 'finalised', 'contribution_sum'] as const;

const GRADE_ZH: Record<Grade, string> = { EXCELLENT: '优秀', GOOD: '良好', PASS: '合格', FAIL: '不合格' };

/**
 * Roll-ups of assessment over a subtree: the root and each direct child's subtree, with task
 * completion, publication, explanation figures and the current results' scores. Three statements
 * whatever the size of the subtree — the completion and compliance roll-ups (maintained figures,
 * agencies × buckets) and one over the explanation figures and the current results (agencies) —
 * and rates from summed numerators and denominators, never averages of rates.
 */
export class AssessmentRollupService {
  /** The agency whose results count: the filter's, else the nearest at or above the root with a scheme for the year. */
  private async assessorOf(ctx: RequestContext, rootPath: string, year: number, assessorId?: string | null): Promise<string | null> {
    if (assessorId) return requireId(assessorId, 'filter.assessorId');
    // Path labels are agency ids without dashes, from the top of the tree down to the root; the
    // schemes of agencies above the caller are readable (they assess it) although those agencies are not.
    const [row] = await sql<{ agency_id: string }>(
      ctx.em,
      `select s.agency_id from assessment_scheme s
        where s.year = ? and replace(s.agency_id::text, '-', '') = any(string_to_array(?, '.'))
        order by array_position(string_to_array(?, '.'), replace(s.agency_id::text, '-', '')) desc limit 1`,
      [year, rootPath, rootPath],
    );
    return row?.agency_id ?? null;
  }

  /** The explanation and score statement: per agency of the subtree, own and subtree sums and score range. */
  scoreStatement(rootPath: string, year: number, period: AssessmentPeriod, asOf: string, assessorId: string | null) {
    const { from, to } = periodRange(year, period);
    return {
      sql: `with scope as (select a.id, a.code, a.path from agency a where a.path <@ ?::ltree),
       own as (
         select s.id as agency_id, s.path,
                coalesce(e.due, 0) as due, coalesce(e.open, 0) as open, coalesce(e.overdue, 0) as overdue, coalesce(e.late, 0) as late,
                (r.score is not null)::int as results, r.score, coalesce(r.score, 0) as score_sum,
                (r.grade = 'EXCELLENT')::int as excellent, (r.grade = 'GOOD')::int as good, (r.grade = 'PASS')::int as pass,
                (r.grade = 'FAIL')::int as fail, coalesce(r.vetoed, false)::int as vetoed, (r.status = 'FINAL')::int as finalised,
                coalesce(r.contribution, 0) as contribution_sum, r.grade
           from scope s
           left join lateral (
             select sum(f.total) as due, sum(f.open) as open, sum(f.open) filter (where f.due_on < ?::date) as overdue, sum(f.late) as late
               from figure_explanation_agency f
              where f.agency_id = s.id and f.year = ? and f.due_on between ?::date and ?::date) e on true
           left join lateral (
             select x.score, x.grade::text as grade, x.vetoed, x.status::text as status, x.contribution
               from assessment_result x
              where x.agency_id = s.id and x.assessor_id = ?::uuid and x.year = ? and x.period = ? and x.current) r on true
       ),
       ${subtreeSumsCte(SUMS, 'own', ['min(o.score) as sub_min', 'max(o.score) as sub_max'])}
       ${rollupRowsSql({ own: SUMS, ownKept: ['score', 'grade'], sub: SUMS.map((c) => `sub_${c}`), subKept: ['sub_min', 'sub_max'], where: 'nlevel(s.path) <= ?' })}`,
      params: [rootPath, asOf, year, from, to, assessorId, year, period, rootDepth(rootPath), rootDepth(rootPath) + 1],
    };
  }

  async rollup(ctx: RequestContext, filter: AssessmentRollupFilter): Promise<AssessmentRollup> {
    const p = requirePrincipal(ctx);
    if (!(filter.year >= 2000 && filter.year <= 2100)) throw badInput('filter.year', '年度应在2000–2100之间 (year out of range)');
    const rootPath = filter.agencyId ? (await agencyService.get(ctx, filter.agencyId, 'filter.agencyId')).path : p.agencyPath;
    const assessorId = await this.assessorOf(ctx, rootPath, filter.year, filter.assessorId);
    const { from, to } = periodRange(filter.year, filter.period);
    const now = today();
    const asOf = now < to ? now : to;
    // Publications are judged as of today (a period that ended keeps its overdue items overdue);
    // tasks as of the period end at the latest, like the results.
    const compliance = complianceService.rollupStatement(MAINTAINED, compliancePeriod(from, to, now), rootPath);
    const completion = completionService.rollupStatement(filter.year, asOf, rootPath);
    const scores = this.scoreStatement(rootPath, filter.year, filter.period, now, assessorId);
    const pubRows = await sql<Row>(ctx.em, compliance.sql, compliance.params);
    const taskRows = await sql<Row>(ctx.em, completion.sql, completion.params);
    const scoreRows = await sql<Row>(ctx.em, scores.sql, scores.params);
    const pubs = new Map(pubRows.map((r) => [String(r.agency_id), r]));
    const tasks = new Map(taskRows.map((r) => [String(r.agency_id), r]));

    const figures = (id: string, s: Row, prefix: 'own_' | 'sub_'): AssessmentFigures => {
      const pr = pubs.get(id) ?? {};
      const tr = tasks.get(id) ?? {};
      const results = num(s[`${prefix}results`]);
      const onTime = num(pr[`${prefix}on_time`]);
      const late = num(pr[`${prefix}late`]);
      const overdue = num(pr[`${prefix}overdue`]);
      return {
        tasks: num(tr[`${prefix}tasks`]),
        tasksDone: num(tr[`${prefix}done`]),
        tasksOverdue: num(tr[`${prefix}overdue`]),
        taskCompletionRate: rate(num(tr[`${prefix}done`]), num(tr[`${prefix}tasks`])),
        items: num(pr[`${prefix}item_count`]),
        coveredItems: num(pr[`${prefix}covered_items`]),
        staleItems: num(pr[`${prefix}stale_items`]),
        emptyItems: num(pr[`${prefix}empty_items`]),
        onTime,
        late,
        overduePublications: overdue,
        onTimeRate: rate(onTime, onTime + late + overdue),
        explanationsDue: num(s[`${prefix}due`]),
        explanationsOpen: num(s[`${prefix}open`]),
        explanationsOverdue: num(s[`${prefix}overdue`]),
        explainedLate: num(s[`${prefix}late`]),
        scores: {
          results,
          mean: results === 0 ? null : Math.round((num(s[`${prefix}score_sum`]) / results) * 100) / 100,
          min: prefix === 'own_' ? orNull(s.own_score) : orNull(s.sub_min),
          max: prefix === 'own_' ? orNull(s.own_score) : orNull(s.sub_max),
          excellent: num(s[`${prefix}excellent`]),
          good: num(s[`${prefix}good`]),
          pass: num(s[`${prefix}pass`]),
          fail: num(s[`${prefix}fail`]),
          vetoed: num(s[`${prefix}vetoed`]),
          finalised: num(s[`${prefix}finalised`]),
          meanContribution: results === 0 ? null : Math.round((num(s[`${prefix}contribution_sum`]) / results) * 1000) / 1000,
        },
      };
    };
    const rows: AssessmentRollupRow[] = scoreRows.map((s) => {
      const id = String(s.agency_id);
      return { agencyId: id, rank: null, own: figures(id, s, 'own_'), subtree: figures(id, s, 'sub_') };
    });
    const [root, ...children] = rows;
    // Competition ranking among siblings by their own score (1, 2, 2, 4); agencies without a result are not ranked.
    const scored = children.filter((c) => c.own.scores.mean != null).sort((a, b) => b.own.scores.mean! - a.own.scores.mean!);
    scored.forEach((c, i) => {
      c.rank = i > 0 && scored[i - 1]!.own.scores.mean === c.own.scores.mean ? scored[i - 1]!.rank : i + 1;
    });
    children.sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER));
    return { year: filter.year, period: filter.period, asOf, assessorId, root: root!, children };
  }

  /**
   * The ranking table superiors circulate: rank, agency, score, grade, the points of each top-level
   * indicator, bonus, deductions, veto and the contribution to the performance score — the current
   * results of the assessor's scheme for agencies in the caller's subtree (or `agencyId`'s).
   */
  async exportRanking(ctx: RequestContext, filter: AssessmentRollupFilter) {
    const p = requirePrincipal(ctx);
    const rootPath = filter.agencyId ? (await agencyService.get(ctx, filter.agencyId, 'filter.agencyId')).path : p.agencyPath;
    const assessorId = await this.assessorOf(ctx, rootPath, filter.year, filter.assessorId);
    const rows = await sql<Row & { breakdown: IndicatorOutcome[] }>(
      ctx.em,
      `select a.name, r.score, r.grade::text as grade, r.bonus, r.deductions, r.vetoed, r.contribution, r.share, r.status::text as status, r.breakdown,
              s.title, r.scheme_id
         from assessment_result r join agency a on a.id = r.agency_id join assessment_scheme s on s.id = r.scheme_id
        where a.path <@ ?::ltree and r.assessor_id = ?::uuid and r.year = ? and r.period = ? and r.current
        order by r.score desc, a.code, s.version desc`,
      [rootPath, assessorId, filter.year, filter.period],
    );
    // Columns: the top-level scored indicators of the first-ranked result's scheme version (one computation uses one version).
    const indicators = rows.length ? await ctx.loaders.scheme.indicatorsByScheme.load(String(rows[0]!.scheme_id)) : [];
    const top = indicators.filter((o) => !o.parentCode && o.kind !== 'BONUS' && o.kind !== 'VETO');
    const columns = ['rank', 'agency', 'score', 'grade', ...top.map((_, i) => `i${i}`), 'bonus', 'deductions', 'veto', 'contribution', 'status'];
    const headers: Record<string, string> = {
      rank: '名次',
      agency: '单位',
      score: '政务公开得分',
      grade: '等次',
      bonus: '加分',
      deductions: '扣分',
      veto: '一票否决',
      contribution: '计入绩效考核分值',
      status: '状态',
    };
    top.forEach((o, i) => (headers[`i${i}`] = `${o.code} ${o.name}（${o.weight}分）`));
    let rank = 0;
    const data = rows.map((r, i) => {
      if (i === 0 || Number(rows[i - 1]!.score) !== Number(r.score)) rank = i + 1;
      const points = new Map(r.breakdown.map((o) => [o.code, o.points]));
      const out: Record<string, string> = {
        rank: String(rank),
        agency: String(r.name),
        score: Number(r.score).toFixed(2),
        grade: GRADE_ZH[r.grade as Grade],
        bonus: Number(r.bonus).toFixed(2),
        deductions: Number(r.deductions).toFixed(2),
        veto: r.vetoed ? '是' : '',
        contribution: Number(r.contribution).toFixed(3),
        status: r.status === 'FINAL' ? '已定稿' : '未定稿',
      };
      top.forEach((o, k) => (out[`i${k}`] = points.has(o.code) ? Number(points.get(o.code)).toFixed(2) : ''));
      return out;
    });
    const title = `${rows[0]?.title ?? `${filter.year}年度政务公开考核`} ${filter.period === AssessmentPeriod.YEAR ? '全年' : '上半年'}考核结果排名`;
    const spec = {
      columns,
      headers,
      aliases: Object.fromEntries(columns.map((c) => [c, []])),
      required: [],
      maxDataRows: 10000,
      mergeableColumns: [],
    };
    const widths = Object.fromEntries(columns.map((c) => [c, c === 'agency' ? 28 : c.startsWith('i') ? 16 : 10]));
    const buffer = await withSheetSlot(() => writeSheetInWorker(spec, data, 'XLSX', { sheetName: '排名', title, widths }));
    return {
      filename: `${title}.xlsx`,
      contentType: SHEET_CONTENT_TYPES.XLSX,
      base64: buffer.toString('base64'),
      itemCount: data.length,
    };
  }
}

export const assessmentRollupService = new AssessmentRollupService();
