import { setFixedToday } from '../../src/modules/calendar/clock';
import { startHarness, Role, type Harness } from '../support/harness';

const STATUS = `status { status doneOnTime occurrences lateOccurrences timingExplained
  currentPeriod { key count minimum met state } periods { key count minimum met state } }`;
const ADD = `mutation($i: AddPlanTaskInput!) { addPlanTask(input: $i) { task { id number timingKind recurrence minimumCount workingDays dueOn ${STATUS} } } }`;
const REPORT = `mutation($i: ReportTaskProgressInput!) { reportTaskProgress(input: $i) { progress { id dueOn late unit { code } } task { ${STATUS} } } }`;
const TASK = `query($id: ID!) { planTask(id: $id) { id number agency { code } changedSinceAdopted cascaded sourceRevision adoptedRevision
  sourceTask { id } leadUnits { code } ${STATUS} } }`;
const FIGURES = 'tasks done due doneOnTime doneLate overdue periodsEnded periodsMet occurrences lateOccurrences doneRate onTimeRate periodMetRate';
const ROLLUP = `query($f: CompletionFilter!) { completionRollup(filter: $f) { year asOf rows { agency { code } own { ${FIGURES} } subtree { ${FIGURES} } } } }`;

/**
 * Tasks end to end on a small tree (province p → cities c, c2 → branches b, b2): derived statuses,
 * who may report and accept, bad input, cascade through two levels read from the top, look back,
 * and the completion roll-up checked by hand. Today is fixed at 2024-11-20.
 */
describe('plan tasks: statuses, progress, cascade, roll-up', () => {
  let h: Harness;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};

  async function ok(query: string, variables: Record<string, unknown>, token: string) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data!;
  }
  async function fails(query: string, variables: Record<string, unknown>, token: string) {
    const res = await h.gql(query, variables, token);
    expect(res.errors).toBeDefined();
    expect(res.data === null || Object.values(res.data).every((v) => v === null)).toBe(true);
    return res.errors![0]!.extensions!;
  }
  const unit = async (agency: string, code: string) => (await h.unit(agency, code)).id;
  const plan = async (agency: string, year: number, token: string) =>
    (await ok(`mutation($i: CreateWorkPlanInput!) { createWorkPlan(input: $i) { plan { id title status } } }`, { i: { agencyId: ids[agency], year } }, token))
      .createWorkPlan.plan.id as string;
  const add = async (token: string, input: Record<string, unknown>) => (await ok(ADD, { i: input }, token)).addPlanTask.task;

  beforeAll(async () => {
    setFixedToday('2024-11-20');
    h = await startHarness();
    await h.tree({
      code: 'p',
      units: ['p-u1'],
      children: [
        { code: 'c', units: ['c-u1', 'c-u2'], children: [{ code: 'b', units: ['b-u1'] }] },
        { code: 'c2', units: ['c2-u1'], children: [{ code: 'b2', units: ['b2-u1'] }] },
      ],
    });
    for (const code of ['p', 'c', 'c2', 'b', 'b2']) {
      ids[code] = (await h.agency(code)).id;
      tok[code] = (await h.account({ agency: code, roles: [Role.AGENCY_ADMIN] })).token;
    }
    tok['c-u1'] = (await h.account({ agency: 'c', roles: [Role.UNIT_LIAISON], unit: 'c-u1' })).token;
    tok['c-u2'] = (await h.account({ agency: 'c', roles: [Role.UNIT_LIAISON], unit: 'c-u2' })).token;
    tok['p-view'] = (await h.account({ agency: 'p', roles: [Role.SUPERIOR_VIEWER] })).token;
  });
  afterAll(async () => {
    setFixedToday(null);
    await h.close();
  });

  describe('derived statuses on the city plan', () => {
    let planId: string;
    const t: Record<string, any> = {};

    beforeAll(async () => {
      planId = await plan('c', 2024, tok.c!);
      const u1 = await unit('c', 'c-u1');
      const u2 = await unit('c', 'c-u2');
      t.dated = await add(tok.c!, { planId, requirement: '年中前完成主动公开基本目录的编制。', leadUnitIds: [u1], timing: { kind: 'DUE_DATE', dueOn: '2024-06-30' } });
      t.halfYearly = await add(tok.c!, { planId, requirement: '每半年开展一次察访核验。', leadUnitIds: [u1], cooperatingUnitIds: [u2], timingText: '每半年开展一次' });
      t.twice = await add(tok.c!, { planId, requirement: '年内邀请相关人员列席党委或者工作会议不得少于 2 次。', leadUnitIds: [u2], timingText: '年内不得少于 2 次' });
      t.wd = await add(tok.c!, { planId, requirement: '文件公布后3个工作日内发布解读。', leadUnitIds: [u1], timingText: '文件公布后3个工作日内' });
      t.wdLate = await add(tok.c!, { planId, requirement: '另一份文件的解读。', leadUnitIds: [u1], timingText: '文件公布后3个工作日内' });
      t.ongoing = await add(tok.c!, { planId, requirement: '长期坚持做好政务舆情回应。', leadUnitIds: [u2], timingText: '长期坚持' });
      t.unreadable = await add(tok.c!, { planId, requirement: '视情况开展。', leadUnitIds: [u2], timingText: '视情况而定' });
    });

    it('reads the timing wording into structure', () => {
      expect([t.halfYearly.timingKind, t.halfYearly.recurrence, t.halfYearly.minimumCount]).toEqual(['RECURRING', 'HALF_YEARLY', 1]);
      expect([t.twice.timingKind, t.twice.recurrence, t.twice.minimumCount]).toEqual(['RECURRING', 'YEARLY', 2]);
      expect([t.wd.timingKind, t.wd.workingDays]).toEqual(['WORKING_DAYS_AFTER_EVENT', 3]);
      expect(t.ongoing.timingKind).toBe('NONE');
      expect(t.unreadable.timingKind).toBe('UNREADABLE');
      expect(t.unreadable.status.status).toBe('NOT_STARTED');
      // a due date in the past makes an unaccepted task overdue
      expect(t.dated.status.status).toBe('OVERDUE');
    });

    it('a counted task counts occurrences per period: this half-year 1 of 1; a yearly minimum of 2 is met on the second', async () => {
      await ok(REPORT, { i: { taskId: t.halfYearly.id, happenedOn: '2024-03-01', text: '上半年察访核验', counts: true } }, tok['c-u1']!);
      // the cooperating unit's liaison may report too
      const r = await ok(REPORT, { i: { taskId: t.halfYearly.id, happenedOn: '2024-09-10', text: '下半年察访核验', counts: true } }, tok['c-u2']!);
      expect(r.reportTaskProgress.progress.unit.code).toBe('c-u2');
      const s = r.reportTaskProgress.task.status;
      expect(s.periods.map((p: any) => [p.key, p.count, p.state])).toEqual([['2024-H1', 1, 'MET'], ['2024-H2', 1, 'CURRENT']]);
      expect(s.currentPeriod).toEqual({ key: '2024-H2', count: 1, minimum: 1, met: true, state: 'CURRENT' });
      expect(s.status).toBe('IN_PROGRESS');

      const first = await ok(REPORT, { i: { taskId: t.twice.id, happenedOn: '2024-04-02', text: '第一次列席', counts: true } }, tok['c-u2']!);
      expect(first.reportTaskProgress.task.status.currentPeriod).toMatchObject({ count: 1, minimum: 2, met: false });
      const second = await ok(REPORT, { i: { taskId: t.twice.id, happenedOn: '2024-10-15', text: '第二次列席', counts: true } }, tok['c-u2']!);
      expect(second.reportTaskProgress.task.status.currentPeriod).toMatchObject({ key: '2024', count: 2, minimum: 2, met: true });
    });

    it('a working-day limit crosses the National Day holiday: event 2024-09-30 + 3 working days = 2024-10-10', async () => {
      const onTime = await ok(REPORT, { i: { taskId: t.wd.id, eventOn: '2024-09-30', happenedOn: '2024-10-10', text: '解读已发布' } }, tok['c-u1']!);
      expect(onTime.reportTaskProgress.progress).toMatchObject({ dueOn: '2024-10-10', late: false });
      expect(onTime.reportTaskProgress.task.status).toMatchObject({ status: 'IN_PROGRESS', occurrences: 1, lateOccurrences: 0 });
      const late = await ok(REPORT, { i: { taskId: t.wdLate.id, eventOn: '2024-09-30', happenedOn: '2024-10-11', text: '解读晚了一天' } }, tok['c-u1']!);
      expect(late.reportTaskProgress.progress).toMatchObject({ dueOn: '2024-10-10', late: true });
      expect(late.reportTaskProgress.task.status).toMatchObject({ status: 'OVERDUE', lateOccurrences: 1 });
    });

    it('a liaison reports only on tasks its unit leads or supports; only the office accepts', async () => {
      const e = await fails(REPORT, { i: { taskId: t.dated.id, happenedOn: '2024-05-01', text: '不是我的任务' } }, tok['c-u2']!);
      expect(e.code).toBe('FORBIDDEN');
      const a = await fails(`mutation($i: AcceptPlanTaskInput!) { acceptPlanTask(input: $i) { task { id } } }`, { i: { taskId: t.dated.id } }, tok['c-u1']!);
      expect(a.code).toBe('FORBIDDEN');
    });

    it('accepting: done late after the due date; twice is refused; returning reopens with a reason', async () => {
      const ACCEPT = `mutation($i: AcceptPlanTaskInput!) { acceptPlanTask(input: $i) { review { decision decidedOn } task { acceptedOn ${STATUS} } } }`;
      const r = await ok(ACCEPT, { i: { taskId: t.dated.id, acceptedOn: '2024-07-05' } }, tok.c!);
      expect(r.acceptPlanTask.task.status).toMatchObject({ status: 'DONE', doneOnTime: false });
      const again = await fails(ACCEPT, { i: { taskId: t.dated.id } }, tok.c!);
      expect([again.code, again.field]).toEqual(['CONFLICT', 'input.taskId']);
      await ok(ACCEPT, { i: { taskId: t.ongoing.id } }, tok.c!);
      const RETURN = `mutation($i: ReturnPlanTaskInput!) { returnPlanTask(input: $i) { review { decision reason } task { acceptedOn ${STATUS} } } }`;
      const noReason = await fails(RETURN, { i: { taskId: t.ongoing.id, reason: ' ' } }, tok.c!);
      expect([noReason.code, noReason.field]).toEqual(['BAD_USER_INPUT', 'input.reason']);
      const back = await ok(RETURN, { i: { taskId: t.ongoing.id, reason: '佐证材料不全' } }, tok.c!);
      expect(back.returnPlanTask.task.acceptedOn).toBeNull();
      expect(back.returnPlanTask.task.status.status).toBe('IN_PROGRESS');
    });

    it('bad input names the field and writes nothing', async () => {
      const other = await unit('b', 'b-u1');
      const u1 = await unit('c', 'c-u1');
      const before = (await ok(`query($id: ID!) { workPlan(id: $id) { tasks { totalCount } } }`, { id: planId }, tok.c!)).workPlan.tasks.totalCount;
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ planId, requirement: '甲', leadUnitIds: [other] }, 'input.leadUnitIds'],
        [{ planId, requirement: '甲', leadUnitIds: [u1], timing: { kind: 'RECURRING', recurrence: 'YEARLY', minimumCount: 0 } }, 'input.timing.minimumCount'],
        [{ planId, requirement: '甲', leadUnitIds: [u1], timing: { kind: 'DUE_DATE', dueOn: '2025-03-01' } }, 'input.timing.dueOn'],
        [{ planId, requirement: '  ', leadUnitIds: [u1] }, 'input.requirement'],
        [{ planId, requirement: '甲', leadUnitIds: [u1], cooperatingUnitIds: [u1] }, 'input.cooperatingUnitIds'],
      ];
      for (const [input, field] of cases) {
        const e = await fails(ADD, { i: input }, tok.c!);
        expect([e.code, e.field]).toEqual(['BAD_USER_INPUT', field]);
      }
      const withReason = await add(tok.c!, { planId, requirement: '跨年任务。', leadUnitIds: [u1], timing: { kind: 'DUE_DATE', dueOn: '2025-03-01' }, dueReason: '跨年度项目' });
      expect(withReason.dueOn).toBe('2025-03-01');
      const after = (await ok(`query($id: ID!) { workPlan(id: $id) { tasks { totalCount } } }`, { id: planId }, tok.c!)).workPlan.tasks.totalCount;
      expect(after).toBe(before + 1);
      // progress on an unrelated event-less task with event fields, and a counted flag on a dated task
      const ev = await fails(REPORT, { i: { taskId: t.ongoing.id, happenedOn: '2024-05-01', text: 'x', eventOn: '2024-04-01' } }, tok.c!);
      expect(ev.field).toBe('input.eventOn');
      const cnt = await fails(REPORT, { i: { taskId: t.wd.id, happenedOn: '2024-05-01', text: 'x', counts: true, eventOn: '2024-04-30' } }, tok.c!);
      expect(cnt.field).toBe('input.counts');
    });

    it('the matrix shows per unit what it leads and supports, with counts by status', async () => {
      const data = await ok(
        `query($id: ID!) { workPlan(id: $id) { statusCounts { status count } matrix { unit { code } leads { number } supports { number } leadCounts { status count } } } }`,
        { id: planId },
        tok['c-u1']!,
      );
      const m = Object.fromEntries(data.workPlan.matrix.map((r: any) => [r.unit.code, r]));
      expect(m['c-u1'].leads.map((x: any) => x.number)).toEqual(['1', '2', '4', '5', '8']);
      expect(m['c-u2'].supports.map((x: any) => x.number)).toEqual(['2']);
      expect(m['c-u2'].leads.map((x: any) => x.number)).toEqual(['3', '6', '7']);
      const counts = Object.fromEntries(data.workPlan.statusCounts.map((c: any) => [c.status, c.count]));
      expect(counts).toEqual({ DONE: 1, OVERDUE: 1, IN_PROGRESS: 4, NOT_STARTED: 2 });
    });
  });

  describe('cascade down two levels, read from the top', () => {
    let top: any;

    it('province → both cities → one branch; the province reads every copy’s status', async () => {
      const provincePlan = await plan('p', 2024, tok.p!);
      top = await add(tok.p!, { planId: provincePlan, requirement: '每半年开展一次政务公开察访核验。', leadUnitIds: [await unit('p', 'p-u1')], timingText: '每半年开展一次' });
      const CASCADE = `mutation($i: CascadePlanTaskInput!) { cascadePlanTask(input: $i) { copies { id agency { code } plan { status year } adoptedRevision } } }`;
      const first = await ok(CASCADE, { i: { taskId: top.id } }, tok.p!);
      expect(first.cascadePlanTask.copies.map((c: any) => [c.agency.code, c.plan.status, c.plan.year, c.adoptedRevision])).toEqual([
        ['c', 'DRAFT', 2024, 1],
        ['c2', 'DRAFT', 2024, 1],
      ]);
      const cityCopy = first.cascadePlanTask.copies.find((c: any) => c.agency.code === 'c');
      // the city already had a 2024 plan: its copy went there (not a new draft)
      const cityTask = await ok(TASK, { id: cityCopy.id }, tok.c!);
      expect(cityTask.planTask.cascaded).toBe(true);
      // the superior's own task lies outside the city's scope
      expect(cityTask.planTask.sourceTask).toBeNull();
      const outside = await fails(CASCADE, { i: { taskId: cityCopy.id, agencyIds: [ids.b2] } }, tok.c!);
      expect([outside.code, outside.field]).toEqual(['BAD_USER_INPUT', 'input.agencyIds']);
      await ok(CASCADE, { i: { taskId: cityCopy.id, agencyIds: [ids.b] } }, tok.c!);
      // the city assigns its own unit and reports progress on its copy
      await ok(`mutation($i: UpdatePlanTaskInput!) { updatePlanTask(input: $i) { task { id } } }`, { i: { id: cityCopy.id, leadUnitIds: [await unit('c', 'c-u1')] } }, tok.c!);
      await ok(REPORT, { i: { taskId: cityCopy.id, happenedOn: '2024-08-01', text: '市局已开展', counts: true } }, tok['c-u1']!);
      // The city cannot withdraw what the province cascaded to it.
      const own = await fails(`mutation($i: WithdrawPlanTaskInput!) { withdrawPlanTask(input: $i) { task { id } } }`, { i: { id: cityCopy.id, reason: '不想做' } }, tok.c!);
      expect(own.code).toBe('FORBIDDEN');

      const copies = await ok(`query($id: ID!) { planTask(id: $id) { copies { agency { code } status { status currentPeriod { count minimum } } } } }`, { id: top.id }, tok['p-view']!);
      expect(copies.planTask.copies.map((c: any) => [c.agency.code, c.status.status, c.status.currentPeriod.count])).toEqual([
        ['c', 'OVERDUE', 1],
        ['c2', 'OVERDUE', 0],
        ['b', 'OVERDUE', 0],
      ]);
    });

    it('a change above shows as "changed since adopted"; a withdrawal shows on every copy below', async () => {
      await ok(`mutation($i: UpdatePlanTaskInput!) { updatePlanTask(input: $i) { task { revision } } }`, { i: { id: top.id, requirement: '每半年开展一次察访核验，并形成报告。' } }, tok.p!);
      let copies = await ok(`query($id: ID!) { planTask(id: $id) { copies { agency { code } changedSinceAdopted status { status } } } }`, { id: top.id }, tok.p!);
      expect(copies.planTask.copies.map((c: any) => [c.agency.code, c.changedSinceAdopted])).toEqual([['c', true], ['c2', true], ['b', false]]);
      await ok(`mutation($i: WithdrawPlanTaskInput!) { withdrawPlanTask(input: $i) { task { withdrawnAt } } }`, { i: { id: top.id, reason: '任务调整' } }, tok.p!);
      copies = await ok(`query($id: ID!) { planTask(id: $id) { copies { agency { code } status { status } } } }`, { id: top.id }, tok.p!);
      expect(copies.planTask.copies.map((c: any) => c.status.status)).toEqual(['WITHDRAWN', 'WITHDRAWN', 'WITHDRAWN']);
    });
  });

  describe('completion roll-up and look back', () => {
    it('matches a count by hand for the city and the province', async () => {
      const data = await ok(ROLLUP, { f: { year: 2024 } }, tok['p-view']!);
      const rows = Object.fromEntries(data.completionRollup.rows.map((r: any) => [r.agency.code, r]));
      expect(data.completionRollup.asOf).toBe('2024-11-20');
      // City c, 2024: 8 own tasks (the cascaded copy is withdrawn and does not count).
      // dated: task 1 (due 06-30, accepted 07-05: done late), task 8 (due 2025-03-01, open, not yet due);
      // counted: task 2 (H1 met, H2 not ended), task 3 (2024 not ended); events: 2 occurrences, 1 late.
      expect(rows.c.own).toEqual({
        tasks: 8, done: 1, due: 1, doneOnTime: 0, doneLate: 1, overdue: 0,
        periodsEnded: 1, periodsMet: 1, occurrences: 2, lateOccurrences: 1,
        doneRate: 1 / 8, onTimeRate: 0, periodMetRate: 1,
      });
      // Nothing else in the tree counts: every other task is a withdrawn copy or the withdrawn original.
      expect(rows.p.subtree).toEqual(rows.c.own);
      expect(rows.p.own.tasks).toBe(0);
      expect(rows.c2.subtree.tasks).toBe(0);
      // The city sees only its own subtree.
      const city = await ok(ROLLUP, { f: { year: 2024 } }, tok.c!);
      expect(city.completionRollup.rows.map((r: any) => r.agency.code)).toEqual(['c', 'b']);
    });

    it('looks back at last year’s unfinished tasks with an owner and a deadline, and carries one over', async () => {
      const LOOK = `query { lookBack(year: 2025) { agency { code } tasks { id number timingKind } } }`;
      const data = await ok(LOOK, {}, tok.p!);
      const c = data.lookBack.find((g: any) => g.agency.code === 'c');
      // open tasks with a deadline: 2, 3, 4, 5 (counted / event-driven) and 8 (dated); not 1 (done), 6 (none), 7 (unreadable)
      expect(c.tasks.map((x: any) => x.number)).toEqual(['2', '3', '4', '5', '8']);
      const carried = await ok(
        `mutation($i: CarryOverTasksInput!) { carryOverTasks(input: $i) { tasks { number plan { year status } carriedFrom { number } leadUnits { code } dueOn dueReason } } }`,
        { i: { taskIds: [c.tasks[4].id] } },
        tok.c!,
      );
      expect(carried.carryOverTasks.tasks[0]).toMatchObject({ plan: { year: 2025, status: 'DRAFT' }, carriedFrom: { number: '8' }, leadUnits: [{ code: 'c-u1' }], dueOn: '2025-03-01' });
      const again = await ok(LOOK, {}, tok.p!);
      expect(again.lookBack.find((g: any) => g.agency.code === 'c').tasks.map((x: any) => x.number)).toEqual(['2', '3', '4', '5']);
    });
  });

  it('concurrent additions to one plan get distinct numbers (they queue on the plan)', async () => {
    const planId = await plan('b2', 2026, tok.b2!);
    const u = await unit('b2', 'b2-u1');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => h.gql(ADD, { i: { planId, requirement: `并发任务${i}。`, leadUnitIds: [u] } }, tok.b2!)),
    );
    expect(results.map((r) => r.errors)).toEqual(Array(6).fill(undefined));
    expect(results.map((r) => r.data!.addPlanTask.task.number).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
  });
});
