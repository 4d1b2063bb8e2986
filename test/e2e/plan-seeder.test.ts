import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../../src/logger';
import { signAccessToken } from '../../src/auth/jwt';
import { Account } from '../../src/modules/account/account.entity';
import { seedCatalogueDemo } from '../../seeds/catalogue-seeder';
import { seedDemo } from '../../seeds/demo-seeder';
import { seedPlanDemo } from '../../seeds/plan-seeder';
import { seedPublicationDemo } from '../../seeds/publication-seeder';
import { startHarness, type Harness } from '../support/harness';

describe('demo plans', () => {
  let h: Harness;
  const token = async (username: string) => {
    const a = await h.em().findOneOrFail(Account, { username });
    return signAccessToken(h.tokens, { accountId: a.id, agencyId: a.agency.id }).token;
  };

  beforeAll(async () => {
    h = await startHarness();
    const log = rootLogger.child({ test: 'plan-seeder' });
    log.level = 'silent';
    await h.orm.em.fork().transactional((tx) => seedDemo(tx as EntityManager, log));
    await seedCatalogueDemo(h.orm, log);
    await seedPublicationDemo(h.orm, log);
    await seedPlanDemo(h.orm, log);
    await seedPlanDemo(h.orm, log); // a second run changes nothing
  });
  afterAll(() => h.close());

  it('兖州 2024: document 002’s items with their units, one counted task met, one overdue, cascades from 济宁 and the province', async () => {
    const res = await h.gql(
      `{ workPlans(first: 5, filter: { year: 2024 }) { edges { node { title status statusCounts { status count }
          tasks(first: 50) { totalCount edges { node { number leadUnits { name } cooperatingUnitsText cascaded
            status { status periods { key count minimum state } } } } } } } } }`,
      {},
      await token('yanzhou.admin'),
    );
    expect(res.errors).toBeUndefined();
    const plan = res.data!.workPlans.edges[0].node;
    expect(plan.title).toBe('济宁市公安局兖州分局关于进一步推进政务公开工作实施方案');
    expect(plan.status).toBe('IN_FORCE');
    const tasks = plan.tasks.edges.map((e: any) => e.node);
    expect(tasks).toHaveLength(20 + 2);
    const by = (n: string) => tasks.find((t: any) => t.number === n && !t.cascaded);
    expect(by('4').leadUnits.map((u: any) => u.name)).toEqual(['政工室']);
    expect(by('8').status).toMatchObject({ status: 'IN_PROGRESS', periods: [{ key: '2024', count: 1, minimum: 1, state: 'MET' }] });
    expect(by('6').status.status).toBe('OVERDUE');
    expect(by('10').status.status).toBe('DONE');
    expect(tasks.filter((t: any) => t.cascaded)).toHaveLength(2);
  });

  it('汕尾 2022 was imported from the committed spreadsheet; the province reads its copies through 济宁 to 兖州', async () => {
    const res = await h.gql(`{ workPlans(first: 5, filter: { year: 2022 }) { edges { node { title tasks { totalCount } } } } }`, {}, await token('shanwei.admin'));
    expect(res.data!.workPlans.edges[0].node.tasks.totalCount).toBe(40);
    const top = await h.gql(
      `{ workPlans(first: 5, filter: { year: 2024 }) { edges { node { agency { code } tasks { edges { node { copies { agency { code } } } } } } } } }`,
      {},
      await token('province.admin'),
    );
    const province = top.data!.workPlans.edges.find((e: any) => e.node.agency.code === 'sd').node;
    expect(province.tasks.edges[0].node.copies.map((c: any) => c.agency.code)).toEqual(['sd-jining', 'sd-jining-yanzhou']);
  });
});
