import fs from 'node:fs';
import path from 'node:path';
import { CATALOGUE_SHEET_SPEC, readCatalogueSheet, writeCatalogueSheet } from '../../../src/modules/catalogue/catalogue-sheet';
import { PLAN_SHEET_SPEC, readPlanSheet, writePlanSheet } from '../../../src/modules/plan/plan-sheet';
import { readSheet } from '../../../src/spreadsheets/sheet-reader';
import { configureSheetWorker, liveSheetWorkers, readSheetInWorker, writeSheetInWorker } from '../../../src/spreadsheets/sheet-worker';
import { zipBoundsProblem } from '../../../src/spreadsheets/zip-bounds';
import { rowBombXlsx, wideRowXlsx } from '../../support/row-bomb';

/**
 * The worker path is the real one: a thread started from the TypeScript sources through
 * @swc-node/register (as `npm start` runs), with the limits applied. Each worker takes about a
 * second to start on a busy machine, so this file keeps to a handful.
 */
const seed = (f: string) => fs.readFileSync(path.join(__dirname, '..', '..', '..', 'seeds', 'data', f));

describe('spreadsheets parsed and written in a worker thread', () => {
  afterEach(() => {
    expect(liveSheetWorkers()).toBe(0);
  });

  it('reads exactly what the in-process reader reads (XLSX and CSV) and writes the same bytes', async () => {
    const catalogue = seed('yanzhou-2024-catalogue.xlsx');
    const inWorker = await readCatalogueSheet(catalogue, 'XLSX', readSheetInWorker);
    expect(inWorker).toEqual(await readCatalogueSheet(catalogue, 'XLSX'));
    expect(inWorker.rows.length).toBeGreaterThan(10);

    const plan = seed('shanwei-2022-plan.xlsx');
    expect(await readPlanSheet(plan, 'XLSX', readSheetInWorker)).toEqual(await readPlanSheet(plan, 'XLSX'));

    const rows = inWorker.rows.map((r) => r.cells);
    const xlsx = await writeCatalogueSheet('目录', rows, 'XLSX', writeSheetInWorker);
    expect(Buffer.isBuffer(xlsx)).toBe(true);
    expect(xlsx.equals(await writeCatalogueSheet('目录', rows, 'XLSX'))).toBe(true);
    const csv = await writeCatalogueSheet('目录', rows, 'CSV');
    expect(await readSheetInWorker(CATALOGUE_SHEET_SPEC, csv, 'CSV')).toEqual(await readSheet(CATALOGUE_SHEET_SPEC, csv, 'CSV'));
    const planRows = (await readPlanSheet(plan, 'XLSX')).rows.map((r) => r.cells);
    expect((await writePlanSheet('方案', planRows, 'XLSX', writeSheetInWorker)).equals(await writePlanSheet('方案', planRows, 'XLSX'))).toBe(true);
  });

  it('stops a parse that outlives its time limit and refuses the file naming the field', async () => {
    // 20 ms cannot cover even the worker's start (loading the TypeScript hook and exceljs), let
    // alone the parse: the limit is certain to strike, however fast or busy the machine.
    const previous = configureSheetWorker({ timeoutMs: 20 });
    try {
      await expect(readSheetInWorker(PLAN_SHEET_SPEC, seed('shanwei-2022-plan.xlsx'), 'XLSX', 'input.file')).rejects.toMatchObject({
        message: expect.stringContaining('took too long'),
        extensions: { code: 'BAD_USER_INPUT', field: 'input.file', limit: 'TIME' },
      });
    } finally {
      configureSheetWorker(previous);
    }
  });

  it('ends a parse that runs out of its heap and refuses the file; the process carries on', async () => {
    // Rows stream, but a single row is parsed whole: 500,000 cells in one row need well over 64 MB
    // (the worker itself starts in about 30).
    const wide = wideRowXlsx();
    expect(zipBoundsProblem(wide)).toBeNull();
    const previous = configureSheetWorker({ maxOldGenerationSizeMb: 64 });
    try {
      await expect(readSheetInWorker(CATALOGUE_SHEET_SPEC, wide, 'XLSX')).rejects.toMatchObject({
        message: expect.stringContaining('more memory than allowed'),
        extensions: { code: 'BAD_USER_INPUT', field: 'input.fileBase64', limit: 'MEMORY' },
      });
    } finally {
      configureSheetWorker(previous);
    }
    // The next job gets a fresh worker with the usual limits.
    expect((await readPlanSheet(seed('shanwei-2022-plan.xlsx'), 'XLSX', readSheetInWorker)).rows.length).toBeGreaterThan(0);
  });

  it('stops a file of 50,000 short rows at the row limit, well within a heap the whole-workbook load exceeded', async () => {
    // The whole-workbook load needed about 160 MB for this file and was ended by a 64 MB limit;
    // streaming reads 5,001 rows and stops, within 40 MB (the worker itself starts in about 30).
    const bomb = await rowBombXlsx();
    const previous = configureSheetWorker({ maxOldGenerationSizeMb: 40 });
    try {
      const sheet = await readSheetInWorker(CATALOGUE_SHEET_SPEC, bomb, 'XLSX');
      expect(sheet.problems).toEqual([expect.objectContaining({ row: null, code: 'TOO_MANY_ROWS' })]);
      expect(sheet.rows).toHaveLength(5000);
    } finally {
      configureSheetWorker(previous);
    }
  });
});
