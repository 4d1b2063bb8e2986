import { ReportTemplate } from './annual-report.entity';
import { AppealKind, AppealResult, ApplicantType, RequestOutcome } from './request.entity';

/**
 * The tables of the annual report (政府信息公开工作年度报告) in the national template
 * 国办公开办函〔2021〕30号 — rows, columns and labels exactly as the template prints them — and
 * everything that can be said about them without a database: building Table 3 and Table 4 from
 * counts, every check (with the coordinates of the failing cell), and the sums of a consolidated
 * report. Pure: no I/O, no clock.
 *
 * Table 3 (收到和处理政府信息公开申请情况), for one agency and year Y, from the request records:
 *  - columns: applicant types — 自然人 | 法人或其他组织 (商业企业, 科研机构, 社会公益组织, 法律服务机构,
 *    其他) | 总计. The 法人或其他组织 group has exactly those five sub-columns; 总计 is their sum with 自然人.
 *  - 一、本年新收: requests whose receipt date (received_on, 条例 Art 31) lies in Y;
 *  - 二、上年结转: requests received before 1 January Y and not replied before it (replied_on null or ≥ 1 January);
 *  - 三、本年度办理结果: requests replied in Y, by outcome. The 21 outcome values map 1:1 onto the template's
 *    rows （一）, （二）, （三）1–8, （四）1–3, （五）1–5, （六）1–3; the template has no subtotal rows for
 *    （三）–（六）, only their numbered sub-rows, and （七）总计 is the sum of all 21;
 *  - 四、结转下年度继续办理: requests received on or before 31 December Y and not replied by then.
 *  Every request counted is received-in-Y or carried-in (exactly one) and replied-in-Y or carried-out
 *  (exactly one), so 一 + 二 = 三（七）+ 四 holds per column BY CONSTRUCTION for a computed table; it is
 *  still verified cell by cell, because reports of older templates, hand-entered tables and frozen
 *  tables compared with later records can break it. 二 of Y is by the same definitions 四 of Y − 1: a
 *  difference from the previous year's stored (finalised or hand-entered) report is a warning.
 *
 * Table 4 (政府信息公开行政复议、行政诉讼情况): appeals about the agency's requests filed in Y, by kind
 * (行政复议; 行政诉讼 未经复议直接起诉; 行政诉讼 复议后起诉) × result as of 31 December Y — an appeal decided
 * on or before 31 December counts under its result (结果维持 / 结果纠正 / 其他结果), any other under
 * 尚未审结 — with 总计 per kind.
 *
 * Table 2 (主动公开政府信息情况): figures the agency enters, each with its source, in four blocks — one
 * per paragraph of 条例 Art 20: （一） 规章 / 行政规范性文件 × 本年制发件数, 本年废止件数, 现行有效件数;
 * （五） 行政许可 × 本年处理决定数量; （六） 行政处罚, 行政强制 × 本年处理决定数量; （八） 行政事业性收费 ×
 * 本年收费金额（单位：万元）.
 *
 * Tables are stored and exchanged as `CountTable`s: row key → column key → value. A missing cell means
 * "not stated" — hand-entered reports of older templates (PRE_2019, GOV_2019) carry only the cells their
 * own form had, and are checked "where the rows exist": a sum is checked when all its cells are present.
 */

export type CountTable = Record<string, Record<string, number>>;
export interface Table2Entry {
  value: number;
  source: string;
}
/** Table 2 as stored: row key → column key → entered value with its source. */
export type Table2Data = Record<string, Record<string, Table2Entry>>;

export interface TableColumnDef {
  key: string;
  label: string;
  /** The merged header above it (法人或其他组织, 行政诉讼 …), if any. */
  group: string | null;
  /** A second header level (未经复议直接起诉 / 复议后起诉 in Table 4), if any. */
  subgroup?: string | null;
}

export interface TableRowDef {
  key: string;
  label: string;
  /** The merged row heading to the left (三、本年度办理结果), if any. */
  section: string | null;
  /** The merged sub-heading to the left (（三）不予公开 …), if any. */
  group: string | null;
}

/** A problem found by a check: the cell's coordinates (`table3.columns.NATURAL_PERSON`) and what is wrong. */
export interface CheckProblem {
  field: string;
  message: string;
}

// ───────────────────────────── Table 3 ─────────────────────────────

const ORG = '法人或其他组织';
export const TOTAL = 'TOTAL';

export const APPLICANT_COLUMNS: readonly ApplicantType[] = [
  ApplicantType.NATURAL_PERSON,
  ApplicantType.COMMERCIAL_ENTERPRISE,
  ApplicantType.RESEARCH_INSTITUTION,
  ApplicantType.PUBLIC_INTEREST_ORGANISATION,
  ApplicantType.LEGAL_SERVICE_INSTITUTION,
  ApplicantType.OTHER_ORGANISATION,
];

export const TABLE3_COLUMNS: readonly TableColumnDef[] = [
  { key: ApplicantType.NATURAL_PERSON, label: '自然人', group: null },
  { key: ApplicantType.COMMERCIAL_ENTERPRISE, label: '商业企业', group: ORG },
  { key: ApplicantType.RESEARCH_INSTITUTION, label: '科研机构', group: ORG },
  { key: ApplicantType.PUBLIC_INTEREST_ORGANISATION, label: '社会公益组织', group: ORG },
  { key: ApplicantType.LEGAL_SERVICE_INSTITUTION, label: '法律服务机构', group: ORG },
  { key: ApplicantType.OTHER_ORGANISATION, label: '其他', group: ORG },
  { key: TOTAL, label: '总计', group: null },
];

export const RECEIVED = 'RECEIVED';
export const CARRIED_IN = 'CARRIED_IN';
export const RESULT_TOTAL = 'RESULT_TOTAL';
export const CARRIED_OUT = 'CARRIED_OUT';

const RESULTS = '三、本年度办理结果';
const WITHHELD = '（三）不予公开';
const UNAVAILABLE = '（四）无法提供';
const NOT_PROCESSED = '（五）不予处理';
const OTHER_HANDLING = '（六）其他处理';

/** Outcome rows of 三 in template order, each with its label as printed. */
export const OUTCOME_ROWS: readonly TableRowDef[] = [
  { key: RequestOutcome.DISCLOSED, label: '（一）予以公开', section: RESULTS, group: null },
  { key: RequestOutcome.PARTIALLY_DISCLOSED, label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', section: RESULTS, group: null },
  { key: RequestOutcome.WITHHELD_STATE_SECRET, label: '1.属于国家秘密', section: RESULTS, group: WITHHELD },
  { key: RequestOutcome.WITHHELD_PROHIBITED_BY_LAW, label: '2.其他法律行政法规禁止公开', section: RESULTS, group: WITHHELD },
  { key: RequestOutcome.WITHHELD_THREE_SECURITIES, label: '3.危及“三安全一稳定”', section: RESULTS, group: WITHHELD },
  { key: RequestOutcome.WITHHELD_THIRD_PARTY, label: '4.保护第三方合法权益', section: RESULTS, group: WITHHELD },
  { key: RequestOutcome.WITHHELD_INTERNAL_AFFAIRS, label: '5.属于三类内部事务信息', section: RESULTS, group: WITHHELD },
  { key: RequestOutcome.WITHHELD_PROCESS_INFORMATION, label: '6.属于四类过程性信息', section: RESULTS, group: WITHHELD },
  { key: RequestOutcome.WITHHELD_ENFORCEMENT_FILE, label: '7.属于行政执法案卷', section: RESULTS, group: WITHHELD },
  { key: RequestOutcome.WITHHELD_ADMINISTRATIVE_QUERY, label: '8.属于行政查询事项', section: RESULTS, group: WITHHELD },
  { key: RequestOutcome.UNAVAILABLE_NOT_HELD, label: '1.本机关不掌握相关政府信息', section: RESULTS, group: UNAVAILABLE },
  { key: RequestOutcome.UNAVAILABLE_NEEDS_CREATION, label: '2.没有现成信息需要另行制作', section: RESULTS, group: UNAVAILABLE },
  { key: RequestOutcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION, label: '3.补正后申请内容仍不明确', section: RESULTS, group: UNAVAILABLE },
  { key: RequestOutcome.NOT_PROCESSED_PETITION, label: '1.信访举报投诉类申请', section: RESULTS, group: NOT_PROCESSED },
  { key: RequestOutcome.NOT_PROCESSED_REPEATED, label: '2.重复申请', section: RESULTS, group: NOT_PROCESSED },
  { key: RequestOutcome.NOT_PROCESSED_PUBLICATION, label: '3.要求提供公开出版物', section: RESULTS, group: NOT_PROCESSED },
  { key: RequestOutcome.NOT_PROCESSED_MASS_REPEATED, label: '4.无正当理由大量反复申请', section: RESULTS, group: NOT_PROCESSED },
  { key: RequestOutcome.NOT_PROCESSED_CONFIRMATION, label: '5.要求行政机关确认或重新出具已获取信息', section: RESULTS, group: NOT_PROCESSED },
  {
    key: RequestOutcome.OTHER_NOT_CORRECTED,
    label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    section: RESULTS,
    group: OTHER_HANDLING,
  },
  {
    key: RequestOutcome.OTHER_FEE_UNPAID,
    label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    section: RESULTS,
    group: OTHER_HANDLING,
  },
  { key: RequestOutcome.OTHER, label: '3.其他', section: RESULTS, group: OTHER_HANDLING },
];

export const TABLE3_ROWS: readonly TableRowDef[] = [
  { key: RECEIVED, label: '一、本年新收政府信息公开申请数量', section: null, group: null },
  { key: CARRIED_IN, label: '二、上年结转政府信息公开申请数量', section: null, group: null },
  ...OUTCOME_ROWS,
  { key: RESULT_TOTAL, label: '（七）总计', section: RESULTS, group: null },
  { key: CARRIED_OUT, label: '四、结转下年度继续办理', section: null, group: null },
];

/** The template's own note in the header cell of Table 3. */
export const TABLE3_HEADER_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
export const TABLE3_APPLICANTS_HEADER = '申请人情况';

/** One aggregate row of the request records: counts of one applicant type (and one outcome, for requests replied in the year). */
export interface Table3Counts {
  applicant: string;
  /** The outcome of requests replied in the year; null for the row that counts the others. */
  outcome: string | null;
  received: number;
  carriedIn: number;
  replied: number;
  carriedOut: number;
}

/** Adds the 总计 column (sum of the applicant columns) and the 三（七）总计 row (sum of the 21 outcome rows). */
export function withTable3Totals(cells: CountTable): CountTable {
  const out: CountTable = {};
  for (const row of TABLE3_ROWS) {
    if (row.key === RESULT_TOTAL) continue;
    out[row.key] = {};
    for (const col of APPLICANT_COLUMNS) out[row.key]![col] = cells[row.key]?.[col] ?? 0;
  }
  out[RESULT_TOTAL] = {};
  for (const col of APPLICANT_COLUMNS) out[RESULT_TOTAL]![col] = OUTCOME_ROWS.reduce((s, r) => s + out[r.key]![col]!, 0);
  for (const row of TABLE3_ROWS) out[row.key]![TOTAL] = APPLICANT_COLUMNS.reduce((s, c) => s + out[row.key]![c]!, 0);
  return out;
}

/** Table 3 from the aggregate rows of one agency (or of several: counts simply add up), every cell present. */
export function buildTable3(counts: readonly Table3Counts[]): CountTable {
  const cells: CountTable = {};
  const add = (row: string, col: string, n: number) => {
    if (!n) return;
    const r = (cells[row] ??= {});
    r[col] = (r[col] ?? 0) + n;
  };
  const outcomes = new Set(OUTCOME_ROWS.map((r) => r.key));
  const applicants = new Set<string>(APPLICANT_COLUMNS);
  for (const c of counts) {
    if (!applicants.has(c.applicant)) throw new Error(`unknown applicant type ${c.applicant}`);
    add(RECEIVED, c.applicant, c.received);
    add(CARRIED_IN, c.applicant, c.carriedIn);
    add(CARRIED_OUT, c.applicant, c.carriedOut);
    if (c.outcome != null) {
      if (!outcomes.has(c.outcome)) throw new Error(`unknown outcome ${c.outcome}`);
      add(c.outcome, c.applicant, c.replied);
    } else if (c.replied) {
      throw new Error('requests replied in the year need an outcome');
    }
  }
  return withTable3Totals(cells);
}

// ───────────────────────────── Table 4 ─────────────────────────────

const RECONSIDERATION_GROUP = '行政复议';
const LAWSUIT_GROUP = '行政诉讼';

export const TABLE4_RESULT_COLUMNS: readonly TableColumnDef[] = [
  { key: AppealResult.UPHELD, label: '结果维持', group: null },
  { key: AppealResult.CORRECTED, label: '结果纠正', group: null },
  { key: AppealResult.OTHER, label: '其他结果', group: null },
  { key: AppealResult.PENDING, label: '尚未审结', group: null },
  { key: TOTAL, label: '总计', group: null },
];

/** Table 4's rows are the three kinds of appeal; the template prints them side by side as 15 columns. */
export const TABLE4_ROWS: readonly TableRowDef[] = [
  { key: AppealKind.RECONSIDERATION, label: '行政复议', section: RECONSIDERATION_GROUP, group: null },
  { key: AppealKind.LAWSUIT_DIRECT, label: '未经复议直接起诉', section: LAWSUIT_GROUP, group: null },
  { key: AppealKind.LAWSUIT_AFTER_RECONSIDERATION, label: '复议后起诉', section: LAWSUIT_GROUP, group: null },
];

/** The template's 15 columns, left to right: 行政复议 × 5, 行政诉讼 未经复议直接起诉 × 5, 复议后起诉 × 5. */
export const TABLE4_FLAT_COLUMNS: ReadonlyArray<{ row: string; column: string; group: string; subgroup: string | null; label: string }> = TABLE4_ROWS.flatMap((r) =>
  TABLE4_RESULT_COLUMNS.map((c) => ({
    row: r.key,
    column: c.key,
    group: r.section!,
    subgroup: r.key === AppealKind.RECONSIDERATION ? null : r.label,
    label: c.label,
  })),
);

const APPEAL_RESULTS: readonly string[] = [AppealResult.UPHELD, AppealResult.CORRECTED, AppealResult.OTHER, AppealResult.PENDING];

export interface Table4Counts {
  kind: string;
  /** The result as of 31 December (PENDING when not decided by then). */
  result: string;
  count: number;
}

export function withTable4Totals(cells: CountTable): CountTable {
  const out: CountTable = {};
  for (const row of TABLE4_ROWS) {
    out[row.key] = {};
    for (const col of APPEAL_RESULTS) out[row.key]![col] = cells[row.key]?.[col] ?? 0;
    out[row.key]![TOTAL] = APPEAL_RESULTS.reduce((s, c) => s + out[row.key]![c]!, 0);
  }
  return out;
}

export function buildTable4(counts: readonly Table4Counts[]): CountTable {
  const cells: CountTable = {};
  const kinds = new Set(TABLE4_ROWS.map((r) => r.key));
  for (const c of counts) {
    if (!kinds.has(c.kind)) throw new Error(`unknown appeal kind ${c.kind}`);
    if (!APPEAL_RESULTS.includes(c.result)) throw new Error(`unknown appeal result ${c.result}`);
    const r = (cells[c.kind] ??= {});
    r[c.result] = (r[c.result] ?? 0) + c.count;
  }
  return withTable4Totals(cells);
}

// ───────────────────────────── Table 2 ─────────────────────────────

export const TABLE2_CONTENT_HEADER = '信息内容';

export interface Table2BlockDef {
  key: string;
  /** 第二十条第（一）项 … */
  label: string;
  columns: readonly TableColumnDef[];
  rows: readonly TableRowDef[];
}

export const TABLE2_COLUMNS = {
  ISSUED: { key: 'ISSUED', label: '本年制发件数', group: null },
  REPEALED: { key: 'REPEALED', label: '本年废止件数', group: null },
  IN_FORCE: { key: 'IN_FORCE', label: '现行有效件数', group: null },
  DECISIONS: { key: 'DECISIONS', label: '本年处理决定数量', group: null },
  FEE_AMOUNT: { key: 'FEE_AMOUNT', label: '本年收费金额（单位：万元）', group: null },
} as const satisfies Record<string, TableColumnDef>;

const row2 = (key: string, label: string, block: string): TableRowDef => ({ key, label, section: block, group: null });

export const TABLE2_BLOCKS: readonly Table2BlockDef[] = [
  {
    key: 'ARTICLE_20_1',
    label: '第二十条第（一）项',
    columns: [TABLE2_COLUMNS.ISSUED, TABLE2_COLUMNS.REPEALED, TABLE2_COLUMNS.IN_FORCE],
    rows: [row2('RULES', '规章', '第二十条第（一）项'), row2('NORMATIVE_DOCUMENTS', '行政规范性文件', '第二十条第（一）项')],
  },
  {
    key: 'ARTICLE_20_5',
    label: '第二十条第（五）项',
    columns: [TABLE2_COLUMNS.DECISIONS],
    rows: [row2('ADMINISTRATIVE_LICENSING', '行政许可', '第二十条第（五）项')],
  },
  {
    key: 'ARTICLE_20_6',
    label: '第二十条第（六）项',
    columns: [TABLE2_COLUMNS.DECISIONS],
    rows: [row2('ADMINISTRATIVE_PENALTY', '行政处罚', '第二十条第（六）项'), row2('ADMINISTRATIVE_COERCION', '行政强制', '第二十条第（六）项')],
  },
  {
    key: 'ARTICLE_20_8',
    label: '第二十条第（八）项',
    columns: [TABLE2_COLUMNS.FEE_AMOUNT],
    rows: [row2('ADMINISTRATIVE_FEES', '行政事业性收费', '第二十条第（八）项')],
  },
];

/** Every cell of Table 2 as (row, column), in template order. */
export const TABLE2_CELLS: ReadonlyArray<{ block: Table2BlockDef; row: TableRowDef; column: TableColumnDef }> = TABLE2_BLOCKS.flatMap((block) =>
  block.rows.flatMap((row) => block.columns.map((column) => ({ block, row, column }))),
);

export function table2Cell(row: string, column: string) {
  return TABLE2_CELLS.find((c) => c.row.key === row && c.column.key === column) ?? null;
}

/** Fee amounts are in 万元: four decimals are one yuan. */
export const FEE_DECIMALS = 4;
/** At most this many characters of source per Table 2 cell. */
export const MAX_SOURCE_CHARS = 500;

// ───────────────────────────── cell coordinates ─────────────────────────────

export type TableName = 'table3' | 'table4';

export function tableDef(table: TableName): { rows: readonly TableRowDef[]; columns: readonly TableColumnDef[] } {
  return table === 'table3' ? { rows: TABLE3_ROWS, columns: TABLE3_COLUMNS } : { rows: TABLE4_ROWS, columns: TABLE4_RESULT_COLUMNS };
}

/** Whether (row, column) is a cell of the table: null when it is, else which coordinate is wrong and why. */
export function cellProblem(table: TableName, row: string, column: string): { part: 'row' | 'column'; message: string } | null {
  const def = tableDef(table);
  if (!def.rows.some((r) => r.key === row)) {
    return { part: 'row', message: `没有这一行 (no such row: ${row}; rows are ${def.rows.map((r) => r.key).join(', ')})` };
  }
  if (!def.columns.some((c) => c.key === column)) {
    return { part: 'column', message: `没有这一列 (no such column: ${column}; columns are ${def.columns.map((c) => c.key).join(', ')})` };
  }
  return null;
}

const fieldOf = (table: string, row: string, column: string) => `${table}.rows.${row}.${column}`;

// ───────────────────────────── checks ─────────────────────────────

const isCount = (v: number) => Number.isInteger(v) && v >= 0;
const has = (t: CountTable, row: string, col: string) => typeof t[row]?.[col] === 'number';

/**
 * Every check of a Table 3: each cell a whole number ≥ 0; in each row 总计 = the sum of the six applicant
 * columns; in each column 三（七）总计 = the sum of the 21 outcome rows; and per column the template's own
 * equation 一 + 二 = 三（七）+ 四 (reported as `table3.columns.<column>` with the figures). A sum is checked
 * only when all of its cells are present (hand-entered reports of older templates may lack rows).
 */
export function checkTable3(t: CountTable): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const row of TABLE3_ROWS) {
    for (const col of TABLE3_COLUMNS) {
      const v = t[row.key]?.[col.key];
      if (v != null && !isCount(v)) {
        problems.push({ field: fieldOf('table3', row.key, col.key), message: `应为非负整数，实为 ${v} (must be a whole number ≥ 0)` });
      }
    }
  }
  for (const row of TABLE3_ROWS) {
    if (!has(t, row.key, TOTAL) || !APPLICANT_COLUMNS.every((c) => has(t, row.key, c))) continue;
    const parts = APPLICANT_COLUMNS.map((c) => t[row.key]![c]!);
    const sum = parts.reduce((a, b) => a + b, 0);
    if (sum !== t[row.key]![TOTAL]) {
      problems.push({
        field: fieldOf('table3', row.key, TOTAL),
        message: `「${row.label}」的总计应等于自然人与法人或其他组织各列之和：${parts.join(' + ')} = ${sum}，填报为 ${t[row.key]![TOTAL]} (the total must be the sum of the applicant columns)`,
      });
    }
  }
  for (const col of TABLE3_COLUMNS) {
    if (!has(t, RESULT_TOTAL, col.key) || !OUTCOME_ROWS.every((r) => has(t, r.key, col.key))) continue;
    const sum = OUTCOME_ROWS.reduce((s, r) => s + t[r.key]![col.key]!, 0);
    if (sum !== t[RESULT_TOTAL]![col.key]) {
      problems.push({
        field: fieldOf('table3', RESULT_TOTAL, col.key),
        message: `「${col.label}」列的三（七）总计应等于（一）至（六）各项之和 ${sum}，填报为 ${t[RESULT_TOTAL]![col.key]} (三（七） must be the sum of the outcome rows)`,
      });
    }
  }
  for (const col of TABLE3_COLUMNS) {
    if (![RECEIVED, CARRIED_IN, RESULT_TOTAL, CARRIED_OUT].every((r) => has(t, r, col.key))) continue;
    const [a, b, c, d] = [RECEIVED, CARRIED_IN, RESULT_TOTAL, CARRIED_OUT].map((r) => t[r]![col.key]!) as [number, number, number, number];
    if (a + b !== c + d) {
      problems.push({
        field: `table3.columns.${col.key}`,
        message: `「${col.label}」列不满足 一 + 二 = 三（七）+ 四：${a} + ${b} = ${a + b} ≠ ${c} + ${d} = ${c + d} (received + carried over from last year must equal handled + carried over to next year)`,
      });
    }
  }
  return problems;
}

/** Every check of a Table 4: each cell a whole number ≥ 0; per kind 总计 = 维持 + 纠正 + 其他 + 尚未审结. */
export function checkTable4(t: CountTable): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const row of TABLE4_ROWS) {
    for (const col of TABLE4_RESULT_COLUMNS) {
      const v = t[row.key]?.[col.key];
      if (v != null && !isCount(v)) {
        problems.push({ field: fieldOf('table4', row.key, col.key), message: `应为非负整数，实为 ${v} (must be a whole number ≥ 0)` });
      }
    }
    if (!has(t, row.key, TOTAL) || !APPEAL_RESULTS.every((c) => has(t, row.key, c))) continue;
    const parts = APPEAL_RESULTS.map((c) => t[row.key]![c]!);
    const sum = parts.reduce((a, b) => a + b, 0);
    if (sum !== t[row.key]![TOTAL]) {
      problems.push({
        field: fieldOf('table4', row.key, TOTAL),
        message: `「${row.label}」的总计应等于结果维持、结果纠正、其他结果、尚未审结之和：${parts.join(' + ')} = ${sum}，填报为 ${t[row.key]![TOTAL]} (the total must be the sum of the results)`,
      });
    }
  }
  return problems;
}

/** Whether a value has at most `decimals` decimal places (checked on its shortest decimal text). */
export function hasAtMostDecimals(value: number, decimals: number): boolean {
  return Math.abs(Math.round(value * 10 ** decimals) - value * 10 ** decimals) < 1e-6;
}

/** The problem of one Table 2 value, or null: counts are whole numbers ≥ 0, fee amounts ≥ 0 in 万元 to the yuan. */
export function table2ValueProblem(column: string, value: number): string | null {
  if (!Number.isFinite(value) || value < 0) return `不能为负数 (must not be negative): ${value}`;
  if (column === TABLE2_COLUMNS.FEE_AMOUNT.key) {
    return hasAtMostDecimals(value, FEE_DECIMALS) ? null : `金额以万元计，最多${FEE_DECIMALS}位小数 (an amount in 万元 has at most ${FEE_DECIMALS} decimals): ${value}`;
  }
  return Number.isInteger(value) ? null : `件数应为整数 (a count must be a whole number): ${value}`;
}

/**
 * Every check of a Table 2: only the template's cells; each value valid (whole counts, non-negative —
 * 现行有效件数 included — amounts to the yuan) with its source; and, for the 2021 template, every cell
 * filled (a 0 is entered as 0: an empty cell is not a zero).
 */
export function checkTable2(t: Table2Data, template: ReportTemplate): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const [row, cols] of Object.entries(t)) {
    for (const [col, entry] of Object.entries(cols)) {
      const field = `table2.${row}.${col}`;
      if (!table2Cell(row, col)) {
        problems.push({ field, message: '模板没有这一格 (not a cell of the template)' });
        continue;
      }
      const p = table2ValueProblem(col, entry.value);
      if (p) problems.push({ field, message: p });
      if (!entry.source?.trim()) problems.push({ field: `${field}.source`, message: '缺少数据来源 (every figure needs its source)' });
    }
  }
  if (template === ReportTemplate.GOV_2021) {
    for (const c of TABLE2_CELLS) {
      if (!t[c.row.key]?.[c.column.key]) {
        problems.push({
          field: `table2.${c.row.key}.${c.column.key}`,
          message: `${c.block.label}「${c.row.label}」的「${c.column.label}」未填写 (not entered; enter 0 for none)`,
        });
      }
    }
  }
  return problems;
}

/**
 * Warnings, which do not block finalisation: documents issued this year are either still in force or
 * were repealed (a document issued and expired within the year is possible, hence not an error).
 */
export function table2Warnings(t: Table2Data): CheckProblem[] {
  const warnings: CheckProblem[] = [];
  for (const row of ['RULES', 'NORMATIVE_DOCUMENTS']) {
    const r = t[row];
    const issued = r?.ISSUED?.value;
    const repealed = r?.REPEALED?.value;
    const inForce = r?.IN_FORCE?.value;
    if (issued == null || repealed == null || inForce == null) continue;
    if (issued > inForce + repealed) {
      warnings.push({
        field: `table2.${row}.IN_FORCE`,
        message: `本年制发 ${issued} 件多于现行有效 ${inForce} 件与本年废止 ${repealed} 件之和，请核实 (more issued this year than in force plus repealed; please verify)`,
      });
    }
  }
  return warnings;
}

/**
 * The carry-over between neighbouring years: 二、上年结转 of this year should equal 四、结转下年度继续办理
 * of the previous year's report, per column where both are stated. A warning (the records may have
 * changed after the previous report was frozen), reported at this year's 二.
 */
export function carryOverWarnings(current: CountTable, previous: CountTable, previousYear: number): CheckProblem[] {
  const warnings: CheckProblem[] = [];
  for (const col of TABLE3_COLUMNS) {
    const now = current[CARRIED_IN]?.[col.key];
    const before = previous[CARRIED_OUT]?.[col.key];
    if (now == null || before == null || now === before) continue;
    warnings.push({
      field: fieldOf('table3', CARRIED_IN, col.key),
      message: `「${col.label}」列上年结转 ${now} 与${previousYear}年报告的结转下年度继续办理 ${before} 不一致 (carried over from last year differs from last year's report)`,
    });
  }
  return warnings;
}

export interface LegacyFigure {
  label: string;
  value: number;
  note: string;
}

/** Figures of older templates as written (label → value): labels present and unique, values finite. */
export function checkLegacyFigures(figures: readonly LegacyFigure[]): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const seen = new Set<string>();
  figures.forEach((f, i) => {
    if (!f.label.trim()) problems.push({ field: `legacyFigures.${i}.label`, message: '项目名称不能为空 (label must not be empty)' });
    else if (seen.has(f.label.trim())) problems.push({ field: `legacyFigures.${i}.label`, message: `项目「${f.label}」重复 (label listed twice)` });
    seen.add(f.label.trim());
    if (!Number.isFinite(f.value)) problems.push({ field: `legacyFigures.${i}.value`, message: '数值无效 (not a number)' });
  });
  return problems;
}

// ───────────────────────────── consolidation ─────────────────────────────

/**
 * The consolidated table of several members: each cell the sum of the members' same cells. A cell is
 * stated only when every member states it — a member that does not (a hand-entered report of an older
 * template) leaves the sum unknown rather than too small.
 */
export function sumCountTables(tables: readonly CountTable[], table: TableName): CountTable {
  const def = tableDef(table);
  const out: CountTable = {};
  for (const row of def.rows) {
    for (const col of def.columns) {
      let sum = 0;
      let complete = tables.length > 0;
      for (const t of tables) {
        const v = t[row.key]?.[col.key];
        if (typeof v !== 'number') {
          complete = false;
          break;
        }
        sum += v;
      }
      if (complete) (out[row.key] ??= {})[col.key] = sum;
    }
  }
  return out;
}

/**
 * The consolidated Table 2: each cell the sum of the values the members entered, with the share of
 * members that entered it as its source ("3/4 个机关填报"); a cell nobody entered stays empty.
 */
export function sumTable2(tables: readonly Table2Data[]): Table2Data {
  const out: Table2Data = {};
  for (const c of TABLE2_CELLS) {
    const values = tables.map((t) => t[c.row.key]?.[c.column.key]?.value).filter((v): v is number => typeof v === 'number');
    if (!values.length) continue;
    const sum = values.reduce((a, b) => a + b, 0);
    const rounded = c.column.key === TABLE2_COLUMNS.FEE_AMOUNT.key ? Math.round(sum * 10 ** FEE_DECIMALS) / 10 ** FEE_DECIMALS : sum;
    (out[c.row.key] ??= {})[c.column.key] = { value: rounded, source: `${values.length}/${tables.length} 个机关填报 (entered by ${values.length} of ${tables.length} agencies)` };
  }
  return out;
}

// ───────────────────────────── views ─────────────────────────────

export interface CellView {
  column: string;
  value: number | null;
}
export interface RowView extends TableRowDef {
  cells: CellView[];
}
export interface TableView {
  key: TableName;
  title: string;
  columns: readonly TableColumnDef[];
  rows: RowView[];
}

export const TABLE_TITLES: Record<TableName | 'table2', string> = {
  table2: '二、主动公开政府信息情况',
  table3: '三、收到和处理政府信息公开申请情况',
  table4: '四、政府信息公开行政复议、行政诉讼情况',
};

/** A table with its labels, every template cell listed (null where not stated), in template order. */
export function tableView(table: TableName, t: CountTable): TableView {
  const def = tableDef(table);
  return {
    key: table,
    title: TABLE_TITLES[table],
    columns: def.columns,
    rows: def.rows.map((row) => ({ ...row, cells: def.columns.map((col) => ({ column: col.key, value: t[row.key]?.[col.key] ?? null })) })),
  };
}

export interface Table2CellView {
  column: string;
  value: number | null;
  source: string | null;
}
export interface Table2BlockView {
  key: string;
  label: string;
  columns: readonly TableColumnDef[];
  rows: Array<TableRowDef & { cells: Table2CellView[] }>;
}

export function table2View(t: Table2Data): { title: string; blocks: Table2BlockView[] } {
  return {
    title: TABLE_TITLES.table2,
    blocks: TABLE2_BLOCKS.map((b) => ({
      key: b.key,
      label: b.label,
      columns: b.columns,
      rows: b.rows.map((row) => ({
        ...row,
        cells: b.columns.map((col) => {
          const e = t[row.key]?.[col.key];
          return { column: col.key, value: e?.value ?? null, source: e?.source ?? null };
        }),
      })),
    })),
  };
}

/** The section headings of the 2021 template, in order. */
export const SECTION_HEADINGS = [
  '一、总体情况',
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
  '六、其他需要报告的事项',
] as const;

export const TEMPLATE_NAMES: Record<ReportTemplate, string> = {
  [ReportTemplate.GOV_2021]: '国办公开办函〔2021〕30号',
  [ReportTemplate.GOV_2019]: '国办公开办函〔2019〕60号',
  [ReportTemplate.PRE_2019]: '2019年以前的格式',
};

/** Everything an export writes: the report (or a consolidated report) with its tables and checks. */
export interface ReportDocument {
  title: string;
  agencyName: string;
  year: number;
  template: ReportTemplate;
  final: boolean;
  overview: string;
  problems: string;
  otherMatters: string;
  table2: Table2Data;
  table3: CountTable;
  table4: CountTable;
  legacyFigures: readonly LegacyFigure[];
  checkProblems: readonly CheckProblem[];
  /** For a consolidated report: its members and whether each has a final report. */
  members?: ReadonlyArray<{ name: string; final: boolean }>;
}
