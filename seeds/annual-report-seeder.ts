import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { runAsAccount } from '../src/graphql/request-context';
import type { Logger } from '../src/logger';
import { Account } from '../src/modules/account/account.entity';
import { AnnualReport, ReportTemplate } from '../src/modules/request/annual-report.entity';
import { annualReportService } from '../src/modules/request/annual-report.service';

/** Shape of seeds/data/changshu-2017-report.json (document 004, with where each figure comes from). */
export interface HistoricReportSeed {
  account: string;
  year: number;
  template: keyof typeof ReportTemplate;
  title: string;
  overview: string;
  problems: string;
  otherMatters: string;
  table3: Array<{ row: string; column: string; value: number; from: string }>;
  table4: Array<{ row: string; column: string; value: number; from: string }>;
  legacyFigures: Array<{ label: string; value: number; note: string }>;
}

export function loadChangshu2017Report(file = path.join(__dirname, 'data', 'changshu-2017-report.json')): HistoricReportSeed {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HistoricReportSeed;
}

/**
 * The 2017 annual report of 常熟市公安局 (document 004) entered through the service as its own
 * administrator, as a historic report of the PRE_2019 template, and finalised (it was published; its
 * date of publication is not in the document, so none is recorded). Skips (returns null) when the
 * agency already has a 2017 report; returns the report's id otherwise.
 */
export async function seedAnnualReportDemo(orm: MikroORM, log: Logger): Promise<string | null> {
  const seed = loadChangshu2017Report();
  const em = orm.em.fork() as EntityManager;
  const account = await em.findOneOrFail(Account, { username: seed.account });
  if ((await em.count(AnnualReport, { agency: account.agency.id, year: seed.year })) > 0) return null;
  const report = await runAsAccount(orm, { id: account.id, agencyId: account.agency.id }, log, async (ctx) => {
    const created = await annualReportService.create(ctx, {
      agencyId: account.agency.id,
      year: seed.year,
      template: ReportTemplate[seed.template],
      title: seed.title,
      overview: seed.overview,
      problems: seed.problems,
      otherMatters: seed.otherMatters,
      table3: seed.table3.map(({ row, column, value }) => ({ row, column, value })),
      table4: seed.table4.map(({ row, column, value }) => ({ row, column, value })),
      legacyFigures: seed.legacyFigures,
    });
    return annualReportService.finalise(ctx, created.id);
  });
  log.info({ report: report.id, year: seed.year }, 'demo annual report seeded (常熟市公安局 2017, document 004)');
  return report.id;
}

/**
 * 兖州分局's 2024 report in the 2021 template, generated: Tables 3 and 4 come from the demo requests
 * (seeds/request-seeder.ts, which must run first); Table 2 holds the figures an office enters, each
 * with its source (illustrative demo figures, not taken from a document); the narrative follows
 * document 002's plan. Finalised (every check passes) and published on time. Null when it exists.
 */
export async function seedYanzhouReportDemo(orm: MikroORM, log: Logger): Promise<string | null> {
  const em = orm.em.fork() as EntityManager;
  const account = await em.findOneOrFail(Account, { username: 'yanzhou.admin' });
  if ((await em.count(AnnualReport, { agency: account.agency.id, year: 2024 })) > 0) return null;
  const source = '兖州分局法制大队行政执法统计台账（演示数据）';
  const cell = (row: string, column: string, value: number) => ({ row, column, value, source });
  const report = await runAsAccount(orm, { id: account.id, agencyId: account.agency.id }, log, async (ctx) => {
    const created = await annualReportService.create(ctx, {
      agencyId: account.agency.id,
      year: 2024,
      template: ReportTemplate.GOV_2021,
      title: '济宁市公安局兖州分局2024年政府信息公开工作年度报告',
      overview:
        '2024年，兖州分局按照《济宁市公安局兖州分局关于进一步推进政务公开工作实施方案》，以区政府信息公开平台为主要渠道，' +
        '落实主动公开基本目录，严格公文公开属性源头认定和保密审查，依法办理政府信息公开申请。',
      problems: '个别栏目更新不及时，“首页面”长时间未更新的问题在年中第三方评估中被扣分；下一步将指定专人每周更新并纳入年终绩效考核。',
      otherMatters: '本年度依申请公开未收取信息处理费。',
      table2: [
        cell('RULES', 'ISSUED', 0), cell('RULES', 'REPEALED', 0), cell('RULES', 'IN_FORCE', 0),
        cell('NORMATIVE_DOCUMENTS', 'ISSUED', 0), cell('NORMATIVE_DOCUMENTS', 'REPEALED', 0), cell('NORMATIVE_DOCUMENTS', 'IN_FORCE', 0),
        cell('ADMINISTRATIVE_LICENSING', 'DECISIONS', 1260),
        cell('ADMINISTRATIVE_PENALTY', 'DECISIONS', 3412),
        cell('ADMINISTRATIVE_COERCION', 'DECISIONS', 86),
        cell('ADMINISTRATIVE_FEES', 'FEE_AMOUNT', 0),
      ],
    });
    const final = await annualReportService.finalise(ctx, created.id);
    return annualReportService.publish(ctx, { id: final.id, publishedOn: '2025-01-24', url: 'http://www.yanzhou.gov.cn/zfxxgk/ndbg/2024.html' });
  });
  log.info({ report: report.id }, 'demo annual report seeded (兖州分局 2024, generated from the requests)');
  return report.id;
}
