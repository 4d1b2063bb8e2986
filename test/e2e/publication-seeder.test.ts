import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../../src/logger';
import { Account } from '../../src/modules/account/account.entity';
import { seedCatalogueDemo } from '../../seeds/catalogue-seeder';
import { seedDemo } from '../../seeds/demo-seeder';
import { seedPublicationDemo } from '../../seeds/publication-seeder';
import { signAccessToken } from '../../src/auth/jwt';
import { today } from '../../src/modules/calendar/clock';
import { startHarness, type Harness } from '../support/harness';

describe('demo publications of 兖州分局', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const log = rootLogger.child({ test: 'publication-seeder' });
    log.level = 'silent';
    await h.orm.em.fork().transactional((tx) => seedDemo(tx as EntityManager, log));
    await seedCatalogueDemo(h.orm, log);
    await seedPublicationDemo(h.orm, log);
    await seedPublicationDemo(h.orm, log); // a second run changes nothing
  });
  afterAll(() => h.close());

  it('covers every state, through the same rules as the API; the 2024 history is entered as historical records', async () => {
    const admin = await h.em().findOneOrFail(Account, { username: 'yanzhou.admin' });
    const { token } = signAccessToken(h.tokens, { accountId: admin.id, agencyId: admin.agency.id });
    const res = await h.gql(
      `{ publications(first: 20) { totalCount edges { node { title status timeliness historical publishedOn item { name }
          history { action reason } review { reviewedOn } signOffs { level signedOn } } } } }`,
      {},
      token,
    );
    expect(res.errors).toBeUndefined();
    const rows = res.data!.publications.edges.map((e: any) => e.node);
    expect(res.data!.publications.totalCount).toBe(6);
    const byItem = Object.fromEntries(rows.map((r: any) => [r.item.name, r]));
    expect(byItem['部门文件']).toMatchObject({ status: 'PUBLISHED', timeliness: 'ON_TIME', historical: true, publishedOn: '2024-07-05', review: null, signOffs: [] });
    expect(byItem['部门文件'].history).toEqual([{ action: 'HISTORICAL_RECORDED', reason: expect.stringMatching(/^补录依据：/) }]);
    expect(byItem['公告公示']).toMatchObject({ status: 'PUBLISHED', timeliness: 'LATE', historical: true, publishedOn: '2024-11-05' });
    expect(byItem['重大决策执行落实']).toMatchObject({ status: 'DRAFT', timeliness: 'OVERDUE', historical: false });
    expect(byItem['政策解读']).toMatchObject({ status: 'PENDING_CONFIDENTIALITY_REVIEW' });
    expect(byItem['人大建议办理情况'].status).toBe('DRAFT');
    expect(byItem['人大建议办理情况'].history.at(-1)).toEqual({ action: 'UNIT_HEAD_REJECTED', reason: '答复中含代表联系方式，请删除后重新提交' });
    // Reviewed and signed in the system today, waiting for the openness office.
    const approved = byItem['政协提案办理情况'];
    expect(approved).toMatchObject({ status: 'APPROVED', historical: false, publishedOn: null });
    expect(approved.review.reviewedOn).toEqual(today());
    expect(approved.signOffs.map((s: any) => s.signedOn)).toEqual([today(), today()]);
  });
});
