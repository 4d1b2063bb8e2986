import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * OWASP "CSV injection": text planted in a catalogue through the API must not become a live formula
 * in the spreadsheet a colleague opens after exporting. Every formula-leading cell is written with a
 * leading `'`, and importing the export gives back exactly what was planted.
 */

const PAYLOADS = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", '@SUM(1+1)', '-2+3'];
const DANGEROUS = /^[=+\-@\t\r]/;

const ITEMS = `query($id: ID!) { catalogue(id: $id) { items(first: 100) { edges { node {
  category name content unitsText timeLimitText channels audience legalBasis websiteColumn } } } } }`;
const EXPORT = `query($id: ID!, $f: SheetFormat!) { exportCatalogue(id: $id, format: $f) { base64 itemCount } }`;
const IMPORT = `mutation($i: ImportCatalogueInput!) { importCatalogue(input: $i) { report { ok problems { code message } } } }`;

describe('catalogue exports neutralise formula-leading cells', () => {
  let h: Harness;
  let admin: string;
  let liaison: string;
  let agencyId: string;
  let catalogueId: string;

  const createCatalogue = async (year: number) => {
    const res = await h.gql(
      `mutation($i: CreateCatalogueInput!) { createCatalogue(input: $i) { catalogue { id } } }`,
      { i: { agencyId, year, kind: 'AGENCY' } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.createCatalogue.catalogue.id as string;
  };
  const items = async (id: string) =>
    (await h.gql(ITEMS, { id }, admin)).data!.catalogue.items.edges.map((e: any) => e.node);
  const exportFile = async (format: 'CSV' | 'XLSX') => {
    const res = await h.gql(EXPORT, { id: catalogueId, f: format }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data!.exportCatalogue.itemCount).toBe(PAYLOADS.length);
    return Buffer.from(res.data!.exportCatalogue.base64, 'base64');
  };

  beforeAll(async () => {
    h = await startHarness();
    await h.seedAgencies();
    agencyId = (await h.agency('sd-jining-yanzhou')).id;
    const unit = await h.unit('sd-jining-yanzhou', 'yanzhou-mishuke');
    admin = (await h.account({ agency: 'sd-jining-yanzhou', roles: [Role.AGENCY_ADMIN] })).token;
    liaison = (await h.account({ agency: 'sd-jining-yanzhou', roles: [Role.UNIT_LIAISON], unit: 'yanzhou-mishuke' })).token;
    catalogueId = await createCatalogue(2024);

    // The administrator plants the payloads in item names; the unit liaison, allowed to keep its own
    // items' details current, plants them in the content.
    for (const [i, payload] of PAYLOADS.entries()) {
      const added = await h.gql(
        `mutation($i: AddCatalogueItemInput!) { addCatalogueItem(input: $i) { item { id name } } }`,
        {
          i: {
            catalogueId,
            category: '政策文件',
            name: payload,
            content: `内容 ${i}`,
            unitIds: [unit.id],
            timeLimitText: '相关信息形成或变更之日起20个工作日内',
          },
        },
        admin,
      );
      expect(added.errors).toBeUndefined();
      expect(added.data!.addCatalogueItem.item.name).toBe(payload);
      const updated = await h.gql(
        `mutation($i: UpdateCatalogueItemInput!) { updateCatalogueItem(input: $i) { item { content } } }`,
        { i: { id: added.data!.addCatalogueItem.item.id, content: payload } },
        liaison,
      );
      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateCatalogueItem.item.content).toBe(payload);
    }
  });
  afterAll(() => h.close());

  const expectNeutralised = (cells: string[]) => {
    const planted = cells.filter((c) => PAYLOADS.some((p) => c.endsWith(p)));
    // Every payload appears twice (name and content), each time behind a quote.
    expect(planted).toHaveLength(PAYLOADS.length * 2);
    for (const c of cells) expect(c).not.toMatch(DANGEROUS);
    for (const c of planted) expect(PAYLOADS.map((p) => `'${p}`)).toContain(c);
  };

  it('CSV: every formula-leading cell starts with a quote', async () => {
    const text = (await exportFile('CSV')).toString('utf8').replace(/^\uFEFF/, '');
    const records = parse(text, { relax_column_count: true }) as string[][];
    expectNeutralised(records.flat());
  });

  it('XLSX: every formula-leading cell is a text cell starting with a quote', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportFile('XLSX')) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const cells: string[] = [];
    wb.worksheets[0]!.eachRow((row) =>
      row.eachCell((cell) => {
        // A formula cell would carry { formula } instead of a plain string.
        expect(typeof cell.value).toBe('string');
        cells.push(cell.value as string);
      }),
    );
    expectNeutralised(cells);
  });

  it('re-importing the exports gives back the planted items unchanged', async () => {
    const original = await items(catalogueId);
    expect(original.map((i: any) => i.name)).toEqual(PAYLOADS);
    for (const [format, year] of [['XLSX', 2040], ['CSV', 2041]] as const) {
      const file = await exportFile(format);
      const target = await createCatalogue(year);
      const res = await h.gql(IMPORT, { i: { catalogueId: target, format, fileBase64: file.toString('base64') } }, admin);
      expect(res.errors).toBeUndefined();
      expect(res.data!.importCatalogue.report.ok).toBe(true);
      expect(await items(target)).toEqual(original);
    }
  });
});
