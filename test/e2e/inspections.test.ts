import { sql } from '../../src/db/sql';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { startHarness, Role, type Harness } from '../support/harness';

const SCHEME = `mutation($i: CreateAssessmentSchemeInput!) { createAssessmentScheme(input: $i) { scheme { id version } } }`;
const INSPECTION_FIELDS = `id year half inspectedOn inspectors summary recordedBy totalDeduction inspectorId inspector { code } agency { code }
  findings { indicatorCode points finding evidenceUrl unit { code } }`;
const RECORD = `mutation($i: RecordInspectionInput!) { recordInspection(input: $i) { inspection { ${INSPECTION_FIELDS} } } }`;
const INSPECTION = `query($id: ID!) { inspection(id: $id) { ${INSPECTION_FIELDS} } }`;
const LIST = `query($f: InspectionFilter) { inspections(filter: $f, first: 50) { totalCount edges { node { id agency { code } half totalDeduction } } } }`;
const WITHOUT = `query($i: AgenciesWithoutInspectionInput!) { agenciesWithoutInspection(input: $i) { code } }`;

const INDICATORS = [
  { code: '1', name: '公开平台', kind: 'GROUP', weight: 60 },
  { code: '1.1', parentCode: '1', name: '栏目完整', kind: 'MANUAL', weight: 40 },
  { code: '1.2', parentCode: '1', name: '更新及时', kind: 'MANUAL', weight: 20 },
  { code: '2', name: '政策解读', kind: 'MANUAL', weight: 40 },
];

/**
 * 察访核验 on a tree: province p → city c → a1, a2, a3 → b (below a3); p → x. c's 2024 scheme applies to
 * everything below c; p's applies to c and a2 only. Who may inspect whom, points within the
 * indicator's weight, all or nothing, the half year, tenancy, and which agencies still lack an
 * inspection in a half year (only inspections by the scheme's agency or above count).
 */
describe('inspections', () => {
  let h: Harness;
  const tok: Record<string, string> = {};
  const id: Record<string, string> = {};

  async function ok(query: string, variables: Record<string, unknown>, token: string) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data!;
  }
  async function fails(query: string, variables: Record<string, unknown>, token: string) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeDefined();
    expect(res.data === null || Object.values(res.data).every((v) => v === null)).toBe(true);
    return res.errors![0]! as { message: string; extensions: Record<string, any> };
  }
  const rows = async () => {
    const [r] = await sql<{ i: string; f: string }>(h.em(), 'select (select count(*) from inspection) as i, (select count(*) from inspection_finding) as f');
    return [Number(r!.i), Number(r!.f)];
  };
  const without = async (schemeId: string, half: number, token: string) =>
    (await ok(WITHOUT, { i: { schemeId, half } }, token)).agenciesWithoutInspection.map((a: any) => a.code).sort();

  beforeAll(async () => {
    setFixedToday('2024-11-20');
    h = await startHarness();
    await h.tree({
      code: 'p',
      units: ['p-u'],
      children: [
        {
          code: 'c',
          units: ['c-u'],
          children: [
            { code: 'a1', units: ['a1-u1', 'a1-u2'] },
            { code: 'a2', units: ['a2-u'] },
            { code: 'a3', units: ['a3-u'], children: [{ code: 'b', units: ['b-u'] }] },
          ],
        },
        { code: 'x', units: ['x-u'] },
      ],
    });
    for (const a of ['p', 'c', 'a1', 'a2', 'a3', 'b', 'x']) {
      id[a] = (await h.agency(a)).id;
      tok[a] = (await h.account({ agency: a, roles: [Role.AGENCY_ADMIN] })).token;
    }
    tok.cLiaison = (await h.account({ agency: 'c', roles: [Role.UNIT_LIAISON], unit: 'c-u' })).token;
    for (const [agency, unit] of [['a1', 'a1-u1'], ['a2', 'a2-u']] as const) id[unit] = (await h.unit(agency, unit)).id;
    id.cScheme = (await ok(SCHEME, { i: { agencyId: id.c, year: 2024, share: 5, indicators: INDICATORS } }, tok.c!)).createAssessmentScheme.scheme.id;
    id.pScheme = (
      await ok(SCHEME, { i: { agencyId: id.p, year: 2024, share: 4, appliesToAll: false, agencyIds: [id.c, id.a2], indicators: INDICATORS } }, tok.p!)
    ).createAssessmentScheme.scheme.id;
  }, 120_000);
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  it('an agency above records an inspection with its findings; half and year come from the date', async () => {
    const r = (
      await ok(
        RECORD,
        {
          i: {
            agencyId: id.a1,
            inspectedOn: '2024-03-15',
            inspectors: '张三、李四',
            summary: '抽查网站栏目',
            findings: [
              { indicatorCode: '2', points: 1, finding: '解读材料滞后' },
              { indicatorCode: '1.1', points: 2.5, finding: '缺少机构职能栏目', unitId: id['a1-u1'], evidenceUrl: 'https://example.gov.cn/a1' },
            ],
          },
        },
        tok.c!,
      )
    ).recordInspection.inspection;
    expect(r).toMatchObject({
      year: 2024,
      half: 1,
      inspectedOn: '2024-03-15',
      inspectors: '张三、李四',
      summary: '抽查网站栏目',
      totalDeduction: 3.5,
      inspectorId: id.c,
      inspector: { code: 'c' },
      agency: { code: 'a1' },
      findings: [
        { indicatorCode: '1.1', points: 2.5, finding: '缺少机构职能栏目', evidenceUrl: 'https://example.gov.cn/a1', unit: { code: 'a1-u1' } },
        { indicatorCode: '2', points: 1, finding: '解读材料滞后', evidenceUrl: null, unit: null },
      ],
    });
    id.a1Inspection = r.id;
    // the inspected agency reads it; the inspector above it shows as its id only
    const fromA1 = await ok(INSPECTION, { id: r.id }, tok.a1!);
    expect(fromA1.inspection).toMatchObject({ inspectorId: id.c, inspector: null, totalDeduction: 3.5 });
    // the province inspects a2 in the first half, c inspects a3 in the second; a finding may deduct nothing
    const second = await ok(RECORD, { i: { agencyId: id.a3, inspectedOn: '2024-07-01', findings: [{ indicatorCode: '1.2', points: 0, finding: '未发现问题' }] } }, tok.c!);
    expect([second.recordInspection.inspection.half, second.recordInspection.inspection.totalDeduction]).toEqual([2, 0]);
    const byP = await ok(RECORD, { i: { agencyId: id.a2, inspectedOn: '2024-06-30', findings: [] } }, tok.p!);
    expect(byP.recordInspection.inspection).toMatchObject({ half: 1, inspectorId: id.p, findings: [], totalDeduction: 0 });
    id.a2Inspection = byP.recordInspection.inspection.id;
  });

  it('an agency does not inspect itself, nor anyone beside or above it; only administrators inspect', async () => {
    const self = await fails(RECORD, { i: { agencyId: id.c, inspectedOn: '2024-03-01', findings: [] } }, tok.c!);
    expect(self.extensions.code).toBe('FORBIDDEN');
    expect((await fails(RECORD, { i: { agencyId: id.a2, inspectedOn: '2024-03-01', findings: [] } }, tok.a1!)).extensions.code).toBe('NOT_FOUND');
    expect((await fails(RECORD, { i: { agencyId: id.a1, inspectedOn: '2024-03-01', findings: [] } }, tok.cLiaison!)).extensions.code).toBe('FORBIDDEN');
    expect(await rows()).toEqual([3, 3]);
  });

  it('points above the indicator’s weight are refused naming the finding, and nothing is written', async () => {
    const input = {
      agencyId: id.a1,
      inspectedOn: '2024-09-10',
      findings: [
        { indicatorCode: '1.1', points: 5, finding: '问题一' },
        { indicatorCode: '1.2', points: 20.01, finding: '问题二' },
      ],
    };
    const e = await fails(RECORD, { i: input }, tok.c!);
    expect([e.extensions.code, e.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.findings[1].points']);
    expect(e.message).toContain('扣分不得超过该指标分值');
    expect(await rows()).toEqual([3, 3]);
  });

  it('all or nothing: an unknown code, a foreign unit, a bad URL, a negative point or a future date writes nothing', async () => {
    const good = { indicatorCode: '1.1', points: 1, finding: '问题' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ findings: [good, { ...good, indicatorCode: '3' }] }, 'input.findings[1].indicatorCode'],
      [{ findings: [good, good, { ...good, unitId: id['a2-u'] }] }, 'input.findings[2].unitId'],
      [{ findings: [{ ...good, evidenceUrl: 'ftp://example.gov.cn/x' }] }, 'input.findings[0].evidenceUrl'],
      [{ findings: [{ ...good, points: -1 }] }, 'input.findings[0].points'],
      [{ findings: [{ ...good, finding: ' ' }] }, 'input.findings[0].finding'],
      [{ findings: [good], inspectedOn: '2024-11-21' }, 'input.inspectedOn'],
    ];
    for (const [input, field] of cases) {
      const e = await fails(RECORD, { i: { agencyId: id.a1, inspectedOn: '2024-09-10', ...input } }, tok.c!);
      expect([e.extensions.code, e.extensions.field]).toEqual(['BAD_USER_INPUT', field]);
    }
    expect(await rows()).toEqual([3, 3]);
  });

  it('without a scheme of the inspecting agency for the year, nothing can be deducted', async () => {
    const e = await fails(RECORD, { i: { agencyId: id.b, inspectedOn: '2024-04-01', findings: [] } }, tok.a3!);
    expect([e.extensions.code, e.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.agencyId']);
    // c's scheme is for 2024 only
    const other = await fails(RECORD, { i: { agencyId: id.a1, inspectedOn: '2023-12-31', findings: [] } }, tok.c!);
    expect([other.extensions.code, other.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.agencyId']);
    // a3 gets a scheme of its own and inspects b: that inspection is a3's, below c
    await ok(SCHEME, { i: { agencyId: id.a3, year: 2024, share: 5, indicators: INDICATORS } }, tok.a3!);
    await ok(RECORD, { i: { agencyId: id.b, inspectedOn: '2024-04-01', findings: [{ indicatorCode: '2', points: 1, finding: '问题' }] } }, tok.a3!);
    expect(await rows()).toEqual([4, 4]);
  });

  it('agenciesWithoutInspection lists exactly the scheme’s agencies with no inspection by its agency or above in that half', async () => {
    // c's scheme applies to a1, a2, a3 and b. Half 1: a1 (by c) and a2 (by p) are inspected; b only by a3, below c.
    expect(await without(id.cScheme, 1, tok.c!)).toEqual(['a3', 'b']);
    expect(await without(id.cScheme, 2, tok.c!)).toEqual(['a1', 'a2', 'b']);
    // p's scheme applies to c and a2: a2 was inspected by p in half 1, c by nobody
    expect(await without(id.pScheme, 1, tok.p!)).toEqual(['c']);
    expect(await without(id.pScheme, 2, tok.p!)).toEqual(['a2', 'c']);
    // read from below the scheme's agency: c reads p's scheme and sees its own subtree's part
    expect(await without(id.pScheme, 1, tok.c!)).toEqual(['c']);
    expect(await without(id.pScheme, 2, tok.a2!)).toEqual(['a2']);
    expect(await without(id.cScheme, 1, tok.a2!)).toEqual([]);
    // a scheme the caller cannot read
    expect((await fails(WITHOUT, { i: { schemeId: id.cScheme, half: 1 } }, tok.x!)).extensions.code).toBe('NOT_FOUND');
    const half = await fails(WITHOUT, { i: { schemeId: id.cScheme, half: 3 } }, tok.c!);
    expect([half.extensions.code, half.extensions.field]).toEqual(['BAD_USER_INPUT', 'input.half']);
  });

  it('lists filter by agency, year and half', async () => {
    const codes = async (f: Record<string, unknown>, token = tok.c!) =>
      (await ok(LIST, { f }, token)).inspections.edges.map((e: any) => `${e.node.agency.code}/${e.node.half}`);
    expect(await codes({})).toEqual(['a1/1', 'b/1', 'a2/1', 'a3/2']);
    expect(await codes({ half: 2 })).toEqual(['a3/2']);
    expect(await codes({ agencyId: id.a1, year: 2024 })).toEqual(['a1/1']);
    expect(await codes({ year: 2023 })).toEqual([]);
  });

  it('tenancy: a sibling cannot see another’s inspections by id, in lists or nested fields', async () => {
    expect((await fails(INSPECTION, { id: id.a1Inspection }, tok.a2!)).extensions.code).toBe('NOT_FOUND');
    const list = await ok(LIST, { f: {} }, tok.a2!);
    expect(list.inspections.edges.map((e: any) => e.node.id)).toEqual([id.a2Inspection]);
    expect((await fails(LIST, { f: { agencyId: id.a1 } }, tok.a2!)).extensions.code).toBe('NOT_FOUND');
    expect((await ok(LIST, { f: {} }, tok.x!)).inspections.totalCount).toBe(0);
    // a sibling cannot record an inspection of another either
    expect((await fails(RECORD, { i: { agencyId: id.a1, inspectedOn: '2024-05-01', findings: [] } }, tok.a2!)).extensions.code).toBe('NOT_FOUND');
    expect(await rows()).toEqual([4, 4]);
  });
});
