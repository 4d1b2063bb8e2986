import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { minimalXlsx } from './xlsx-parts';

const CATALOGUE_HEADERS = ['目录类别', '目录名称', '公开内容', '公开主体', '公开时限'];

/**
 * An .xlsx of many short rows under the catalogue's headers: small on the wire and within the zip
 * bounds (50,000 rows: about 0.9 MB, 12 MB inflated at a ratio near 14). exceljs's whole-workbook
 * load needed about 160 MB of heap to read it, because it holds every cell as an object; the
 * streaming reader stops at the row limit. Written with exceljs's streaming writer so the test
 * process itself stays light.
 */
export async function rowBombXlsx(rows = 50_000): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('目录');
  ws.addRow(CATALOGUE_HEADERS).commit();
  for (let i = 0; i < rows; i++) ws.addRow(['x0', 'x1', 'x2', 'x3', 'x4']).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

/**
 * An .xlsx whose second row holds `cells` cells (500,000: about 0.3 MB, 10 MB inflated, within the
 * zip bounds). Rows stream, but one row is parsed whole: a single row this wide needs well over
 * 64 MB of heap (it reads within 160 MB), which only the worker's heap limit bounds. The cell
 * values cycle pseudo-randomly through five shared strings, so the sheet compresses well but not
 * beyond the zip checks' ratio limit.
 */
export function wideRowXlsx(cells = 500_000): Buffer {
  const parts: string[] = [];
  let seed = 1;
  for (let i = 0; i < cells; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    parts.push(`<c t="s"><v>${seed % 5}</v></c>`);
  }
  const header = CATALOGUE_HEADERS.map((_, i) => `<c r="${String.fromCharCode(65 + i)}1" t="s"><v>${i}</v></c>`).join('');
  return minimalXlsx(`<row r="1">${header}</row><row r="2">${parts.join('')}</row>`, { strings: CATALOGUE_HEADERS });
}
