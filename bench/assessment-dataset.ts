/**
 * The assessment part of the province data set: the province's scheme for the current year (share
 * 5 %), its mid-year round, and for every agency below it a current YEAR result (scores spread over
 * the grade bands, a few vetoed), a third-party score and 0–5 deduction points with due dates over
 * the year, explained on time, late or not at all. Inserted as SQL rows; the explanation figures
 * are built by the rebuild (or the triggers, when the load keeps them on).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { insertColumns, pad, prng } from './gen-util';
import type { GenAgency } from './dataset';

export interface AssessmentDatasetSizes {
  results: number;
  deductionPoints: number;
}

const INDICATORS: Array<[string, string, string, number]> = [
  ['1', '目录覆盖率', 'COMPUTED', 30],
  ['2', '按时发布', 'COMPUTED', 30],
  ['3', '任务完成率', 'COMPUTED', 20],
  ['4', '工作机制', 'MANUAL', 20],
];

export async function generateAssessment(client: Client, agencies: GenAgency[], today: string, seed: number, log: (msg: string) => void): Promise<AssessmentDatasetSizes> {
  const started = performance.now();
  const rnd = prng(seed + 9);
  const year = Number(today.slice(0, 4));
  const province = agencies[0]!;
  const schemeId = randomUUID();
  await client.query(
    `insert into assessment_scheme (id, agency_id, year, version, title, share, bonus_cap, bonus_threshold, created_by)
     values ($1, $2, $3, 1, $4, 5, 3, 85, 'bench')`,
    [schemeId, province.id, year, `${province.name}${year}年度政务公开考核方案`],
  );
  await insertColumns(
    client,
    'assessment_indicator',
    [['id', 'uuid'], ['scheme_id', 'uuid'], ['agency_id', 'uuid'], ['code', 'text'], ['position', 'int'], ['name', 'text'], ['kind', 'indicator_kind'], ['weight', 'numeric'], ['metric', 'indicator_metric'], ['formula', 'indicator_formula']],
    INDICATORS.map(([code, name, kind, weight], i) => [
      randomUUID(), schemeId, province.id, code, i, name, kind, weight,
      kind === 'COMPUTED' ? ['CATALOGUE_COVERAGE', 'ON_TIME_PUBLICATION', 'TASK_COMPLETION'][i] : null, kind === 'COMPUTED' ? 'PROPORTIONAL' : null,
    ]),
  );
  const roundId = randomUUID();
  await client.query(
    `insert into evaluation_round (id, agency_id, year, kind, title, evaluator) values ($1, $2, $3, 'MID_YEAR', '年中第三方评估', '第三方评估公司')`,
    [roundId, province.id, year],
  );
  const results: unknown[][] = [];
  const scores: unknown[][] = [];
  const points: unknown[][] = [];
  const last = Number(today.slice(5, 7));
  for (const a of agencies.slice(1)) {
    const vetoed = rnd() < 0.02;
    const before = Math.round((55 + rnd() * 45) * 100) / 100;
    const score = vetoed ? 0 : before;
    const grade = vetoed || score < 60 ? 'FAIL' : score >= 90 ? 'EXCELLENT' : score >= 80 ? 'GOOD' : 'PASS';
    const breakdown = JSON.stringify(INDICATORS.map(([code, name, kind, weight]) => ({ code, name, kind, weight, points: Math.round((weight * before) / 100 * 100) / 100 })));
    results.push([randomUUID(), a.id, province.id, schemeId, year, 'YEAR', today, before, 0, 0, vetoed, before, score, grade, 5, Math.round(score * 5) / 100, breakdown, '{}', 'bench']);
    scores.push([randomUUID(), roundId, a.id, Math.round((60 + rnd() * 40) * 100) / 100, 'bench']);
    const n = Math.floor(rnd() * 6);
    for (let k = 0; k < n; k++) {
      const month = 1 + Math.floor(rnd() * last);
      const notified = `${year}-${pad(month)}-${pad(1 + Math.floor(rnd() * 20))}`;
      const due = `${year}-${pad(month)}-${pad(8 + Math.floor(rnd() * 20))}`;
      const r = rnd();
      const explained = r < 0.6 ? notified : r < 0.8 ? `${year}-${pad(Math.min(12, month + 1))}-01` : null;
      points.push([randomUUID(), roundId, a.id, year, String(1 + Math.floor(rnd() * 3)), 1, '栏目更新不及时', notified, due < notified ? notified : due, explained ? '已说明' : null, explained, 'bench']);
    }
  }
  await insertColumns(
    client,
    'assessment_result',
    [['id', 'uuid'], ['agency_id', 'uuid'], ['assessor_id', 'uuid'], ['scheme_id', 'uuid'], ['year', 'int'], ['period', 'assessment_period'], ['cutoff', 'date'],
      ['base_score', 'numeric'], ['bonus', 'numeric'], ['deductions', 'numeric'], ['vetoed', 'boolean'], ['score_before_veto', 'numeric'], ['score', 'numeric'],
      ['grade', 'grade'], ['share', 'numeric'], ['contribution', 'numeric'], ['breakdown', 'text', 'jsonb'], ['inputs', 'text', 'jsonb'], ['computed_by', 'text']],
    results,
  );
  await insertColumns(client, 'evaluation_score', [['id', 'uuid'], ['round_id', 'uuid'], ['agency_id', 'uuid'], ['score', 'numeric'], ['recorded_by', 'text']], scores);
  await insertColumns(
    client,
    'deduction_point',
    [['id', 'uuid'], ['round_id', 'uuid'], ['agency_id', 'uuid'], ['year', 'int'], ['indicator_code', 'text'], ['points', 'numeric'], ['finding', 'text'],
      ['notified_on', 'date'], ['due_on', 'date'], ['explanation', 'text'], ['explained_on', 'date'], ['recorded_by', 'text']],
    points,
  );
  log(`assessment: a ${year} scheme of the province, ${results.length} results, ${points.length} deduction points (${Math.round(performance.now() - started)} ms)`);
  return { results: results.length, deductionPoints: points.length };
}
