import fs from 'node:fs';
import path from 'node:path';
import { setFixedToday } from '../../src/modules/calendar/clock';
import { startHarness, Role, type Harness } from '../support/harness';

const DATA = path.join(__dirname, '..', '..', 'seeds', 'data');
const XLSX = fs.readFileSync(path.join(DATA, 'shanwei-2022-plan.xlsx'));
const RAW = JSON.parse(fs.readFileSync(path.join(DATA, 'shanwei-2022-plan.expected.json'), 'utf8')) as {
  headings: Array<{ level: number; number: string; title: string; parent: string | null }>;
  tasks: Array<{ number: number; requirement: string; leadUnitsText: string; leadUnits: string[]; cellGroup: number[]; headingPath: { level1: string; level2: string | null } }>;
};
const EXPECTED = { headings: RAW.headings, tasks: RAW.tasks.map((t) => ({ ...t, number: String(t.number) })) };

const IMPORT = `mutation($i: ImportWorkPlanInput!) { importWorkPlan(input: $i) {
  plan { id title year kind status }
  report { ok rowsRead headings tasks unitsCreated problems { row column field severity code message value } } } }`;
const PLAN = `query($id: ID!) { workPlan(id: $id) { id title year
  headings { id level number title parentId }
  tasks(first: 100) { totalCount edges { node { id number title requirement leadUnitsText cooperatingUnitsText timingKind timingText
    dueOn recurrence minimumCount heading { number title } leadUnits { name } cooperatingUnits { name } } } } } }`;
const TASK_STATUS = `status { status doneOnTime occurrences lateOccurrences timingExplained
  currentPeriod { key count minimum met state } periods { key count minimum met state } }`;

describe('work plans: the 汕尾 2022 division table, statuses, cascade, roll-up, tenancy', () => {
  let h: Harness;
  let shanweiAdmin: string;
  let shanweiId: string;

  const gqlOk = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const importPlan = (token: string, agencyId: string, year: number, file: Buffer, format = 'XLSX') =>
    h.gql(IMPORT, { i: { agencyId, year, format, fileBase64: file.toString('base64') } }, token);

  beforeAll(async () => {
    setFixedToday('2024-11-20');
    h = await startHarness();
    await h.seedAgencies();
    shanweiId = (await h.agency('gd-shanwei')).id;
    shanweiAdmin = (await h.account({ agency: 'gd-shanwei', roles: [Role.AGENCY_ADMIN] })).token;
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  describe('import of the committed spreadsheet (document 003)', () => {
    let planId: string;
    let tasks: any[];
    let headings: any[];

    beforeAll(async () => {
      const res = await importPlan(shanweiAdmin, shanweiId, 2022, XLSX);
      expect(res.errors).toBeUndefined();
      const report = res.data!.importWorkPlan.report;
      expect(report.problems.filter((p: any) => p.severity === 'ERROR')).toEqual([]);
      expect(report.ok).toBe(true);
      planId = res.data!.importWorkPlan.plan.id;
      const data = await gqlOk(PLAN, { id: planId }, shanweiAdmin);
      tasks = data.workPlan.tasks.edges.map((e: any) => e.node);
      headings = data.workPlan.headings;
    });

    it('has the 40 tasks and 17 headings of the document, in order, under the right headings', async () => {
      expect(tasks).toHaveLength(40);
      expect(tasks.map((t) => t.number)).toEqual(EXPECTED.tasks.map((t) => t.number));
      expect(headings.map((x) => [x.level, x.number, x.title])).toEqual(EXPECTED.headings.map((x) => [x.level, x.number, x.title]));
      for (const e of EXPECTED.tasks) {
        const t = tasks.find((x) => x.number === e.number);
        expect([e.number, t.requirement]).toEqual([e.number, e.requirement]);
        const headingNumber = e.headingPath.level2 ?? e.headingPath.level1;
        expect([e.number, t.heading?.number]).toEqual([e.number, headingNumber]);
      }
      // items 37–40 hang directly under 五、 (the 具体任务 cell is empty there)
      expect(tasks.filter((t) => ['37', '38', '39', '40'].includes(t.number)).map((t) => t.heading.number)).toEqual(['五', '五', '五', '五']);
    });

    it('splits cells holding several numbered tasks, which share their row’s lead units', async () => {
      const groups = [...new Set(EXPECTED.tasks.filter((t) => t.cellGroup.length > 1).map((t) => t.cellGroup.join(',')))];
      expect(groups).toEqual(['1,2', '8,9', '15,16,17', '28,29', '37,38']);
      for (const g of groups) {
        const members = g.split(',').map((n) => tasks.find((t) => t.number === n));
        expect(new Set(members.map((m) => m.leadUnitsText)).size).toBe(1);
      }
      const t28 = tasks.find((t) => t.number === '28');
      expect(t28.leadUnits.map((u: any) => u.name)).toEqual(['警保支队', '政务公开办']);
    });

    it('keeps multi-unit lead cells verbatim and links every named unit (collective phrases stay text)', async () => {
      for (const e of EXPECTED.tasks) {
        const t = tasks.find((x) => x.number === e.number);
        expect(t.leadUnitsText).toBe(e.leadUnitsText);
      }
      const t6 = tasks.find((t) => t.number === '6');
      expect(t6.leadUnits.map((u: any) => u.name)).toEqual(['法制支队', '治巡支队', '禁毒支队', '科信支队', '网警支队']);
      const t3 = tasks.find((t) => t.number === '3');
      expect(t3.leadUnitsText).toBe('局直各单位、政务公开办、法制支队');
      expect(t3.leadUnits.map((u: any) => u.name)).toEqual(['政务公开办', '法制支队']);
    });

    it('reads timing from the requirement wording (每年至少召开一次会议) and never guesses', async () => {
      const t37 = tasks.find((t) => t.number === '37');
      expect([t37.timingKind, t37.recurrence, t37.minimumCount]).toEqual(['RECURRING', 'YEARLY', 1]);
      const t38 = tasks.find((t) => t.number === '38');
      expect([t38.timingKind, t38.recurrence, t38.minimumCount]).toEqual(['RECURRING', 'YEARLY', 1]);
      const t1 = tasks.find((t) => t.number === '1');
      expect(t1.timingKind).toBe('NONE');
    });

    it('exports and re-imports (XLSX and CSV) to the same plan', async () => {
      for (const format of ['XLSX', 'CSV']) {
        const exported = await gqlOk(`query($id: ID!, $f: SheetFormat!) { exportWorkPlan(id: $id, format: $f) { filename base64 itemCount } }`, { id: planId, f: format }, shanweiAdmin);
        expect(exported.exportWorkPlan.itemCount).toBe(40);
        const year = format === 'XLSX' ? 2031 : 2032;
        const res = await importPlan(shanweiAdmin, shanweiId, year, Buffer.from(exported.exportWorkPlan.base64, 'base64'), format);
        expect(res.errors).toBeUndefined();
        expect(res.data!.importWorkPlan.report.problems.filter((p: any) => p.severity === 'ERROR')).toEqual([]);
        const again = await gqlOk(PLAN, { id: res.data!.importWorkPlan.plan.id }, shanweiAdmin);
        const strip = (t: any) => ({ ...t, id: undefined });
        expect(again.workPlan.headings.map((x: any) => [x.level, x.number, x.title])).toEqual(headings.map((x) => [x.level, x.number, x.title]));
        const copied = again.workPlan.tasks.edges.map((e: any) => strip(e.node));
        // due dates move with the plan's year; everything else is the same
        expect(copied.map((t: any) => ({ ...t, dueOn: null }))).toEqual(tasks.map((t) => ({ ...strip(t), dueOn: null })));
      }
    });

    it('refuses a spreadsheet with a problem and writes nothing', async () => {
      const csv = Buffer.from('工作要求,具体任务,具体要求,牵头落实单位\n一、甲,（一）乙,1.做某事,不存在的科\n一、甲,（一）乙,3.做另一件事。2.倒序,政务公开办\n', 'utf8');
      const res = await importPlan(shanweiAdmin, shanweiId, 2040, csv, 'CSV');
      expect(res.errors).toBeUndefined();
      const report = res.data!.importWorkPlan.report;
      expect(report.ok).toBe(false);
      expect(res.data!.importWorkPlan.plan).toBeNull();
      const codes = report.problems.filter((p: any) => p.severity === 'ERROR').map((p: any) => [p.row, p.code]);
      expect(codes).toEqual(expect.arrayContaining([[2, 'UNKNOWN_UNIT'], [3, 'TASK_NUMBERING']]));
      const list = await gqlOk(`{ workPlans(first: 10, filter: { year: 2040 }) { totalCount } }`, {}, shanweiAdmin);
      expect(list.workPlans.totalCount).toBe(0);
    });
  });
});
