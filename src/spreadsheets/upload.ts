import { REPORT_VALUE_CHARS, type SheetFormat, type SheetProblem } from './sheet-reader';
import { badInput } from '../graphql/errors';

/** Largest spreadsheet accepted, decoded; checked before anything parses it. */
export const MAX_SHEET_BYTES = 1024 * 1024;

export const SHEET_CONTENT_TYPES: Record<SheetFormat, string> = {
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  CSV: 'text/csv; charset=utf-8',
};

/**
 * An uploaded spreadsheet from its base64 text (a data: URL prefix is tolerated), bounded before it
 * is parsed. Errors name the input field.
 */
export function decodeSheetUpload(base64: string, field = 'input.fileBase64'): Buffer {
  const clean = base64.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw badInput(field, '不是有效的 Base64 编码 (not valid base64)');
  // Base64 carries 3 bytes per 4 characters: refuse by length before allocating the decoded buffer.
  if ((clean.length * 3) / 4 > MAX_SHEET_BYTES + 2) throw badInput(field, '文件超过 1 MB (file larger than 1 MB)');
  const buffer = Buffer.from(clean, 'base64');
  if (buffer.length === 0) throw badInput(field, '文件为空 (empty file)');
  if (buffer.length > MAX_SHEET_BYTES) throw badInput(field, '文件超过 1 MB (file larger than 1 MB)');
  return buffer;
}

/** The GraphQL shape of a reading problem (ImportProblem); an offending text is echoed as a short prefix only. */
export function toImportProblem(p: SheetProblem) {
  const value = p.value == null ? null : p.value.length > REPORT_VALUE_CHARS ? `${p.value.slice(0, REPORT_VALUE_CHARS)}…` : p.value;
  return { row: p.row, column: p.column, field: p.field, severity: p.severity, code: p.code, message: p.message, value };
}
