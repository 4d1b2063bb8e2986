import type { EntityManager } from '@mikro-orm/postgresql';
import { rootLogger } from '../../src/logger';
import { signAccessToken } from '../../src/auth/jwt';
import { Account } from '../../src/modules/account/account.entity';
import { seedAnnualReportDemo, loadChangshu2017Report } from '../../seeds/annual-report-seeder';
import { seedDemo } from '../../seeds/demo-seeder';
import { startHarness, Role, type Harness } from '../support/harness';

/** The 2017 report of 常熟市公安局 (document 004) entered by the demo seeder reads back with its figures. */
describe('demo annual report: 常熟市公安局 2017', () => {
  let h: Harness;
  let reportId: string;
  const token = async (username: string) => {
    const a = await h.em().findOneOrFail(Account, { username });
    return signAccessToken(h.tokens, { accountId: a.id, agencyId: a.agency.id }).token;
  };

  beforeAll(async () => {
    h = await startHarness();
    const log = rootLogger.child({ test: 'annual-report-seeder' });
    log.level = 'silent';
    await h.orm.em.fork().transactional((tx) => seedDemo(tx as EntityManager, log));
    reportId = (await seedAnnualReportDemo(h.orm, log))!;
    expect(reportId).toBeTruthy();
    expect(await seedAnnualReportDemo(h.orm, log)).toBeNull(); // a second run changes nothing
  }, 120_000);
  afterAll(() => h.close());

  it('is a final PRE_2019 report with document 004’s figures, text and the cells of Table 3 it states', async () => {
    const res = await h.gql(
      `query($id: ID!) { annualReport(id: $id) { title year template status computed agency { name } overview problems otherMatters
          table3 { rows { key cells { column value } } } table4 { rows { cells { value } } }
          legacyFigures { label value note } checks { ok problems { field } } } }`,
      { id: reportId },
      await token('changshu.admin'),
    );
    expect(res.errors).toBeUndefined();
    const r = res.data!.annualReport;
    expect(r).toMatchObject({ title: '常熟市公安局2017年政府信息公开工作年度报告', year: 2017, template: 'PRE_2019', status: 'FINAL', computed: false, agency: { name: '常熟市公安局' } });
    expect(r.checks).toEqual({ ok: true, problems: [] });
    // 004 line 12: 共收到并妥善處理依申請公開申請3件 — received 3, handled 3; nothing else of Table 3 is stated
    const stated = r.table3.rows.flatMap((row: any) => row.cells.filter((c: any) => c.value != null).map((c: any) => [row.key, c.column, c.value]));
    expect(stated).toEqual([
      ['RECEIVED', 'TOTAL', 3],
      ['RESULT_TOTAL', 'TOTAL', 3],
    ]);
    expect(r.table4.rows.flatMap((row: any) => row.cells).every((c: any) => c.value === null)).toBe(true);
    const figures = Object.fromEntries(r.legacyFigures.map((f: any) => [f.label, f.value]));
    expect(figures).toMatchObject({
      '责任清单合计（项）': 1077,
      '涉及政府信息公开的行政诉讼（件）': 1,
      '其中维持具体行政行为（件）': 1,
      '政府信息公开收费（元）': 0,
      '收到并处理依申请公开申请（件）': 3,
    });
    // the six lists add up to the 1077 items of the responsibility list (004 line 6)
    const lists = ['部门职责清单（项）', '职责边界清单（项）', '公共服务事项清单（项）', '履行部门职责所对应的权力事项清单（项）', '权力运行过程中涉及的中介、盖章、收费清单（项）', '事中事后监管措施清单（项）'];
    expect(lists.reduce((s, l) => s + figures[l], 0)).toBe(1077);
    expect(r.legacyFigures).toHaveLength(loadChangshu2017Report().legacyFigures.length);
    expect(r.legacyFigures.every((f: any) => /^004 line \d+: 「.+」$/.test(f.note))).toBe(true);
    expect(r.overview).toContain('共梳理出責任清單合計1077項');
    expect(r.otherMatters).toContain('其中維持具體行政行為1件');
    expect(r.problems).toContain('認識有差距');
  });

  it('its superior reads it, and the consolidated 2017 report of 苏州 carries the cells it states', async () => {
    const { token: suzhou } = await h.account({ agency: 'js-suzhou', roles: [Role.SUPERIOR_VIEWER] });
    const res = await h.gql(
      `{ consolidatedAnnualReport(year: 2017) { agency { name } memberCount finalCount members { agency { name } final source }
          table3 { rows { key cells { column value } } } checks { ok } } }`,
      {},
      suzhou,
    );
    expect(res.errors).toBeUndefined();
    const c = res.data!.consolidatedAnnualReport;
    expect(c).toMatchObject({
      agency: { name: '苏州市公安局' },
      memberCount: 2,
      finalCount: 1,
      members: [
        { agency: { name: '苏州市公安局' }, final: false, source: 'RECORDS' },
        { agency: { name: '常熟市公安局' }, final: true, source: 'FINAL_REPORT' },
      ],
      checks: { ok: true },
    });
    // 苏州 has no requests (zeros); 常熟 states only 一 and 三（七） in the total column: those sum, the rest is unknown
    const stated = c.table3.rows.flatMap((row: any) => row.cells.filter((x: any) => x.value != null).map((x: any) => [row.key, x.column, x.value]));
    expect(stated).toEqual([
      ['RECEIVED', 'TOTAL', 3],
      ['RESULT_TOTAL', 'TOTAL', 3],
    ]);
  });

  it('exports as a DOCX with the template’s headings and the old figures', async () => {
    const res = await h.gql(`query($id: ID!) { exportAnnualReport(id: $id, format: DOCX) { filename base64 } }`, { id: reportId }, await token('changshu.admin'));
    expect(res.errors).toBeUndefined();
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(Buffer.from(res.data!.exportAnnualReport.base64, 'base64'));
    const text = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    for (const s of ['常熟市公安局2017年政府信息公开工作年度报告', '一、总体情况', '六、其他需要报告的事项', '附：原报告统计数据', '责任清单合计（项）', '1077']) expect(text).toContain(s);
  });
});
