import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { RequestContext } from '../src/graphql/context';
import { runAsAccount } from '../src/graphql/request-context';
import type { Logger } from '../src/logger';
import { Account } from '../src/modules/account/account.entity';
import { Unit } from '../src/modules/agency/unit.entity';
import { withToday } from '../src/modules/calendar/clock';
import { RoundKind } from '../src/modules/assessment/evaluation.entity';
import { evaluationService } from '../src/modules/assessment/evaluation.service';
import { inspectionService } from '../src/modules/assessment/inspection.service';
import { resultService } from '../src/modules/assessment/result.service';
import { AssessmentPeriod, AssessmentScheme, IndicatorFormula, IndicatorKind, IndicatorMetric } from '../src/modules/assessment/scheme.entity';
import type { IndicatorInput } from '../src/modules/assessment/scheme.inputs';
import { schemeService } from '../src/modules/assessment/scheme.service';
import { EvaluatorPermission } from '../src/modules/evaluator/evaluator-token.entity';
import { evaluatorTokenService } from '../src/modules/evaluator/evaluator-token.service';

type Demo = { id: string; agencyId: string };

async function demo(orm: MikroORM, username: string): Promise<Demo> {
  const a = await (orm.em.fork() as EntityManager).findOneOrFail(Account, { username });
  return { id: a.id, agencyId: a.agency.id };
}

const indicator = (i: Partial<IndicatorInput> & Pick<IndicatorInput, 'code' | 'name' | 'kind' | 'weight'>): IndicatorInput => ({
  parentCode: null,
  description: '',
  metric: null,
  formula: null,
  perCount: null,
  target: null,
  ...i,
});

/**
 * 济宁市公安局's 2024 assessment scheme (openness work 5 % of the performance score, documents 000
 * §七(二) and 001 §二十二: at least 4 %). Its indicators follow what documents 002 and 001 name:
 * the catalogue and its website columns (no empty columns, no page left unchanged for long, 002 §18),
 * publication on time, the year's tasks, the third-party evaluation and the written explanation of
 * every deduction point (002 §22), the liaison system (002 §22, scored by hand), a bonus for practice
 * promoted by superiors (002 §23) and a veto for a leak of secrets (002 §22).
 */
export const JINING_2024_INDICATORS: IndicatorInput[] = [
  indicator({ code: '1', name: '主动公开目录与栏目', kind: IndicatorKind.GROUP, weight: 30 }),
  indicator({ code: '1.1', parentCode: '1', name: '目录事项覆盖率', kind: IndicatorKind.COMPUTED, weight: 15, metric: IndicatorMetric.CATALOGUE_COVERAGE, formula: IndicatorFormula.PROPORTIONAL, target: 0.9, description: '期内有发布的事项占目录事项的比例，达到90%得满分' }),
  indicator({ code: '1.2', parentCode: '1', name: '栏目空白', kind: IndicatorKind.COMPUTED, weight: 8, metric: IndicatorMetric.EMPTY_ITEMS, formula: IndicatorFormula.DEDUCT_PER_COUNT, perCount: 1, description: '防止发生栏目缺失、空白（002 第18条），每个空白栏目扣1分' }),
  indicator({ code: '1.3', parentCode: '1', name: '长期未更新', kind: IndicatorKind.COMPUTED, weight: 7, metric: IndicatorMetric.STALE_ITEMS, formula: IndicatorFormula.DEDUCT_PER_COUNT, perCount: 1, description: '首页面或栏目长时间未更新（002 第18条），每项扣1分' }),
  indicator({ code: '2', name: '按时发布', kind: IndicatorKind.COMPUTED, weight: 20, metric: IndicatorMetric.ON_TIME_PUBLICATION, formula: IndicatorFormula.PROPORTIONAL, target: 0.95, description: '按目录时限发布的比例，达到95%得满分' }),
  indicator({ code: '3', name: '年度工作任务', kind: IndicatorKind.GROUP, weight: 25 }),
  indicator({ code: '3.1', parentCode: '3', name: '任务完成率', kind: IndicatorKind.COMPUTED, weight: 15, metric: IndicatorMetric.TASK_COMPLETION, formula: IndicatorFormula.PROPORTIONAL }),
  indicator({ code: '3.2', parentCode: '3', name: '逾期任务', kind: IndicatorKind.COMPUTED, weight: 10, metric: IndicatorMetric.OVERDUE_TASKS, formula: IndicatorFormula.DEDUCT_PER_COUNT, perCount: 2, description: '每项逾期任务扣2分' }),
  indicator({ code: '4', name: '第三方评估', kind: IndicatorKind.COMPUTED, weight: 10, metric: IndicatorMetric.THIRD_PARTY_SCORE, formula: IndicatorFormula.PROPORTIONAL, description: '年中、年底第三方评估得分的平均值折算' }),
  indicator({ code: '5', name: '扣分点书面说明', kind: IndicatorKind.COMPUTED, weight: 5, metric: IndicatorMetric.EXPLANATIONS_ON_TIME, formula: IndicatorFormula.PROPORTIONAL, description: '对通报的扣分点，责任单位按时作出书面说明（002 第22条）' }),
  indicator({ code: '6', name: '组织保障与联络员制度', kind: IndicatorKind.MANUAL, weight: 10, description: '明确专人负责政务公开，建立联络员制度（002 第22条），人工评分' }),
  indicator({ code: 'B1', name: '经验做法被上级推广', kind: IndicatorKind.BONUS, weight: 3, description: '先进经验做法被总结推广（002 第23条）' }),
  indicator({ code: 'V1', name: '发生失泄密事件', kind: IndicatorKind.VETO, weight: 0, description: '坚决杜绝失泄密事件发生（002 第22条），发生即一票否决' }),
];

/**
 * The assessment demo, through the services as the demo accounts: 济宁's 2024 scheme, an inspection
 * of 兖州 (June), the mid-year third-party round with 兖州's score and three deduction points (one
 * explained late), hand scores, 兖州's year result (finalised), and an evaluator token for the
 * round, returned so start-up can print it once. Skips (returns null) when the scheme exists.
 */
export async function seedAssessmentDemo(orm: MikroORM, log: Logger): Promise<{ evaluatorToken: string } | null> {
  const [jining, yanzhou, liaison] = await Promise.all(['jining.admin', 'yanzhou.admin', 'yanzhou.liaison'].map((u) => demo(orm, u)));
  const em = orm.em.fork() as EntityManager;
  if ((await em.count(AssessmentScheme, { agency: jining.agencyId, year: 2024 })) > 0) return null;
  const as = <T>(who: Demo, work: (ctx: RequestContext) => Promise<T>) => runAsAccount(orm, who, log, work);
  const unitId = async (name: string) => (await em.findOneOrFail(Unit, { agency: yanzhou.agencyId, name })).id;

  const scheme = await as(jining, (ctx) =>
    schemeService.create(ctx, {
      agencyId: jining.agencyId,
      year: 2024,
      title: '济宁市公安局2024年度政务公开工作考核方案',
      share: 5,
      bonusCap: 3,
      bonusThreshold: 85,
      excellentFrom: 90,
      goodFrom: 80,
      passFrom: 60,
      appliesToAll: true,
      agencyIds: null,
      indicators: JINING_2024_INDICATORS,
    }),
  );

  // 察访核验 in June: the guide column not kept current.
  await withToday('2024-06-18', () =>
    as(jining, (ctx) =>
      inspectionService.record(ctx, {
        agencyId: yanzhou.agencyId,
        inspectedOn: '2024-06-18',
        inspectors: '市局政务公开办',
        summary: '上半年察访核验：目录公开情况总体较好，个别栏目更新不及时。',
        findings: [{ indicatorCode: '1.3', points: 1, finding: '“政府信息公开指南”栏目超过一年未更新', unitId: null, evidenceUrl: null }],
      }),
    ),
  );

  // The mid-year round (002 §22): a score, deduction points notified on 15 July, explanations.
  const round = await withToday('2024-07-15', async () => {
    const r = await as(jining, (ctx) =>
      evaluationService.createRound(ctx, { agencyId: jining.agencyId, year: 2024, kind: RoundKind.MID_YEAR, title: '2024年年中政务公开第三方评估', evaluator: '第三方评估公司', explanationDays: 5 }),
    );
    await as(jining, (ctx) => evaluationService.recordScore(ctx, { roundId: r.id, agencyId: yanzhou.agencyId, score: 88.5, note: '栏目设置规范，个别栏目空白、更新不及时' }));
    const points = [
      { indicatorCode: '1.2', points: 1, finding: '“重大行政决策”栏目空白', unit: '指挥中心秘书科' },
      { indicatorCode: '1.3', points: 0.5, finding: '首页面长时间未更新', unit: '指挥中心秘书科' },
      { indicatorCode: '2', points: 1, finding: '部门文件公开超出时限', unit: '法制大队' },
    ];
    const ids: string[] = [];
    for (const p of points) {
      const dp = await as(jining, (ctx) =>
        evaluationService.recordDeductionPoint(ctx, { roundId: r.id, agencyId: yanzhou.agencyId, indicatorCode: p.indicatorCode, points: p.points, finding: p.finding, evidenceUrl: 'http://www.yanzhou.gov.cn/col/zfxxgk/', notifiedOn: '2024-07-15' }),
      );
      const unit = await unitId(p.unit);
      await as(yanzhou, (ctx) => evaluationService.assign(ctx, { id: dp.id, unitId: unit }));
      ids.push(dp.id);
    }
    return { round: r, ids };
  });
  await withToday('2024-07-17', () => as(liaison, (ctx) => evaluationService.explain(ctx, { id: round.ids[0]!, explanation: '已在“重大行政决策”栏目补充发布2024年重大行政决策事项目录。' })));
  await withToday('2024-07-19', () => as(yanzhou, (ctx) => evaluationService.explain(ctx, { id: round.ids[2]!, explanation: '法制大队已对超时限原因作出说明，今后严格按3个工作日内公开。' })));
  // Explained after the five working days: counted late.
  await withToday('2024-07-31', () => as(liaison, (ctx) => evaluationService.explain(ctx, { id: round.ids[1]!, explanation: '首页面已恢复每周更新，并指定专人负责。' })));

  // Hand scores and the year's result, as of the year's end; finalised (frozen).
  for (const [code, points, vetoed, note] of [
    ['6', 9, null, '明确许可服务科牵头，各单位确定联络员'],
    ['B1', 2, null, '“拟稿处理签”公开属性源头认定做法被市局推广'],
    ['V1', null, false, '未发生失泄密事件'],
  ] as const) {
    await as(jining, (ctx) =>
      resultService.scoreIndicator(ctx, { schemeId: scheme.id, agencyId: yanzhou.agencyId, period: AssessmentPeriod.YEAR, indicatorCode: code, points, vetoed, note }),
    );
  }
  const [result] = await as(jining, (ctx) => resultService.compute(ctx, { schemeId: scheme.id, period: AssessmentPeriod.YEAR, cutoff: '2024-12-31', agencyIds: null }));
  await as(jining, (ctx) => resultService.finalise(ctx, result!.id));

  // A read token for the evaluators of the round, valid 30 days from now: shown once, at start-up.
  const issued = await as(jining, (ctx) =>
    evaluatorTokenService.issue(ctx, {
      roundId: round.round.id,
      scopeAgencyId: jining.agencyId,
      label: '第三方评估公司（演示）',
      permission: EvaluatorPermission.READ,
      validFrom: null,
      validUntil: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    }),
  );
  log.info({ scheme: scheme.id, result: result!.id, score: result!.score }, 'assessment demo seeded');
  return { evaluatorToken: issued.token };
}
