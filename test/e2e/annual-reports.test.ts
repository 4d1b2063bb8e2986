import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { randomUUID } from 'node:crypto';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { sql } from '../../src/db/sql';
import { TABLE2_CELLS, TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_RESULT_COLUMNS, TABLE4_ROWS } from '../../src/modules/request/annual-report-tables';
import { startHarness, Role, type Harness } from '../support/harness';

/**
 * Annual reports computed from request records seeded with SQL, every cell compared with a count by
 * hand. Tree: c → a → a1, c → b (a's sibling). Today is pinned to 2025-03-15.
 *
 * Requests of a (NP 自然人, CE 商业企业, RI 科研机构, PIO 社会公益组织, LSI 法律服务机构, OO 其他):
 *
 *   no.  applicant received    replied     outcome                      2023        2024          2025
 *   R1   NP        2023-03-01  2023-03-20  DISCLOSED                    一, 三
 *   R2   NP        2023-12-20  2024-01-10  PARTIALLY_DISCLOSED          一, 四       二, 三
 *   R3   CE        2023-12-28  2024-01-05  WITHHELD_THIRD_PARTY         一, 四       二, 三
 *   R4   NP        2023-12-31  2023-12-31  DISCLOSED                    一, 三
 *   R5   NP        2024-01-01  2024-01-15  DISCLOSED                                 一, 三
 *   R6   NP        2024-02-01  2024-02-20  UNAVAILABLE_NOT_HELD                      一, 三
 *   R7   RI        2024-03-01  2024-03-25  NOT_PROCESSED_REPEATED                    一, 三
 *   R8   PIO       2024-05-05  2024-05-30  OTHER_NOT_CORRECTED                       一, 三
 *   R9   LSI       2024-06-01  2024-06-20  WITHHELD_STATE_SECRET                     一, 三
 *   R10  OO        2024-07-01  2024-07-30  OTHER                                     一, 三
 *   R11  NP        2024-12-15  2025-01-08  DISCLOSED                                 一, 四          二, 三
 *   R12  LSI       2024-12-31  —           —                                         一, 四          二, 四
 *   R13  NP        2024-12-31  2024-12-31  NOT_PROCESSED_PETITION                    一, 三
 *   R14  NP        2025-01-02  2025-01-20  PARTIALLY_DISCLOSED                                       一, 三
 *   R15  CE        2025-02-10  —           —                                                         一, 四
 *
 * 2024 by hand — 一: NP 4 (R5 R6 R11 R13), RI 1, PIO 1, LSI 2 (R9 R12), OO 1 = 9; 二: NP 1 (R2), CE 1 (R3) = 2;
 * 三: PARTIALLY NP 1 (R2), WITHHELD_THIRD_PARTY CE 1 (R3), DISCLOSED NP 1 (R5), UNAVAILABLE_NOT_HELD NP 1 (R6),
 * NOT_PROCESSED_REPEATED RI 1, OTHER_NOT_CORRECTED PIO 1, WITHHELD_STATE_SECRET LSI 1, OTHER OO 1,
 * NOT_PROCESSED_PETITION NP 1 (R13); （七）: NP 4, CE 1, RI 1, PIO 1, LSI 1, OO 1 = 9; 四: NP 1 (R11), LSI 1 (R12) = 2.
 * Cross-check per column: NP 4 + 1 = 4 + 1, CE 0 + 1 = 1 + 0, LSI 2 + 0 = 1 + 1, total 9 + 2 = 9 + 2.
 * 2023 — 一: NP 3 (R1 R2 R4), CE 1 = 4; 二: 0; 三: DISCLOSED NP 2 (R1 R4); 四: NP 1, CE 1 = 2 (= 2024's 二).
 * 2025 — 一: NP 1 (R14), CE 1 (R15) = 2; 二: NP 1 (R11), LSI 1 (R12) = 2 (= 2024's 四); 三: DISCLOSED NP 1 (R11),
 * PARTIALLY NP 1 (R14); 四: LSI 1 (R12), CE 1 (R15) = 2.
 *
 * Appeals of a: P1 复议 on R6 filed 2024-03-01, upheld 2024-04-01; P2 复议 on R9 filed 2024-07-01, corrected
 * 2025-01-10 (pending at the end of 2024); P3 直接起诉 on R7 filed 2024-05-01, other result 2024-09-01; P4 复议后起诉
 * on R6 filed 2024-06-01, pending; P5 复议 on R1 filed 2023-04-01, upheld 2023-05-01 (2023); P6 直接起诉 on R11
 * filed 2025-02-01 (2025). Table 4 for 2024: 复议 维持 1, 尚未审结 1, 总计 2; 直接起诉 其他 1, 总计 1; 复议后起诉
 * 尚未审结 1, 总计 1.
 *
 * a1 (below a): R16 NP received 2024-04-01, replied 2024-04-10, DISCLOSED. b: R17 CE received 2024-08-01,
 * replied 2024-08-15, WITHHELD_PROCESS_INFORMATION. c: none.
 */
describe('annual reports', () => {
  let h: Harness;
  const t: Record<string, string> = {};
  const id: Record<string, string> = {};
  const report: Record<string, string> = {};
  let requestNo = 0;

  async function gql(query: string, variables: Record<string, unknown>, token: string) {
    return h.gql(query, variables, token);
  }
  async function ok(query: string, variables: Record<string, unknown>, token: string) {
    const res = await gql(query, variables, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  }
  async function err(query: string, variables: Record<string, unknown>, token: string) {
    const res = await gql(query, variables, token);
    expect(res.errors).toBeDefined();
    return res.errors![0]! as { message: string; extensions: { code: string; field?: string; problems?: Array<{ field: string }> } };
  }

  async function request(agency: string, applicant: string, receivedOn: string, repliedOn: string | null, outcome: string | null): Promise<string> {
    requestNo += 1;
    const rid = randomUUID();
    await sql(
      h.em(),
      `insert into info_request (id, agency_id, year, number, channel, applicant_type, applicant_name, content, submitted_on, received_on, outcome, replied_on, registered_by)
       values (?, ?, ?, ?, 'ONLINE', ?::applicant_type, '申请人', '申请内容', ?, ?, ?::request_outcome, ?, 'test')`,
      [rid, id[agency], Number(receivedOn.slice(0, 4)), `YSQ-${requestNo}`, applicant, receivedOn, receivedOn, outcome, repliedOn],
    );
    return rid;
  }
  async function appeal(agency: string, requestId: string, kind: string, filedOn: string, result: string, decidedOn: string | null) {
    await sql(
      h.em(),
      `insert into request_appeal (id, request_id, agency_id, kind, filed_on, result, decided_on) values (?, ?, ?, ?::appeal_kind, ?, ?::appeal_result, ?)`,
      [randomUUID(), requestId, id[agency], kind, filedOn, result, decidedOn],
    );
  }

  const TABLE = `{ title columns { key label group } rows { key label section group cells { column value } } }`;
  const FIELDS = `id year template templateName status title computed dueOn onTime publishedOn publishedUrl finalisedBy agency { code }
    overview problems otherMatters
    table2 { title blocks { key label rows { key label cells { column value source } } } }
    table3 ${TABLE} table4 ${TABLE}
    checks { ok problems { field message } warnings { field message } }
    legacyFigures { label value note }`;
  const GET = `query($id: ID!) { annualReport(id: $id) { ${FIELDS} } }`;
  const CREATE = `mutation($i: CreateAnnualReportInput!) { createAnnualReport(input: $i) { report { id status template } } }`;
  const UPDATE = `mutation($i: UpdateAnnualReportInput!) { updateAnnualReport(input: $i) { report { id status } } }`;
  const FINALISE = `mutation($i: AnnualReportIdInput!) { finaliseAnnualReport(input: $i) { report { id status finalisedBy } } }`;
  const PUBLISH = `mutation($i: PublishAnnualReportInput!) { publishAnnualReport(input: $i) { report { id publishedOn publishedUrl onTime dueOn } } }`;
  const CONSOLIDATED = `query($y: Int!, $a: ID) { consolidatedAnnualReport(year: $y, agencyId: $a) { year dueOn memberCount finalCount agency { code }
    members { agency { code } final source report { id status } } table2 { blocks { rows { key cells { column value source } } } } table3 ${TABLE} table4 ${TABLE} checks { ok problems { field } } } }`;

  type View = { rows: Array<{ key: string; cells: Array<{ column: string; value: number | null }> }> };
  /** row → column → value of a table as the API returns it. */
  const grid = (table: View) => Object.fromEntries(table.rows.map((r) => [r.key, Object.fromEntries(r.cells.map((c) => [c.column, c.value]))])) as Record<string, Record<string, number | null>>;
  /** The full expected Table 3: every cell 0 except those given (all written out by hand, totals included). */
  function expected3(nonZero: Record<string, Record<string, number>>) {
    const out: Record<string, Record<string, number>> = {};
    for (const row of TABLE3_ROWS) {
      out[row.key] = {};
      for (const col of TABLE3_COLUMNS) out[row.key]![col.key] = nonZero[row.key]?.[col.key] ?? 0;
    }
    return out;
  }
  function expected4(nonZero: Record<string, Record<string, number>>) {
    const out: Record<string, Record<string, number>> = {};
    for (const row of TABLE4_ROWS) {
      out[row.key] = {};
      for (const col of TABLE4_RESULT_COLUMNS) out[row.key]![col.key] = nonZero[row.key]?.[col.key] ?? 0;
    }
    return out;
  }

  const A_2024 = expected3({
    RECEIVED: { NATURAL_PERSON: 4, RESEARCH_INSTITUTION: 1, PUBLIC_INTEREST_ORGANISATION: 1, LEGAL_SERVICE_INSTITUTION: 2, OTHER_ORGANISATION: 1, TOTAL: 9 },
    CARRIED_IN: { NATURAL_PERSON: 1, COMMERCIAL_ENTERPRISE: 1, TOTAL: 2 },
    DISCLOSED: { NATURAL_PERSON: 1, TOTAL: 1 },
    PARTIALLY_DISCLOSED: { NATURAL_PERSON: 1, TOTAL: 1 },
    WITHHELD_STATE_SECRET: { LEGAL_SERVICE_INSTITUTION: 1, TOTAL: 1 },
    WITHHELD_THIRD_PARTY: { COMMERCIAL_ENTERPRISE: 1, TOTAL: 1 },
    UNAVAILABLE_NOT_HELD: { NATURAL_PERSON: 1, TOTAL: 1 },
    NOT_PROCESSED_PETITION: { NATURAL_PERSON: 1, TOTAL: 1 },
    NOT_PROCESSED_REPEATED: { RESEARCH_INSTITUTION: 1, TOTAL: 1 },
    OTHER_NOT_CORRECTED: { PUBLIC_INTEREST_ORGANISATION: 1, TOTAL: 1 },
    OTHER: { OTHER_ORGANISATION: 1, TOTAL: 1 },
    RESULT_TOTAL: { NATURAL_PERSON: 4, COMMERCIAL_ENTERPRISE: 1, RESEARCH_INSTITUTION: 1, PUBLIC_INTEREST_ORGANISATION: 1, LEGAL_SERVICE_INSTITUTION: 1, OTHER_ORGANISATION: 1, TOTAL: 9 },
    CARRIED_OUT: { NATURAL_PERSON: 1, LEGAL_SERVICE_INSTITUTION: 1, TOTAL: 2 },
  });
  const A_2023 = expected3({
    RECEIVED: { NATURAL_PERSON: 3, COMMERCIAL_ENTERPRISE: 1, TOTAL: 4 },
    DISCLOSED: { NATURAL_PERSON: 2, TOTAL: 2 },
    RESULT_TOTAL: { NATURAL_PERSON: 2, TOTAL: 2 },
    CARRIED_OUT: { NATURAL_PERSON: 1, COMMERCIAL_ENTERPRISE: 1, TOTAL: 2 },
  });
  const A_2025 = expected3({
    RECEIVED: { NATURAL_PERSON: 1, COMMERCIAL_ENTERPRISE: 1, TOTAL: 2 },
    CARRIED_IN: { NATURAL_PERSON: 1, LEGAL_SERVICE_INSTITUTION: 1, TOTAL: 2 },
    DISCLOSED: { NATURAL_PERSON: 1, TOTAL: 1 },
    PARTIALLY_DISCLOSED: { NATURAL_PERSON: 1, TOTAL: 1 },
    RESULT_TOTAL: { NATURAL_PERSON: 2, TOTAL: 2 },
    CARRIED_OUT: { COMMERCIAL_ENTERPRISE: 1, LEGAL_SERVICE_INSTITUTION: 1, TOTAL: 2 },
  });
  const A1_2024 = expected3({
    RECEIVED: { NATURAL_PERSON: 1, TOTAL: 1 },
    DISCLOSED: { NATURAL_PERSON: 1, TOTAL: 1 },
    RESULT_TOTAL: { NATURAL_PERSON: 1, TOTAL: 1 },
  });
  const B_2024 = expected3({
    RECEIVED: { COMMERCIAL_ENTERPRISE: 1, TOTAL: 1 },
    WITHHELD_PROCESS_INFORMATION: { COMMERCIAL_ENTERPRISE: 1, TOTAL: 1 },
    RESULT_TOTAL: { COMMERCIAL_ENTERPRISE: 1, TOTAL: 1 },
  });
  const A4_2024 = expected4({
    RECONSIDERATION: { UPHELD: 1, PENDING: 1, TOTAL: 2 },
    LAWSUIT_DIRECT: { OTHER: 1, TOTAL: 1 },
    LAWSUIT_AFTER_RECONSIDERATION: { PENDING: 1, TOTAL: 1 },
  });

  /** Table 2 entered in full: every cell with a source (fees in 万元). */
  const TABLE2 = TABLE2_CELLS.map((c, i) => ({ row: c.row.key, column: c.column.key, value: c.column.key === 'FEE_AMOUNT' ? 1.25 : i, source: `台账${i}` }));

  beforeAll(async () => {
    setFixedToday('2025-03-15');
    h = await startHarness();
    await h.tree({ code: 'c', children: [{ code: 'a', children: [{ code: 'a1' }] }, { code: 'b' }] });
    for (const a of ['c', 'a', 'a1', 'b']) {
      id[a] = (await h.agency(a)).id;
      t[a] = (await h.account({ agency: a, roles: [Role.AGENCY_ADMIN] })).token;
    }
    t.viewer = (await h.account({ agency: 'c', roles: [Role.SUPERIOR_VIEWER] })).token;

    const r1 = await request('a', 'NATURAL_PERSON', '2023-03-01', '2023-03-20', 'DISCLOSED');
    await request('a', 'NATURAL_PERSON', '2023-12-20', '2024-01-10', 'PARTIALLY_DISCLOSED');
    await request('a', 'COMMERCIAL_ENTERPRISE', '2023-12-28', '2024-01-05', 'WITHHELD_THIRD_PARTY');
    await request('a', 'NATURAL_PERSON', '2023-12-31', '2023-12-31', 'DISCLOSED');
    await request('a', 'NATURAL_PERSON', '2024-01-01', '2024-01-15', 'DISCLOSED');
    const r6 = await request('a', 'NATURAL_PERSON', '2024-02-01', '2024-02-20', 'UNAVAILABLE_NOT_HELD');
    const r7 = await request('a', 'RESEARCH_INSTITUTION', '2024-03-01', '2024-03-25', 'NOT_PROCESSED_REPEATED');
    await request('a', 'PUBLIC_INTEREST_ORGANISATION', '2024-05-05', '2024-05-30', 'OTHER_NOT_CORRECTED');
    const r9 = await request('a', 'LEGAL_SERVICE_INSTITUTION', '2024-06-01', '2024-06-20', 'WITHHELD_STATE_SECRET');
    await request('a', 'OTHER_ORGANISATION', '2024-07-01', '2024-07-30', 'OTHER');
    const r11 = await request('a', 'NATURAL_PERSON', '2024-12-15', '2025-01-08', 'DISCLOSED');
    await request('a', 'LEGAL_SERVICE_INSTITUTION', '2024-12-31', null, null);
    await request('a', 'NATURAL_PERSON', '2024-12-31', '2024-12-31', 'NOT_PROCESSED_PETITION');
    await request('a', 'NATURAL_PERSON', '2025-01-02', '2025-01-20', 'PARTIALLY_DISCLOSED');
    await request('a', 'COMMERCIAL_ENTERPRISE', '2025-02-10', null, null);
    await request('a1', 'NATURAL_PERSON', '2024-04-01', '2024-04-10', 'DISCLOSED');
    await request('b', 'COMMERCIAL_ENTERPRISE', '2024-08-01', '2024-08-15', 'WITHHELD_PROCESS_INFORMATION');

    await appeal('a', r6, 'RECONSIDERATION', '2024-03-01', 'UPHELD', '2024-04-01');
    await appeal('a', r9, 'RECONSIDERATION', '2024-07-01', 'CORRECTED', '2025-01-10');
    await appeal('a', r7, 'LAWSUIT_DIRECT', '2024-05-01', 'OTHER', '2024-09-01');
    await appeal('a', r6, 'LAWSUIT_AFTER_RECONSIDERATION', '2024-06-01', 'PENDING', null);
    await appeal('a', r1, 'RECONSIDERATION', '2023-04-01', 'UPHELD', '2023-05-01');
    await appeal('a', r11, 'LAWSUIT_DIRECT', '2025-02-01', 'PENDING', null);

    for (const [agency, year] of [['a', 2023], ['a', 2024], ['a', 2025], ['a1', 2024], ['b', 2024]] as const) {
      const created = await ok(CREATE, { i: { agencyId: id[agency], year } }, t[agency]!);
      report[`${agency}${year}`] = created.createAnnualReport.report.id;
    }
  }, 120_000);
  afterAll(async () => {
    setFixedToday(null);
    await h?.close();
  });

  it('Table 3 of 2024 is computed from the records: every cell equals the count by hand', async () => {
    const r = (await ok(GET, { id: report.a2024 }, t.a!)).annualReport;
    expect(r).toMatchObject({ year: 2024, template: 'GOV_2021', templateName: '国办公开办函〔2021〕30号', status: 'DRAFT', computed: true, title: '机关 a2024年政府信息公开工作年度报告', dueOn: '2025-01-31' });
    expect(grid(r.table3)).toEqual(A_2024);
    expect(r.table3.title).toBe('三、收到和处理政府信息公开申请情况');
    expect(r.table3.columns.map((c: any) => c.label)).toEqual(['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']);
    expect(r.table3.rows.find((x: any) => x.key === 'WITHHELD_THIRD_PARTY')).toMatchObject({ label: '4.保护第三方合法权益', section: '三、本年度办理结果', group: '（三）不予公开' });
    // the cross-check per column, from the cells: 一 + 二 = 三（七）+ 四
    for (const col of TABLE3_COLUMNS) {
      const g = grid(r.table3);
      expect(g.RECEIVED![col.key]! + g.CARRIED_IN![col.key]!).toBe(g.RESULT_TOTAL![col.key]! + g.CARRIED_OUT![col.key]!);
    }
    // the only problems are Table 2's cells, not yet entered; no Table 3 or 4 problem
    expect(r.checks.ok).toBe(false);
    expect(r.checks.problems.map((p: any) => p.field)).toEqual(TABLE2_CELLS.map((c) => `table2.${c.row.key}.${c.column.key}`));
    // not published and past 31 January 2025: not on time
    expect(r.onTime).toBe(false);
  });

  it('carry-over: 2023’s 四 is 2024’s 二, and 2024’s 四 is 2025’s 二', async () => {
    const y2023 = grid((await ok(GET, { id: report.a2023 }, t.a!)).annualReport.table3);
    const y2025r = (await ok(GET, { id: report.a2025 }, t.a!)).annualReport;
    const y2025 = grid(y2025r.table3);
    expect(y2023).toEqual(A_2023);
    expect(y2025).toEqual(A_2025);
    expect(y2023.CARRIED_OUT).toEqual(A_2024.CARRIED_IN);
    expect(A_2024.CARRIED_OUT).toEqual(y2025.CARRIED_IN);
    expect(y2025r.checks.warnings).toEqual([]);
  });

  it('Table 4: appeals filed in the year by kind, results as of 31 December', async () => {
    const r = (await ok(GET, { id: report.a2024 }, t.a!)).annualReport;
    expect(grid(r.table4)).toEqual(A4_2024);
    expect(r.table4.rows.map((x: any) => [x.label, x.section])).toEqual([
      ['行政复议', '行政复议'],
      ['未经复议直接起诉', '行政诉讼'],
      ['复议后起诉', '行政诉讼'],
    ]);
    expect(grid((await ok(GET, { id: report.a2023 }, t.a!)).annualReport.table4)).toEqual(expected4({ RECONSIDERATION: { UPHELD: 1, TOTAL: 1 } }));
    expect(grid((await ok(GET, { id: report.a2025 }, t.a!)).annualReport.table4)).toEqual(expected4({ LAWSUIT_DIRECT: { PENDING: 1, TOTAL: 1 } }));
  });

  it('a page of reports with their tables and checks takes the same statements for one report or three', async () => {
    const q = `query($y: Int!) { annualReports(first: 10, filter: { year: $y }) { totalCount edges { node { agency { code } table3 { rows { cells { value } } } table4 { rows { key } } checks { ok } dueOn onTime } } } }`;
    const one = await gql(q, { y: 2025 }, t.viewer!);
    const three = await gql(q, { y: 2024 }, t.viewer!);
    expect(one.data!.annualReports.totalCount).toBe(1);
    expect(three.data!.annualReports.totalCount).toBe(3);
    const statements = Number(one.headers.get('x-sql-statements'));
    // the gate, the page and its count, the agencies, the computed tables (2) and the previous reports
    expect(statements).toBeGreaterThan(4);
    expect(statements).toBeLessThanOrEqual(12);
    expect(three.headers.get('x-sql-statements')).toBe(String(statements));
    const c1 = await gql(CONSOLIDATED, { y: 2024, a: id.a1 }, t.viewer!);
    const c4 = await gql(CONSOLIDATED, { y: 2024, a: id.c }, t.viewer!);
    expect(c1.data!.consolidatedAnnualReport.memberCount).toBe(1);
    expect(c4.data!.consolidatedAnnualReport.memberCount).toBe(4);
    expect(Number(c1.headers.get('x-sql-statements'))).toBeGreaterThan(3);
    expect(c4.headers.get('x-sql-statements')).toBe(c1.headers.get('x-sql-statements'));
  });

  it('bad input names the field and writes nothing', async () => {
    expect((await err(CREATE, { i: { agencyId: id.a, year: 2024 } }, t.a!)).extensions).toMatchObject({ code: 'CONFLICT', field: 'input.year' });
    expect((await err(CREATE, { i: { agencyId: id.a, year: 2018 } }, t.a!)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.template' });
    expect((await err(CREATE, { i: { agencyId: id.a, year: 2026 } }, t.a!)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.year' });
    expect((await err(UPDATE, { i: { id: report.a2024, table3: [{ row: 'RECEIVED', column: 'TOTAL', value: 1 }] } }, t.a!)).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.table3',
    });
    expect((await err(UPDATE, { i: { id: report.a2024, table2: [{ row: 'RULES', column: 'ISSUED', value: 1 }] } }, t.a!)).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.table2.0.source',
    });
    expect((await err(UPDATE, { i: { id: report.a2024, table2: [{ row: 'RULES', column: 'DECISIONS', value: 1, source: 'x' }] } }, t.a!)).extensions).toMatchObject({
      field: 'input.table2.0.column',
    });
    expect((await err(UPDATE, { i: { id: report.a2024, table2: [{ row: 'ADMINISTRATIVE_PENALTY', column: 'DECISIONS', value: 1.5, source: 'x' }] } }, t.a!)).extensions).toMatchObject({
      field: 'input.table2.0.value',
    });
    expect((await err(UPDATE, { i: { id: report.a2024, title: ' ' } }, t.a!)).extensions).toMatchObject({ field: 'input.title' });
    const r = (await ok(GET, { id: report.a2024 }, t.a!)).annualReport;
    expect(r.table2.blocks.flatMap((b: any) => b.rows.flatMap((x: any) => x.cells)).every((c: any) => c.value === null)).toBe(true);
    expect(r.title).toBe('机关 a2024年政府信息公开工作年度报告');
  });

  it('finalising: refused while a check fails (naming the cell, nothing written), then frozen; twice is a CONFLICT', async () => {
    const refused = await err(FINALISE, { i: { id: report.a2024 } }, t.a!);
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'table2.RULES.ISSUED' });
    expect(refused.extensions.problems).toHaveLength(10);
    expect((await ok(GET, { id: report.a2024 }, t.a!)).annualReport.status).toBe('DRAFT');

    await ok(UPDATE, { i: { id: report.a2024, table2: TABLE2, overview: '本年度工作总体情况。\n第二段。', problems: '存在的问题。', otherMatters: '无。' } }, t.a!);
    const draft = (await ok(GET, { id: report.a2024 }, t.a!)).annualReport;
    expect(draft.checks).toEqual({ ok: true, problems: [], warnings: [] });
    expect(draft.table2.blocks[0].rows[0].cells[0]).toEqual({ column: 'ISSUED', value: 0, source: '台账0' });
    expect(draft.table2.blocks[3].rows[0].cells[0]).toEqual({ column: 'FEE_AMOUNT', value: 1.25, source: '台账9' });

    // a superior's administrator reads the report but does not write it
    expect((await err(FINALISE, { i: { id: report.a2024 } }, t.c!)).extensions.code).toBe('FORBIDDEN');
    expect((await err(FINALISE, { i: { id: report.a2024 } }, t.viewer!)).extensions.code).toBe('FORBIDDEN');

    const final = await ok(FINALISE, { i: { id: report.a2024 } }, t.a!);
    expect(final.finaliseAnnualReport.report.status).toBe('FINAL');
    expect((await err(FINALISE, { i: { id: report.a2024 } }, t.a!)).extensions).toMatchObject({ code: 'CONFLICT', field: 'input.id' });
    // the year 2025 has not ended (today 2025-03-15): its report cannot be final yet
    expect((await err(FINALISE, { i: { id: report.a2025 } }, t.a!)).extensions).toMatchObject({ code: 'CONFLICT', field: 'input.id' });
    expect((await err(UPDATE, { i: { id: report.a2024, overview: '改' } }, t.a!)).extensions).toMatchObject({ code: 'CONFLICT', field: 'input.id' });

    // A 2024 request registered late (received 2024-11-01, replied 2025-02-01) no longer moves the frozen
    // report; 2025's computed 二 now has it (NP 2, total 3), which differs from 2024's frozen 四: a warning.
    await request('a', 'NATURAL_PERSON', '2024-11-01', '2025-02-01', 'DISCLOSED');
    const frozen = (await ok(GET, { id: report.a2024 }, t.a!)).annualReport;
    expect(frozen).toMatchObject({ status: 'FINAL', computed: false });
    expect(grid(frozen.table3)).toEqual(A_2024);
    expect(grid(frozen.table4)).toEqual(A4_2024);
    const y2025 = (await ok(GET, { id: report.a2025 }, t.a!)).annualReport;
    expect(grid(y2025.table3).CARRIED_IN).toMatchObject({ NATURAL_PERSON: 2, TOTAL: 3 });
    expect(y2025.checks.warnings.map((w: any) => w.field)).toEqual(['table3.rows.CARRIED_IN.NATURAL_PERSON', 'table3.rows.CARRIED_IN.TOTAL']);
    expect(y2025.checks.problems.every((p: any) => p.field.startsWith('table2.'))).toBe(true);
  });

  it('publishing: only final reports, once; on time by 31 January', async () => {
    expect((await err(PUBLISH, { i: { id: report.a12024, publishedOn: '2025-01-20', url: 'https://example.gov.cn/a1' } }, t.a1!)).extensions).toMatchObject({ code: 'CONFLICT', field: 'input.id' });
    expect((await err(PUBLISH, { i: { id: report.a2024, publishedOn: '2024-12-31', url: 'https://example.gov.cn/a' } }, t.a!)).extensions.field).toBe('input.publishedOn');
    expect((await err(PUBLISH, { i: { id: report.a2024, publishedOn: '2025-01-20', url: 'ftp://example.gov.cn/a' } }, t.a!)).extensions.field).toBe('input.url');
    const published = await ok(PUBLISH, { i: { id: report.a2024, publishedOn: '2025-01-20', url: 'https://example.gov.cn/a' } }, t.a!);
    expect(published.publishAnnualReport.report).toMatchObject({ publishedOn: '2025-01-20', onTime: true, dueOn: '2025-01-31' });
    expect((await err(PUBLISH, { i: { id: report.a2024, publishedOn: '2025-01-21', url: 'https://example.gov.cn/a' } }, t.a!)).extensions.code).toBe('CONFLICT');
    const list = await ok(`{ annualReports(first: 10, filter: { published: true }) { totalCount edges { node { agency { code } year dueOn onTime publishedOn } } } }`, {}, t.viewer!);
    expect(list.annualReports.edges.map((e: any) => e.node)).toEqual([{ agency: { code: 'a' }, year: 2024, dueOn: '2025-01-31', onTime: true, publishedOn: '2025-01-20' }]);
    // a draft of 2025 is not due yet
    expect((await ok(GET, { id: report.a2025 }, t.a!)).annualReport.onTime).toBeNull();
  });

  it('a hand-entered report of an older template that does not add up cannot be finalised', async () => {
    const create = await ok(
      CREATE,
      {
        i: {
          agencyId: id.a,
          year: 2018,
          template: 'PRE_2019',
          overview: '2018年度概述。',
          // 一 5 + 二 0 ≠ 三（七） 4 + 四 0
          table3: [
            { row: 'RECEIVED', column: 'TOTAL', value: 5 },
            { row: 'CARRIED_IN', column: 'TOTAL', value: 0 },
            { row: 'RESULT_TOTAL', column: 'TOTAL', value: 4 },
            { row: 'CARRIED_OUT', column: 'TOTAL', value: 0 },
          ],
          table4: [{ row: 'LAWSUIT_DIRECT', column: 'UPHELD', value: 1 }],
          legacyFigures: [{ label: '行政诉讼（件）', value: 1, note: '第四部分' }],
        },
      },
      t.a!,
    );
    const rid = create.createAnnualReport.report.id;
    const draft = (await ok(GET, { id: rid }, t.a!)).annualReport;
    expect(draft).toMatchObject({ template: 'PRE_2019', computed: false, legacyFigures: [{ label: '行政诉讼（件）', value: 1, note: '第四部分' }] });
    expect(grid(draft.table3).RECEIVED).toEqual({ NATURAL_PERSON: null, COMMERCIAL_ENTERPRISE: null, RESEARCH_INSTITUTION: null, PUBLIC_INTEREST_ORGANISATION: null, LEGAL_SERVICE_INSTITUTION: null, OTHER_ORGANISATION: null, TOTAL: 5 });
    expect(draft.checks.problems.map((p: any) => p.field)).toEqual(['table3.columns.TOTAL']);

    const refused = await err(FINALISE, { i: { id: rid } }, t.a!);
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'table3.columns.TOTAL' });
    expect(refused.message).toContain('一 + 二 = 三（七）+ 四：5 + 0 = 5 ≠ 4 + 0 = 4');
    expect((await ok(GET, { id: rid }, t.a!)).annualReport.status).toBe('DRAFT');

    expect((await err(UPDATE, { i: { id: rid, table3: [{ row: 'RECEIVED', column: 'TOTAL', value: -1 }] } }, t.a!)).extensions.field).toBe('input.table3.0.value');
    expect((await err(UPDATE, { i: { id: rid, table3: [{ row: 'RECIEVED', column: 'TOTAL', value: 1 }] } }, t.a!)).extensions.field).toBe('input.table3.0.row');
    expect((await err(UPDATE, { i: { id: rid, table4: [{ row: 'LAWSUIT_DIRECT', column: 'NATURAL_PERSON', value: 1 }] } }, t.a!)).extensions.field).toBe('input.table4.0.column');
    expect((await err(UPDATE, { i: { id: rid, legacyFigures: [{ label: 'x', value: 1 }, { label: 'x', value: 2 }] } }, t.a!)).extensions.field).toBe('input.legacyFigures.1.label');
    // a Table 4 total that disagrees with its results is a problem too
    await ok(UPDATE, { i: { id: rid, table4: [{ row: 'LAWSUIT_DIRECT', column: 'TOTAL', value: 2 }, { row: 'LAWSUIT_DIRECT', column: 'CORRECTED', value: 0 }, { row: 'LAWSUIT_DIRECT', column: 'OTHER', value: 0 }, { row: 'LAWSUIT_DIRECT', column: 'PENDING', value: 0 }] } }, t.a!);
    expect((await ok(GET, { id: rid }, t.a!)).annualReport.checks.problems.map((p: any) => p.field)).toEqual(['table3.columns.TOTAL', 'table4.rows.LAWSUIT_DIRECT.TOTAL']);

    await ok(UPDATE, { i: { id: rid, table3: [{ row: 'CARRIED_OUT', column: 'TOTAL', value: 1 }], table4: [{ row: 'LAWSUIT_DIRECT', column: 'TOTAL', value: 1 }] } }, t.a!);
    const final = await ok(FINALISE, { i: { id: rid } }, t.a!);
    expect(final.finaliseAnnualReport.report.status).toBe('FINAL');
    const read = (await ok(GET, { id: rid }, t.a!)).annualReport;
    expect(grid(read.table3).CARRIED_OUT!.TOTAL).toBe(1);
    expect(grid(read.table4).LAWSUIT_DIRECT).toEqual({ UPHELD: 1, CORRECTED: 0, OTHER: 0, PENDING: 0, TOTAL: 1 });
  });

  it('the consolidated report of a small tree equals the sum of its members, cell by cell', async () => {
    const c = (await ok(CONSOLIDATED, { y: 2024, a: null }, t.viewer!)).consolidatedAnnualReport;
    expect(c).toMatchObject({ year: 2024, dueOn: '2025-01-31', memberCount: 4, finalCount: 1, agency: { code: 'c' } });
    expect(c.members.map((m: any) => [m.agency.code, m.final, m.source, m.report?.status ?? null])).toEqual([
      ['c', false, 'RECORDS', null],
      ['a', true, 'FINAL_REPORT', 'FINAL'],
      ['b', false, 'RECORDS', 'DRAFT'],
      ['a1', false, 'RECORDS', 'DRAFT'],
    ]);
    // the members' own reports, as each reads (a's is frozen: the late request is not in it)
    const members = await Promise.all([report.a2024, report.a12024, report.b2024].map(async (rid) => (await ok(GET, { id: rid }, t.viewer!)).annualReport));
    expect(grid(members[1].table3)).toEqual(A1_2024);
    expect(grid(members[2].table3)).toEqual(B_2024);
    const sum3 = grid(c.table3);
    for (const row of TABLE3_ROWS) {
      for (const col of TABLE3_COLUMNS) {
        // c itself has no requests: the sum of a, a1 and b
        expect(sum3[row.key]![col.key]).toBe(A_2024[row.key]![col.key]! + A1_2024[row.key]![col.key]! + B_2024[row.key]![col.key]!);
      }
    }
    expect(sum3.RECEIVED!.TOTAL).toBe(11);
    expect(sum3.RESULT_TOTAL!.TOTAL).toBe(11);
    expect(grid(c.table4)).toEqual(A4_2024);
    expect(c.checks).toEqual({ ok: true, problems: [] });
    // Table 2: only a entered it
    expect(c.table2.blocks[0].rows[0].cells[1]).toEqual({ column: 'REPEALED', value: 1, source: '1/4 个机关填报 (entered by 1 of 4 agencies)' });

    // a's own subtree (as a's administrator): a and a1
    const sub = (await ok(CONSOLIDATED, { y: 2024, a: null }, t.a!)).consolidatedAnnualReport;
    expect(sub.members.map((m: any) => m.agency.code)).toEqual(['a', 'a1']);
    expect(grid(sub.table3).RECEIVED!.TOTAL).toBe(10);
    // for a year without reports every member counts from its records: 2025 is a's alone (with the late request)
    const y2025 = (await ok(CONSOLIDATED, { y: 2025, a: id.a }, t.a!)).consolidatedAnnualReport;
    expect(grid(y2025.table3).CARRIED_IN!.TOTAL).toBe(3);
  });

  it('DOCX: the template’s sections and table headings, merged header cells; XLSX of the tables', async () => {
    const file = (await ok(`query($id: ID!) { exportAnnualReport(id: $id, format: DOCX) { filename contentType base64 itemCount } }`, { id: report.a2024 }, t.viewer!)).exportAnnualReport;
    expect(file.filename).toBe('机关 a2024年政府信息公开工作年度报告.docx');
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const zip = await JSZip.loadAsync(Buffer.from(file.base64, 'base64'));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    let at = -1;
    for (const heading of ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项']) {
      const i = text.indexOf(heading);
      expect(i).toBeGreaterThan(at);
      at = i;
    }
    for (const s of ['机关 a2024年政府信息公开工作年度报告', '第二十条第（一）项', '本年收费金额（单位：万元）', '申请人情况', '法人或其他组织', '一、本年新收政府信息公开申请数量', '（三）不予公开', '（七）总计', '四、结转下年度继续办理', '未经复议直接起诉', '复议后起诉', '尚未审结', '本年度工作总体情况。', '数据来源：']) {
      expect(text).toContain(s);
    }
    expect(xml).toContain('w:gridSpan');
    expect(xml).toMatch(/<w:vMerge w:val="restart"\/>/);
    expect(xml.match(/<w:tbl>/g)).toHaveLength(3);
    expect(xml).toContain('w:val="Heading1"');

    const xfile = (await ok(`query($id: ID!) { exportAnnualReport(id: $id, format: XLSX) { filename contentType base64 } }`, { id: report.a2024 }, t.a!)).exportAnnualReport;
    expect(xfile.filename).toBe('机关 a2024年政府信息公开工作年度报告.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xfile.base64, 'base64') as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['表二 主动公开', '表三 依申请公开', '表四 复议诉讼']);
    const s3 = wb.getWorksheet('表三 依申请公开')!;
    const rowOf = (label: string) => {
      for (let r = 1; r <= s3.rowCount; r++) if ([1, 2, 3].some((c) => s3.getCell(r, c).value === label)) return r;
      throw new Error(`no row ${label}`);
    };
    expect(s3.getCell(2, 4).value).toBe('申请人情况');
    expect(s3.getCell(3, 5).value).toBe('法人或其他组织');
    expect(s3.getCell(rowOf('一、本年新收政府信息公开申请数量'), 10).value).toBe(9);
    expect(s3.getCell(rowOf('一、本年新收政府信息公开申请数量'), 4).value).toBe(4);
    expect(s3.getCell(rowOf('四、结转下年度继续办理'), 8).value).toBe(1);
    expect(s3.getCell(rowOf('（七）总计'), 10).value).toBe(9);
    const s4 = wb.getWorksheet('表四 复议诉讼')!;
    expect([1, 2, 3, 4, 5].map((c) => s4.getCell(5, c).value)).toEqual([1, 0, 0, 1, 2]);
    expect(s4.getCell(3, 6).value).toBe('未经复议直接起诉');
    const s2 = wb.getWorksheet('表二 主动公开')!;
    expect(s2.getCell(2, 1).value).toBe('第二十条第（一）项');

    // the consolidated report exports too (with its members)
    const cfile = (await ok(`{ exportConsolidatedAnnualReport(year: 2024, format: XLSX) { filename base64 } }`, {}, t.viewer!)).exportConsolidatedAnnualReport;
    const cwb = new ExcelJS.Workbook();
    await cwb.xlsx.load(Buffer.from(cfile.base64, 'base64') as never);
    expect(cwb.worksheets.map((w) => w.name)).toContain('汇总机关');
  });

  it('tenancy: a sibling’s report is not found by id, absent from lists and roll-ups, not exported, not written', async () => {
    const a2024 = report.a2024;
    expect((await err(GET, { id: a2024 }, t.b!)).extensions.code).toBe('NOT_FOUND');
    const list = await ok(`{ annualReports(first: 50) { totalCount edges { node { id agency { code } } } } }`, {}, t.b!);
    expect(list.annualReports.edges.map((e: any) => e.node.agency.code)).toEqual(['b']);
    expect((await err(`query($a: ID!) { annualReports(first: 5, filter: { agencyId: $a }) { totalCount } }`, { a: id.a }, t.b!)).extensions.code).toBe('NOT_FOUND');
    expect((await err(CONSOLIDATED, { y: 2024, a: id.a }, t.b!)).extensions.code).toBe('NOT_FOUND');
    const own = (await ok(CONSOLIDATED, { y: 2024, a: null }, t.b!)).consolidatedAnnualReport;
    expect(own.members.map((m: any) => m.agency.code)).toEqual(['b']);
    expect(grid(own.table3)).toEqual(B_2024);
    expect((await err(`query($id: ID!) { exportAnnualReport(id: $id, format: DOCX) { base64 } }`, { id: a2024 }, t.b!)).extensions.code).toBe('NOT_FOUND');
    expect((await err(`query($id: ID!) { exportAnnualReport(id: $id, format: XLSX) { base64 } }`, { id: a2024 }, t.b!)).extensions.code).toBe('NOT_FOUND');
    expect((await err(`{ exportConsolidatedAnnualReport(year: 2024, agencyId: "${id.a}", format: XLSX) { base64 } }`, {}, t.b!)).extensions.code).toBe('NOT_FOUND');
    expect((await err(UPDATE, { i: { id: report.a2025, overview: 'x' } }, t.b!)).extensions.code).toBe('NOT_FOUND');
    expect((await err(FINALISE, { i: { id: report.a2025 } }, t.b!)).extensions.code).toBe('NOT_FOUND');
    expect((await err(CREATE, { i: { agencyId: id.a, year: 2022 } }, t.b!)).extensions.code).toBe('NOT_FOUND');
    // a subordinate cannot read its superior's report, nor consolidate above itself
    expect((await err(GET, { id: a2024 }, t.a1!)).extensions.code).toBe('NOT_FOUND');
    expect((await err(CONSOLIDATED, { y: 2024, a: id.c }, t.a1!)).extensions.code).toBe('NOT_FOUND');
    // the superior reads its subordinates' reports with nested fields, but does not write them
    const nested = await ok(`{ annualReports(first: 50, filter: { year: 2024 }) { edges { node { agency { code parent { code } } table3 { rows { key } } } } } }`, {}, t.viewer!);
    expect(nested.annualReports.edges.map((e: any) => e.node.agency.code).sort()).toEqual(['a', 'a1', 'b']);
    expect((await err(UPDATE, { i: { id: report.b2024, overview: '上级代写' } }, t.c!)).extensions.code).toBe('FORBIDDEN');
    expect((await err(CREATE, { i: { agencyId: id.b, year: 2023 } }, t.c!)).extensions.code).toBe('FORBIDDEN');
    // an evaluator reads final reports only and no request record: the others are unknown in a consolidation
    const evaluator = (await h.account({ agency: 'c', roles: [Role.EVALUATOR], accessFrom: new Date(Date.now() - 3600_000), accessUntil: new Date(Date.now() + 3600_000) })).token;
    const seen = await ok(`{ annualReports(first: 50) { edges { node { agency { code } year status } } } }`, {}, evaluator);
    expect(seen.annualReports.edges.map((e: any) => e.node)).toEqual([
      { agency: { code: 'a' }, year: 2018, status: 'FINAL' },
      { agency: { code: 'a' }, year: 2024, status: 'FINAL' },
    ]);
    const ev = (await ok(CONSOLIDATED, { y: 2024, a: null }, evaluator)).consolidatedAnnualReport;
    expect(ev.members.map((m: any) => [m.agency.code, m.source])).toEqual([
      ['c', 'UNAVAILABLE'],
      ['a', 'FINAL_REPORT'],
      ['b', 'UNAVAILABLE'],
      ['a1', 'UNAVAILABLE'],
    ]);
    expect(grid(ev.table3).RECEIVED!.TOTAL).toBeNull();
    expect((await err(GET, { id: report.b2024 }, evaluator)).extensions.code).toBe('NOT_FOUND');
    // nothing was written by the refused calls
    const b = (await ok(GET, { id: report.b2024 }, t.b!)).annualReport;
    expect(b.overview).toBe('');
    expect((await sql<{ n: number }>(h.em(), `select count(*)::int as n from annual_report where agency_id = ?`, [id.b]))[0]!.n).toBe(1);
  });
});
