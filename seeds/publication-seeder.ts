import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../src/logger';
import { runAsAccount } from '../src/graphql/request-context';
import { Account } from '../src/modules/account/account.entity';
import { Catalogue, CatalogueKind } from '../src/modules/catalogue/catalogue.entity';
import { CatalogueItem } from '../src/modules/catalogue/catalogue-item.entity';
import { historicalRecordService } from '../src/modules/publication/historical-record.service';
import { DisclosureAttribute, Publication, ReviewConclusion, SignOffLevel } from '../src/modules/publication/publication.entity';
import { publicationService } from '../src/modules/publication/publication.service';
import type { RequestContext } from '../src/graphql/context';

type Demo = { id: string; agencyId: string };

async function demoAccount(orm: MikroORM, username: string): Promise<Demo> {
  const a = await (orm.em.fork() as EntityManager).findOneOrFail(Account, { username });
  return { id: a.id, agencyId: a.agency.id };
}

/**
 * 兖州分局's publications for its 2024 catalogue.
 *
 * - What went online in 2024 happened before the agency used the system: the openness office enters
 *   it as historical records (补录) with the original dates — one on time, one late — which count for
 *   the catalogue but are shown apart and never as reviewed (a publication through the system is
 *   never dated before its final sign-off).
 * - The work in progress goes through the 002 §21 workflow today: drafted by 指挥中心秘书科's liaison,
 *   reviewed and signed by its head, signed by the bureau leader — an overdue draft, one waiting for
 *   the confidentiality review, one sent back by the unit head, and one approved and waiting for the
 *   openness office to put it online (the README's walk-through publishes it).
 *
 * Each step runs through the services as that demo account, so it passes the tenancy gate and the
 * rules like any request. Needs `seedCatalogueDemo` first; skips when 兖州 already has publications.
 */
export async function seedPublicationDemo(orm: MikroORM, log: Logger): Promise<void> {
  const [liaison, head, leader, admin] = await Promise.all(
    ['yanzhou.liaison', 'yanzhou.head', 'yanzhou.leader', 'yanzhou.admin'].map((u) => demoAccount(orm, u)),
  );
  const em = orm.em.fork() as EntityManager;
  if ((await em.count(Publication, { agency: admin.agencyId })) > 0) return;
  const catalogue = await em.findOne(Catalogue, { agency: admin.agencyId, year: 2024, kind: CatalogueKind.AGENCY });
  if (!catalogue) throw new Error('seedPublicationDemo: run seedCatalogueDemo first (no 2024 兖州 catalogue)');
  const items = await em.find(CatalogueItem, { catalogue: catalogue.id });
  const itemId = (name: string) => {
    const item = items.find((i) => i.name === name);
    if (!item) throw new Error(`seedPublicationDemo: the 2024 兖州 catalogue has no item ${name}`);
    return item.id;
  };
  const as = <T>(who: Demo, work: (ctx: RequestContext) => Promise<T>) => runAsAccount(orm, who, log, work);

  const draft = (name: string, title: string, formedOn: string, extra: { containsPersonalInfo?: boolean } = {}) =>
    as(liaison, (ctx) =>
      publicationService.create(ctx, {
        catalogueItemId: itemId(name),
        title,
        formedOn,
        disclosureAttribute: DisclosureAttribute.PROACTIVE,
        containsPersonalInfo: extra.containsPersonalInfo ?? false,
      }),
    );
  const submit = (id: string) => as(liaison, (ctx) => publicationService.submit(ctx, { publicationId: id }));
  const review = (id: string) =>
    as(head, (ctx) => publicationService.review(ctx, { publicationId: id, conclusion: ReviewConclusion.PASSED, notes: '经审查，不涉及国家秘密和工作秘密' }));
  const sign = (who: Demo, id: string, level: SignOffLevel, approve = true, reason?: string) =>
    as(who, (ctx) => publicationService.signOff(ctx, { publicationId: id, level, approve, reason: reason ?? (approve ? '同意上网发布' : null) }));
  const approve = async (id: string) => {
    await submit(id);
    await review(id);
    await sign(head, id, SignOffLevel.UNIT_HEAD);
    await sign(leader, id, SignOffLevel.LEADER);
  };
  // 指挥中心秘书科, the liaison's unit, drafted them.
  const draftingUnitId = (await em.findOneOrFail(Account, liaison.id)).unit!.id;
  const history = (name: string, title: string, formedOn: string, publishedOn: string, url: string) =>
    as(admin, (ctx) =>
      historicalRecordService.record(ctx, {
        catalogueItemId: itemId(name),
        title,
        formedOn,
        publishedOn,
        url,
        draftingUnitId,
        source: '兖州区人民政府网站“政务公开”栏目存档及纸质审批表',
      }),
    );

  // 2024, entered as historical records. On time: formed 2024-06-27 (the plan's date), due 20 working
  // days later, online 07-05.
  await history('部门文件', '印发《济宁市公安局兖州分局关于进一步推进政务公开工作实施方案》的通知', '2024-06-27', '2024-07-05',
    'http://www.yanzhou.gov.cn/art/2024/7/5/art_gaj_0001.html');
  // Late: formed 2024-09-23, due 2024-10-24 after National Day, online 2024-11-05.
  await history('公告公示', '关于调整户籍业务窗口办理时间的公告', '2024-09-23', '2024-11-05', 'http://www.yanzhou.gov.cn/art/2024/11/5/art_gaj_0002.html');

  // Today's work. Overdue draft: formed 2024-12-02 and never submitted.
  await draft('重大决策执行落实', '2024年民生实事项目推进情况', '2024-12-02');

  // Pending the confidentiality review.
  const pending = await draft('政策解读', '《实施方案》政策解读', '2024-07-01');
  await submit(pending.id);

  // Rejected by the unit head with a reason, back with the drafter.
  const rejected = await draft('人大建议办理情况', '对区人大代表第12号建议的答复', '2024-08-15');
  await submit(rejected.id);
  await review(rejected.id);
  await sign(head, rejected.id, SignOffLevel.UNIT_HEAD, false, '答复中含代表联系方式，请删除后重新提交');

  // Personal information, de-identified and confirmed by the drafter, reviewed and signed: waiting for
  // the openness office to put it online.
  const personal = await draft('政协提案办理情况', '对区政协十届三次会议第45号提案的答复', '2024-08-12', { containsPersonalInfo: true });
  await approve(personal.id);
  await as(liaison, (ctx) => publicationService.confirmDeidentification(ctx, { publicationId: personal.id, note: '已隐去提案人联系方式' }));

  log.info({ publications: 6 }, 'demo publications seeded');
}
