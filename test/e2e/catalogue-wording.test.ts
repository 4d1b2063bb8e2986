import fs from 'node:fs';
import path from 'node:path';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * Issue 12 part 6: a rule set by hand keeps the item's original time-limit wording beside it, and the
 * import report says per item whether it was created, changed (which fields) or left unchanged.
 */
const XLSX = fs.readFileSync(path.join(__dirname, '..', '..', 'seeds', 'data', 'yanzhou-2024-catalogue.xlsx'));

const IMPORT = `mutation($i: ImportCatalogueInput!) { importCatalogue(input: $i) {
  report { ok rowsRead itemsCreated itemsUpdated itemsUnchanged itemsRemoved
    problems { row severity code value }
    items { row itemId category name change fields } } } }`;
const ITEMS = `query($id: ID!) { catalogue(id: $id) { items(first: 100) { totalCount edges { node {
  id name category content timeLimitText timeLimitWarning deadlineRuleText deadlineEvent updatedAt
  deadlineRule { kind days maxAgeDays } } } } } }`;
const UPDATE = `mutation($i: UpdateCatalogueItemInput!) { updateCatalogueItem(input: $i) { item {
  id timeLimitText timeLimitWarning deadlineRuleText deadlineRule { kind days maxAgeDays } } } }`;
const EXPORT = `query($id: ID!, $f: SheetFormat!) { exportCatalogue(id: $id, format: $f) { base64 itemCount } }`;

describe('catalogue: original wording kept, per-item import report', () => {
  let h: Harness;
  let admin: string;
  let catalogueId: string;

  const items = async () => (await h.gql(ITEMS, { id: catalogueId }, admin)).data!.catalogue.items.edges.map((e: any) => e.node);
  const item = async (name: string) => (await items()).find((i: any) => i.name === name);
  const importFile = (file: Buffer, format: 'XLSX' | 'CSV', mode = 'REPLACE') =>
    h.gql(IMPORT, { i: { catalogueId, format, mode, fileBase64: file.toString('base64') } }, admin);
  const exportFile = async (format: 'XLSX' | 'CSV') => {
    const res = await h.gql(EXPORT, { id: catalogueId, f: format }, admin);
    expect(res.errors).toBeUndefined();
    return Buffer.from(res.data!.exportCatalogue.base64, 'base64');
  };
  /** What a write would move: the items' newest updated_at and count, and the catalogue's revision and updated_at. */
  const footprint = async () => {
    const conn = h.em().getConnection();
    const [i] = await conn.execute(`select count(*)::int as n, max(updated_at) as m from catalogue_item where catalogue_id = ?`, [catalogueId]);
    const [c] = await conn.execute(`select revision, updated_at from catalogue where id = ?`, [catalogueId]);
    const [u] = await conn.execute(
      `select count(*)::int as n from catalogue_item_unit p join catalogue_item i on i.id = p.item_id where i.catalogue_id = ?`,
      [catalogueId],
    );
    return { items: i.n, itemsUpdatedAt: new Date(i.m).toISOString(), revision: c.revision, catalogueUpdatedAt: new Date(c.updated_at).toISOString(), links: u.n };
  };

  beforeAll(async () => {
    h = await startHarness();
    await h.seedAgencies();
    const yanzhouId = (await h.agency('sd-jining-yanzhou')).id;
    admin = (await h.account({ agency: 'sd-jining-yanzhou', roles: [Role.AGENCY_ADMIN] })).token;
    const created = await h.gql(
      `mutation($i: CreateCatalogueInput!) { createCatalogue(input: $i) { catalogue { id } } }`,
      { i: { agencyId: yanzhouId, year: 2024 } },
      admin,
    );
    catalogueId = created.data!.createCatalogue.catalogue.id;
    const res = await importFile(XLSX, 'XLSX');
    expect(res.data!.importCatalogue.report).toMatchObject({ ok: true, itemsCreated: 25, itemsUpdated: 0, itemsUnchanged: 0 });
    const report = res.data!.importCatalogue.report;
    expect(report.items).toHaveLength(25);
    expect(report.items.every((i: any) => i.change === 'CREATED' && i.fields.length === 0 && typeof i.row === 'number')).toBe(true);
  });
  afterAll(() => h.close());

  it('a rule set by hand on the flagged item keeps its wording "动态跟新" beside the rule', async () => {
    const flagged = await item('部门动态');
    expect(flagged).toMatchObject({ timeLimitText: '动态跟新', deadlineRule: null, deadlineRuleText: null });
    expect(flagged.timeLimitWarning).toEqual(expect.any(String));

    const res = await h.gql(UPDATE, { i: { id: flagged.id, deadlineRule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 } } }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateCatalogueItem.item).toMatchObject({
      timeLimitText: '动态跟新',
      timeLimitWarning: null,
      deadlineRule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 },
      deadlineRuleText: '动态更新，最长30日',
    });
    // and it stays so when read back
    expect(await item('部门动态')).toMatchObject({ timeLimitText: '动态跟新', deadlineRule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 } });
  });

  it('a rule alone that contradicts readable wording is refused rather than rewriting the wording', async () => {
    const doc = await item('部门文件');
    const res = await h.gql(UPDATE, { i: { id: doc.id, deadlineRule: { kind: 'CALENDAR_DAYS', days: 10 } } }, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.deadlineRule' });
    expect(await item('部门文件')).toMatchObject({ timeLimitText: doc.timeLimitText, deadlineRule: doc.deadlineRule });
    // the same rule as the wording is accepted and leaves the wording as written
    const same = await h.gql(UPDATE, { i: { id: doc.id, deadlineRule: { kind: 'WORKING_DAYS', days: 20 } } }, admin);
    expect(same.errors).toBeUndefined();
    expect(same.data!.updateCatalogueItem.item.timeLimitText).toBe(doc.timeLimitText);
  });

  it.each(['XLSX', 'CSV'] as const)('re-importing an unchanged %s export reports 25 unchanged and writes nothing', async (format) => {
    const file = await exportFile(format);
    const before = await footprint();
    const itemsBefore = await items();
    const res = await importFile(file, format);
    expect(res.errors).toBeUndefined();
    const report = res.data!.importCatalogue.report;
    expect(report).toMatchObject({ ok: true, rowsRead: 25, itemsCreated: 0, itemsUpdated: 0, itemsUnchanged: 25, itemsRemoved: 0 });
    expect(report.items).toHaveLength(25);
    expect(report.items.filter((i: any) => i.change !== 'UNCHANGED' || i.fields.length > 0)).toEqual([]);
    expect(report.items.map((i: any) => i.itemId).sort()).toEqual(itemsBefore.map((i: any) => i.id).sort());
    // the hand-set rule survives beside its wording, and the row is no longer flagged
    expect(report.problems.filter((p: any) => p.code === 'UNPARSED_TIME_LIMIT')).toEqual([]);
    expect(await item('部门动态')).toMatchObject({ timeLimitText: '动态跟新', timeLimitWarning: null, deadlineRule: { kind: 'KEEP_CURRENT', maxAgeDays: 30 } });
    // nothing written: no updated_at moved, no revision bump, links intact
    expect(await footprint()).toEqual(before);
    expect(await items()).toEqual(itemsBefore);
  });

  it('an edited cell gives CHANGED naming that field, and only that item is written', async () => {
    const csv = (await exportFile('CSV')).toString('utf8');
    const target = await item('政府信息公开指南');
    expect(csv.split(target.content).length).toBe(2); // the content occurs once
    const edited = csv.replace(target.content, `${target.content}（已修订）`);
    const before = await footprint();
    const res = await importFile(Buffer.from(edited, 'utf8'), 'CSV');
    const report = res.data!.importCatalogue.report;
    expect(report).toMatchObject({ ok: true, itemsCreated: 0, itemsUpdated: 1, itemsUnchanged: 24, itemsRemoved: 0 });
    const changed = report.items.filter((i: any) => i.change !== 'UNCHANGED');
    expect(changed).toEqual([{ row: expect.any(Number), itemId: target.id, category: target.category, name: '政府信息公开指南', change: 'CHANGED', fields: ['content'] }]);
    expect((await item('政府信息公开指南')).content).toBe(`${target.content}（已修订）`);
    const after = await footprint();
    expect(after.revision).toBe(before.revision); // an agency catalogue has no revisions; only standards bump
    expect(after.items).toBe(before.items);
    expect(after.itemsUpdatedAt > before.itemsUpdatedAt).toBe(true);
  });

  it('a changed time limit names the wording and the rule; a dropped row is REMOVED', async () => {
    const csv = (await exportFile('CSV')).toString('utf8');
    const lines = csv.split(/\r?\n/);
    const annual = lines.findIndex((l) => l.includes('政府信息公开年报'));
    const annualItem = await item('政府信息公开年报');
    lines[annual] = lines[annual].replace(annualItem.timeLimitText, '每年的3月31日前公开');
    const dropped = lines.findIndex((l) => l.includes('部门会议'));
    const droppedItem = await item('部门会议');
    lines.splice(dropped, 1);
    const res = await importFile(Buffer.from(lines.join('\n'), 'utf8'), 'CSV');
    const report = res.data!.importCatalogue.report;
    expect(report).toMatchObject({ ok: true, itemsCreated: 0, itemsRemoved: 1 });
    const byName = (name: string) => report.items.find((i: any) => i.name === name);
    expect(byName('政府信息公开年报')).toMatchObject({ change: 'CHANGED', fields: expect.arrayContaining(['timeLimitText', 'deadlineRule']) });
    expect(byName('政府信息公开年报').fields).not.toContain('content');
    expect(byName('部门会议')).toMatchObject({ row: null, itemId: droppedItem.id, change: 'REMOVED', fields: [] });
    expect(report.itemsUpdated + report.itemsUnchanged).toBe(24);
    expect(report.items.filter((i: any) => i.change === 'CHANGED').length).toBe(report.itemsUpdated);
  });
});
