/**
 * Text of one spreadsheet cell: how it is cleaned on the way in and protected on the way out. Shared
 * by every table the system reads or writes (catalogues, work plans), so that a cell means the same
 * thing whichever table it sits in.
 */

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’]/;

/** Line breaks as typed on Windows, old Macs and everywhere else, all as `\n`, and no outer blanks. */
export function normaliseLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

/**
 * Word and Excel wrap long Chinese cells with hard line breaks in the middle of a phrase; between
 * Chinese characters a break is an artefact and goes, elsewhere it stands for a space so that
 * Latin words do not run together.
 */
export function cleanCellText(text: string): string {
  const t = normaliseLineBreaks(text);
  if (!t.includes('\n')) return t;
  return t.replace(/[ \t\u3000]*\n\s*/g, (match: string, offset: number, whole: string) => {
    const before = whole.slice(0, offset).slice(-1);
    const after = whole.slice(offset + match.length, offset + match.length + 1);
    return CJK.test(before) || CJK.test(after) ? '' : ' ';
  });
}

/**
 * Spreadsheet programs run a cell typed as `=…`, `+…`, `-…` or `@…` as a formula (and some also
 * after a leading tab or carriage return), so an item named `=HYPERLINK("http://evil","x")` in an
 * exported table would become a live link or a DDE command on the reader's desk (OWASP "CSV
 * injection"). Every exporter writes text cells through {@link neutraliseCellText}: the leading `'`
 * makes Excel and WPS show the text as typed. Values that already start with quotes before such a
 * character get one more, so {@link restoreCellText} can always remove exactly one and an export
 * re-imports unchanged.
 */
const FORMULA_LEAD = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^''*[=+\-@\t\r]/;

/** The text as it must be written to an exported cell (see {@link FORMULA_LEAD}). */
export function neutraliseCellText(text: string): string {
  return FORMULA_LEAD.test(text) ? `'${text}` : text;
}

/** The inverse of {@link neutraliseCellText}, for cells read back from a file. */
export function restoreCellText(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}

/** Headers are typed in many ways: "公开主体\n（责任单位）", "公开主体(责任单位)", "目 录 类 别". */
export function normaliseHeader(text: string): string {
  return text.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

/** Characters as a person counts them (a rare CJK extension character is one, not two UTF-16 units). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}
