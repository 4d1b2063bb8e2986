import fs from 'node:fs';
import path from 'node:path';
import { startHarness, Role, type Harness } from '../support/harness';

const XLSX = fs.readFileSync(path.join(__dirname, '..', '..', 'seeds', 'data', 'yanzhou-2024-catalogue.xlsx'));
const EXPECTED: Array<{ category: string; name: string; units: string[]; timeLimitText: string }> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'seeds', 'data', 'yanzhou-2024-catalogue.expected.json'), 'utf8'),
);

const IMPORT = `mutation($i: ImportCatalogueInput!) { importCatalogue(input: $i) {
  catalogue { id }
  report { ok rowsRead itemsCreated itemsUpdated itemsRemoved unitsCreated problems { row column field severity code message value } } } }`;
const ITEMS = `query($id: ID!) { catalogue(id: $id) { title items(first: 100) { totalCount edges { node {
  id position category name content disclosureType unitsText timeLimitText timeLimitWarning deadlineEvent channels audience
  deadlineRule { kind days hours month day maxAgeDays } responsibleUnits { name } } } } } }`;

describe('disclosure catalogue: the real 兖州 2024 table', () => {
  let h: Harness;
  let admin: string;
  let yanzhouId: string;

  const createCatalogue = async (token: string, agencyId: string, year: number, kind = 'AGENCY') => {
    const res = await h.gql(
      `mutation($i: CreateCatalogueInput!) { createCatalogue(input: $i) { catalogue { id title status } } }`,
      { i: { agencyId, year, kind } },
      token,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.createCatalogue.catalogue.id as string;
  };
  const importFile = (token: string, catalogueId: string, file: Buffer, format = 'XLSX', extra: Record<string, unknown> = {}) =>
    h.gql(IMPORT, { i: { catalogueId, format, fileBase64: file.toString('base64'), ...extra } }, token);

  beforeAll(async () => {
    h = await startHarness();
    await h.seedAgencies();
    yanzhouId = (await h.agency('sd-jining-yanzhou')).id;
    admin = (await h.account({ agency: 'sd-jining-yanzhou', roles: [Role.AGENCY_ADMIN] })).token;
  });
  afterAll(() => h.close());

  it('imports the committed spreadsheet and matches document 002, Attachment 1', async () => {
    const id = await createCatalogue(admin, yanzhouId, 2024);
    const res = await importFile(admin, id, XLSX);
    expect(res.errors).toBeUndefined();
    const report = res.data!.importCatalogue.report;
    expect(report.ok).toBe(true);
    expect(report.rowsRead).toBe(25);
    expect(report.itemsCreated).toBe(25);
    expect(report.problems.filter((p: any) => p.severity === 'ERROR')).toEqual([]);
    // the one wording that is not understood is flagged, not guessed
    const flagged = report.problems.filter((p: any) => p.code === 'UNPARSED_TIME_LIMIT');
    expect(flagged).toHaveLength(1);
    expect(flagged[0].value ?? flagged[0].message).toMatch(/动态跟新/);

    const { data } = await h.gql(ITEMS, { id }, admin);
    const items = data!.catalogue.items.edges.map((e: any) => e.node);
    expect(items).toHaveLength(25);
    expect(items.map((i: any) => [i.category, i.name])).toEqual(EXPECTED.map((e) => [e.category, e.name]));
    const by = (name: string, category?: string) => items.find((i: any) => i.name === name && (!category || i.category === category));
    expect(by('部门会议').responsibleUnits.map((u: any) => u.name).sort()).toEqual(['指挥中心宣传科', '指挥中心秘书科']);
    expect(by('专题展示', '行政执法公示').responsibleUnits.map((u: any) => u.name).sort()).toEqual(['法制大队', '许可服务科']);
    expect(by('治安管理').responsibleUnits.map((u: any) => u.name).sort()).toEqual(['出入境管理大队', '户籍科', '治安大队']);
    expect(by('治安管理').unitsText).toBe('治安大队、户籍科、出入境管理大队、各派出所等有关科室');
    expect(by('部门文件').deadlineRule).toEqual({ kind: 'WORKING_DAYS', days: 20, hours: null, month: null, day: null, maxAgeDays: null });
    expect(by('部门文件').deadlineEvent).toBe('FORMATION_OR_CHANGE');
    expect(by('公务员考录').deadlineRule.days).toBe(21);
    expect(by('政府信息公开年报').deadlineRule).toMatchObject({ kind: 'YEARLY_FIXED_DATE', month: 1, day: 31 });
    expect(by('政府信息公开指南').deadlineRule).toMatchObject({ kind: 'KEEP_CURRENT', maxAgeDays: null });
    expect(by('部门动态').deadlineRule).toBeNull();
    expect(by('部门动态').timeLimitText).toBe('动态跟新');
    expect(by('部门动态').timeLimitWarning).toEqual(expect.any(String));
    expect(by('公告公示').disclosureType).toBeNull();
    expect(by('部门文件').disclosureType).toBe('POLICY');
    expect(items.every((i: any) => i.channels.join() === '政府网站' && i.audience === '全社会')).toBe(true);
  });

  it('round-trips export → import (XLSX and CSV) to the same catalogue', async () => {
    const { data: list } = await h.gql(`{ catalogues(first: 10, filter: { year: 2024 }) { edges { node { id } } } }`, {}, admin);
    const sourceId = list!.catalogues.edges[0].node.id;
    const snapshot = async (id: string) =>
      (await h.gql(ITEMS, { id }, admin)).data!.catalogue.items.edges.map(({ node: { id: _id, ...rest } }: any) => rest);
    const original = await snapshot(sourceId);
    for (const [format, year] of [['XLSX', 2030], ['CSV', 2031]] as const) {
      const exported = await h.gql(`query($id: ID!, $f: SheetFormat!) { exportCatalogue(id: $id, format: $f) { filename contentType base64 itemCount } }`, { id: sourceId, f: format }, admin);
      expect(exported.data!.exportCatalogue.itemCount).toBe(25);
      const target = await createCatalogue(admin, yanzhouId, year);
      const res = await importFile(admin, target, Buffer.from(exported.data!.exportCatalogue.base64, 'base64'), format);
      expect(res.data!.importCatalogue.report.ok).toBe(true);
      expect(await snapshot(target)).toEqual(original);
    }
  });

  it('re-importing keeps item ids (REPLACE updates in place and removes what the table dropped)', async () => {
    const { data: list } = await h.gql(`{ catalogues(first: 10, filter: { year: 2030 }) { edges { node { id } } } }`, {}, admin);
    const id = list!.catalogues.edges[0].node.id;
    const before = (await h.gql(ITEMS, { id }, admin)).data!.catalogue.items.edges.map((e: any) => e.node.id);
    const csv = `目录名称,目录类别,公开内容,公开主体（责任单位）,公开时限\n部门文件,政策文件,本单位发布的文件,指挥中心秘书科,相关信息形成或变更之日起20个工作日内\n`;
    const res = await importFile(admin, id, Buffer.from(csv), 'CSV');
    expect(res.data!.importCatalogue.report).toMatchObject({ ok: true, itemsUpdated: 1, itemsCreated: 0, itemsRemoved: 24 });
    const after = (await h.gql(ITEMS, { id }, admin)).data!.catalogue.items.edges.map((e: any) => e.node.id);
    expect(after).toEqual([before[0]]);
  });

  describe('bad input is reported and nothing is written', () => {
    let emptyId: string;
    beforeAll(async () => {
      emptyId = await createCatalogue(admin, yanzhouId, 2040);
    });
    const itemCount = async () => (await h.gql(ITEMS, { id: emptyId }, admin)).data!.catalogue.items.totalCount;

    it('a wrong file type', async () => {
      const res = await importFile(admin, emptyId, Buffer.from('\x89PNG\r\n\x1a\n0000'), 'XLSX');
      expect(res.data!.importCatalogue.report.ok).toBe(false);
      expect(res.data!.importCatalogue.report.problems[0]).toMatchObject({ severity: 'ERROR', code: 'UNREADABLE_FILE' });
      expect(await itemCount()).toBe(0);
    });

    it('missing headers', async () => {
      const res = await importFile(admin, emptyId, Buffer.from('目录类别,公开内容\n政策文件,文件\n'), 'CSV');
      const codes = res.data!.importCatalogue.report.problems.map((p: any) => p.code);
      expect(codes).toContain('MISSING_HEADER');
      expect(res.data!.importCatalogue.report.problems.find((p: any) => p.code === 'MISSING_HEADER').column).toMatch(/目录名称|公开主体|公开时限/);
      expect(await itemCount()).toBe(0);
    });

    it('duplicate item names in one category and unknown units, row by row', async () => {
      const csv = [
        '目录类别,目录名称,公开内容,政务五公开,公开主体（责任单位）,公开时限,公开方式,公开对象',
        '政策文件,部门文件,文件,政策公开,指挥中心秘书科,相关信息形成或变更之日起20个工作日内,政府网站,全社会',
        ',部门文件,重复,政策公开,指挥中心秘书科,相关信息形成或变更之日起20个工作日内,政府网站,全社会',
        '机构职能,主要职责,职责,管理公开,不存在的科室,相关信息形成或变更之日起20个工作日内,政府网站,全社会',
        '机构职能,机构设置,设置,随便公开,政工室,相关信息形成或变更之日起20个工作日内,政府网站,全社会',
      ].join('\n');
      const res = await importFile(admin, emptyId, Buffer.from(csv), 'CSV');
      const report = res.data!.importCatalogue.report;
      expect(report.ok).toBe(false);
      const find = (code: string) => report.problems.find((p: any) => p.code === code);
      expect(find('DUPLICATE_ITEM')).toMatchObject({ row: 3, severity: 'ERROR' });
      expect(find('UNKNOWN_UNIT')).toMatchObject({ row: 4, severity: 'ERROR', value: '不存在的科室' });
      expect(find('INVALID_DISCLOSURE_TYPE')).toMatchObject({ row: 5, severity: 'ERROR' });
      expect(await itemCount()).toBe(0);

      // asked to, the importer creates the unknown unit instead (the other errors still block)
      const fixed = csv.split('\n').filter((_, i) => i !== 2 && i !== 4).join('\n');
      const created = await importFile(admin, emptyId, Buffer.from(fixed), 'CSV', { createMissingUnits: true });
      expect(created.data!.importCatalogue.report).toMatchObject({ ok: true, unitsCreated: ['不存在的科室'], itemsCreated: 2 });
    });

    it('a deadline rule that contradicts itself or its wording names the field', async () => {
      const add = (deadlineRule: unknown, timeLimitText?: string) =>
        h.gql(`mutation($i: AddCatalogueItemInput!) { addCatalogueItem(input: $i) { item { id } } }`, {
          i: { catalogueId: emptyId, category: '测试', name: `规则${Math.random()}`, deadlineRule, timeLimitText },
        }, admin);
      const a = await add({ kind: 'WORKING_DAYS', days: 20, month: 1 });
      expect(a.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.deadlineRule.month' });
      const b = await add({ kind: 'YEARLY_FIXED_DATE', month: 2, day: 30 });
      expect(b.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.deadlineRule.day' });
      const c = await add({ kind: 'WORKING_DAYS', days: 10 }, '相关信息形成或变更之日起20个工作日内');
      expect(c.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.deadlineRule' });
      const ok = await add({ kind: 'WORKING_DAYS', days: 20 }, '相关信息形成或变更之日起20个工作日内');
      expect(ok.errors).toBeUndefined();
    });
  });

  it('filters items by category, type, responsible unit and text, and counts per type and unit', async () => {
    const { data: list } = await h.gql(`{ catalogues(first: 10, filter: { year: 2024 }) { edges { node { id } } } }`, {}, admin);
    const id = list!.catalogues.edges[0].node.id;
    const unit = await h.unit('sd-jining-yanzhou', 'yanzhou-xukefuwuke');
    const q = `query($id: ID!, $f: CatalogueItemFilter) { catalogueItems(catalogueId: $id, first: 100, filter: $f) { totalCount edges { node { name } } } }`;
    const count = async (f: unknown) => (await h.gql(q, { id, f }, admin)).data!.catalogueItems.totalCount;
    expect(await count({ category: '组织管理' })).toBe(3);
    expect(await count({ disclosureType: 'SERVICE' })).toBe(5);
    expect(await count({ unitId: unit.id })).toBe(EXPECTED.filter((e) => e.units.some((u) => u.startsWith('许可服务科'))).length);
    expect(await count({ text: '年报' })).toBe(2); // 政府信息公开年报, and 统计年报 in 行政执法公示's content
    expect(await count({ text: '政府信息公开年报' })).toBe(1);
    expect(await count({ timeLimitFlagged: true })).toBe(1);
    const counts = await h.gql(`query($id: ID!) { catalogue(id: $id) { countsByType { disclosureType count } countsByUnit { unit { name } count } } }`, { id }, admin);
    const byType = Object.fromEntries(counts.data!.catalogue.countsByType.map((c: any) => [c.disclosureType ?? 'BLANK', c.count]));
    expect(byType).toEqual({ POLICY: 2, MANAGEMENT: 8, EXECUTION: 4, RESULT: 1, DECISION: 1, SERVICE: 5, BLANK: 4 } as Record<string, number>);
    const byUnit = Object.fromEntries(counts.data!.catalogue.countsByUnit.map((c: any) => [c.unit.name, c.count]));
    expect(byUnit['许可服务科']).toBe(8);
    expect(byUnit['指挥中心秘书科']).toBe(8);
    expect(byUnit['政工室']).toBe(4);
  });

  it('lets a unit liaison keep its own items current, and nothing more', async () => {
    const liaison = (await h.account({ agency: 'sd-jining-yanzhou', roles: [Role.UNIT_LIAISON], unit: 'yanzhou-mishuke' })).token;
    const { data: list } = await h.gql(`{ catalogues(first: 10, filter: { year: 2024 }) { edges { node { id } } } }`, {}, admin);
    const items = (await h.gql(ITEMS, { id: list!.catalogues.edges[0].node.id }, liaison)).data!.catalogue.items.edges.map((e: any) => e.node);
    const own = items.find((i: any) => i.name === '部门文件');
    const other = items.find((i: any) => i.name === '治安管理');
    const update = (i: Record<string, unknown>) =>
      h.gql(`mutation($i: UpdateCatalogueItemInput!) { updateCatalogueItem(input: $i) { item { content websiteColumn } } }`, { i }, liaison);
    const ok = await update({ id: own.id, content: '本单位发布的规范性文件', websiteColumn: '政务公开--政策文件--部门文件' });
    expect(ok.data!.updateCatalogueItem.item).toEqual({ content: '本单位发布的规范性文件', websiteColumn: '政务公开--政策文件--部门文件' });
    expect((await update({ id: other.id, content: '不是本单位的' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await update({ id: own.id, name: '改名' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('copies last year’s catalogue as this year’s draft in one mutation', async () => {
    const { data: list } = await h.gql(`{ catalogues(first: 10, filter: { year: 2024 }) { edges { node { id } } } }`, {}, admin);
    const res = await h.gql(
      `mutation($i: CopyCatalogueInput!) { copyCatalogue(input: $i) { catalogue { id title year status items(first: 100) { totalCount } countsByUnit { count } } } }`,
      { i: { sourceCatalogueId: list!.catalogues.edges[0].node.id, year: 2025 } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.copyCatalogue.catalogue).toMatchObject({ title: '2025年济宁市公安局兖州分局主动公开基本目录', year: 2025, status: 'DRAFT', items: { totalCount: 25 } });
    const again = await h.gql(`mutation($i: CopyCatalogueInput!) { copyCatalogue(input: $i) { catalogue { id } } }`, { i: { sourceCatalogueId: list!.catalogues.edges[0].node.id, year: 2025 } }, admin);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.year' });
  });
});
