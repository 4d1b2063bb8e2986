import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, uuidArrayLiteral } from '../../db/sql';
import { completionService } from '../plan/completion.service';
import { MAINTAINED } from '../publication/compliance-figures';
import { compliancePeriod, complianceService } from '../publication/compliance.service';
import { RoundKind } from '../assessment/evaluation.entity';
import { AssessmentPeriod } from './scheme.entity';
import type { DeductionSum, IndicatorMetric, MetricValue } from './scoring';

/** The days a period covers. */
export function periodRange(year: number, period: AssessmentPeriod): { from: string; to: string } {
  return { from: `${year}-01-01`, to: period === AssessmentPeriod.FIRST_HALF ? `${year}-06-30` : `${year}-12-31` };
}

/** Rounds whose scores count in a period: the mid-year round evaluates the first half; the year counts both. */
export function roundKinds(period: AssessmentPeriod): RoundKind[] {
  return period === AssessmentPeriod.FIRST_HALF ? [RoundKind.MID_YEAR] : [RoundKind.MID_YEAR, RoundKind.YEAR_END];
}

/** What a computation read for one agency (stored with the result as its `inputs`). */
export interface AgencyFigures {
  from: string;
  to: string;
  asOf: string;
  items: number;
  coveredItems: number;
  onTime: number;
  late: number;
  overdue: number;
  staleItems: number;
  emptyItems: number;
  tasks: number;
  tasksDone: number;
  tasksOverdue: number;
  explanationsDue: number;
  explainedOnTime: number;
  explainedLate: number;
  explanationsOverdue: number;
  thirdPartyScore: number | null;
  thirdPartyRounds: number;
  inspectionDeductions: number;
  /** Inspection deductions by indicator code. */
  deductions: Record<string, DeductionSum>;
}

type Row = Record<string, string | number | null>;
const num = (v: unknown) => (v == null ? 0 : Number(v));

/**
 * The figures of the given agencies for a period as of a cut-off, from the maintained figures:
 * compliance and completion through the roll-up statements of the assessor's subtree (agencies ×
 * buckets), explanations from `figure_explanation_agency`, third-party scores, inspection
 * deductions. Six statements whatever the number of agencies.
 */
export async function readAgencyFigures(
  em: EntityManager,
  opts: { assessorId: string; assessorPath: string; year: number; period: AssessmentPeriod; asOf: string; agencyIds: string[] },
): Promise<Map<string, AgencyFigures>> {
  const { from, to } = periodRange(opts.year, opts.period);
  const asOf = opts.asOf;
  const taskAsOf = asOf < to ? asOf : to;
  const compliance = complianceService.rollupStatement(
    MAINTAINED,
    compliancePeriod(from, to, asOf),
    opts.assessorPath,
  );
  const completion = completionService.rollupStatement(opts.year, taskAsOf, opts.assessorPath);
  const ids = uuidArrayLiteral(opts.agencyIds);
  const pubRows = await sql<Row>(em, compliance.sql, compliance.params);
  const taskRows = await sql<Row>(em, completion.sql, completion.params);
  const explanationRows = await sql<Row>(
    em,
    `select f.agency_id, sum(f.total) as due, sum(f.on_time) as on_time, sum(f.late) as late,
            sum(f.open) filter (where f.due_on < ?::date) as overdue
       from figure_explanation_agency f
      where f.agency_id = any(?::uuid[]) and f.year = ? and f.due_on between ?::date and ?::date
      group by f.agency_id`,
    [asOf, ids, opts.year, from, to],
  );
  const scoreRows = await sql<Row>(
    em,
    `select s.agency_id, avg(s.score) as mean, count(*) as rounds
       from evaluation_score s join evaluation_round r on r.id = s.round_id
      where r.agency_id = ?::uuid and r.year = ? and r.kind::text = any(?::text[]) and s.agency_id = any(?::uuid[])
      group by s.agency_id`,
    [opts.assessorId, opts.year, `{${roundKinds(opts.period).join(',')}}`, ids],
  );
  const deductionRows = await sql<Row>(
    em,
    `select i.agency_id, f.indicator_code, sum(f.points) as points, count(*) as n
       from inspection i join inspection_finding f on f.inspection_id = i.id
      where i.inspector_id = ?::uuid and i.agency_id = any(?::uuid[]) and i.inspected_on between ?::date and least(?::date, ?::date)
      group by i.agency_id, f.indicator_code`,
    [opts.assessorId, ids, from, to, asOf],
  );

  const byAgency = <T>(rows: Row[]) => new Map(rows.map((r) => [String(r.agency_id), r as T]));
  const pubs = byAgency<Row>(pubRows);
  const tasks = byAgency<Row>(taskRows);
  const explanations = byAgency<Row>(explanationRows);
  const scores = byAgency<Row>(scoreRows);
  const out = new Map<string, AgencyFigures>();
  for (const id of opts.agencyIds) {
    const p = pubs.get(id) ?? {};
    const t = tasks.get(id) ?? {};
    const e = explanations.get(id) ?? {};
    const s = scores.get(id);
    const deductions: Record<string, DeductionSum> = {};
    let inspectionDeductions = 0;
    for (const d of deductionRows) {
      if (String(d.agency_id) !== id) continue;
      deductions[String(d.indicator_code)] = { points: num(d.points), count: num(d.n) };
      inspectionDeductions += num(d.points);
    }
    out.set(id, {
      from,
      to,
      asOf,
      items: num(p.own_item_count),
      coveredItems: num(p.own_covered_items),
      onTime: num(p.own_on_time),
      late: num(p.own_late),
      overdue: num(p.own_overdue),
      staleItems: num(p.own_stale_items),
      emptyItems: num(p.own_empty_items),
      tasks: num(t.own_tasks),
      tasksDone: num(t.own_done),
      tasksOverdue: num(t.own_overdue),
      explanationsDue: num(e.due),
      explainedOnTime: num(e.on_time),
      explainedLate: num(e.late),
      explanationsOverdue: num(e.overdue),
      thirdPartyScore: s ? Math.round(num(s.mean) * 100) / 100 : null,
      thirdPartyRounds: s ? num(s.rounds) : 0,
      inspectionDeductions: Math.round(inspectionDeductions * 100) / 100,
      deductions,
    });
  }
  return out;
}

/** The scoring engine's metric values from an agency's figures. */
export function metricValues(f: AgencyFigures): Partial<Record<IndicatorMetric, MetricValue>> {
  const judgedExplanations = f.explainedOnTime + f.explainedLate + f.explanationsOverdue;
  const values: Partial<Record<IndicatorMetric, MetricValue>> = {
    CATALOGUE_COVERAGE: { numerator: f.coveredItems, denominator: f.items },
    ON_TIME_PUBLICATION: { numerator: f.onTime, denominator: f.onTime + f.late + f.overdue },
    TASK_COMPLETION: { numerator: f.tasksDone, denominator: f.tasks },
    EXPLANATIONS_ON_TIME: { numerator: f.explainedOnTime, denominator: judgedExplanations },
    STALE_ITEMS: { count: f.staleItems },
    EMPTY_ITEMS: { count: f.emptyItems },
    OVERDUE_TASKS: { count: f.tasksOverdue },
    LATE_EXPLANATIONS: { count: f.explainedLate + f.explanationsOverdue },
  };
  if (f.thirdPartyScore != null) values.THIRD_PARTY_SCORE = { numerator: f.thirdPartyScore, denominator: 100 };
  return values;
}
