import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * An .xlsx of many short rows under the catalogue's headers: small on the wire and within the zip
 * bounds (50,000 rows: about 0.9 MB, 12 MB inflated at a ratio near 14), yet exceljs needs about
 * 160 MB of heap to read it because it holds every cell as an object. Written with exceljs's
 * streaming writer so the test process itself stays light.
 */
export async function rowBombXlsx(rows = 50_000): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('目录');
  ws.addRow(['目录类别', '目录名称', '公开内容', '公开主体', '公开时限']).commit();
  for (let i = 0; i < rows; i++) ws.addRow(['x0', 'x1', 'x2', 'x3', 'x4']).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}
