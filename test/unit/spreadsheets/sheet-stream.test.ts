import { CATALOGUE_SHEET_SPEC, readCatalogueSheet } from '../../../src/modules/catalogue/catalogue-sheet';
import { readSheet } from '../../../src/spreadsheets/sheet-reader';
import { MAX_SHEET_BYTES } from '../../../src/spreadsheets/upload';
import { zipBoundsProblem } from '../../../src/spreadsheets/zip-bounds';
import { minimalXlsx } from '../../support/xlsx-parts';

/**
 * Rows are read as a stream and reading stops at the row limit. "Stops" is shown by behaviour, not
 * by timing: each large file below is damaged at its very end, so a reader that went on past the
 * limit would report the damage (UNREADABLE_FILE) instead of the row limit. The control files carry
 * the same damage within the limit and are refused as damaged, so the damage is one a reader notices.
 */

const HEADERS = ['目录类别', '目录名称', '公开内容', '公开主体', '公开时限'];

/** A catalogue .xlsx of `rows` one-cell data rows (a shared string), optionally damaged after the last. */
function xlsxRows(rows: number, damaged: boolean): Buffer {
  const head = `<row r="1">${HEADERS.map((_, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('')}</row>`;
  const body: string[] = [head];
  // The first data row names the category; the rest continue it (an empty 目录类别 continues the one above).
  body.push(`<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>5</v></c></row>`);
  for (let r = 3; r <= rows + 1; r++) body.push(`<row r="${r}"><c r="B${r}" t="s"><v>5</v></c></row>`);
  // A closing tag that matches nothing: the XML parser fails as soon as it gets there.
  if (damaged) body.push(`<row r="${rows + 2}"><c r="B${rows + 2}"></row>`);
  return minimalXlsx(body.join(''), { strings: [...HEADERS, 'x'] });
}

/** A catalogue CSV of `rows` data rows, optionally ending in an unclosed quote. */
function csvRows(rows: number, damaged: boolean): Buffer {
  const lines = [HEADERS.join(',')];
  for (let r = 0; r < rows; r++) lines.push(r === 0 ? 'x,x' : ',x');
  if (damaged) lines.push(',"never closed');
  return Buffer.from(lines.join('\n'), 'utf8');
}

describe('rows are streamed and reading stops at the row limit', () => {
  it('refuses a 200,000-row XLSX as too many rows without reading to its (damaged) end', async () => {
    const file = xlsxRows(200_000, true);
    // Within the upload bound and the zip checks: only the row limit stands in its way.
    expect(file.length).toBeLessThan(MAX_SHEET_BYTES);
    expect(zipBoundsProblem(file)).toBeNull();
    const sheet = await readCatalogueSheet(file, 'XLSX');
    expect(sheet.problems).toEqual([expect.objectContaining({ row: null, severity: 'ERROR', code: 'TOO_MANY_ROWS' })]);
    expect(sheet.problems[0]!.message).toMatch(/至少有 5001 行.*超过上限 5000 行.*读到第 5002 行即停止 \(more than 5000 rows\)$/);
    // The rows up to the limit are read as usual.
    expect(sheet.rows).toHaveLength(5000);
    expect(sheet.rows[4999]).toMatchObject({ rowNumber: 5001, cells: { name: 'x' } });

    const control = await readSheet(CATALOGUE_SHEET_SPEC, xlsxRows(3000, true), 'XLSX');
    expect(control.problems).toEqual([expect.objectContaining({ code: 'UNREADABLE_FILE' })]);
    const undamaged = await readSheet(CATALOGUE_SHEET_SPEC, xlsxRows(3000, false), 'XLSX');
    expect(undamaged.problems).toEqual([]);
    expect(undamaged.rows).toHaveLength(3000);
  });

  it('refuses a 200,000-row CSV as too many rows without reading to its (damaged) end', async () => {
    const file = csvRows(200_000, true);
    expect(file.length).toBeLessThan(MAX_SHEET_BYTES);
    const sheet = await readCatalogueSheet(file, 'CSV');
    expect(sheet.problems).toEqual([expect.objectContaining({ row: null, severity: 'ERROR', code: 'TOO_MANY_ROWS' })]);
    expect(sheet.rows).toHaveLength(5000);

    const control = await readSheet(CATALOGUE_SHEET_SPEC, csvRows(3000, true), 'CSV');
    expect(control.problems).toEqual([expect.objectContaining({ code: 'UNREADABLE_FILE', message: expect.stringMatching(/malformed CSV/) })]);
    expect((await readSheet(CATALOGUE_SHEET_SPEC, csvRows(3000, false), 'CSV')).rows).toHaveLength(3000);
  });

  it('counts data rows, not file rows: repeated header rows and empty rows do not count', async () => {
    const lines = [HEADERS.join(',')];
    for (let r = 0; r < 5000; r++) {
      lines.push(',x');
      if (r % 50 === 0) lines.push(HEADERS.join(','), ',,,,');
    }
    const sheet = await readSheet(CATALOGUE_SHEET_SPEC, Buffer.from(lines.join('\n')), 'CSV');
    expect(sheet.problems).toEqual([]);
    expect(sheet.rows).toHaveLength(5000);
  });

  it('fills merges known only after the rows, including rows that exist only as merge continuations', async () => {
    // Rows 4 and 5 are not in the XML at all: A3:A5 makes them, read from their master A3. B3:C3
    // spans columns, which the catalogue allows: C3 reads empty.
    const rows =
      `<row r="1"><c r="A1" t="s"><v>5</v></c></row>` +
      `<row r="2">${HEADERS.map((_, i) => `<c r="${String.fromCharCode(65 + i)}2" t="s"><v>${i}</v></c>`).join('')}</row>` +
      `<row r="3"><c r="A3" t="s"><v>6</v></c><c r="B3" t="s"><v>7</v></c><c r="C3" t="s"><v>8</v></c></row>` +
      `<row r="6"><c r="A6" t="s"><v>9</v></c><c r="B6" t="s"><v>7</v></c></row>`;
    const file = minimalXlsx(rows, {
      tailXml: '<mergeCells count="2"><mergeCell ref="A3:A5"/><mergeCell ref="B3:C3"/></mergeCells>',
      strings: [...HEADERS, '2024年主动公开基本目录', '机构职能', '事项', '被合并掉的文字', '政策文件'],
    });
    const sheet = await readSheet(CATALOGUE_SHEET_SPEC, file, 'XLSX');
    expect(sheet.problems).toEqual([]);
    expect(sheet.title).toBe('2024年主动公开基本目录');
    expect(sheet.rows.map((r) => [r.rowNumber, r.cells.category, r.cells.name, r.cells.content, r.merged.category])).toEqual([
      [3, '机构职能', '事项', '', false],
      [4, '机构职能', '', '', true],
      [5, '机构职能', '', '', true],
      [6, '政策文件', '事项', '', false],
    ]);
  });

  it('refuses overlapping merges as a damaged file, as the whole-workbook reader did', async () => {
    const rows = `<row r="1">${HEADERS.map((_, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('')}</row>`;
    const file = minimalXlsx(rows, { tailXml: '<mergeCells count="2"><mergeCell ref="A2:A5"/><mergeCell ref="A4:B6"/></mergeCells>', strings: HEADERS });
    const sheet = await readSheet(CATALOGUE_SHEET_SPEC, file, 'XLSX');
    expect(sheet.problems).toEqual([expect.objectContaining({ code: 'UNREADABLE_FILE' })]);
  });
});
