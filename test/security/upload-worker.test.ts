import { SHEET_COLUMNS, writeCatalogueSheet, type SheetColumn } from '../../src/modules/catalogue/catalogue-sheet';
import { sheetSlotUsage } from '../../src/spreadsheets/sheet-slots';
import { configureSheetWorker, liveSheetWorkers } from '../../src/spreadsheets/sheet-worker';
import { rowBombXlsx, wideRowXlsx } from '../support/row-bomb';
import { minimalXlsx } from '../support/xlsx-parts';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * Uploaded spreadsheets are parsed in a worker thread with a heap and a wall-clock limit
 * (src/spreadsheets/sheet-worker.ts): a file that exceeds either is refused as BAD_USER_INPUT
 * naming the field, the service carries on, and while an honest import is being parsed other
 * tenants are answered. The server runs in this process, on the same event loop as the test: a
 * parse on the loop would hold up the test's own requests too.
 */

const IMPORT = `mutation($i: ImportCatalogueInput!) {
  importCatalogue(input: $i) { report { ok rowsRead problems { code message } } } }`;
const ME = `{ me { username agency { code } } }`;

/** Generous: a worker takes about a second to start on a busy machine; nothing here measures speed. */
async function until(condition: () => boolean, what: string, budgetMs = 60_000): Promise<void> {
  const deadline = Date.now() + budgetMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('uploads are parsed off the event loop, within limits', () => {
  let h: Harness;
  let adminA: string;
  let userB: string;
  let catalogueId: string;
  let honest: Buffer;

  const importFile = (file: Buffer, format: 'CSV' | 'XLSX') =>
    h.gql(IMPORT, { i: { catalogueId, format, fileBase64: file.toString('base64') } }, adminA);

  /** The service is up and idle: /healthz, another tenant's query, no worker or slot left behind. */
  const expectServiceUp = async () => {
    expect((await fetch(h.url.replace(/\/graphql$/, '/healthz'))).status).toBe(200);
    const me = await h.gql(ME, {}, userB);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.agency.code).toBe('b');
    expect(liveSheetWorkers()).toBe(0);
    expect(sheetSlotUsage()).toEqual({ running: 0, waiting: 0 });
  };

  beforeAll(async () => {
    h = await startHarness();
    await h.tree([{ code: 'a', units: ['office'] }, { code: 'b' }]);
    adminA = (await h.account({ agency: 'a', roles: [Role.AGENCY_ADMIN] })).token;
    userB = (await h.account({ agency: 'b', roles: [Role.AGENCY_ADMIN] })).token;
    const created = await h.gql(
      `mutation($i: CreateCatalogueInput!) { createCatalogue(input: $i) { catalogue { id } } }`,
      { i: { agencyId: (await h.agency('a')).id, year: 2024, kind: 'AGENCY' } },
      adminA,
    );
    expect(created.errors).toBeUndefined();
    catalogueId = created.data!.createCatalogue.catalogue.id;
    // The largest catalogue accepted: 5,000 items, as a CSV of about 0.9 MB. The reader streams its
    // rows in pieces, but decoding, checking and mapping 5,000 rows still hold a thread for long
    // stretches; in the worker, the event loop answers other tenants throughout.
    const rows = Array.from({ length: 5000 }, (_, i) => {
      const cells = Object.fromEntries(SHEET_COLUMNS.map((c) => [c, ''])) as Record<SheetColumn, string>;
      cells.category = `类别 ${Math.floor(i / 100)}`;
      cells.name = `事项 ${i}`;
      cells.content = `第 ${i} 项公开内容，依据有关规定公开`;
      cells.units = '单位 office';
      cells.timeLimit = '相关信息形成或变更之日起20个工作日内';
      return cells;
    });
    honest = await writeCatalogueSheet('测试目录', rows, 'CSV');
    expect(honest.length).toBeGreaterThan(600 * 1024);
    expect(honest.length).toBeLessThan(1024 * 1024);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("answers another tenant while a large honest import is being parsed, and then imports it", async () => {
    let importDone = false;
    const importing = importFile(honest, 'CSV').finally(() => {
      importDone = true;
    });
    await until(() => liveSheetWorkers() === 1, 'the import to reach its worker');

    // Ordering, not timing: both answers arrive while the file is still being parsed.
    const health = await fetch(h.url.replace(/\/graphql$/, '/healthz'));
    expect(health.status).toBe(200);
    const me = await h.gql(ME, {}, userB);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.agency.code).toBe('b');
    expect(sheetSlotUsage().running).toBe(1);
    expect(importDone).toBe(false);

    const res = await importing;
    expect(res.errors).toBeUndefined();
    expect(res.data!.importCatalogue.report).toMatchObject({ ok: true, rowsRead: 5000, problems: [] });
    await expectServiceUp();
  });

  it('stops a parse that exceeds the time limit and refuses the file naming the field', async () => {
    // 20 ms covers not even the worker's start: the limit is certain to strike on any machine.
    const previous = configureSheetWorker({ timeoutMs: 20 });
    try {
      const res = await importFile(honest, 'CSV');
      expect(res.status).toBe(200);
      expect(res.data).toBeNull();
      // The refusal, then the mutation's usual ROLLED_BACK (nothing was written); never a 500.
      expect(res.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT', 'ROLLED_BACK']);
      expect(res.errors![0]).toMatchObject({
        message: expect.stringMatching(/^input\.fileBase64: .*took too long/),
        extensions: { code: 'BAD_USER_INPUT', field: 'input.fileBase64', limit: 'TIME' },
      });
    } finally {
      configureSheetWorker(previous);
    }
    await expectServiceUp();
  });

  it('refuses a file whose parse would exhaust the memory limit; the service stays up', async () => {
    // Rows stream and stop at the row limit, but one row is parsed whole: 500,000 cells in a single
    // row (0.3 MB, within the zip bounds) need well over a 64 MB heap (the worker itself starts in
    // about 30).
    const wide = wideRowXlsx();
    const previous = configureSheetWorker({ maxOldGenerationSizeMb: 64 });
    try {
      const res = await importFile(wide, 'XLSX');
      expect(res.status).toBe(200);
      // The refusal, then the mutation's usual ROLLED_BACK (nothing was written); never a 500.
      expect(res.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT', 'ROLLED_BACK']);
      expect(res.errors![0]).toMatchObject({
        message: expect.stringMatching(/^input\.fileBase64: .*more memory than allowed/),
        extensions: { code: 'BAD_USER_INPUT', field: 'input.fileBase64', limit: 'MEMORY' },
      });
    } finally {
      configureSheetWorker(previous);
    }
    await expectServiceUp();
  });

  it('reports a file of 50,000 short rows as too many rows, read within the heap limit it used to exhaust', async () => {
    // 0.9 MB within the zip bounds: the whole-workbook load needed about 160 MB of heap for it;
    // streaming stops at row 5,001.
    const bomb = await rowBombXlsx();
    const previous = configureSheetWorker({ maxOldGenerationSizeMb: 64 });
    try {
      const res = await importFile(bomb, 'XLSX');
      expect(res.errors).toBeUndefined();
      expect(res.data!.importCatalogue.report.ok).toBe(false);
      // Its 5,000 rows read are reported too (unknown units, duplicates), the row limit among them.
      expect(res.data!.importCatalogue.report.problems).toContainEqual(
        expect.objectContaining({ code: 'TOO_MANY_ROWS', message: expect.stringContaining('more than 5000 rows') }),
      );
    } finally {
      configureSheetWorker(previous);
    }
    await expectServiceUp();
  });

  it('refuses a zip bomb — one cell that inflates 1,000:1 to 40 MB — before inflating it, echoing no more than a prefix', async () => {
    // The attack of the hardening issue: a small .xlsx whose one cell inflates to hundreds of MB was
    // parsed whole and echoed back whole. The zip directory is checked first (entry size, ratio).
    const cell = 'A'.repeat(40 * 1024 * 1024);
    const bomb = minimalXlsx(`<row r="1"><c r="A1" t="inlineStr"><is><t>${cell}</t></is></c></row>`);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const items = async () =>
      (await h.em().getConnection().execute(`select count(*)::int as n from catalogue_item where catalogue_id = ?`, [catalogueId]))[0]!.n;
    const before = await items();
    const res = await importFile(bomb, 'XLSX');
    expect(res.errors).toBeUndefined();
    const report = res.data!.importCatalogue.report;
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ code: 'UNREADABLE_FILE' })]);
    expect(JSON.stringify(res).length).toBeLessThan(2000);
    expect(await items()).toBe(before);
    await expectServiceUp();
  });
});
