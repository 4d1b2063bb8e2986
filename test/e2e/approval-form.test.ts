import JSZip from 'jszip';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { startHarness, Role, type Harness } from '../support/harness';
import { catalogueWithItems, publicationApi, WD20 } from '../support/publication-fixtures';

/**
 * 互联网上网信息发布审批表 (002 Attachment 2) as a DOCX: a publication goes through the confidentiality
 * review and both sign-offs, is exported, unzipped, and word/document.xml is read back.
 */
describe('publications: printable approval form (DOCX)', () => {
  let h: Harness;
  let api: ReturnType<typeof publicationApi>;
  const t: Record<string, string> = {};
  let items: Record<string, string>;
  let tokens: { drafter: string; reviewer: string; head: string; leader: string; publisher: string };

  const EXPORT = `query($id: ID!) { exportApprovalForm(publicationId: $id) { filename contentType base64 itemCount } }`;
  const FORM = `query($id: ID!) { publication(id: $id) { approvalForm { date title targetColumn draftingUnit drafter
    unitHeadOpinion { approved opinion name date } leaderOpinion { approved opinion name date }
    confidentialityReview { conclusion reviewer date notes } } } }`;
  const LABELS = ['稿件题目', '拟上网位置或载体', '撰稿单位及撰稿人', '保密审查意见', '单位负责人意见', '局领导审核意见'];
  const cn = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number);
    return `${y}年${m}月${d}日`;
  };
  const documentXml = async (base64: string) => {
    const zip = await JSZip.loadAsync(Buffer.from(base64, 'base64'));
    return zip.file('word/document.xml')!.async('string');
  };
  /** The text of each table cell, in order. */
  const cells = (xml: string) => [...xml.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));

  beforeAll(async () => {
    setFixedToday('2026-11-20');
    h = await startHarness();
    api = publicationApi(h);
    await h.tree({ code: 'city', units: ['city-office'], children: [{ code: 'b1', units: ['b1-sec'] }, { code: 'b2', units: ['b2-sec'] }] });
    const accounts: Array<[string, string, Role[], string?]> = [
      ['b1Admin', 'b1', [Role.AGENCY_ADMIN]],
      ['b1Liaison', 'b1', [Role.UNIT_LIAISON], 'b1-sec'],
      ['b1Head', 'b1', [Role.UNIT_HEAD], 'b1-sec'],
      ['b1Leader', 'b1', [Role.LEADER]],
      ['cityViewer', 'city', [Role.SUPERIOR_VIEWER]],
      ['b2Admin', 'b2', [Role.AGENCY_ADMIN]],
    ];
    for (const [key, agency, roles, unit] of accounts) {
      t[key] = (await h.account({ agency, roles, unit, username: key.toLowerCase() })).token;
    }
    items = (
      await catalogueWithItems(h, 'b1', 2026, [{ category: '政策文件', name: '部门文件', rule: WD20, websiteColumn: '区政府网站政务公开--政策文件--部门文件' }])
    ).items;
    tokens = { drafter: t.b1Liaison!, reviewer: t.b1Head!, head: t.b1Head!, leader: t.b1Leader!, publisher: t.b1Admin! };
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  it('reviewed and signed: the title, every row of Attachment 2, the review and both opinions with dates, blank signature lines', async () => {
    const title = '关于调整户籍业务办理时间的通知';
    const pub = await api.walk(tokens, { catalogueItemId: items['部门文件'], title, formedOn: '2026-11-02' });
    const form = (await api.ok(FORM, { id: pub.id }, t.b1Admin!)).publication.approvalForm;
    expect(form.unitHeadOpinion).toMatchObject({ approved: true });
    expect(form.leaderOpinion).toMatchObject({ approved: true });
    expect(form.confidentialityReview).toMatchObject({ conclusion: 'PASSED', notes: '未发现涉密内容' });

    const file = (await api.ok(EXPORT, { id: pub.id }, t.b1Admin!)).exportApprovalForm;
    expect(file.filename).toBe(`互联网上网信息发布审批表-${title}.docx`);
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(file.itemCount).toBe(1);
    const xml = await documentXml(file.base64);
    const text = xml.replace(/<[^>]+>/g, '');

    // the title first, centred, then the date line of the form
    expect(text.startsWith('互联网上网信息发布审批表')).toBe(true);
    const firstParagraph = xml.match(/<w:p>[\s\S]*?<\/w:p>/)![0];
    expect(firstParagraph).toContain('<w:jc w:val="center"/>');
    expect(firstParagraph).toContain('互联网上网信息发布审批表');
    expect(text.indexOf(cn(form.date))).toBeLessThan(text.indexOf('稿件题目'));

    // one bordered table of label / content rows in the attachment's order
    expect(xml.match(/<w:tbl>/g)).toHaveLength(1);
    expect(xml).toMatch(/<w:tblBorders>[\s\S]*<w:insideH w:val="single"/);
    const c = cells(xml);
    expect(c).toHaveLength(2 * LABELS.length);
    expect(c.filter((_, i) => i % 2 === 0)).toEqual(LABELS);
    const content = (label: string) => c[c.indexOf(label) + 1]!;

    expect(content('稿件题目')).toBe(title);
    expect(content('拟上网位置或载体')).toBe('区政府网站政务公开--政策文件--部门文件');
    expect(content('撰稿单位及撰稿人')).toContain('单位 b1-sec');
    expect(content('撰稿单位及撰稿人')).toContain(form.drafter);
    expect(content('保密审查意见')).toContain('经保密审查，同意公开');
    expect(content('保密审查意见')).toContain('未发现涉密内容');
    expect(content('保密审查意见')).toContain(`审查人：${form.confidentialityReview.reviewer}`);
    expect(content('保密审查意见')).toContain(`审查日期：${cn(form.confidentialityReview.date)}`);
    for (const [label, o] of [['单位负责人意见', form.unitHeadOpinion], ['局领导审核意见', form.leaderOpinion]] as const) {
      expect(content(label)).toContain(`同意。${o.opinion}`);
      expect(content(label)).toContain(`审核人：${o.name}`);
      expect(content(label)).toContain(`审核日期：${cn(o.date)}`);
    }
    expect(content('局领导审核意见')).toContain('同意上网发布');
    // paper signatures: a blank line in every row where a person signs
    for (const label of ['撰稿单位及撰稿人', '保密审查意见', '单位负责人意见', '局领导审核意见']) {
      expect(content(label)).toContain('签字：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日');
    }

    // a superior agency's viewer sees it too
    const up = (await api.ok(EXPORT, { id: pub.id }, t.cityViewer!)).exportApprovalForm;
    expect(up.filename).toBe(file.filename);
  });

  it('a draft: every row is there, unfilled rows stay blank, the date is 年 月 日', async () => {
    const pub = await api.create(t.b1Liaison!, { catalogueItemId: items['部门文件'], title: '草稿/未提交', formedOn: '2026-11-02' });
    const file = (await api.ok(EXPORT, { id: pub.id }, t.b1Liaison!)).exportApprovalForm;
    expect(file.filename).toBe('互联网上网信息发布审批表-草稿_未提交.docx');
    const xml = await documentXml(file.base64);
    const c = cells(xml);
    expect(c.filter((_, i) => i % 2 === 0)).toEqual(LABELS);
    expect(xml.replace(/<[^>]+>/g, '')).toContain('年　　月　　日');
    expect(c[c.indexOf('单位负责人意见') + 1]).toBe('签字：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日');
    expect(c[c.indexOf('保密审查意见') + 1]).toBe('签字：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日');
  });

  it('another agency, or an unknown id: NOT_FOUND', async () => {
    const pub = await api.walk(tokens, { catalogueItemId: items['部门文件'], title: '关于某事项的公告', formedOn: '2026-11-02' });
    for (const id of [pub.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await h.gql(EXPORT, { id }, t.b2Admin!);
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'publicationId' });
    }
  });
});
