import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../src/logger';
import { runAsAccount } from '../src/graphql/request-context';
import { Account } from '../src/modules/account/account.entity';
import { Catalogue, CatalogueKind, CatalogueStatus } from '../src/modules/catalogue/catalogue.entity';
import { CatalogueItem, DisclosureType } from '../src/modules/catalogue/catalogue-item.entity';
import { ImportMode, SheetFormatEnum } from '../src/modules/catalogue/catalogue.inputs';
import { catalogueService } from '../src/modules/catalogue/catalogue.service';
import { catalogueSheetService } from '../src/modules/catalogue/catalogue-sheet.service';

export const YANZHOU_XLSX = path.join(__dirname, 'data', 'yanzhou-2024-catalogue.xlsx');

/** Items of the small 2024 standard that 济宁市公安局 publishes for its branches (wording from 兖州's table). */
const STANDARD_ITEMS: Array<{ category: string; name: string; content: string; disclosureType: DisclosureType | null; timeLimitText: string }> = [
  { category: '政策文件', name: '部门文件', content: '本单位发布的文件', disclosureType: DisclosureType.POLICY, timeLimitText: '相关信息形成或变更之日起20个工作日内' },
  {
    category: '机构职能',
    name: '主要职责',
    content: '依据“三定”方案及职责调整情况确定的本部门最新工作职责、内设机构（办公地址、办公时间、联系方式）',
    disclosureType: DisclosureType.MANAGEMENT,
    timeLimitText: '相关信息形成或变更之日起20个工作日内',
  },
  { category: '领导信息', name: '部门领导', content: '部门领导姓名、工作职务、工作分工、个人履历', disclosureType: DisclosureType.MANAGEMENT, timeLimitText: '相关信息形成或变更之日起20个工作日内' },
  { category: '政府信息公开指南', name: '政府信息公开指南', content: '公开本部门政府信息公开指南', disclosureType: DisclosureType.SERVICE, timeLimitText: '动态更新' },
  { category: '政府信息公开年报', name: '政府信息公开年报', content: '公开本部门政府信息公开年报', disclosureType: DisclosureType.EXECUTION, timeLimitText: '每年的1月31日前公开' },
];

async function account(orm: MikroORM, username: string) {
  const a = await (orm.em.fork() as EntityManager).findOneOrFail(Account, { username });
  return { id: a.id, agencyId: a.agency.id };
}

/**
 * 兖州分局's real 2024 catalogue, loaded through the same importer users call, then a small
 * standard catalogue of 济宁市公安局 that 兖州 adopts (its other items stay local). Acts as the
 * demo accounts, so it passes the tenancy gate like any request. Skips what already exists.
 */
export async function seedCatalogueDemo(orm: MikroORM, log: Logger): Promise<void> {
  const yanzhouAdmin = await account(orm, 'yanzhou.admin');
  const jiningAdmin = await account(orm, 'jining.admin');
  const existing = await (orm.em.fork() as EntityManager).findOne(Catalogue, { agency: yanzhouAdmin.agencyId, year: 2024, kind: CatalogueKind.AGENCY });
  if (existing) return;

  await runAsAccount(orm, yanzhouAdmin, log, async (ctx) => {
    const catalogue = await catalogueService.create(ctx, { agencyId: yanzhouAdmin.agencyId, year: 2024, kind: CatalogueKind.AGENCY });
    const { report } = await catalogueSheetService.import(ctx, {
      catalogueId: catalogue.id,
      format: SheetFormatEnum.XLSX,
      fileBase64: fs.readFileSync(YANZHOU_XLSX).toString('base64'),
      mode: ImportMode.REPLACE,
      createMissingUnits: false,
    });
    if (!report.ok) throw new Error(`demo catalogue import failed: ${JSON.stringify(report.problems.filter((p) => p.severity === 'ERROR'))}`);
    await catalogueService.update(ctx, { id: catalogue.id, status: CatalogueStatus.IN_FORCE });
  });

  const standardId = await runAsAccount(orm, jiningAdmin, log, async (ctx) => {
    const standard = await catalogueService.create(ctx, {
      agencyId: jiningAdmin.agencyId,
      year: 2024,
      kind: CatalogueKind.STANDARD,
      title: '2024年济宁市公安局分局政务公开标准目录',
    });
    for (const item of STANDARD_ITEMS) {
      await catalogueService.addItem(ctx, { catalogueId: standard.id, ...item, channels: ['政府网站'], audience: '全社会' });
    }
    await catalogueService.update(ctx, { id: standard.id, status: CatalogueStatus.IN_FORCE });
    return standard.id;
  });

  await runAsAccount(orm, yanzhouAdmin, log, async (ctx) => {
    await catalogueService.adopt(ctx, { standardCatalogueId: standardId, agencyId: yanzhouAdmin.agencyId });
  });
  const items = await (orm.em.fork() as EntityManager).count(CatalogueItem, { agency: yanzhouAdmin.agencyId });
  log.info({ items }, 'demo catalogues seeded');
}
