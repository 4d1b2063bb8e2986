import type ExcelJS from 'exceljs';
import { inflateZipEntry, zipEntries, type ZipEntry } from './zip-bounds';

/**
 * The rows of an .xlsx file's first worksheet, one at a time, so that a reader can stop at its row
 * limit without the rest of the sheet ever becoming objects. exceljs's whole-workbook load holds
 * every cell as an object (a 50,000-row file of 0.9 MB needs about 160 MB of heap), and its
 * streaming WorkbookReader drops merged cells, keeps only the last run of an inline rich string,
 * reads a formula's error or boolean result as a number, and spools worksheets to temporary files
 * when, as Excel writes them, the shared strings come after the sheets.
 *
 * So the parts are taken from the archive in the order they are needed (the upload is at most
 * 1 MB and already in memory; zip-bounds.ts has checked every entry) and parsed with exceljs's
 * own parsers for each part — workbook, relationships, shared strings, styles, and one sheet row
 * at a time — so that a cell's text is what the whole-workbook load gives. A worksheet keeps its
 * merged cells and hyperlinks after its rows; they are read first, from the tail of the sheet's
 * XML, so each row can be completed as it streams past.
 *
 * exceljs does not export these parsers; they are required from its lib/ folder, which is stable
 * at the pinned version (4.4.0).
 */

interface SaxNode {
  name: string;
  attributes: Record<string, string>;
}
type SaxEvent = { eventType: 'opentag'; value: SaxNode } | { eventType: 'text'; value: string } | { eventType: 'closetag'; value: SaxNode };
type SaxEvents = AsyncGenerator<SaxEvent[], void, undefined>;
interface Xform {
  parse(events: SaxEvents): Promise<unknown>;
  parseOpen(node: SaxNode): boolean;
  parseText(text: string): void;
  parseClose(name: string): boolean;
  model: unknown;
}
type XformClass = new (options?: unknown) => Xform;
const parseSax = require('exceljs/lib/utils/parse-sax') as (chunks: Iterable<string> | AsyncIterable<string>) => SaxEvents;
const WorkbookXform = require('exceljs/lib/xlsx/xform/book/workbook-xform') as XformClass;
const RelationshipsXform = require('exceljs/lib/xlsx/xform/core/relationships-xform') as XformClass;
const SharedStringsXform = require('exceljs/lib/xlsx/xform/strings/shared-strings-xform') as XformClass;
const StylesXform = require('exceljs/lib/xlsx/xform/style/styles-xform') as XformClass;
const RowXform = require('exceljs/lib/xlsx/xform/sheet/row-xform') as new () => Xform & { reconcile(model: RowModel, options: object): void };

/** A cell as exceljs's parser leaves it after reconciling (doc/enums.js ValueType for `type`). */
interface CellModel {
  address?: string;
  type: number;
  value?: unknown;
  result?: unknown;
  text?: unknown;
  hyperlink?: string;
}
interface RowModel {
  number: number;
  cells: CellModel[];
}
interface Relationship {
  Id: string;
  Target: string;
}

/** Where a merge continuation cell takes its text from: 1-based file row, 0-based column. */
export interface MergeMaster {
  row: number;
  col: number;
}

/** One row as the sheet reader sees it: cell texts (line breaks kept) and merge masters, by 0-based column. */
export interface GridRow {
  rowNumber: number;
  cells: string[];
  masters: Array<MergeMaster | null>;
}

/** A file that cannot be read as a table; the message is for the uploader. */
export class UnreadableSheet extends Error {}

const CORRUPT = '无法读取 XLSX 文件，文件可能已损坏或不是 Excel 文件 (the .xlsx file cannot be read)';

/** exceljs's ValueType numbers (doc/enums.js). */
const NULL = 0;
const NUMBER = 2;
const STRING = 3;
const DATE = 4;
const HYPERLINK = 5;
const FORMULA = 6;
const RICH_TEXT = 8;
const BOOLEAN = 9;

/** The value a whole-workbook load gives the cell (`cell.value`), for the shared cellText. */
function modelValue(m: CellModel): ExcelJS.CellValue {
  switch (m.type) {
    case NUMBER:
    case STRING:
    case DATE:
    case RICH_TEXT:
    case BOOLEAN:
      return m.value as ExcelJS.CellValue;
    case HYPERLINK:
      return { text: m.text, hyperlink: m.hyperlink } as ExcelJS.CellValue;
    case FORMULA:
      return { formula: '', result: m.result } as ExcelJS.CellValue;
    default:
      // Null, and error values, which carry no text.
      return null;
  }
}

/** The XML text in chunks: the parser's event batches stay small and a break stops it promptly. */
function* chunks(bytes: Buffer, size = 64 * 1024): Generator<string> {
  const decoder = new TextDecoder('utf-8');
  for (let i = 0; i < bytes.length; i += size) yield decoder.decode(bytes.subarray(i, i + size), { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function parsePart<T>(Xform: XformClass, bytes: Buffer): Promise<T> {
  return (await new Xform().parse(parseSax(chunks(bytes)))) as T;
}

/** 1-based row and column of an A1 reference, or null. */
function decodeRef(ref: string): { row: number; col: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(ref.trim());
  if (!m) return null;
  let col = 0;
  for (const ch of m[1]!.toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * The worksheet's merges, hyperlinks (by cell reference) and where its rows end, from the XML after
 * `</sheetData>` (merged cells and hyperlinks follow the rows in every worksheet).
 */
async function sheetTail(xml: Buffer): Promise<{ rowsEnd: number; mergeRefs: string[]; links: Array<{ ref: string; rId: string | undefined }> }> {
  const close = xml.lastIndexOf('</sheetData>');
  const rowsEnd = close >= 0 ? close + '</sheetData>'.length : xml.length;
  const mergeRefs: string[] = [];
  const links: Array<{ ref: string; rId: string | undefined }> = [];
  if (close < 0) return { rowsEnd, mergeRefs, links };
  // The tail is a run of sibling elements closed by </worksheet>: an opening tag makes it a document.
  for await (const events of parseSax(['<worksheet>', ...chunks(xml.subarray(rowsEnd))])) {
    for (const e of events) {
      if (e.eventType !== 'opentag') continue;
      if (e.value.name === 'mergeCell' && e.value.attributes.ref) mergeRefs.push(e.value.attributes.ref);
      if (e.value.name === 'hyperlink') links.push({ ref: e.value.attributes.ref ?? '', rId: e.value.attributes['r:id'] });
    }
  }
  return { rowsEnd, mergeRefs, links };
}

/**
 * Merges as rectangles clipped to the columns that are read, sorted by top row. Overlapping merges
 * make exceljs refuse the whole workbook ("Cannot merge already merged cells"); so do they here,
 * checked per column so that many merges cost no more than their cells in the columns read.
 */
function mergeRects(refs: string[], maxColumns: number): Merge[] {
  const merges: Merge[] = [];
  for (const ref of refs) {
    const [a, b = a] = ref.split(':');
    const tl = decodeRef(a ?? '');
    const br = decodeRef(b ?? '');
    if (!tl || !br) continue;
    const m = { top: Math.min(tl.row, br.row), left: Math.min(tl.col, br.col), bottom: Math.max(tl.row, br.row), right: Math.max(tl.col, br.col) };
    if (m.left > maxColumns) continue;
    merges.push({ ...m, right: Math.min(m.right, maxColumns) });
  }
  const byColumn = new Map<number, Array<[number, number]>>();
  for (const m of merges) {
    for (let c = m.left; c <= m.right; c++) {
      const list = byColumn.get(c) ?? [];
      list.push([m.top, m.bottom]);
      byColumn.set(c, list);
    }
  }
  for (const list of byColumn.values()) {
    list.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < list.length; i++) if (list[i]![0] <= list[i - 1]![1]) throw new UnreadableSheet(CORRUPT);
  }
  return merges.sort((x, y) => x.top - y.top);
}

interface Workbook {
  sheet: Buffer;
  sheetRels: Relationship[];
  sharedStrings: unknown;
  styles: unknown;
  date1904: boolean;
}

/** The parts needed to read the first worksheet (in the workbook's tab order, as exceljs's `worksheets[0]`). */
async function openWorkbook(data: Buffer): Promise<Workbook | null> {
  const entries = zipEntries(data);
  const part = (name: string): Buffer | null => {
    const e: ZipEntry | undefined = entries.get(name);
    return e ? inflateZipEntry(data, e) : null;
  };
  const workbookXml = part('xl/workbook.xml');
  const relsXml = part('xl/_rels/workbook.xml.rels');
  if (!workbookXml || !relsXml) return null;
  const book = await parsePart<{ sheets?: Array<{ rId: string }>; properties?: { date1904?: boolean } }>(WorkbookXform, workbookXml);
  const rels = await parsePart<Relationship[]>(RelationshipsXform, relsXml);
  let sheetName: string | null = null;
  for (const sheet of book.sheets ?? []) {
    const rel = rels.find((r) => r.Id === sheet.rId);
    if (!rel) continue;
    const name = `xl/${rel.Target.replace(/^(\s|\/xl\/)+/, '')}`;
    // Chart sheets and the like are no tables; exceljs skips them the same way.
    if (/xl\/worksheets\/sheet\d+[.]xml/.test(name) && entries.has(name)) {
      sheetName = name;
      break;
    }
  }
  if (!sheetName) return null;
  const sheetNo = /sheet(\d+)[.]xml/.exec(sheetName)![1];
  const sheetRelsXml = part(`xl/worksheets/_rels/sheet${sheetNo}.xml.rels`);
  const stringsXml = part('xl/sharedStrings.xml');
  const stylesXml = part('xl/styles.xml');
  let sharedStrings: unknown;
  if (stringsXml) {
    // Kept as the parser itself, whose getString() the cell reconciler calls.
    const xform = new SharedStringsXform();
    await xform.parse(parseSax(chunks(stringsXml)));
    sharedStrings = xform;
  }
  let styles: unknown;
  if (stylesXml) {
    const xform = new StylesXform();
    await xform.parse(parseSax(chunks(stylesXml)));
    styles = xform;
  }
  return {
    sheet: part(sheetName)!,
    sheetRels: sheetRelsXml ? await parsePart<Relationship[]>(RelationshipsXform, sheetRelsXml) : [],
    sharedStrings,
    styles,
    date1904: Boolean(book.properties?.date1904),
  };
}

/**
 * The first worksheet's rows in file order, each with its merged cells filled as the whole-workbook
 * reader filled them: a vertical continuation reads its master's text, a horizontal one reads
 * empty, and both name their master. Rows without any value or merge are skipped; rows that exist
 * only as merge continuations are produced. Only the first `maxColumns` columns are read.
 *
 * Returns null when the workbook has no worksheet. Throws {@link UnreadableSheet} for a damaged
 * file, possibly after some rows (a consumer that stops early never meets damage further on).
 * Breaking out of the iteration stops the parse.
 */
export async function openXlsxRows(
  data: Buffer,
  maxColumns: number,
  cellText: (value: ExcelJS.CellValue) => string,
): Promise<AsyncGenerator<GridRow, void, undefined> | null> {
  let book: Workbook | null;
  let tail: Awaited<ReturnType<typeof sheetTail>>;
  let merges: Merge[];
  try {
    book = await openWorkbook(data);
    if (!book) return null;
    tail = await sheetTail(book.sheet);
    merges = mergeRects(tail.mergeRefs, maxColumns);
  } catch (err) {
    throw err instanceof UnreadableSheet ? err : new UnreadableSheet(CORRUPT);
  }
  const relById = new Map(book.sheetRels.map((r) => [r.Id, r.Target]));
  const hyperlinkMap: Record<string, string> = {};
  for (const link of tail.links) {
    if (!link.rId) continue; // a link within the workbook, which exceljs leaves off the cell as well
    const target = relById.get(link.rId);
    if (target === undefined) throw new UnreadableSheet(CORRUPT);
    hyperlinkMap[link.ref] = target;
  }
  const reconcileOptions = {
    styles: book.styles,
    sharedStrings: book.sharedStrings,
    date1904: book.date1904,
    hyperlinkMap,
    commentsMap: {},
    formulae: {},
  };
  const xml = book.sheet.subarray(0, tail.rowsEnd);
  return rows(xml, merges, maxColumns, cellText, reconcileOptions);
}

async function* rows(
  xml: Buffer,
  merges: Merge[],
  maxColumns: number,
  cellText: (value: ExcelJS.CellValue) => string,
  reconcileOptions: object,
): AsyncGenerator<GridRow, void, undefined> {
  let nextMerge = 0;
  let active: Merge[] = [];
  const masterText = new Map<Merge, string>();

  /** Merges covering `row`; rows only ever increase, so expired merges are dropped for good. */
  const activate = (row: number) => {
    while (nextMerge < merges.length && merges[nextMerge]!.top <= row) active.push(merges[nextMerge++]!);
    if (active.some((m) => m.bottom < row)) {
      active = active.filter((m) => {
        if (m.bottom >= row) return true;
        masterText.delete(m);
        return false;
      });
    }
  };

  /** A grid row from the row's own cells (0-based column → text) and the merges over it. */
  const complete = (rowNumber: number, own: string[], hasValue: boolean): GridRow | null => {
    activate(rowNumber);
    const cells = own;
    const masters: Array<MergeMaster | null> = [];
    let continuation = false;
    for (const m of active) if (m.top === rowNumber) masterText.set(m, cells[m.left - 1] ?? '');
    for (const m of active) {
      for (let c = m.left; c <= m.right; c++) {
        if (m.top === rowNumber && c === m.left) continue;
        continuation = true;
        while (cells.length < c) cells.push('');
        cells[c - 1] = c === m.left ? (masterText.get(m) ?? '') : '';
        masters[c - 1] = { row: m.top, col: m.left - 1 };
      }
    }
    if (!hasValue && !continuation) return null;
    for (let c = 0; c < cells.length; c++) {
      cells[c] ??= '';
      masters[c] ??= null;
    }
    return { rowNumber, cells, masters };
  };

  /** Rows between `from` and `to` (exclusive) that exist only as merge continuations. */
  function* continuationRows(from: number, to: number): Generator<GridRow> {
    let r = from;
    while (r < to) {
      activate(r);
      if (active.length === 0) {
        const top = merges[nextMerge]?.top;
        if (top === undefined || top >= to) return;
        r = top;
        continue;
      }
      const row = complete(r, [], false);
      if (row) yield row;
      r += 1;
    }
  }

  const reconciler = new RowXform();
  let previous = 0;
  let inRows = false;
  let rowXform: (Xform & { reconcile(model: RowModel, options: object): void }) | null = null;
  try {
    for await (const events of parseSax(chunks(xml))) {
      const done: RowModel[] = [];
      for (const e of events) {
        if (rowXform) {
          if (e.eventType === 'opentag') rowXform.parseOpen(e.value);
          else if (e.eventType === 'text') rowXform.parseText(e.value);
          else if (!rowXform.parseClose(e.value.name)) {
            done.push(rowXform.model as RowModel);
            rowXform = null;
          }
        } else if (e.eventType === 'opentag' && e.value.name === 'sheetData') inRows = true;
        else if (e.eventType === 'closetag' && e.value.name === 'sheetData') inRows = false;
        else if (inRows && e.eventType === 'opentag' && e.value.name === 'row') {
          rowXform = new RowXform();
          rowXform.parseOpen(e.value);
        }
      }
      for (const model of done) {
        reconciler.reconcile(model, reconcileOptions);
        // A row without its number follows the one before (exceljs would misplace it).
        const rowNumber = Number.isFinite(model.number) && model.number > 0 ? model.number : previous + 1;
        yield* continuationRows(previous + 1, rowNumber);
        const own: string[] = [];
        let col = 0;
        let hasValue = false;
        for (const cell of model.cells) {
          // A cell without a reference is the one after the previous cell, as exceljs reads it.
          col = (cell.address ? decodeRef(cell.address)?.col : undefined) ?? col + 1;
          if (cell.type !== NULL) hasValue = true;
          if (col <= maxColumns) own[col - 1] = cellText(modelValue(cell));
        }
        const row = complete(rowNumber, own, hasValue);
        if (row) yield row;
        previous = Math.max(previous, rowNumber);
      }
    }
  } catch (err) {
    throw err instanceof UnreadableSheet ? err : new UnreadableSheet(CORRUPT);
  }
  // Merges reaching below the last written row still make rows of their own.
  const last = active.concat(merges.slice(nextMerge)).reduce((max, m) => Math.max(max, m.bottom), 0);
  yield* continuationRows(previous + 1, last + 1);
}
