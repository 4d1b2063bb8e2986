import fs from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { readPlanSheet } from '../../../src/modules/plan/plan-sheet';
import { zipBoundsProblem } from '../../../src/spreadsheets/zip-bounds';

/** A minimal zip archive; `declared` overrides an entry's uncompressed size in both headers (a lying archive). */
function makeZip(entries: Array<{ name: string; data: Buffer; declared?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = deflateRawSync(e.data);
    const size = e.declared ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(e.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(e.data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(dir.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, eocd]);
}

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
