import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../../src/logger';
import { signAccessToken } from '../../src/auth/jwt';
import { Account } from '../../src/modules/account/account.entity';
import { seedAssessmentDemo } from '../../seeds/assessment-seeder';
import { seedCatalogueDemo } from '../../seeds/catalogue-seeder';
import { seedDemo } from '../../seeds/demo-seeder';
import { seedPlanDemo } from '../../seeds/plan-seeder';
import { seedPublicationDemo } from '../../seeds/publication-seeder';
import { startHarness, type Harness } from '../support/harness';

describe('demo assessment', () => {
  let h: Harness;
  let evaluatorToken: string;
  const token = async (username: string) => {
    const a = await h.em().findOneOrFail(Account, { username });
    return signAccessToken(h.tokens, { accountId: a.id, agencyId: a.agency.id }).token;
  };

  beforeAll(async () => {
    h = await startHarness();
    const log = rootLogger.child({ test: 'assessment-seeder' });
    log.level = 'silent';
    await h.orm.em.fork().transactional((tx) => seedDemo(tx as EntityManager, log));
    await seedCatalogueDemo(h.orm, log);
    await seedPublicationDemo(h.orm, log);
    await seedPlanDemo(h.orm, log);
    evaluatorToken = (await seedAssessmentDemo(h.orm, log))!.evaluatorToken;
    expect(await seedAssessmentDemo(h.orm, log)).toBeNull(); // a second run changes nothing
  }, 240_000);
  afterAll(() => h.close());

  it('济宁 2024: a 5 % scheme with computed and manual indicators, a bonus and a veto; 兖州’s finalised year result', async () => {
    const res = await h.gql(
      `{ assessmentSchemes(first: 5, filter: { year: 2024 }) { edges { node { title version share bonusCap bonusThreshold
           indicators { code kind weight metric formulaText } } } }
         assessmentResults(first: 5, filter: { year: 2024 }) { edges { node { status score grade contribution share missingManual
           agency { name } breakdown { code points deducted } figures { thirdPartyScore explanationsDue explainedLate inspectionDeductions } } } } }`,
      {},
      await token('jining.viewer'),
    );
    expect(res.errors).toBeUndefined();
    const scheme = res.data!.assessmentSchemes.edges[0].node;
    expect(scheme).toMatchObject({ title: '济宁市公安局2024年度政务公开工作考核方案', version: 1, share: 5, bonusCap: 3 });
    const kinds = new Set(scheme.indicators.map((i: any) => i.kind));
    expect(kinds).toEqual(new Set(['GROUP', 'COMPUTED', 'MANUAL', 'BONUS', 'VETO']));
    const result = res.data!.assessmentResults.edges[0].node;
    expect(result).toMatchObject({ status: 'FINAL', share: 5, missingManual: [], agency: { name: '济宁市公安局兖州分局' } });
    expect(result.figures).toMatchObject({ thirdPartyScore: 88.5, explanationsDue: 3, explainedLate: 1, inspectionDeductions: 1 });
    expect(result.contribution).toBeCloseTo((result.score * 5) / 100, 3);
  });

  it('兖州 sees its three deduction points, one explained late, and its inspection', async () => {
    const res = await h.gql(
      `{ deductionPoints(first: 10) { edges { node { indicatorCode state unit { name } } } }
         inspections(first: 5) { edges { node { inspectedOn findings { indicatorCode points } } } } }`,
      {},
      await token('yanzhou.admin'),
    );
    expect(res.errors).toBeUndefined();
    const states = res.data!.deductionPoints.edges.map((e: any) => e.node.state).sort();
    expect(states).toEqual(['ANSWERED_LATE', 'ANSWERED_ON_TIME', 'ANSWERED_ON_TIME']);
    expect(res.data!.inspections.edges[0].node).toMatchObject({ inspectedOn: '2024-06-18', findings: [{ indicatorCode: '1.3', points: 1 }] });
  });

  it('the printed evaluator token reads the round and published material, and changes nothing', async () => {
    const read = await h.gql(`{ evaluationRounds(first: 5) { edges { node { title kind } } } }`, {}, evaluatorToken);
    expect(read.errors).toBeUndefined();
    expect(read.data!.evaluationRounds.edges[0].node).toEqual({ title: '2024年年中政务公开第三方评估', kind: 'MID_YEAR' });
    const write = await h.gql(`mutation { createWorkPlan(input: { agencyId: "00000000-0000-0000-0000-000000000000", year: 2030 }) { plan { id } } }`, {}, evaluatorToken);
    expect(write.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});
