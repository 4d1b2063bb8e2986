import fs from 'node:fs';
import path from 'node:path';
import { readPlanSheet } from '../../../src/modules/plan/plan-sheet';
import { zipBoundsProblem } from '../../../src/spreadsheets/zip-bounds';
import { makeZip } from '../../support/xlsx-parts';

describe('zip bounds of an .xlsx upload, checked before it is parsed', () => {
  it('accepts the committed workbooks and a small honest archive', () => {
    for (const f of ['shanwei-2022-plan.xlsx', 'yanzhou-2024-catalogue.xlsx']) {
      expect(zipBoundsProblem(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'seeds', 'data', f)))).toBeNull();
    }
    expect(zipBoundsProblem(makeZip([{ name: 'a.xml', data: Buffer.from('<a/>') }]))).toBeNull();
  });

  it('refuses an entry that inflates far beyond its size (a zip bomb), by its declared size', () => {
    const bomb = makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(60 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(zipBoundsProblem(bomb)).toMatch(/beyond the limit|compression ratio/);
  });

  it('refuses an archive whose directory understates an entry: inflation stops at the declared size', () => {
    const liar = makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(8 * 1024 * 1024, 0x41), declared: 1000 }]);
    expect(zipBoundsProblem(liar)).toMatch(/declared size/);
  });

  it('refuses too many entries and a truncated archive', () => {
    const many = makeZip(Array.from({ length: 600 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    expect(zipBoundsProblem(many)).toMatch(/too many zip entries/);
    const whole = makeZip([{ name: 'a.xml', data: Buffer.from('<a/>') }]);
    expect(zipBoundsProblem(whole.subarray(0, whole.length - 30))).toMatch(/zip directory/);
  });

  it('an importer reports the bomb as a file-level problem instead of parsing it', async () => {
    const bomb = makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(60 * 1024 * 1024) }]);
    const sheet = await readPlanSheet(bomb, 'XLSX');
    expect(sheet.rows).toEqual([]);
    expect(sheet.problems).toEqual([expect.objectContaining({ row: null, severity: 'ERROR', message: expect.stringMatching(/beyond the limit|compression ratio/) })]);
  });
});
