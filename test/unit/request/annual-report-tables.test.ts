import { ReportTemplate } from '../../../src/modules/request/annual-report.entity';
import {
  APPLICANT_COLUMNS,
  buildTable3,
  buildTable4,
  carryOverWarnings,
  cellProblem,
  checkLegacyFigures,
  checkTable2,
  checkTable3,
  checkTable4,
  OUTCOME_ROWS,
  sumCountTables,
  sumTable2,
  table2ValueProblem,
  table2View,
  table2Warnings,
  tableView,
  TABLE2_CELLS,
  TABLE3_COLUMNS,
  TABLE3_ROWS,
  TABLE4_FLAT_COLUMNS,
  TABLE4_ROWS,
  withTable3Totals,
  type CountTable,
  type Table2Data,
} from '../../../src/modules/request/annual-report-tables';
import { AppealKind, AppealResult, ApplicantType, RequestOutcome } from '../../../src/modules/request/request.entity';

const fields = (problems: Array<{ field: string }>) => problems.map((p) => p.field);

/** Every Table 2 cell filled with `value` and a source. */
function fullTable2(value = 0): Table2Data {
  const t: Table2Data = {};
  for (const c of TABLE2_CELLS) (t[c.row.key] ??= {})[c.column.key] = { value, source: '法制大队台账' };
  return t;
}

describe('the 2021 template', () => {
  it('has the columns of DOMAIN.md: 自然人 | 法人或其他组织 (5) | 总计', () => {
    expect(TABLE3_COLUMNS.map((c) => c.label)).toEqual(['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']);
    expect(TABLE3_COLUMNS.filter((c) => c.group === '法人或其他组织')).toHaveLength(5);
    expect(APPLICANT_COLUMNS).toEqual(Object.values(ApplicantType));
  });

  it('has rows 一, 二, the 21 outcome rows (1:1 with the outcome values, in order), 三（七） and 四', () => {
    expect(OUTCOME_ROWS.map((r) => r.key)).toEqual(Object.values(RequestOutcome));
    expect(TABLE3_ROWS).toHaveLength(25);
    expect(TABLE3_ROWS.map((r) => r.label)).toEqual([
      '一、本年新收政府信息公开申请数量',
      '二、上年结转政府信息公开申请数量',
      '（一）予以公开',
      '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
      '1.属于国家秘密',
      '2.其他法律行政法规禁止公开',
      '3.危及“三安全一稳定”',
      '4.保护第三方合法权益',
      '5.属于三类内部事务信息',
      '6.属于四类过程性信息',
      '7.属于行政执法案卷',
      '8.属于行政查询事项',
      '1.本机关不掌握相关政府信息',
      '2.没有现成信息需要另行制作',
      '3.补正后申请内容仍不明确',
      '1.信访举报投诉类申请',
      '2.重复申请',
      '3.要求提供公开出版物',
      '4.无正当理由大量反复申请',
      '5.要求行政机关确认或重新出具已获取信息',
      '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      '3.其他',
      '（七）总计',
      '四、结转下年度继续办理',
    ]);
    const groups = [...new Set(OUTCOME_ROWS.map((r) => r.group).filter(Boolean))];
    expect(groups).toEqual(['（三）不予公开', '（四）无法提供', '（五）不予处理', '（六）其他处理']);
    expect(OUTCOME_ROWS.filter((r) => r.group === '（三）不予公开')).toHaveLength(8);
  });

  it('Table 4 has 15 columns: 行政复议 × 5, 行政诉讼 (未经复议直接起诉 × 5, 复议后起诉 × 5)', () => {
    expect(TABLE4_FLAT_COLUMNS).toHaveLength(15);
    expect(TABLE4_FLAT_COLUMNS.map((c) => c.label).slice(0, 5)).toEqual(['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']);
    expect(TABLE4_FLAT_COLUMNS.map((c) => `${c.group}/${c.subgroup ?? ''}`)).toEqual([
      ...Array(5).fill('行政复议/'),
      ...Array(5).fill('行政诉讼/未经复议直接起诉'),
      ...Array(5).fill('行政诉讼/复议后起诉'),
    ]);
    expect(TABLE4_ROWS.map((r) => r.key)).toEqual(Object.values(AppealKind));
  });

  it('Table 2 has the four blocks of Art 20 with their cells', () => {
    const view = table2View({});
    expect(view.blocks.map((b) => b.label)).toEqual(['第二十条第（一）项', '第二十条第（五）项', '第二十条第（六）项', '第二十条第（八）项']);
    expect(view.blocks.map((b) => b.rows.map((r) => `${r.label}:${r.cells.map((c) => c.column).join('/')}`))).toEqual([
      ['规章:ISSUED/REPEALED/IN_FORCE', '行政规范性文件:ISSUED/REPEALED/IN_FORCE'],
      ['行政许可:DECISIONS'],
      ['行政处罚:DECISIONS', '行政强制:DECISIONS'],
      ['行政事业性收费:FEE_AMOUNT'],
    ]);
    expect(view.blocks[3]!.columns[0]!.label).toBe('本年收费金额（单位：万元）');
    expect(TABLE2_CELLS).toHaveLength(10);
  });
});

describe('building Table 3 and Table 4 from counts', () => {
  const t = buildTable3([
    { applicant: 'NATURAL_PERSON', outcome: null, received: 2, carriedIn: 1, replied: 0, carriedOut: 3 },
    { applicant: 'NATURAL_PERSON', outcome: 'DISCLOSED', received: 3, carriedIn: 0, replied: 3, carriedOut: 0 },
    { applicant: 'NATURAL_PERSON', outcome: 'WITHHELD_THIRD_PARTY', received: 0, carriedIn: 1, replied: 1, carriedOut: 0 },
    { applicant: 'LEGAL_SERVICE_INSTITUTION', outcome: 'OTHER', received: 1, carriedIn: 0, replied: 1, carriedOut: 0 },
  ]);

  it('counts each group into 一, 二, its outcome row and 四, with totals', () => {
    // 自然人: received 2 + 3 = 5, carried in 1 + 1 = 2, replied 3 + 1 = 4, carried out 3: 5 + 2 = 4 + 3.
    expect(t.RECEIVED).toMatchObject({ NATURAL_PERSON: 5, LEGAL_SERVICE_INSTITUTION: 1, COMMERCIAL_ENTERPRISE: 0, TOTAL: 6 });
    expect(t.CARRIED_IN).toMatchObject({ NATURAL_PERSON: 2, TOTAL: 2 });
    expect(t.DISCLOSED).toMatchObject({ NATURAL_PERSON: 3, TOTAL: 3 });
    expect(t.WITHHELD_THIRD_PARTY).toMatchObject({ NATURAL_PERSON: 1, TOTAL: 1 });
    expect(t.OTHER).toMatchObject({ LEGAL_SERVICE_INSTITUTION: 1, TOTAL: 1 });
    expect(t.RESULT_TOTAL).toMatchObject({ NATURAL_PERSON: 4, LEGAL_SERVICE_INSTITUTION: 1, TOTAL: 5 });
    expect(t.CARRIED_OUT).toMatchObject({ NATURAL_PERSON: 3, TOTAL: 3 });
    // every cell of the template is present
    for (const row of TABLE3_ROWS) for (const col of TABLE3_COLUMNS) expect(typeof t[row.key]![col.key]).toBe('number');
    expect(checkTable3(t)).toEqual([]);
  });

  it('an empty year is all zeros and passes', () => {
    const empty = buildTable3([]);
    expect(empty.RESULT_TOTAL!.TOTAL).toBe(0);
    expect(checkTable3(empty)).toEqual([]);
  });

  it('refuses unknown applicant types and outcomes, and replies without an outcome', () => {
    expect(() => buildTable3([{ applicant: 'ALIEN', outcome: null, received: 1, carriedIn: 0, replied: 0, carriedOut: 0 }])).toThrow();
    expect(() => buildTable3([{ applicant: 'NATURAL_PERSON', outcome: 'MAYBE', received: 1, carriedIn: 0, replied: 1, carriedOut: 0 }])).toThrow();
    expect(() => buildTable3([{ applicant: 'NATURAL_PERSON', outcome: null, received: 1, carriedIn: 0, replied: 1, carriedOut: 0 }])).toThrow();
  });

  it('Table 4: per kind, the results and their total', () => {
    const t4 = buildTable4([
      { kind: 'RECONSIDERATION', result: 'UPHELD', count: 2 },
      { kind: 'RECONSIDERATION', result: 'PENDING', count: 1 },
      { kind: 'LAWSUIT_AFTER_RECONSIDERATION', result: 'CORRECTED', count: 1 },
    ]);
    expect(t4.RECONSIDERATION).toEqual({ UPHELD: 2, CORRECTED: 0, OTHER: 0, PENDING: 1, TOTAL: 3 });
    expect(t4.LAWSUIT_DIRECT).toEqual({ UPHELD: 0, CORRECTED: 0, OTHER: 0, PENDING: 0, TOTAL: 0 });
    expect(t4.LAWSUIT_AFTER_RECONSIDERATION!.TOTAL).toBe(1);
    expect(checkTable4(t4)).toEqual([]);
    expect(() => buildTable4([{ kind: 'APPEAL', result: 'UPHELD', count: 1 }])).toThrow();
    expect(() => buildTable4([{ kind: 'RECONSIDERATION', result: AppealResult.PENDING + 'X', count: 1 }])).toThrow();
  });
});

describe('checks of Table 3', () => {
  const good = () => withTable3Totals({ RECEIVED: { NATURAL_PERSON: 3 }, CARRIED_IN: { NATURAL_PERSON: 1 }, DISCLOSED: { NATURAL_PERSON: 2 }, CARRIED_OUT: { NATURAL_PERSON: 2 } });

  it('the cross-check 一 + 二 = 三（七）+ 四 per column, naming the column with the equation', () => {
    const t = good();
    t.CARRIED_OUT!.NATURAL_PERSON = 1;
    t.CARRIED_OUT!.TOTAL = 1;
    const problems = checkTable3(t);
    expect(fields(problems)).toEqual(['table3.columns.NATURAL_PERSON', 'table3.columns.TOTAL']);
    expect(problems[0]!.message).toContain('一 + 二 = 三（七）+ 四');
    expect(problems[0]!.message).toContain('3 + 1 = 4 ≠ 2 + 1 = 3');
  });

  it('总计 = the sum of the six applicant columns, per row', () => {
    const t = good();
    t.RECEIVED!.TOTAL = 4;
    // the row sum fails, and with it the cross-check of the 总计 column (4 + 1 ≠ 2 + 2)
    expect(fields(checkTable3(t))).toEqual(['table3.rows.RECEIVED.TOTAL', 'table3.columns.TOTAL']);
  });

  it('三（七）总计 = the sum of the 21 outcome rows, per column', () => {
    const t = good();
    t.RESULT_TOTAL!.NATURAL_PERSON = 3;
    t.CARRIED_OUT!.NATURAL_PERSON = 1; // keeps the cross-check itself true: 3 + 1 = 3 + 1
    expect(fields(checkTable3(t))).toEqual([
      'table3.rows.RESULT_TOTAL.TOTAL', // 3 + 0 … ≠ 2
      'table3.rows.CARRIED_OUT.TOTAL', // 1 ≠ 2
      'table3.rows.RESULT_TOTAL.NATURAL_PERSON', // the outcome rows sum to 2
    ]);
  });

  it('values must be whole numbers ≥ 0', () => {
    const t = good();
    t.DISCLOSED!.COMMERCIAL_ENTERPRISE = -1;
    t.WITHHELD_STATE_SECRET!.COMMERCIAL_ENTERPRISE = 1.5;
    const f = fields(checkTable3(t));
    expect(f).toContain('table3.rows.DISCLOSED.COMMERCIAL_ENTERPRISE');
    expect(f).toContain('table3.rows.WITHHELD_STATE_SECRET.COMMERCIAL_ENTERPRISE');
  });

  it('a sparse hand-entered table is checked only where all the cells of a sum exist', () => {
    // 常熟 2017 style: only 一 and 三（七） in the total column.
    expect(checkTable3({ RECEIVED: { TOTAL: 3 }, RESULT_TOTAL: { TOTAL: 3 } })).toEqual([]);
    // with 二 and 四 too the cross-check applies
    const bad: CountTable = { RECEIVED: { TOTAL: 3 }, CARRIED_IN: { TOTAL: 0 }, RESULT_TOTAL: { TOTAL: 2 }, CARRIED_OUT: { TOTAL: 0 } };
    expect(fields(checkTable3(bad))).toEqual(['table3.columns.TOTAL']);
  });
});

describe('checks of Table 4, Table 2 and the old figures', () => {
  it('Table 4: 总计 per kind, whole numbers', () => {
    const t4 = buildTable4([{ kind: 'LAWSUIT_DIRECT', result: 'UPHELD', count: 1 }]);
    t4.LAWSUIT_DIRECT!.TOTAL = 2;
    t4.RECONSIDERATION!.OTHER = -1;
    t4.RECONSIDERATION!.TOTAL = -1;
    expect(fields(checkTable4(t4))).toEqual(['table4.rows.RECONSIDERATION.OTHER', 'table4.rows.RECONSIDERATION.TOTAL', 'table4.rows.LAWSUIT_DIRECT.TOTAL']);
  });

  it('Table 2 of the 2021 template: every cell entered, with a source; whole counts; amounts in 万元 to four decimals', () => {
    expect(checkTable2(fullTable2(), ReportTemplate.GOV_2021)).toEqual([]);
    const missing = fullTable2();
    delete missing.ADMINISTRATIVE_PENALTY;
    expect(fields(checkTable2(missing, ReportTemplate.GOV_2021))).toEqual(['table2.ADMINISTRATIVE_PENALTY.DECISIONS']);
    // older templates do not require the 2021 cells
    expect(checkTable2(missing, ReportTemplate.PRE_2019)).toEqual([]);
    const bad = fullTable2();
    bad.RULES!.IN_FORCE = { value: -1, source: 'x' };
    bad.ADMINISTRATIVE_LICENSING!.DECISIONS = { value: 2.5, source: '' };
    bad.ADMINISTRATIVE_FEES!.FEE_AMOUNT = { value: 1.23456, source: '财务科' };
    (bad.RULES as Record<string, unknown>).DECISIONS = { value: 1, source: 'x' };
    expect(fields(checkTable2(bad, ReportTemplate.GOV_2021))).toEqual([
      'table2.RULES.IN_FORCE',
      'table2.RULES.DECISIONS',
      'table2.ADMINISTRATIVE_LICENSING.DECISIONS',
      'table2.ADMINISTRATIVE_LICENSING.DECISIONS.source',
      'table2.ADMINISTRATIVE_FEES.FEE_AMOUNT',
    ]);
    expect(table2ValueProblem('FEE_AMOUNT', 12.3456)).toBeNull();
    expect(table2ValueProblem('ISSUED', 3)).toBeNull();
  });

  it('Table 2 warns (does not block) when more was issued than is in force or repealed', () => {
    const t = fullTable2();
    t.NORMATIVE_DOCUMENTS!.ISSUED = { value: 5, source: 'x' };
    t.NORMATIVE_DOCUMENTS!.IN_FORCE = { value: 3, source: 'x' };
    t.NORMATIVE_DOCUMENTS!.REPEALED = { value: 1, source: 'x' };
    expect(fields(table2Warnings(t))).toEqual(['table2.NORMATIVE_DOCUMENTS.IN_FORCE']);
    expect(checkTable2(t, ReportTemplate.GOV_2021)).toEqual([]);
  });

  it('old figures: labels present and unique, values numbers', () => {
    expect(checkLegacyFigures([{ label: '行政诉讼', value: 1, note: '' }])).toEqual([]);
    expect(fields(checkLegacyFigures([{ label: 'a', value: 1, note: '' }, { label: 'a', value: 2, note: '' }, { label: ' ', value: NaN, note: '' }]))).toEqual([
      'legacyFigures.1.label',
      'legacyFigures.2.label',
      'legacyFigures.2.value',
    ]);
  });

  it('cell coordinates name the wrong part', () => {
    expect(cellProblem('table3', 'RECEIVED', 'TOTAL')).toBeNull();
    expect(cellProblem('table3', 'RECIEVED', 'TOTAL')!.part).toBe('row');
    expect(cellProblem('table4', 'RECONSIDERATION', 'NATURAL_PERSON')!.part).toBe('column');
  });
});

describe('carry-over and consolidation', () => {
  it('二 of this year against 四 of last year’s report, per column', () => {
    const last = withTable3Totals({ RECEIVED: { NATURAL_PERSON: 2 }, CARRIED_OUT: { NATURAL_PERSON: 2 } });
    const now = withTable3Totals({ CARRIED_IN: { NATURAL_PERSON: 2 }, DISCLOSED: { NATURAL_PERSON: 2 } });
    expect(carryOverWarnings(now, last, 2023)).toEqual([]);
    now.CARRIED_IN!.NATURAL_PERSON = 1;
    now.CARRIED_IN!.TOTAL = 1;
    const w = carryOverWarnings(now, last, 2023);
    expect(fields(w)).toEqual(['table3.rows.CARRIED_IN.NATURAL_PERSON', 'table3.rows.CARRIED_IN.TOTAL']);
    expect(w[0]!.message).toContain('2023');
    // nothing to compare when last year does not state it
    expect(carryOverWarnings(now, { RECEIVED: { TOTAL: 3 } }, 2023)).toEqual([]);
  });

  it('the consolidated table is the cell-wise sum of its members; a cell one member does not state stays unknown', () => {
    const a = buildTable3([{ applicant: 'NATURAL_PERSON', outcome: 'DISCLOSED', received: 2, carriedIn: 0, replied: 2, carriedOut: 0 }]);
    const b = buildTable3([{ applicant: 'COMMERCIAL_ENTERPRISE', outcome: null, received: 1, carriedIn: 0, replied: 0, carriedOut: 1 }]);
    const sum = sumCountTables([a, b], 'table3');
    for (const row of TABLE3_ROWS) for (const col of TABLE3_COLUMNS) expect(sum[row.key]![col.key]).toBe(a[row.key]![col.key]! + b[row.key]![col.key]!);
    expect(sum.RECEIVED!.TOTAL).toBe(3);
    expect(checkTable3(sum)).toEqual([]);
    const partial = sumCountTables([a, { RECEIVED: { TOTAL: 3 } }], 'table3');
    expect(partial.RECEIVED).toEqual({ TOTAL: 5 });
    expect(partial.DISCLOSED).toBeUndefined();
    expect(sumCountTables([], 'table4')).toEqual({});
    const t4 = sumCountTables([buildTable4([{ kind: 'RECONSIDERATION', result: 'UPHELD', count: 1 }]), buildTable4([{ kind: 'RECONSIDERATION', result: 'UPHELD', count: 2 }])], 'table4');
    expect(t4.RECONSIDERATION).toEqual({ UPHELD: 3, CORRECTED: 0, OTHER: 0, PENDING: 0, TOTAL: 3 });
  });

  it('Table 2 sums the entered values and says how many members entered each', () => {
    const a = fullTable2(1);
    a.ADMINISTRATIVE_FEES!.FEE_AMOUNT = { value: 0.1234, source: 'x' };
    const b: Table2Data = { RULES: { ISSUED: { value: 2, source: 'y' } }, ADMINISTRATIVE_FEES: { FEE_AMOUNT: { value: 0.0001, source: 'y' } } };
    const sum = sumTable2([a, b, {}]);
    expect(sum.RULES!.ISSUED).toEqual({ value: 3, source: '2/3 个机关填报 (entered by 2 of 3 agencies)' });
    expect(sum.RULES!.REPEALED!.value).toBe(1);
    expect(sum.ADMINISTRATIVE_FEES!.FEE_AMOUNT!.value).toBe(0.1235);
    expect(sumTable2([{}, {}])).toEqual({});
  });

  it('views list every cell of the template in order, null where not stated', () => {
    const v = tableView('table3', { RECEIVED: { TOTAL: 3 } });
    expect(v.rows).toHaveLength(25);
    expect(v.rows[0]!.cells.map((c) => c.value)).toEqual([null, null, null, null, null, null, 3]);
    expect(tableView('table4', buildTable4([])).rows.map((r) => r.label)).toEqual(['行政复议', '未经复议直接起诉', '复议后起诉']);
  });
});
